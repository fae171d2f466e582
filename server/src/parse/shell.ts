/**
 * The one shell lexer: splits shell source into simple commands (words with quotes removed and
 * exact source offsets, redirections, the control operators between commands), the way /bin/sh
 * would for the cases that matter to a linter. Used for Dockerfile RUN/CMD/ENTRYPOINT, Compose
 * `command:`, package.json scripts, shell scripts and the command strings code passes to
 * `exec()`. What a command *means* (which program runs, package-manager scripts, migrations…)
 * is the command model's job (`engine/command-model.ts`), built on these words.
 *
 * Handles `\`/`# escape=` continuations and the comment lines Docker drops inside them, single
 * and double quotes, `$(…)`/`${…}`/backticks kept whole, heredocs (a leading `<<EOF` body is
 * the script itself), `&&`, `||`, `;`, `|`, `&`, `(`, `)` and newlines as `;`.
 */

export interface Word {
  /** The word after quote removal (`$(…)`/`${…}` kept as written). */
  value: string;
  /** Offsets in the text that was tokenized. */
  start: number;
  end: number;
  /** True when the word contains an unquoted or double-quoted expansion (`$X`, `$(…)`, backticks). */
  expands: boolean;
}

export interface Redirect {
  /** `>`, `>>`, `<`, `>&`, `&>`, `&>>`, `<<`, `>|`… */
  op: string;
  /** The file descriptor written before the operator (`2` in `2>`), when given. */
  fd?: string;
  target?: Word;
  start: number;
  end: number;
}

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
  start: number;
  end: number;
  /** The operator before / after this command (`&&`, `||`, `;`, `|`, `&`, newline as `;`). */
  before?: string;
  after?: string;
}

/** Tokenizes a whole command line or script (offsets into `text`). */
export function shellCommands(text: string): SimpleCommand[] {
  return tokenize(text, 0, text.length, '\\');
}

type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: string; start: number; end: number } | { kind: 'redirect'; op: string; fd?: string; start: number; end: number };

const OPERATORS = ['&&', '||', ';;', '|&', ';', '|', '&', '(', ')'];

/**
 * Splits shell source into simple commands. `escapeChar` is the Dockerfile's line-continuation
 * character: continuations and the comment lines Docker drops inside them are skipped; a bare
 * newline separates commands (heredoc bodies, multi-line scripts).
 */
export function tokenize(text: string, from: number, to: number, escapeChar: string): SimpleCommand[] {
  const tokens: Token[] = [];
  const pendingHeredocs: Array<{ delimiter: string; strip: boolean; script: boolean }> = [];
  let i = from;
  let commandHasWord = false;
  let isFirstCommand = true;

  const skipContinuation = (at: number): number => {
    // escapeChar [ \t]* \r? \n, then comment and blank lines Docker drops
    if (text[at] !== escapeChar) return -1;
    let j = at + 1;
    while (j < to && (text[j] === ' ' || text[j] === '\t')) j++;
    if (text[j] === '\r') j++;
    if (j >= to) return j;
    if (text[j] !== '\n') return -1;
    j++;
    for (;;) {
      let k = j;
      while (k < to && (text[k] === ' ' || text[k] === '\t')) k++;
      if (text[k] === '#' || text[k] === '\n' || text[k] === '\r') {
        const nl = text.indexOf('\n', k);
        if (nl < 0 || nl >= to) return to;
        j = nl + 1;
        continue;
      }
      return j;
    }
  };

  const readHeredocBodies = () => {
    // called at a newline: each pending heredoc consumes lines up to its delimiter
    while (pendingHeredocs.length > 0) {
      const h = pendingHeredocs.shift()!;
      const bodyStart = i;
      let lineStart = i;
      let bodyEnd = to;
      let after = to;
      while (lineStart < to) {
        let nl = text.indexOf('\n', lineStart);
        if (nl < 0 || nl > to) nl = to;
        let line = text.slice(lineStart, nl).replace(/\r$/, '');
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === h.delimiter) { bodyEnd = lineStart; after = Math.min(to, nl + 1); break; }
        lineStart = nl + 1;
      }
      if (h.script) {
        // `RUN <<EOF` … `EOF`: the body is the script itself
        tokens.push({ kind: 'op', op: ';', start: bodyStart, end: bodyStart });
        for (const c of tokenize(text, bodyStart, bodyEnd, '\\')) {
          tokens.push({ kind: 'op', op: ';', start: c.start, end: c.start });
          for (const w of c.words) tokens.push({ kind: 'word', word: w });
          for (const r of c.redirects) { tokens.push({ kind: 'redirect', op: r.op, fd: r.fd, start: r.start, end: r.end }); if (r.target) tokens.push({ kind: 'word', word: r.target }); }
          if (c.after) tokens.push({ kind: 'op', op: c.after, start: c.end, end: c.end });
        }
      }
      i = after;
    }
  };

  while (i < to) {
    const c = text[i];
    const cont = skipContinuation(i);
    if (cont >= 0) { i = cont; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '\n') {
      tokens.push({ kind: 'op', op: ';', start: i, end: i });
      i++;
      commandHasWord = false;
      isFirstCommand = false;
      if (pendingHeredocs.length > 0) readHeredocBodies();
      continue;
    }
    if (c === '#') {
      // a comment runs to the end of the line
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > to ? to : nl;
      continue;
    }
    // redirections: [n]>, [n]>>, >&, &>, &>>, <, <<, <<-, <<<, <>, >|
    const redirect = /^(\d*)(&>>|&>|>>|>&|>\||<<<|<<-|<<|<>|<&|>|<)/.exec(text.slice(i, Math.min(to, i + 6)));
    if (redirect) {
      const op = redirect[2];
      const start = i;
      i += redirect[0].length;
      tokens.push({ kind: 'redirect', op, fd: redirect[1] || undefined, start, end: i });
      if (op === '<<' || op === '<<-') {
        // heredoc delimiter: read it now, the body starts at the next newline
        while (i < to && (text[i] === ' ' || text[i] === '\t')) i++;
        const w = readWord(text, i, to, escapeChar);
        tokens.push({ kind: 'word', word: w.word });
        i = w.next;
        pendingHeredocs.push({ delimiter: w.word.value, strip: op === '<<-', script: !commandHasWord && isFirstCommand });
      }
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', op, start: i, end: i + op.length });
      i += op.length;
      commandHasWord = false;
      isFirstCommand = false;
      continue;
    }
    const w = readWord(text, i, to, escapeChar);
    if (w.next <= i) { i++; continue; }
    tokens.push({ kind: 'word', word: w.word });
    commandHasWord = true;
    i = w.next;
  }
  return assemble(tokens);
}

function readWord(text: string, from: number, to: number, escapeChar: string): { word: Word; next: number } {
  let i = from;
  let value = '';
  let expands = false;
  const stops = ' \t\r\n;&|<>()';
  while (i < to) {
    const c = text[i];
    if (c === escapeChar && escapeChar !== '\\') {
      // `# escape=`: a backtick continuation inside a word ends it
      if (/^`[ \t]*\r?\n/.test(text.slice(i, i + 4))) break;
    }
    if (c === '\\') {
      if (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n')) break;
      if (i + 1 < to) value += text[i + 1];
      i += 2;
      continue;
    }
    if (stops.includes(c)) break;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 || close >= to ? to : close;
      value += text.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < to && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < to && '"\\$`\n'.includes(text[j + 1])) { if (text[j + 1] !== '\n') value += text[j + 1]; j += 2; continue; }
        if (text[j] === '$' || text[j] === '`') expands = true;
        value += text[j];
        j++;
      }
      i = Math.min(to, j + 1);
      continue;
    }
    if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      // keep $(…) / ${…} whole, balanced
      const open = text[i + 1];
      const close = open === '(' ? ')' : '}';
      let depth = 0;
      let j = i + 1;
      for (; j < to; j++) {
        if (text[j] === open) depth++;
        else if (text[j] === close && --depth === 0) break;
      }
      value += text.slice(i, Math.min(to, j + 1));
      expands = true;
      i = Math.min(to, j + 1);
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      const end = close < 0 || close >= to ? to : close + 1;
      value += text.slice(i, end);
      expands = true;
      i = end;
      continue;
    }
    if (c === '$') expands = true;
    value += c;
    i++;
  }
  return { word: { value, start: from, end: i, expands }, next: i };
}

function assemble(tokens: Token[]): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let current: SimpleCommand | undefined;
  let before: string | undefined;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    if (token.kind === 'op') {
      if (current) { current.after = token.op; commands.push(current); current = undefined; }
      before = token.op;
      continue;
    }
    if (!current) current = { words: [], redirects: [], start: token.kind === 'word' ? token.word.start : token.start, end: 0, before };
    if (token.kind === 'redirect') {
      const next = tokens[t + 1];
      const target = next?.kind === 'word' ? next.word : undefined;
      if (target) t++;
      current.redirects.push({ op: token.op, fd: token.fd, target, start: token.start, end: target ? target.end : token.end });
      current.end = target ? target.end : token.end;
    } else {
      current.words.push(token.word);
      current.end = token.word.end;
    }
  }
  if (current) commands.push(current);
  return commands;
}


const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', '{', '}', '!', 'in']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** True for a `NAME=value` word. */
export function isAssignment(word: string): boolean {
  return ASSIGNMENT.test(word);
}

/** Words with leading reserved words (`then`, `do`, `!`…) and `VAR=value` assignments removed. */
export function argv(command: SimpleCommand): Word[] {
  let i = 0;
  while (i < command.words.length && RESERVED.has(command.words[i].value)) i++;
  while (i < command.words.length && ASSIGNMENT.test(command.words[i].value)) i++;
  return command.words.slice(i);
}

/** The last component of a path: `/usr/bin/curl` → `curl`. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Characters that make a line need a shell when they appear outside single quotes. */
const SHELL_SYNTAX = '|&;<>()$`*?[]{}~#';

export interface ShellWords {
  words: string[];
  /** True when the line uses shell syntax: operators, redirections, variables, globs, substitutions. */
  needsShell: boolean;
}

/** Splits a command line like /bin/sh, reporting whether anything needs a shell to run it. */
export function splitShellWords(line: string): ShellWords {
  let needsShell = false;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") { if (c === "'") quote = ''; continue; }
    if (quote === '"') {
      if (c === '\\' && '"\\$`'.includes(line[i + 1] ?? '')) { i++; continue; }
      if (c === '"') quote = '';
      else if (c === '$' || c === '`') needsShell = true;
      continue;
    }
    if (c === "'" || c === '"') { quote = c; continue; }
    if (c === '\\') { i++; continue; }
    if (SHELL_SYNTAX.includes(c) || c === '\n') needsShell = true;
  }
  if (quote) needsShell = true;
  const commands = shellCommands(line);
  const words = commands.flatMap((c) => [...c.words, ...c.redirects.flatMap((r) => (r.target ? [r.target] : []))]).map((w) => w.value);
  // a leading VAR=value assignment also needs a shell
  if (words.length > 0 && ASSIGNMENT.test(words[0])) needsShell = true;
  return { words, needsShell };
}

/**
 * Puts `exec` before the command that should become the main process: the last command of a
 * `&&`/`;` chain. Returns the line unchanged (trimmed) when that command is backgrounded,
 * piped, an `||` alternative or already exec'd.
 */
export function withExec(line: string): string {
  const trimmed = line.trim();
  if (/^exec\s/.test(trimmed)) return trimmed;
  const commands = shellCommands(trimmed).filter((c) => c.words.length > 0 || c.redirects.length > 0);
  const last = commands[commands.length - 1];
  if (!last || last.words.length === 0) return trimmed;
  if (last.after === '&' || last.after === '|' || last.after === '||' || last.before === '|' || last.before === '||' || last.before === '|&' || last.after === '|&') return trimmed;
  if (commands.some((c) => c !== last && c.end > last.start)) return trimmed;
  // `VAR=x exec cmd`, not `exec VAR=x cmd` (exec would look for a program named `VAR=x`)
  let first = 0;
  while (first < last.words.length - 1 && ASSIGNMENT.test(last.words[first].value)) first++;
  if (last.words[first].value === 'exec' || ASSIGNMENT.test(last.words[first].value)) return trimmed;
  const head = last.before ? `${trimmed.slice(0, last.start).trimEnd()} ` : '';
  const assignments = first > 0 ? `${trimmed.slice(last.words[0].start, last.words[first - 1].end)} ` : '';
  return `${head}${assignments}exec ${trimmed.slice(last.words[first].start)}`;
}

/** The exec form of a shell-form command line, as JSON array text. */
export function toExecForm(line: string): { json: string; wrapped: boolean } {
  const { words, needsShell } = splitShellWords(line);
  if (!needsShell && words.length > 0) return { json: `[${words.map((w) => JSON.stringify(w)).join(', ')}]`, wrapped: false };
  return { json: `["sh", "-c", ${JSON.stringify(withExec(line))}]`, wrapped: true };
}
