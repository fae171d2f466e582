/**
 * The one package.json-script resolver: what a simple command hands on to — package scripts
 * (`npm start`, `npm run x`, `yarn x`, `pnpm x`, `bun run x`; npm's and yarn v1's `pre`/`post`
 * hooks; `npm-run-all`/`run-s`/`run-p`), other command lines (`sh -c '…'`, `concurrently "…"`),
 * or nothing (the command is the program that runs).
 *
 * `commandStep` is one hop; `resolveCommand` follows the hops through one package's scripts
 * down to the programs that run. The command chains (`workspace/command-chains.ts`, with
 * locations and `cd`), the file roles' entry commands (`workspace/entry-commands.ts`) and the
 * server test of the health-check rule (`rules/support/server-command.ts`) all follow commands
 * through here, so `npm start` means the same thing to each of them.
 */
import { argv, basename, shellCommands, type Word } from '../parse/shell';
import { operands, packageAction, packageManagerOf, programArgv, subcommand, toolArgv, type PackageManager } from './command-model';

/** Script runners: `npm`, `yarn`, `pnpm`, `bun` (bun is not a PID-1 package manager for the rules yet). */
export type ScriptRunner = PackageManager | 'bun';

export function scriptRunnerOf(program: string): ScriptRunner | undefined {
  const p = basename(program);
  return p === 'bun' ? 'bun' : packageManagerOf(p);
}

/**
 * The package.json script a runner command starts (`npm start`, `npm run start:prod`,
 * `yarn dev`, `pnpm start-docker`, `bun run x`), with the words after it; undefined otherwise.
 */
export function scriptRun(words: readonly Word[]): { runner: ScriptRunner; script: string; scriptWord?: Word } | undefined {
  const runner = scriptRunnerOf(words[0]?.value ?? '');
  if (!runner) return undefined;
  if (runner === 'bun') {
    const sub = subcommand(words.slice(1));
    if (sub.word?.value === 'run') { const op = operands(words.slice(1), sub.index + 1)[0]; return op && !/\.[cm]?[jt]sx?$/.test(op.value) ? { runner, script: op.value, scriptWord: op } : undefined; }
    if (sub.word?.value === 'start') return { runner, script: 'start', scriptWord: sub.word };
    return undefined;
  }
  const action = packageAction(runner, words.slice(1));
  if ((action.action === 'run' || action.action === 'start' || action.action === 'build') && action.script) {
    const scriptWord = action.action === 'start' && action.sub?.value === 'start' ? action.sub : operands(words.slice(1), action.subIndex + 1, runner)[0] ?? action.sub;
    return { runner, script: action.script, scriptWord };
  }
  return undefined;
}

/** Scripts `npm-run-all`/`run-s`/`run-p` run (`-s`/`-p` groups; globs left alone) and whether any run in parallel. */
export function runAllScripts(words: readonly Word[]): { scripts: string[]; parallel: boolean } | undefined {
  const tool = toolArgv(words);
  const program = basename(tool[0]?.value ?? '');
  if (program !== 'npm-run-all' && program !== 'npm-run-all2' && program !== 'run-s' && program !== 'run-p') return undefined;
  let parallel = program === 'run-p';
  const scripts: string[] = [];
  for (const w of tool.slice(1)) {
    const v = w.value;
    if (v === '-p' || v === '--parallel') { parallel = true; continue; }
    if (v === '--') break;
    if (v.startsWith('-')) continue;
    scripts.push(v);
  }
  return { scripts, parallel: parallel && scripts.length > 1 };
}

/** Commands `concurrently` runs (`"npm:watch-*"` shorthands as `npm run …`). */
export function concurrentlyCommands(words: readonly Word[]): string[] | undefined {
  const tool = toolArgv(words);
  if (basename(tool[0]?.value ?? '') !== 'concurrently') return undefined;
  const result: string[] = [];
  const VALUE = /^(?:-n|--names|-c|--prefix-colors|-p|--prefix|-l|--prefix-length|-t|--timestamp-format|--default-input-target|--restart-tries|--restart-after|-m|--max-processes|--handle-input|-s|--success|--kill-signal|--name-separator|-P|--passthrough-arguments)$/;
  for (let i = 1; i < tool.length; i++) {
    const v = tool[i].value;
    if (VALUE.test(v)) { i++; continue; }
    if (v.startsWith('-')) continue;
    const shorthand = /^(npm|yarn|pnpm|bun):(.+)$/.exec(v);
    result.push(shorthand ? `${shorthand[1]} run ${shorthand[2]}` : v);
  }
  return result;
}

/** What one simple command hands on to. */
export type CommandStep =
  /** `sh -c 'body'`: the body is a command line of its own. */
  | { kind: 'shell'; label: string; body: string }
  /** Package scripts, run one after the other (or side by side when `parallel`). */
  | { kind: 'scripts'; scripts: string[]; hooks: boolean; parallel: boolean; runner?: ScriptRunner }
  /** Command lines run side by side (`concurrently`). */
  | { kind: 'commands'; commands: string[]; parallel: boolean };

const SHELLS = /^(?:sh|bash|dash|ash|zsh|ksh)$/;

/** A POSIX-family shell (`sh`, `/bin/bash`, `dash`…). */
export function isShell(program: string): boolean {
  return SHELLS.test(basename(program));
}
const SHELL_COMMAND_FLAG = /^-[a-z]*c[a-z]*$/;

/** The body of `sh -c '…'` (`bash -e -c '…'`, `sh -ec '…'` too), when the words are one. */
export function shellBody(values: readonly string[]): { shell: string; body: string } | undefined {
  const shell = basename(values[0] ?? '');
  if (!isShell(shell)) return undefined;
  for (let i = 1; i < values.length && values[i].startsWith('-'); i++) {
    if (SHELL_COMMAND_FLAG.test(values[i])) return values[i + 1] === undefined ? undefined : { shell, body: values[i + 1] };
  }
  return undefined;
}

/** npm and yarn v1 run `preX` and `postX` around `X`; pnpm (since v7) and bun do not by default. */
function runsHooks(runner: ScriptRunner): boolean {
  return runner === 'npm' || runner === 'yarn';
}

/** What the words of a simple command (after `programArgv`) hand on to; undefined for a program that runs itself. */
export function commandStep(words: readonly Word[]): CommandStep | undefined {
  const shell = shellBody(words.map((w) => w.value));
  if (shell) return { kind: 'shell', label: `${shell.shell} -c`, body: shell.body };
  const run = scriptRun(words);
  if (run) return { kind: 'scripts', scripts: [run.script], hooks: runsHooks(run.runner), parallel: false, runner: run.runner };
  const all = runAllScripts(words);
  // npm-run-all runs each as `npm run x`, hooks included; globs (`build:*`, `{a,b}`) name scripts by pattern: not followed
  if (all) return { kind: 'scripts', scripts: all.scripts.filter((s) => !/[*{]/.test(s)), hooks: true, parallel: all.parallel };
  const lines = concurrentlyCommands(words);
  if (lines) return { kind: 'commands', commands: lines, parallel: lines.length > 1 };
  return undefined;
}

/**
 * The scripts a `scripts` step runs, in order (`preX`, `X`, `postX` with hooks). `main` marks
 * the last named script: its last foreground command is the step's long-running process.
 */
export function scriptOrder(step: Extract<CommandStep, { kind: 'scripts' }>): Array<{ script: string; main: boolean }> {
  return step.scripts.flatMap((name, n) => (step.hooks ? [`pre${name}`, name, `post${name}`] : [name])
    .map((script) => ({ script, main: script === name && n === step.scripts.length - 1 })));
}

/** The body `npm start` runs without a `start` script: npm's default, `node server.js`. */
export const NPM_DEFAULT_START = 'node server.js';

/**
 * The words of the program a command launches, past the launchers that only set up its
 * environment: `programArgv`'s wrappers, then `nohup`, `cross-env VAR=x`, `dotenv -e f --`,
 * `env-cmd -f f --`.
 */
export function launchedArgv(words: readonly Word[]): Word[] {
  let rest = [...words];
  for (let guard = 0; guard < 8 && rest.length > 0; guard++) {
    const p = basename(rest[0].value);
    if (p === 'nohup') rest = rest.slice(1);
    else if (p === 'cross-env' || p === 'cross-env-shell') { let i = 1; while (i < rest.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[i].value)) i++; rest = rest.slice(i); }
    else if (p === 'dotenv' || p === 'env-cmd') { const dash = rest.findIndex((w) => w.value === '--'); rest = rest.slice(dash < 0 ? 1 : dash + 1); }
    else break;
  }
  return rest;
}

/** A program a command line ends up running, with the way there. */
export interface ResolvedCommand {
  /** Its words, launchers skipped (`launchedArgv`). */
  words: Word[];
  /** The package scripts followed to reach it, outermost first. */
  scripts: string[];
  /** The line's long-running process: the last foreground command on the main path. */
  main: boolean;
}

export interface ResolveOptions {
  /** Texts followed at most (scripts and `sh -c` bodies); 6 by default. */
  maxDepth?: number;
  /** `npm start` without a `start` script runs `node server.js` (only when the package.json is known). */
  npmDefaultStart?: boolean;
}

/** Follows commands through one package's scripts; `out` collects the programs reached. */
function resolver(scripts: Readonly<Record<string, string>>, options: ResolveOptions) {
  const out: ResolvedCommand[] = [];
  const maxDepth = options.maxDepth ?? 6;
  const visitWords = (launched: Word[], trail: string[], main: boolean, depth: number): void => {
    const step = commandStep(launched);
    if (!step) { out.push({ words: launched, scripts: trail, main }); return; }
    if (depth >= maxDepth) return;
    if (step.kind === 'shell') visitText(step.body, trail, main, depth + 1);
    else if (step.kind === 'commands') for (const line of step.commands) visitText(line, trail, false, depth + 1);
    else {
      for (const { script, main: isMain } of scriptOrder(step)) {
        const body = scripts[script] ?? (options.npmDefaultStart && step.runner === 'npm' && script === 'start' ? NPM_DEFAULT_START : undefined);
        // a script already on the way is not entered again (`"start": "npm start"`)
        if (body !== undefined && !trail.includes(script)) visitText(body, [...trail, script], main && isMain && !step.parallel, depth + 1);
      }
    }
  };
  const visitText = (text: string, trail: string[], main: boolean, depth: number): void => {
    const commands = shellCommands(text).filter((c) => argv(c).length > 0);
    const lastForeground = [...commands].reverse().find((c) => c.after !== '&');
    for (const command of commands) visitWords(launchedArgv(programArgv(command)), trail, main && command === lastForeground, depth);
  };
  return { out, visitWords, visitText };
}

/**
 * The programs a simple command runs, followed through `scripts` (one package's package.json
 * scripts), `sh -c` bodies and `concurrently` lines.
 */
export function resolveCommand(words: readonly Word[], scripts: Readonly<Record<string, string>>, options: ResolveOptions = {}): ResolvedCommand[] {
  const r = resolver(scripts, options);
  r.visitWords(launchedArgv([...words]), [], true, 0);
  return r.out;
}

/** `resolveCommand` for a command line (`npm run migrate && npm start`): each of its commands. */
export function resolveCommandLine(text: string, scripts: Readonly<Record<string, string>>, options: ResolveOptions = {}): ResolvedCommand[] {
  const r = resolver(scripts, options);
  r.visitText(text, [], true, 0);
  return r.out;
}
