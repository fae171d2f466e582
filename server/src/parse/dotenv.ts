/**
 * `.env` adapter: `KEY=value` lines with `export`, quotes, comments and `${}` references.
 * There is no standard dotenv grammar; this follows what dotenv and Compose's env_file accept.
 */
import type { CommentSpan } from './comments';

export interface DotenvEntry {
  key: string;
  /** The value with quotes removed and, for double quotes, escapes kept as written. */
  value: string;
  line: number;
  keyStart: number;
  keyEnd: number;
  /** Offsets of the value as written, quotes included. */
  valueStart: number;
  valueEnd: number;
  quoted: boolean;
}

export interface ParsedDotenv {
  readonly entries: readonly DotenvEntry[];
  /** Lines that are neither blank, comments nor assignments. */
  readonly invalidLines: readonly number[];
  directiveComments(): readonly CommentSpan[];
}

export function parseDotenv(text: string): ParsedDotenv {
  const entries: DotenvEntry[] = [];
  const invalidLines: number[] = [];
  const comments: CommentSpan[] = [];
  let offset = 0;
  let line = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    const lineOffset = offset;
    offset += lines[i].length + 1;
    line = i;
    const trimmed = raw.trimStart();
    if (trimmed === '') continue;
    const indent = raw.length - trimmed.length;
    if (trimmed.startsWith('#')) {
      comments.push({ text: trimmed.slice(1).trim(), start: lineOffset + indent, end: lineOffset + raw.length, line, ownLine: true });
      continue;
    }
    const m = /^(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*/.exec(trimmed);
    if (!m) { invalidLines.push(line); continue; }
    const keyStart = lineOffset + indent + (m[1]?.length ?? 0);
    const valueStart = lineOffset + indent + m[0].length;
    let rest = raw.slice(indent + m[0].length);
    let value: string;
    let valueEnd: number;
    let quoted = false;
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      const close = rest.indexOf(quote, 1);
      quoted = true;
      if (close > 0) {
        value = rest.slice(1, close);
        valueEnd = valueStart + close + 1;
        rest = rest.slice(close + 1);
      } else {
        value = rest.slice(1);
        valueEnd = valueStart + rest.length;
        rest = '';
      }
      const hash = rest.indexOf('#');
      if (hash >= 0) comments.push({ text: rest.slice(hash + 1).trim(), start: valueEnd + hash, end: lineOffset + raw.length, line, ownLine: false });
    } else {
      const hash = rest.search(/\s#/);
      const content = hash >= 0 ? rest.slice(0, hash) : rest;
      value = content.trimEnd();
      valueEnd = valueStart + value.length;
      if (hash >= 0) comments.push({ text: rest.slice(hash).trim().slice(1).trim(), start: valueStart + hash + 1, end: lineOffset + raw.length, line, ownLine: false });
    }
    entries.push({ key: m[2], value, line, keyStart, keyEnd: keyStart + m[2].length, valueStart, valueEnd, quoted });
  }
  return { entries, invalidLines, directiveComments: () => comments };
}
