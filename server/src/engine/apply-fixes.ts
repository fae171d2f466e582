import type { Fix, TextEdit } from './types';

/** Thrown when edits overlap: applying them would corrupt the text. */
export class OverlappingEditsError extends Error {}

/** Applies edits (offsets into `text`); edits must not overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  for (const e of sorted) {
    if (e.start < cursor || e.end < e.start || e.end > text.length) throw new OverlappingEditsError(`edit ${e.start}-${e.end} overlaps or is out of range`);
    out += text.slice(cursor, e.start) + e.newText;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}

/**
 * Applies as many fixes as possible without overlap, in order; a fix whose edits overlap an
 * already accepted fix is skipped (fix-all runs again on the result, like ESLint's passes).
 */
export function applyFixes(text: string, fixes: readonly Fix[]): { text: string; applied: Fix[]; skipped: Fix[] } {
  const accepted: TextEdit[] = [];
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  const overlaps = (e: TextEdit) => accepted.some((a) => e.start < a.end && a.start < e.end || (e.start === e.end && a.start === e.start && a.end === e.start));
  for (const fix of fixes) {
    if (fix.edits.some(overlaps)) { skipped.push(fix); continue; }
    accepted.push(...fix.edits);
    applied.push(fix);
  }
  return { text: applyEdits(text, accepted), applied, skipped };
}
