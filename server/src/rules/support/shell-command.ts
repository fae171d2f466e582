/**
 * Shell-form command lines of Dockerfile CMD/ENTRYPOINT/RUN: joining `\` continuations,
 * splitting into words the way /bin/sh would (quotes, escapes), and converting to the
 * exec form (a JSON array), wrapping in `sh -c "… exec …"` when the line needs a shell.
 */
import type { Instruction } from 'dockerfile-ast';

/** The instruction's arguments as one line: continuations joined, comment lines inside dropped. */
export function commandText(source: string, instruction: Instruction, escapeChar: string, offsetAt: (p: { line: number; character: number }) => number): { text: string; start: number; end: number } | undefined {
  const range = instruction.getArgumentsRange();
  if (!range) return undefined;
  const start = offsetAt(range.start);
  const end = offsetAt(range.end);
  const raw = source.slice(start, end);
  const esc = escapeChar === '`' ? '`' : '\\\\';
  const joined = raw
    .replace(new RegExp(`${esc}[ \\t]*\\r?\\n(?:[ \\t]*#[^\\n]*\\n)*`, 'g'), ' ')
    .replace(/[ \t]+/g, (m) => (m.length > 1 ? ' ' : m));
  return { text: joined.trim(), start, end };
}

export interface ShellWords {
  words: string[];
  /** True when the line uses shell syntax: operators, redirections, variables, globs, substitutions. */
  needsShell: boolean;
}

/** Splits a command line like /bin/sh, reporting whether anything needs a shell to run. */
export function splitShellWords(line: string): ShellWords {
  const words: string[] = [];
  let needsShell = false;
  let current = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) { needsShell = true; current += line.slice(i + 1); inWord = true; break; }
      current += line.slice(i + 1, close);
      inWord = true;
      i = close;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1])) { current += line[++j]; continue; }
        if (line[j] === '$' || line[j] === '`') needsShell = true;
        current += line[j];
      }
      if (j >= line.length) needsShell = true;
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) { words.push(current); current = ''; inWord = false; }
    } else {
      if ('|&;<>()$`*?[]{}~#'.includes(c) || (c === '=' && !inWord && words.length === 0)) needsShell = true;
      current += c;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  // a leading VAR=value assignment also needs a shell
  if (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) needsShell = true;
  return { words, needsShell };
}

/**
 * Puts `exec` before the command that should become the main process: the last command of a
 * `&&`/`;` chain. Returns undefined when that command is backgrounded, piped or already exec'd.
 */
export function withExec(line: string): string {
  const trimmed = line.trim();
  if (/^exec\s/.test(trimmed)) return trimmed;
  // find the last top-level `&&` or `;` outside quotes
  let quote = '';
  let splitAt = -1;
  let splitLen = 0;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (quote) { if (c === quote) quote = ''; else if (c === '\\' && quote === '"') i++; continue; }
    if (c === '"' || c === "'") { quote = c; continue; }
    if (c === '\\') { i++; continue; }
    if (c === '&' && trimmed[i + 1] === '&') { splitAt = i; splitLen = 2; i++; }
    else if (c === ';') { splitAt = i; splitLen = 1; }
  }
  const head = splitAt >= 0 ? trimmed.slice(0, splitAt + splitLen) + ' ' : '';
  const last = (splitAt >= 0 ? trimmed.slice(splitAt + splitLen) : trimmed).trim();
  if (/^exec\s/.test(last) || /(?:^|[^&])&\s*$/.test(last) || /(?:^|[^|])\|(?!\|)/.test(last) || /\|\|/.test(last)) return trimmed;
  // `VAR=x exec cmd`, not `exec VAR=x cmd` (exec would look for a program named `VAR=x`)
  const assignments = /^(?:[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"(?:[^"\\]|\\.)*"|[^\s'"])*\s+)*/.exec(last)![0];
  return `${head}${assignments}exec ${last.slice(assignments.length)}`;
}

/** The exec form of a shell-form command line, as JSON array text. */
export function toExecForm(line: string): { json: string; wrapped: boolean } {
  const { words, needsShell } = splitShellWords(line);
  if (!needsShell && words.length > 0) return { json: `[${words.map((w) => JSON.stringify(w)).join(', ')}]`, wrapped: false };
  return { json: `["sh", "-c", ${JSON.stringify(withExec(line))}]`, wrapped: true };
}
