import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { argv, type Redirect } from '../../parse/shell';
import type { ChainHit, ChainText, CommandChain } from '../../workspace/command-chains';
import { instructionStart, mainCommand, scriptEdits, scriptOf, stageEntrypoints, type Script } from '../support/dockerfile-commands';

/** Output redirections: `>`, `>>`, `>|`, `&>`, `&>>`, `2>` (not `>&` duplications like `2>&1`, not input). */
const OUTPUT_OPS = new Set(['>', '>>', '>|', '&>', '&>>']);
/** Targets that are streams, not files. */
const STREAMS = /^\/dev\/(?:stdout|stderr|null|fd\/[12]|console|tty)$|^\/proc\/(?:self|1)\/fd\/[12]$/;
/** A target that is a log file by its name or place. */
const LOG_FILE = /\.log(?:\.\d+)?$|^\/var\/log\/|(?:^|\/)logs?\//i;

function fileRedirects(redirects: readonly Redirect[]): Redirect[] {
  return redirects.filter((r) => OUTPUT_OPS.has(r.op) && (r.fd === undefined || r.fd === '1' || r.fd === '2') && r.target && !STREAMS.test(r.target.value));
}

/** Removes redirections and the blanks before each. */
function dropEdits(script: Script, redirects: readonly Redirect[]) {
  const text = script.text;
  const blank = (c: string | undefined) => c === ' ' || c === '\t';
  return scriptEdits(script, redirects.map((r) => {
    let start = r.start;
    while (start > 0 && blank(text[start - 1])) start--;
    // a redirection alone on a continuation line: also drop the continuation that led to it,
    // so no empty continuation line is left behind
    let after = r.end;
    while (blank(text[after])) after++;
    if (text[start - 1] === '\n' && (after >= text.length || text[after] === '\n' || text[after] === '\r')) {
      let k = start - 1;
      if (text[k - 1] === '\r') k--;
      let e = k - 1;
      while (e > 0 && blank(text[e])) e--;
      if (text[e] === '\\' || text[e] === '`') {
        start = e;
        while (start > 0 && blank(text[start - 1])) start--;
      }
    }
    return { start, end: r.end, newText: '' };
  }));
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  const entrypoints = new Set(stageEntrypoints(ctx.parsed).map((e) => e.instruction));
  for (const instruction of ctx.parsed.dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const isEntrypoint = entrypoints.has(instruction);
    if (keyword !== 'RUN' && !isEntrypoint) continue;
    const script = scriptOf(ctx, instruction);
    if (!script) continue;
    const main = mainCommand(script);
    const flagged: Redirect[] = [];
    for (const command of script.commands) {
      if (argv(command).length === 0) continue;
      for (const r of fileRedirects(command.redirects)) {
        // at start-up, the app's own output (the main command) or any log file; in RUN steps only log files
        const appOutput = isEntrypoint && command === main;
        if (appOutput || LOG_FILE.test(r.target!.value)) flagged.push(r);
      }
    }
    if (flagged.length === 0) continue;
    const targets = flagged.map((r) => r.target!.value).join(', ');
    ctx.report({
      messageId: keyword === 'RUN' ? 'runRedirect' : 'redirect',
      data: { keyword, target: targets },
      start: instructionStart(ctx, instruction),
      end: ctx.offsetAt(instruction.getRange().end),
      fixes: [{ title: `Drop the redirection to ${targets} (write to stdout)`, kind: 'unsafe', edits: dropEdits(script, flagged) }],
    });
  }
}

const meta: Rule['meta'] = {
  id: 'logs/log-file-redirect',
  factor: 'logs',
  severity: 'warning',
  description: 'CMD/ENTRYPOINT/RUN, Compose command or the scripts they run that redirect the app\'s output into a file instead of stdout.',
  rationale: 'An app never concerns itself with routing or storing its output (factor XI): it writes an event stream to stdout and the platform collects it. Output redirected into a file inside the container is invisible to `docker logs` and log collectors, fills the container\'s disk and disappears with it.',
  messages: {
    redirect: '{{keyword}} redirects output to {{target}}: let the app write to stdout/stderr so the platform collects its logs.',
    runRedirect: 'RUN writes output to the log file {{target}} inside the image: let it go to the build output (stdout).',
    chainRedirect: '{{chain}}: output goes to {{target}}. Let the app write to stdout/stderr so the platform collects its logs.',
  },
  fix: 'unsafe',
};

const rule: Rule = { meta, check: { dockerfile: check } };

/** The redirections to judge in a text: the app's own output (its main command), or a log file by name. */
function chainRedirects(text: ChainText): Array<{ command: ChainText['commands'][number]; targets: string }> {
  const main = text.main ? [...text.commands].reverse().find((c) => c.after !== '&') : undefined;
  const found = [];
  for (const command of text.commands) {
    const flagged = fileRedirects(command.redirects).filter((r) => command === main || LOG_FILE.test(r.target!.value));
    if (flagged.length > 0) found.push({ command, targets: flagged.map((r) => r.target!.value).join(', ') });
  }
  return found;
}

/** The same redirection in the package.json script or entrypoint script a container runs (`"start": "node dist/main >> app.log"`). */
export function judgeChain(chain: CommandChain): ChainHit | undefined {
  if (chain.oneOff || chain.declared.some((t) => chainRedirects(t).length > 0)) return undefined;
  for (const text of chain.judged) {
    const hit = chainRedirects(text)[0];
    if (hit) return { messageId: 'chainRedirect', data: { target: hit.targets }, text, command: hit.command };
  }
  return undefined;
}

export default rule;
