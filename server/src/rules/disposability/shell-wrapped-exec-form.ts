import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { argv, basename, withExec } from '../../parse/shell';
import { instructionEnd, instructionStart, scriptOf, stageEntrypoints } from '../support/dockerfile-commands';

/** Last commands that must not be exec'd: shell builtins and control flow. */
const NOT_EXECABLE = /^(?:wait|exit|true|false|:|cd|export|set|trap|source|\.|eval|return|shift|unset|read|sleep|tail|echo|printf)$/;

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  for (const { instruction } of stageEntrypoints(ctx.parsed)) {
    const script = scriptOf(ctx, instruction);
    if (!script || script.form !== 'exec-shell') continue;
    const body = script.text;
    // multi-line scripts, control flow, functions, subshells and `$@` forwarding are left alone
    if (/[\n(){}]/.test(body) || /\b(?:if|then|for|while|until|case|do|done|fi|esac)\b/.test(body)) continue;
    const commands = script.commands.filter((c) => argv(c).length > 0);
    const last = commands[commands.length - 1];
    if (!last || last.after === '&' || last.before === '|' || last.before === '||' || last.before === '&') continue;
    const lastArgv = argv(last);
    const program = basename(lastArgv[0].value);
    if (program === 'exec' || NOT_EXECABLE.test(program)) continue;
    const rewritten = withExec(body);
    if (rewritten === body.trim()) continue;
    ctx.report({
      messageId: 'noExec',
      data: { keyword: instruction.getKeyword(), shell: basename(script.execArgs![0].value), command: truncate(body.slice(lastArgv[0].start, last.end)) },
      start: instructionStart(ctx, instruction),
      end: instructionEnd(ctx, instruction),
      fixes: [{
        title: `Prefix "${lastArgv[0].value}" with exec so it replaces the shell`,
        kind: 'safe',
        edits: [{ start: script.scriptArg!.start, end: script.scriptArg!.end, newText: JSON.stringify(rewritten) }],
      }],
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'disposability/shell-wrapped-exec-form',
    factor: 'disposability',
    severity: 'info',
    description: 'Exec form that starts a shell (`["sh", "-c", "node app.js"]`) without `exec` before the app.',
    rationale: 'Processes must shut down gracefully on SIGTERM (factor IX). With `["sh", "-c", "…"]` the shell is the main process; unless the last command is started with `exec`, the shell may keep running as its parent and does not forward SIGTERM, so the app is killed after the stop timeout instead of shutting down.',
    messages: {
      noExec: '{{keyword}} starts "{{command}}" under {{shell}} -c without exec: prefix it with exec so the app replaces the shell and receives SIGTERM.',
    },
    fix: 'safe',
  },
  check: { dockerfile: check },
};

export default rule;
