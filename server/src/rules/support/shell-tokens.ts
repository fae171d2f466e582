/**
 * A small shell lexer that keeps source offsets: words (quotes removed in `value`, exact
 * span in `start`/`end`) and control operators, with `\`+newline continuations as blanks.
 * Enough to find flags and simple commands in Dockerfile RUN lines and exec() strings and to
 * edit them in place.
 */

export interface ShellToken {
  /** The word with quotes and escapes removed, or the operator. */
  value: string;
  start: number;
  end: number;
  operator: boolean;
}

export interface SimpleCommand {
  words: ShellToken[];
  /** The operator token before the command (`&&`, `;`, `|`…), when any. */
  before?: ShellToken;
  after?: ShellToken;
}

const OPERATORS = ['&&', '||', ';;', '|&', ';', '|', '&', '(', ')'];

/** Tokenizes `text` (from `base`, the offset of `text` in its document). */
export function shellTokens(text: string, base = 0, escapeChar = '\\'): ShellToken[] {
  const tokens: ShellToken[] = [];
  let i = 0;
  let value = '';
  let start = -1;
  const flush = (end: number) => {
    if (start >= 0) tokens.push({ value, start: base + start, end: base + end, operator: false });
    value = '';
    start = -1;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === escapeChar && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      flush(i);
      i += text[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { flush(i); i++; continue; }
    if (c === '#' && start < 0) { // comment to end of line
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op && !(c === '&' && text[i + 1] === '>') && !(c === '&' && start >= 0 && text[i - 1] === '>')) {
      flush(i);
      tokens.push({ value: op, start: base + i, end: base + i + op.length, operator: true });
      i += op.length;
      continue;
    }
    if (start < 0) start = i;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 ? text.length : close;
      value += text.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) { value += text[++j]; continue; }
        value += text[j];
      }
      i = j + 1;
      continue;
    }
    if (c === escapeChar && i + 1 < text.length) { value += text[i + 1]; i += 2; continue; }
    value += c;
    i++;
  }
  flush(text.length);
  return tokens;
}

/** Groups tokens into simple commands separated by control operators. */
export function simpleCommands(tokens: readonly ShellToken[]): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let current: SimpleCommand = { words: [] };
  for (const token of tokens) {
    if (token.operator) {
      if (current.words.length) { current.after = token; commands.push(current); }
      current = { words: [], before: token };
    } else current.words.push(token);
  }
  if (current.words.length) commands.push(current);
  return commands;
}

/** The program a simple command runs: skips `VAR=value` assignments, `sudo`, `env`, `exec`, `nohup`, `time`. */
export function commandWordIndex(words: readonly ShellToken[]): number {
  let i = 0;
  while (i < words.length) {
    const w = words[i].value;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || ['sudo', 'env', 'exec', 'nohup', 'time', 'command', 'then', 'do', 'else', 'if', 'while', '!'].includes(w)) { i++; continue; }
    break;
  }
  return i;
}

/** The program's base name: `/usr/bin/curl` → `curl`. */
export function programName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}
