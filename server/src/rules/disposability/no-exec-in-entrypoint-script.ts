import { LineIndex } from '../../engine/line-index';
import { baseName } from '../../engine/classify';
import { commandChains } from '../../workspace/command-chains';
import { entrypointScript } from '../../workspace/resolve';
import type { Loc, ScriptFact } from '../../workspace/model-types';
import type { WorkspaceReport } from '../../workspace/workspace-rule';
import type { WorkspaceRule } from '../../workspace/workspace-rule';
import { splitShellWords, withExec } from '../../parse/shell';

/** Commands that start a long-running app (the process that should receive SIGTERM). */
const APP_STARTERS = new Set([
  'node', 'nodejs', 'npm', 'npx', 'yarn', 'pnpm', 'bun', 'deno', 'tsx', 'ts-node', 'pm2-runtime',
  'python', 'python3', 'gunicorn', 'uvicorn', 'hypercorn', 'daphne', 'celery', 'flask', 'java', 'dotnet',
  'ruby', 'bundle', 'rails', 'puma', 'unicorn', 'php', 'php-fpm', 'nginx', 'httpd', 'apache2-foreground',
  'caddy', 'envoy', 'gosu', 'su-exec', 'setpriv', 'chpst', 'runuser',
]);

/** Lines that close a block or control flow: the script's last command is inside something we do not model. */
const BLOCK_END = /^(?:(?:fi|done|esac)\b|[})]|;;)/;
const NOT_A_START = /^(?:exit|wait|trap|return|set|export|echo|printf|true|false|:|sleep|cd|unset|shift|source|\.|local|readonly)\b/;

const ASSIGNMENTS = /^(?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|[^\s"'])*\s+)+/;

interface LastCommand { text: string; start: number; end: number; line: number }

/** The script's last top-level command line (continuations joined), or undefined. */
export function lastCommand(text: string): LastCommand | undefined {
  const lines = text.split('\n');
  let offset = 0;
  const starts = lines.map((l) => { const s = offset; offset += l.length + 1; return s; });
  for (let i = lines.length - 1; i >= 0; i--) {
    const raw = lines[i].replace(/\r$/, '');
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    // a continued command: walk up to its first line
    let first = i;
    while (first > 0 && /\\$/.test(lines[first - 1].replace(/\r$/, ''))) first--;
    const firstRaw = lines[first].replace(/\r$/, '');
    const indent = firstRaw.length - firstRaw.trimStart().length;
    const start = starts[first] + indent;
    const end = starts[i] + raw.length;
    return { text: text.slice(start, end), start, end, line: first };
  }
  return undefined;
}

/** Whether the command line starts the app in the foreground without exec. */
export function startsAppWithoutExec(line: string): boolean {
  const joined = line.replace(/\\\r?\n/g, ' ').trim();
  if (BLOCK_END.test(joined)) return false;
  if (withExec(joined) === joined) return false; // already exec'd, backgrounded or piped
  // the command that would be exec'd: after the last top-level && or ;
  const execd = withExec(joined);
  const tail = execd.slice(insertedExecAt(joined, execd) + 5);
  const command = tail.trim().replace(ASSIGNMENTS, '');
  if (NOT_A_START.test(command) || /^exec\s/.test(command)) return false; // `VAR=x exec cmd` already execs
  const words = splitShellWords(tail).words;
  let word = words[0] ?? '';
  // leading VAR=value assignments
  let k = 0;
  while (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) && k < words.length - 1) word = words[++k];
  if (word === '"$@"' || word === '$@' || tail.trimStart().startsWith('"$@"') || tail.trimStart().startsWith('$@')) return true;
  const name = baseName(word);
  if (APP_STARTERS.has(name) || /^python3?\.\d+$/.test(name)) return true;
  // ./app, /app/bin/server: an executable path (not a sourced script)
  return /^(?:\.{0,2}\/)/.test(word) && !/\.(?:sh|bash)$/.test(word);
}

const rule: WorkspaceRule = {
  meta: {
    id: 'disposability/no-exec-in-entrypoint-script',
    factor: 'disposability',
    severity: 'warning',
    description: 'The ENTRYPOINT script starts the app without exec, so SIGTERM stops at the shell.',
    rationale: 'Disposable processes shut down gracefully on SIGTERM (factor IX). When the entrypoint script runs the app as a child instead of replacing itself with `exec`, the shell is PID 1: it does not forward SIGTERM, `docker stop` times out and the app is killed mid-request.',
    messages: {
      noExec: 'The last command of {{script}} (run by the Dockerfile {{keyword}}) starts the app without exec: the shell stays PID 1 and swallows SIGTERM.',
      noExecCompose: 'The last command of {{script}} (run by the Compose {{keyword}} of service "{{service}}") starts the app without exec: the shell stays the container\'s main process and swallows SIGTERM.',
    },
    fix: 'safe',
  },
  checkWorkspace(model, report) {
    const reported = new Set<string>();
    for (const dockerfile of model.dockerfiles) {
      const found = entrypointScript(model, dockerfile);
      if (!found || reported.has(found.script.path)) continue;
      const { script, command } = found;
      if (reportScript(script, { messageId: 'noExec', data: { script: baseName(script.path), keyword: command.keyword } }, { path: command.loc.path, range: command.loc.range, message: `${command.keyword} runs ${baseName(script.path)}` }, report)) reported.add(script.path);
    }
    // Compose `command: ./start.sh` / `entrypoint: ["./docker-entrypoint.sh"]`: the script the
    // service's container runs as its main process, found by the command chains
    for (const chain of commandChains(model)) {
      if (chain.origin !== 'compose' || chain.init || chain.oneOff) continue;
      for (const text of chain.texts) {
        if (text.depth !== 1 || !text.main || text.trail.length !== 2) continue;
        const script = model.scripts.find((s) => s.path === text.trail[1].loc.path);
        if (!script || reported.has(script.path)) continue;
        const keyword = chain.start.label.slice(0, chain.start.label.indexOf(':'));
        if (reportScript(script, { messageId: 'noExecCompose', data: { script: baseName(script.path), keyword, service: chain.name ?? '' } }, { path: chain.path, range: chain.start.loc.range, message: `${chain.start.label}` }, report)) reported.add(script.path);
      }
    }
  },
};

/** Reports the script's last command when it starts the app without exec; true when it did. */
function reportScript(script: ScriptFact, message: Pick<WorkspaceReport, 'messageId' | 'data'>, related: { path: string; range: Loc['range']; message: string }, report: (r: WorkspaceReport) => void): boolean {
  const last = lastCommand(script.text);
  if (!last || !startsAppWithoutExec(last.text)) return false;
  const lines = new LineIndex(script.text);
  // continuations are masked so withExec sees one line, then restored as written
  const masked = last.text.replace(/\\\r?\n[ \t]*/g, '\u0000');
  const fixed = execAfterAssignments(masked.trim(), withExec(masked));
  report({
    ...message,
    path: script.path,
    range: { start: lines.positionAt(last.start), end: lines.positionAt(last.end) },
    related: [related],
    fixes: [{
      title: 'Prefix the final command with exec',
      kind: 'safe',
      edits: [restoreContinuations(last, fixed, script.text)],
    }],
  });
  return true;
}

/** Where `withExec` put its `exec `: at or after the first character that differs from the original. */
function insertedExecAt(original: string, execd: string): number {
  let i = 0;
  while (i < original.length && original[i] === execd[i]) i++;
  return execd.indexOf('exec ', Math.max(0, i - 4));
}

/** `exec VAR=x cmd` is not valid shell: assignments go before `exec` (`VAR=x exec cmd`). */
export function execAfterAssignments(original: string, line: string): string {
  const at = insertedExecAt(original, line);
  if (at < 0) return line;
  const rest = line.slice(at + 5);
  const m = ASSIGNMENTS.exec(rest);
  return m ? `${line.slice(0, at)}${m[0]}exec ${rest.slice(m[0].length)}` : line;
}

/** Puts back the `\`-newline continuations the fix text had masked, as they were written. */
function restoreContinuations(last: LastCommand, fixed: string, text: string): { start: number; end: number; newText: string } {
  const breaks = text.slice(last.start, last.end).match(/\\\r?\n[ \t]*/g) ?? [];
  let i = 0;
  const newText = fixed.replace(/\u0000/g, () => breaks[i++] ?? ' ');
  return { start: last.start, end: last.end, newText };
}

export default rule;
