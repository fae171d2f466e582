/**
 * Whole-text pre-filters ("does the file mention `rejectUnauthorized`?") of an edited document,
 * answered from the last version's answer and a test of the text around the edit.
 *
 * A rule that skips most files by one regex over the text pays a scan of the whole file per
 * keystroke when the regex does not match (the bench's 7k-line file: ~1.6 ms for
 * tls-verification-disabled's alone). A hint is a regex whose every match has a fixed length
 * and depends on its own characters only (no anchors, `\b` or lookarounds), so a match the
 * last version did not have lies within `maxLength - 1` characters of the edited span, and a
 * match it had still matches, shifted, when the edit did not touch it.
 */
import type * as TS from 'typescript';

export interface TextHint {
  readonly pattern: RegExp;
  /** No match is longer than this. */
  readonly maxLength: number;
}

/**
 * A hint matching any of `alternatives`: regex sources of fixed length (characters, escaped
 * characters, `\d`-style classes and `[...]` sets; no quantifiers, groups, alternations or
 * assertions). Anything else throws: its matches could not be bounded.
 */
export function textHint(alternatives: readonly string[], flags = ''): TextHint {
  if (/[gy]/.test(flags)) throw new Error('textHint: a stateless pattern (no g or y flag)');
  const maxLength = Math.max(...alternatives.map(fixedLength));
  return { pattern: new RegExp(alternatives.join('|'), flags), maxLength };
}

/** The length of every match of `source`, a sequence of single-character atoms. */
function fixedLength(source: string): number {
  let n = 0;
  for (let i = 0; i < source.length; i++, n++) {
    const c = source[i];
    if (c === '[') {
      // a set: one character; skip to its unescaped `]`
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      if (i >= source.length) throw new Error(`textHint: unclosed set in ${source}`);
    } else if (c === '\\') {
      const e = source[++i];
      if (e === undefined || /[bBcgkpP0-9]/.test(e)) throw new Error(`textHint: \\${e ?? ''} in ${source}`);
      if (e === 'x') i += 2;
      else if (e === 'u') i += 4;
    } else if ('^$|()*+?{}'.includes(c)) {
      throw new Error(`textHint: ${c} in ${source}`);
    }
  }
  if (n === 0) throw new Error('textHint: an empty alternative matches everywhere');
  return n;
}

/** Where the last version's text matched (-1: nowhere) and the edit that made this version. */
export interface LastMatch {
  at: number;
  range: TS.TextChangeRange;
}

/** Where `hint` matches in `text` (an index of some match), or -1; from `last` when known. */
export function hintMatch(hint: TextHint, text: string, last?: LastMatch): number {
  if (!last) return search(hint, text, 0, text.length);
  const start = last.range.span.start;
  const oldEnd = start + last.range.span.length;
  const newEnd = start + last.range.newLength;
  const { at } = last;
  if (at >= 0 && at + hint.maxLength <= start) return at; // the match lies before the edit, unchanged
  if (at >= 0 && at >= oldEnd) return at + newEnd - oldEnd; // after it, shifted
  // a match the last version did not have holds an edited character, or spans a deletion
  const near = search(hint, text, Math.max(0, start - hint.maxLength + 1), Math.min(text.length, newEnd + hint.maxLength - 1));
  if (near >= 0 || at < 0) return near;
  return search(hint, text, 0, text.length); // the edit took the last match: look everywhere
}

/** Counts since the process started (a test counts whole-text searches; nothing is timed). */
export const textHintStats = { wholeSearches: 0 };

function search(hint: TextHint, text: string, from: number, to: number): number {
  if (from === 0 && to === text.length) textHintStats.wholeSearches++;
  const m = hint.pattern.exec(from === 0 && to === text.length ? text : text.slice(from, to));
  return m ? from + m.index : -1;
}

/** A parse that keeps its hints' answers (parse/typescript.ts). */
export interface HintHolder {
  hintAt?(hint: TextHint): number;
  readonly whole?: HintHolder;
}

/** Whether `hint` matches `text`, the text of `parsed` (answered by the parse when it keeps hints). */
export function hasHint(parsed: HintHolder, text: string, hint: TextHint): boolean {
  const whole = parsed.whole ?? parsed;
  return (whole.hintAt ? whole.hintAt(hint) : search(hint, text, 0, text.length)) >= 0;
}
