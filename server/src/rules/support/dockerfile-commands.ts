/**
 * The commands a Dockerfile RUN/CMD/ENTRYPOINT runs, as simple commands with words,
 * redirections and the operators between them, with offsets, so rules detect on structure
 * (the program and its arguments) and fix with precise edits.
 *
 * Three forms: shell form (`RUN npm ci && npm run build`, tokenized straight from the source,
 * honouring `\`/`# escape=` continuations, comment lines inside them, quotes, heredocs),
 * exec form (`CMD ["npm", "start"]`: one command whose words are the JSON strings) and
 * exec form wrapping a shell (`CMD ["sh", "-c", "…"]`: the script string is tokenized, and
 * edits to it are re-serialised into that JSON string).
 */
import type { Instruction } from 'dockerfile-ast';
import type { RuleContext, TextEdit } from '../../engine/types';
import type { ParsedDockerfile, Stage } from '../../parse/dockerfile';

export interface Word {
  /** The word after quote removal (`$(…)`/`${…}` kept as written). */
  value: string;
  /** Offsets in the script's text (see `Script.text`). */
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

export type ScriptForm = 'shell' | 'exec' | 'exec-shell';

export interface Script {
  form: ScriptForm;
  instruction: Instruction;
  /** The text word offsets index into: the document for shell/exec form, the decoded script for exec-shell. */
  text: string;
  commands: SimpleCommand[];
  /** exec form: the decoded JSON strings with their document ranges (quotes included). */
  execArgs?: Word[];
  /** exec-shell: the JSON string holding the script. */
  scriptArg?: Word;
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', '{', '}', '!', 'in']);
const SHELLS = /^(?:.*\/)?(?:sh|bash|dash|ash|zsh|ksh)$/;

/** True when the instruction is in exec form: its arguments are a valid JSON array of strings. */
export function isExecForm(ctx: RuleContext<ParsedDockerfile>, instruction: Instruction): boolean {
  return execArgsOf(ctx, instruction) !== undefined;
}

function execArgsOf(ctx: RuleContext<ParsedDockerfile>, instruction: Instruction): Word[] | undefined {
  const range = instruction.getArgumentsRange();
  if (!range) return undefined;
  const start = ctx.offsetAt(range.start);
  const raw = ctx.text.slice(start, ctx.offsetAt(range.end));
  if (!raw.trimStart().startsWith('[')) return undefined;
  const esc = ctx.parsed.escapeChar === '`' ? '`' : '\\\\';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.replace(new RegExp(`${esc}[ \\t]*\\r?\\n`, 'g'), ''));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) return undefined;
  // the strings' own ranges (dockerfile-ast loses strings after a backtick continuation)
  const words: Word[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '"') continue;
    let j = i + 1;
    while (j < raw.length && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
    let value: string;
    try {
      value = JSON.parse(raw.slice(i, j + 1)) as string;
    } catch {
      return undefined;
    }
    words.push({ value, start: start + i, end: start + j + 1, expands: false });
    i = j;
  }
  return words.length === parsed.length && words.every((w, i) => w.value === parsed[i]) ? words : undefined;
}

/** The commands of a RUN/CMD/ENTRYPOINT/HEALTHCHECK instruction, or undefined when it has none. */
export function scriptOf(ctx: RuleContext<ParsedDockerfile>, instruction: Instruction): Script | undefined {
  const range = instruction.getArgumentsRange();
  if (!range) return undefined;
  const execArgs = execArgsOf(ctx, instruction);
  if (execArgs) {
    if (execArgs.length === 0) return undefined;
    const [program, flag, body] = execArgs;
    if (SHELLS.test(program.value) && flag && /^-[a-z]*c[a-z]*$/.test(flag.value) && body) {
      return { form: 'exec-shell', instruction, text: body.value, commands: tokenize(body.value, 0, body.value.length, '\\'), execArgs, scriptArg: body };
    }
    const command: SimpleCommand = { words: execArgs, redirects: [], start: execArgs[0].start, end: execArgs[execArgs.length - 1].end };
    return { form: 'exec', instruction, text: ctx.text, commands: [command], execArgs };
  }
  const start = ctx.offsetAt(range.start);
  const end = ctx.offsetAt(range.end);
  return { form: 'shell', instruction, text: ctx.text, commands: tokenize(ctx.text, start, end, ctx.parsed.escapeChar) };
}

/** Document edits for edits expressed in the script's text. */
export function scriptEdits(script: Script, edits: TextEdit[]): TextEdit[] {
  if (script.form !== 'exec-shell') return edits;
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let value = script.text;
  for (const e of sorted) value = value.slice(0, e.start) + e.newText + value.slice(e.end);
  return [{ start: script.scriptArg!.start, end: script.scriptArg!.end, newText: JSON.stringify(value) }];
}

/** An edit replacing one word by a new (plain) value, in any form. */
export function replaceWordEdit(script: Script, word: Word, value: string): TextEdit[] {
  if (script.form === 'exec') return [{ start: word.start, end: word.end, newText: JSON.stringify(value) }];
  return scriptEdits(script, [{ start: word.start, end: word.end, newText: value }]);
}

/** Words with leading reserved words (`then`, `do`, `!`…) and `VAR=value` assignments removed. */
export function argv(command: SimpleCommand): Word[] {
  let i = 0;
  while (i < command.words.length && RESERVED.has(command.words[i].value)) i++;
  while (i < command.words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(command.words[i].value)) i++;
  return command.words.slice(i);
}

/**
 * The words of the program that actually runs: skips `exec`, `command`, `time`, `env [VAR=…]`,
 * `sudo [-u user]`, `gosu user`, `su-exec user`, `tini --`, `dumb-init`.
 */
export function programArgv(command: SimpleCommand): Word[] {
  let words = argv(command);
  for (let guard = 0; guard < 8 && words.length > 0; guard++) {
    const p = basename(words[0].value);
    if (p === 'exec' || p === 'command' || p === 'time') words = words.slice(1);
    else if (p === 'env') { let i = 1; while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].value) || words[i].value.startsWith('-'))) i++; words = words.slice(i); }
    else if (p === 'sudo') { let i = 1; while (i < words.length && words[i].value.startsWith('-')) i += /^-[ugCD]$/.test(words[i].value) ? 2 : 1; words = words.slice(i); }
    else if (p === 'gosu' || p === 'su-exec') words = words.slice(2);
    else if (/^(?:tini|tini-static|dumb-init|catatonit)$/.test(p)) { let i = 1; while (i < words.length && words[i].value.startsWith('-')) { const stop = words[i].value === '--'; i++; if (stop) break; } words = words.slice(i); }
    else break;
  }
  return words;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The command that becomes the long-running process: the last one of the script (callers check `after === "&"`). */
export function mainCommand(script: Script): SimpleCommand | undefined {
  const commands = script.commands.filter((c) => argv(c).length > 0);
  return commands[commands.length - 1];
}

/** The last instruction with this keyword in the stage or, failing that, in the stages it builds on. */
export function effectiveInstruction(stage: Stage, keyword: string): Instruction | undefined {
  for (let s: Stage | undefined = stage, guard = 0; s && guard < 64; s = s.parent, guard++) {
    const found = s.instructions.filter((i) => i.getKeyword() === keyword);
    if (found.length > 0) return found[found.length - 1];
  }
  return undefined;
}

/** The CMD and ENTRYPOINT each stage ends with (its own last ones), each instruction once. */
export function stageEntrypoints(parsed: ParsedDockerfile): Array<{ stage: Stage; instruction: Instruction }> {
  const result: Array<{ stage: Stage; instruction: Instruction }> = [];
  for (const stage of parsed.stages) {
    for (const keyword of ['ENTRYPOINT', 'CMD']) {
      const own = stage.instructions.filter((i) => i.getKeyword() === keyword);
      if (own.length > 0) result.push({ stage, instruction: own[own.length - 1] });
    }
  }
  return result;
}

/** Where an instruction starts, as an offset (reports on RUN steps start here so `# hadolint ignore` above the instruction applies). */
export function instructionStart(ctx: RuleContext<ParsedDockerfile>, instruction: Instruction): number {
  return ctx.offsetAt(instruction.getRange().start);
}

export function instructionEnd(ctx: RuleContext<ParsedDockerfile>, instruction: Instruction): number {
  return ctx.offsetAt(instruction.getRange().end);
}

/** The base image a stage chain finally rests on (the external image of the root stage), lower-cased. */
export function rootImage(stage: Stage): string {
  let s = stage;
  for (let guard = 0; s.parent && guard < 64; guard++) s = s.parent;
  return s.image.toLowerCase();
}

/** The instructions of a stage and the stages it inherits from, in build order (root first). */
export function chainInstructions(stage: Stage): Instruction[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage, seen = new Set<Stage>(); s && !seen.has(s); s = s.parent) { seen.add(s); chain.push(s); }
  return chain.reverse().flatMap((s) => s.instructions);
}

// ---------------------------------------------------------------------------------------
// Tokenizer

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

/** Edits adding an argument right after a word (`yarn install` → `yarn install --frozen-lockfile`), in any form. */
export function insertArgAfterEdit(script: Script, word: Word, arg: string): TextEdit[] {
  if (script.form === 'exec') return [{ start: word.end, end: word.end, newText: `, ${JSON.stringify(arg)}` }];
  return scriptEdits(script, [{ start: word.end, end: word.end, newText: ` ${arg}` }]);
}
