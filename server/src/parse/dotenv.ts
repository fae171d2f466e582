/**
 * `.env` adapter. There is no standard dotenv grammar; this follows what the `dotenv` npm
 * package (v16+) accepts, where Compose's env_file agrees, and records what neither accepts:
 *
 * - `KEY=value` and `export KEY=value`; `KEY: value` (dotenv's YAML-ish separator, a space after
 *   the colon); keys are `[\w.-]+`; whitespace around `=` and at the ends of the value is dropped;
 * - `'…'`, `"…"` and `` `…` `` values may span lines: the value ends at the first unescaped
 *   matching quote, wherever it is (a PEM key in double quotes is one value, as dotenv reads it);
 * - an unquoted value ends at ` #` (a comment needs whitespace before it, as Compose reads it;
 *   dotenv cuts at any `#`, so `COLOR=#fff` is a value here, not an empty one);
 * - a bare `KEY` line (no `=`) is valid: Docker's `--env-file` and Compose pass the host's value.
 *
 * Lines none of this accepts are `invalid` with a reason, never dropped silently: dotenv skips
 * them without a word, so a typo (`API KEY=…`, `=value`, a quote never closed) loses a setting.
 */
import type { CommentSpan } from './comments';

export interface DotenvEntry {
  key: string;
  /** The value with quotes removed and, for double quotes, escapes kept as written. */
  value: string;
  /** 0-based line of the key. */
  line: number;
  keyStart: number;
  keyEnd: number;
  /** Offsets of the value as written, quotes included (a quoted value may span lines). */
  valueStart: number;
  valueEnd: number;
  quoted: boolean;
  /** Offsets of the whole assignment: from its line's first character to the end of its last line (line break excluded). */
  lineStart: number;
  end: number;
}

export type DotenvProblem =
  /** `=value`: no name before the `=`. */
  | 'noKey'
  /** `API KEY=…`, `$KEY=…`: a name dotenv and Compose do not accept. */
  | 'badKey'
  /** `KEY="…` with no closing quote anywhere after it: dotenv keeps the quote as part of the value. */
  | 'unclosedQuote'
  /** `KEY="a" b`: text after the closing quote (dotenv then keeps the quotes in the value). */
  | 'textAfterQuote'
  /** Neither a comment, an assignment nor a bare name. */
  | 'notAssignment';

export interface DotenvInvalidLine {
  line: number;
  /** Offsets of the offending text (the line without its indentation). */
  start: number;
  end: number;
  problem: DotenvProblem;
}

export interface ParsedDotenv {
  readonly entries: readonly DotenvEntry[];
  /** Lines that are neither blank, comments, assignments nor bare names, with the reason. */
  readonly invalid: readonly DotenvInvalidLine[];
  /** Bare `KEY` lines (no `=`): names without a value (Docker and Compose pass the host's value). */
  readonly bareNames: ReadonlyArray<{ key: string; line: number; start: number; end: number }>;
  /** 0-based numbers of the invalid lines (kept for readers that only need where). */
  readonly invalidLines: readonly number[];
  directiveComments(): readonly CommentSpan[];
}

const ASSIGNMENT = /^(export[ \t]+)?([\w.-]+)(?:[ \t]*=[ \t]*|:[ \t]+)/;
const BARE_NAME = /^(export[ \t]+)?([\w.-]+)[ \t]*$/;
const QUOTES = new Set(['"', "'", '`']);

/** The offset of the closing `quote` after `from`, skipping backslash-escaped quotes; -1 when none. */
function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === quote) { i++; continue; }
    if (text[i] === quote) return i;
  }
  return -1;
}

/** Why a non-assignment line is invalid. */
function problemOf(content: string): DotenvProblem {
  if (/^[ \t]*=/.test(content)) return 'noKey';
  const eq = content.indexOf('=');
  if (eq > 0 && !/["'`]/.test(content.slice(0, eq))) return 'badKey';
  return 'notAssignment';
}

export function parseDotenv(text: string): ParsedDotenv {
  const entries: DotenvEntry[] = [];
  const invalid: DotenvInvalidLine[] = [];
  const comments: CommentSpan[] = [];
  const bareNames: Array<{ key: string; line: number; start: number; end: number }> = [];
  // line starts, so a value that spans lines can say where it ends
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1; }
    return lo;
  };
  const lineEnd = (line: number) => {
    const next = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length;
    return text[next - 1] === '\r' ? next - 1 : next;
  };
  let line = 0;
  while (line < lineStarts.length) {
    const start = lineStarts[line];
    const end = lineEnd(line);
    const raw = text.slice(start, end);
    const trimmed = raw.trimStart();
    const indent = raw.length - trimmed.length;
    const contentStart = start + indent;
    const contentEnd = start + raw.trimEnd().length;
    if (trimmed === '') { line++; continue; }
    if (trimmed.startsWith('#')) {
      comments.push({ text: trimmed.slice(1).trim(), start: contentStart, end, line, ownLine: true });
      line++;
      continue;
    }
    const m = ASSIGNMENT.exec(trimmed);
    if (!m) {
      const bare = BARE_NAME.exec(trimmed);
      if (bare) {
        const keyStart = contentStart + (bare[1]?.length ?? 0);
        bareNames.push({ key: bare[2], line, start: keyStart, end: keyStart + bare[2].length });
      } else {
        invalid.push({ line, start: contentStart, end: contentEnd, problem: problemOf(trimmed) });
      }
      line++;
      continue;
    }
    const keyStart = contentStart + (m[1]?.length ?? 0);
    const valueStart = contentStart + m[0].length;
    const quote = text[valueStart];
    let value: string;
    let valueEnd: number;
    let quoted = false;
    let lastLine = line;
    const close = QUOTES.has(quote) && valueStart < end ? closingQuote(text, valueStart + 1, quote) : -1;
    if (close >= 0) {
      quoted = true;
      value = text.slice(valueStart + 1, close);
      valueEnd = close + 1;
      lastLine = lineOf(close);
      const rest = text.slice(valueEnd, lineEnd(lastLine));
      const hash = rest.search(/#/);
      const before = hash >= 0 ? rest.slice(0, hash) : rest;
      if (before.trim() !== '') invalid.push({ line, start: contentStart, end: valueEnd + rest.trimEnd().length, problem: 'textAfterQuote' });
      else if (hash >= 0) comments.push({ text: rest.slice(hash + 1).trim(), start: valueEnd + hash, end: lineEnd(lastLine), line: lastLine, ownLine: false });
    } else {
      const rest = text.slice(valueStart, end);
      if (QUOTES.has(quote) && valueStart < end) invalid.push({ line, start: contentStart, end: contentEnd, problem: 'unclosedQuote' });
      const hash = rest.search(/[ \t]#/);
      const content = hash >= 0 ? rest.slice(0, hash) : rest;
      value = content.trimEnd();
      valueEnd = valueStart + value.length;
      if (hash >= 0) comments.push({ text: rest.slice(hash).trim().slice(1).trim(), start: valueStart + hash + 1, end, line, ownLine: false });
    }
    entries.push({ key: m[2], value, line, keyStart, keyEnd: keyStart + m[2].length, valueStart, valueEnd, quoted, lineStart: start, end: lineEnd(lastLine) });
    line = lastLine + 1;
  }
  return { entries, invalid, bareNames, invalidLines: invalid.map((i) => i.line), directiveComments: () => comments };
}
