import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { argv, basename, shellCommands, withExec } from '../../parse/shell';
import type { ChainHit, CommandChain } from '../../workspace/command-chains';
import type { ComposeCommandFact } from '../../workspace/model-types';
import { instructionEnd, instructionStart, scriptOf, stageEntrypoints } from '../support/dockerfile-commands';

/** Last commands that must not be exec'd: shell builtins and control flow. */
const NOT_EXECABLE = /^(?:wait|exit|true|false|:|cd|export|set|trap|source|\.|eval|return|shift|unset|read|sleep|tail|echo|printf)$/;

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The command a `sh -c` body should exec and the rewritten body, when the body needs it. */
export function missingExec(body: string): { command: string; program: string; rewritten: string } | undefined {
  // multi-line scripts, control flow, functions, subshells and `$@` forwarding are left alone
  if (/[\n(){}]/.test(body) || /\b(?:if|then|for|while|until|case|do|done|fi|esac)\b/.test(body)) return undefined;
  const commands = shellCommands(body).filter((c) => argv(c).length > 0);
  const last = commands[commands.length - 1];
  if (!last || last.after === '&' || last.before === '|' || last.before === '||' || last.before === '&') return undefined;
  const lastArgv = argv(last);
  const program = basename(lastArgv[0].value);
  if (program === 'exec' || NOT_EXECABLE.test(program)) return undefined;
  const rewritten = withExec(body);
  if (rewritten === body.trim()) return undefined;
  return { command: truncate(body.slice(lastArgv[0].start, last.end)), program: lastArgv[0].value, rewritten };
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  for (const { instruction } of stageEntrypoints(ctx.parsed)) {
    const script = scriptOf(ctx, instruction);
    if (!script || script.form !== 'exec-shell') continue;
    const found = missingExec(script.text);
    if (!found) continue;
    ctx.report({
      messageId: 'noExec',
      data: { keyword: instruction.getKeyword(), shell: basename(script.execArgs![0].value), command: found.command },
      start: instructionStart(ctx, instruction),
      end: instructionEnd(ctx, instruction),
      fixes: [{
        title: `Prefix "${found.program}" with exec so it replaces the shell`,
        kind: 'safe',
        edits: [{ start: script.scriptArg!.start, end: script.scriptArg!.end, newText: JSON.stringify(found.rewritten) }],
      }],
    });
  }
}

const meta: Rule['meta'] = {
  id: 'disposability/shell-wrapped-exec-form',
  factor: 'disposability',
  severity: 'info',
  description: 'Exec form or Compose command that starts a shell (`["sh", "-c", "node app.js"]`) without `exec` before the app.',
  rationale: 'Processes must shut down gracefully on SIGTERM (factor IX). With `["sh", "-c", "…"]` the shell is the main process; unless the last command is started with `exec`, the shell may keep running as its parent and does not forward SIGTERM, so the app is killed after the stop timeout instead of shutting down.',
  messages: {
    noExec: '{{keyword}} starts "{{command}}" under {{shell}} -c without exec: prefix it with exec so the app replaces the shell and receives SIGTERM.',
    composeNoExec: 'Compose {{keyword}}: starts "{{command}}" under {{shell}} -c without exec: prefix it with exec so the app replaces the shell and receives SIGTERM.',
  },
  fix: 'safe',
};

const rule: Rule = { meta, check: { dockerfile: check } };

const SHELLS = /^(?:sh|bash|dash|ash|zsh|ksh)$/;

/** `["sh", "-c", "…"]` or `sh -c "…"` (Compose splits a string into words without a shell). */
function shellBody(command: ComposeCommandFact | undefined): { shell: string; body: string } | undefined {
  const [program, flag, body] = command?.args ?? [];
  return program && SHELLS.test(basename(program)) && /^-[a-z]*c[a-z]*$/.test(flag ?? '') && body !== undefined ? { shell: basename(program), body } : undefined;
}

/** Compose `command:`/`entrypoint:` wrapping the app in `sh -c` (a `command:` behind an `entrypoint:` is not the process). */
export function judgeChain(chain: CommandChain): ChainHit | undefined {
  if (chain.oneOff || chain.origin !== 'compose') return undefined;
  const wrapped = shellBody(chain.declaration);
  const found = wrapped && missingExec(wrapped.body);
  return found ? { messageId: 'composeNoExec', data: { keyword: chain.declaration!.keyword, shell: wrapped.shell, command: found.command } } : undefined;
}

export default rule;
