import type { Instruction } from 'dockerfile-ast';
import type { PackageJsonFacts } from '../../engine/project-context';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { packageAction, packageManagerOf, programArgv } from '../../engine/command-model';
import { scriptRun } from '../../engine/script-resolver';
import type { Word } from '../../parse/shell';
import { basename, splitShellWords } from '../../parse/shell';
import type { ChainHit, CommandChain } from '../../workspace/command-chains';
import { effectiveInstruction, mainCommand, scriptOf, type Script } from '../support/dockerfile-commands';

/** Init processes that forward signals and reap zombies: a package manager behind them gets SIGTERM relayed. */
const INITS = /^(?:tini|tini-static|dumb-init|catatonit|s6-svscan|init)$/;

/**
 * `node <file>` for the script the package manager would run: the `start` (or named) script
 * when it is a plain `node [flags] file` command, else `main`. Undefined when unresolvable.
 */
export function nodeCommandFor(pkg: PackageJsonFacts | undefined, script: string): string[] | undefined {
  if (!pkg) return undefined;
  const body = pkg.scripts?.[script];
  if (body !== undefined) {
    const { words, needsShell } = splitShellWords(body);
    if (!needsShell && words[0] === 'node' && words.length >= 2) return words;
    return undefined;
  }
  if (script === 'start') {
    // npm start without a start script runs `node server.js`; the fix prefers the declared main
    if (pkg.main) return ['node', pkg.main];
  }
  return undefined;
}

/**
 * The wrapper a main command runs the app through, when it is one: `npm`/`yarn`/`pnpm` starting a
 * script, `bun run <script>`/`bun start` (bun runs the script's shell as a child; `bun src/index.ts`
 * or `bun run src/index.ts` is bun as the runtime itself, fine), and `npx`/`pnpx`/`bunx` (npm exec
 * spawns the tool as a child the same way npm start does).
 */
export function wrapperOf(words: readonly Word[]): { pm: string; script?: string; fixable: boolean } | undefined {
  const program = basename(words[0]?.value ?? '');
  if (program === 'npx' || program === 'pnpx' || program === 'bunx') return { pm: program, fixable: false };
  const pm = packageManagerOf(program);
  if (pm) {
    const action = packageAction(pm, words.slice(1));
    return action.action === 'start' || action.action === 'run' ? { pm, script: action.script ?? 'start', fixable: true } : undefined;
  }
  const run = scriptRun(words);
  return run?.runner === 'bun' ? { pm: 'bun', script: run.script, fixable: false } : undefined;
}

function isInit(ctx: RuleContext<ParsedDockerfile>, entrypoint: Instruction | undefined): boolean {
  if (!entrypoint) return false;
  const script = scriptOf(ctx, entrypoint);
  if (!script) return false;
  const first = script.commands[0];
  if (script.form === 'exec-shell' || !first) return false;
  const program = basename(first.words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value))?.value ?? '');
  return INITS.test(program);
}

function checkInstruction(ctx: RuleContext<ParsedDockerfile>, instruction: Instruction, script: Script): void {
  const main = mainCommand(script);
  if (!main || main.after === '&') return;
  const words = programArgv(main);
  // a shell-form `tini -- npm start` or `dumb-init npm start` is fine (programArgv skips the init, so look at the raw words)
  if (main.words.some((w) => INITS.test(basename(w.value)))) return;
  const wrapper = wrapperOf(words);
  if (!wrapper) return;
  const { pm } = wrapper;
  const scriptName = wrapper.script ?? 'start';
  const command = words.map((w) => w.value).join(' ');
  const fixes: Fix[] = [];
  const node = wrapper.fixable ? nodeCommandFor(ctx.project.packageBesideFile?.json, scriptName) : undefined;
  // the fix replaces the whole instruction's arguments: only when the package manager is all it runs
  if (node && script.commands.length === 1) {
    const range = instruction.getArgumentsRange()!;
    fixes.push({
      title: `Run ${node.join(' ')} directly (from package.json)`,
      kind: 'unsafe',
      edits: [{ start: ctx.offsetAt(range.start), end: ctx.offsetAt(range.end), newText: `[${node.map((w) => JSON.stringify(w)).join(', ')}]` }],
    });
  }
  ctx.report({
    messageId: 'pid1',
    data: { keyword: instruction.getKeyword(), command, pm },
    start: ctx.offsetAt(instruction.getRange().start),
    end: ctx.offsetAt(instruction.getRange().end),
    fixes,
  });
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  const seen = new Set<Instruction>();
  for (const stage of ctx.parsed.stages) {
    const entrypoint = effectiveInstruction(stage, 'ENTRYPOINT');
    const cmd = effectiveInstruction(stage, 'CMD');
    if (isInit(ctx, entrypoint)) continue;
    for (const instruction of [entrypoint, cmd]) {
      if (!instruction || seen.has(instruction) || !stage.instructions.includes(instruction)) continue;
      seen.add(instruction);
      const script = scriptOf(ctx, instruction);
      if (script) checkInstruction(ctx, instruction, script);
    }
  }
}

const meta: Rule['meta'] = {
  id: 'disposability/package-manager-as-pid1',
  factor: 'disposability',
  severity: 'warning',
  description: 'npm/yarn/pnpm/bun start (or npx) as the container\'s main process (CMD, Compose command, or the last command of an entrypoint script): the package manager does not forward SIGTERM to the app.',
  rationale: 'Processes must shut down gracefully on SIGTERM (factor IX). npm, yarn, pnpm, bun (running a script) and npx run the app as a child and do not reliably relay signals to it, so `docker stop` waits out its timeout and then kills the app mid-request, and the app\'s own shutdown handler never runs.',
  messages: {
    pid1: '{{keyword}} runs "{{command}}": {{pm}} becomes the main process and does not forward SIGTERM to the app. Run node directly (CMD ["node", "dist/server.js"]) or put an init (tini, dumb-init) in front.',
    chainPid1: '{{chain}}: {{pm}} becomes the container\'s main process and does not forward SIGTERM to the app. Run node directly or put an init (tini, dumb-init) in front.',
  },
  fix: 'unsafe',
};

const rule: Rule = { meta, check: { dockerfile: check } };

/**
 * The package manager as the main process where the Dockerfile itself does not say it: a
 * Compose `command: npm start`, or an entrypoint script whose last command is `npm start`.
 * Scripts that npm itself runs are not judged again (the first package manager is the finding).
 */
export function judgeChain(chain: CommandChain): ChainHit | undefined {
  if (chain.oneOff || chain.init || chain.origin === 'procfile') return undefined;
  for (const text of chain.judged) {
    if (!text.main || text.trail.some((h) => h.label.startsWith('package.json') || h.label === 'concurrently')) continue;
    const main = [...text.commands].reverse().find((c) => c.after !== '&');
    if (!main || main.words.some((w) => INITS.test(basename(w.value)))) continue;
    const wrapper = wrapperOf(programArgv(main));
    if (wrapper) return { messageId: 'chainPid1', data: { pm: wrapper.pm }, text, command: main };
  }
  return undefined;
}

export default rule;
