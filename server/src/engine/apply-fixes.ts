/**
 * The one fix applier. Every caller — the editor's quick fixes and `source.fixAll`, the
 * report's "Fix all", and `factorlint --fix` — goes through these functions, so a fix means the
 * same everywhere: all safe fixes of a finding (those that do not overlap), inserted text in the
 * file's own line endings, appends to other files guarded by `unlessLineStartsWith` /
 * `unlessLineEquals`, and an account of what was applied and what was skipped and why.
 *
 * Pure: text in, text + account out. Reading and writing files is the host's job.
 */
import type { FileAppend, Finding, Fix, TextEdit } from './types';

/** Thrown when edits overlap: applying them would corrupt the text. */
export class OverlappingEditsError extends Error {}

/** Why a fix (or one of its appends) was not applied. */
export type FixSkipReason =
  | 'overlaps another fix'
  | 'out of range'
  | 'already present'
  | 'outside the analysed folders'
  | 'file changed since analysis'
  | 'not a regular file'
  | 'read-only'
  | 'unreadable'
  | 'write failed';

/** `appendOnly`: the fix edits no text of its file, only appends to others (it counts once one of them lands). */
export interface AppliedFix { ruleId: string; title: string; appendOnly?: boolean }
export interface SkippedFix { ruleId: string; title: string; reason: FixSkipReason | string }

/** An append requested by an applied fix, with the fix it came from. */
export interface RequestedAppend { ruleId: string; title: string; append: FileAppend; from?: AppliedFix }

/** What the applier needs of a finding: its rule (for the account) and its fixes. */
export type Fixable = Pick<Finding, 'ruleId' | 'fixes'>;

export interface FileFixResult<F extends Fixable = Finding> {
  /** The text after the fixes. */
  text: string;
  applied: AppliedFix[];
  skipped: SkippedFix[];
  /** Appends to other files requested by the applied fixes (deduplicated), for `applyAppends`. */
  appends: RequestedAppend[];
  /** The findings of `text` with `reanalyse` (the last analysis); without it, the findings given. */
  findings: readonly F[];
}

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

/** Whether `text` uses CRLF line endings throughout (a mixed file keeps `\n` for inserted text). */
export function usesCrlf(text: string): boolean {
  return /\r\n/.test(text) && !/(^|[^\r])\n/.test(text);
}

/** The fix with `\n` in inserted text turned into the file's line ending. */
export function fitLineEndings(fix: Fix, text: string): Fix {
  if (!usesCrlf(text)) return fix;
  return { ...fix, edits: fix.edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') })) };
}

/**
 * Applies as many fixes as possible without overlap, in order; a fix whose edits overlap an
 * already accepted fix (or fall outside the text) is skipped. Line endings are the caller's
 * (see `fitLineEndings`); `applyFindingFixes` does both.
 */
export function applyFixes(text: string, fixes: readonly Fix[]): { text: string; applied: Fix[]; skipped: Fix[] } {
  const accepted: TextEdit[] = [];
  const applied: Fix[] = [];
  const skipped: Fix[] = [];
  const overlaps = (e: TextEdit) => accepted.some((a) => e.start < a.end && a.start < e.end || (e.start === e.end && a.start === e.start && a.end === e.start));
  const outOfRange = (e: TextEdit) => e.start < 0 || e.end < e.start || e.end > text.length;
  for (const fix of fixes) {
    if (fix.edits.some((e) => overlaps(e) || outOfRange(e))) { skipped.push(fix); continue; }
    accepted.push(...fix.edits);
    applied.push(fix);
  }
  return { text: applyEdits(text, accepted), applied, skipped };
}

const appendKey = (a: FileAppend) => `${a.path}\u0000${a.append}`;

/** One pass: every safe fix of every finding, non-overlapping, in the file's line endings. */
function onePass(text: string, findings: readonly Fixable[], ruleFilter?: (ruleId: string) => boolean) {
  const candidates = findings
    .filter((f) => !ruleFilter || ruleFilter(f.ruleId))
    .flatMap((f) => f.fixes.filter((x) => x.kind === 'safe').map((fix) => ({ ruleId: f.ruleId, fix: fitLineEndings(fix, text) })));
  const result = applyFixes(text, candidates.map((c) => c.fix));
  const ruleOf = new Map(candidates.map((c) => [c.fix, c.ruleId]));
  return { text: result.text, applied: result.applied.map((fix) => ({ fix, ruleId: ruleOf.get(fix)! })), skipped: result.skipped.map((fix) => ({ fix, ruleId: ruleOf.get(fix)! })) };
}

export interface FixLoopOptions<F extends Fixable = Finding> {
  /** Re-analyses a fixed text (fixes that enable other fixes); without it, one pass. */
  reanalyse?: (text: string) => readonly F[];
  /** Passes at most (default 10). */
  maxPasses?: number;
  /** Only fixes of findings of these rules (the report's "Fix all" of one rule). */
  ruleFilter?: (ruleId: string) => boolean;
}

/**
 * Applies the safe fixes of `findings` (offsets into `text`) and, with `reanalyse`, repeats on
 * the result until nothing more applies. A fix skipped in one pass because it overlapped another
 * is reported skipped only when a later pass did not apply it either.
 */
export function applyFindingFixes<F extends Fixable>(text: string, findings: readonly F[], options: FixLoopOptions<F> = {}): FileFixResult<F> {
  const maxPasses = options.reanalyse ? options.maxPasses ?? 10 : 1;
  let current = text;
  let pending = findings;
  const applied: AppliedFix[] = [];
  let lastSkipped: SkippedFix[] = [];
  const appends = new Map<string, RequestedAppend>();
  for (let pass = 0; pass < maxPasses; pass++) {
    const result = onePass(current, pending, options.ruleFilter);
    lastSkipped = result.skipped.map(({ fix, ruleId }) => ({ ruleId, title: fix.title, reason: 'overlaps another fix' }));
    for (const { fix, ruleId } of result.applied) {
      const fresh = (fix.otherFiles ?? []).filter((a) => !appends.has(appendKey(a)));
      // an append-only fix found again after a pass is the same fix, not another one
      if (fix.edits.length === 0 && fresh.length === 0) continue;
      const entry: AppliedFix = fix.edits.length === 0 ? { ruleId, title: fix.title, appendOnly: true } : { ruleId, title: fix.title };
      for (const a of fresh) appends.set(appendKey(a), { ruleId, title: fix.title, append: a, from: entry });
      applied.push(entry);
    }
    const changed = result.text !== current;
    current = result.text;
    if (!changed || !options.reanalyse) break;
    pending = options.reanalyse(current);
  }
  return { text: current, applied, skipped: lastSkipped, appends: [...appends.values()], findings: pending };
}

export interface AppendResult {
  /** The file's new text, or undefined when no append changed it. */
  text: string | undefined;
  applied: RequestedAppend[];
  skipped: Array<RequestedAppend & { reason: FixSkipReason }>;
}

/**
 * Appends to one file (`current` undefined: the file does not exist and is created), in the
 * file's line endings, each append skipped when its guard line is already there — including a
 * line added by an earlier append of the same batch.
 */
export function applyAppends(current: string | undefined, appends: readonly RequestedAppend[]): AppendResult {
  let text = current ?? '';
  const applied: RequestedAppend[] = [];
  const skipped: AppendResult['skipped'] = [];
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  for (const request of appends) {
    const { append } = request;
    const lines = text.split(/\r?\n/);
    const guarded = (append.unlessLineStartsWith !== undefined && lines.some((l) => l.startsWith(append.unlessLineStartsWith!)))
      || (append.unlessLineEquals !== undefined && lines.some((l) => l.trim() === append.unlessLineEquals!.trim()));
    if (guarded) { skipped.push({ ...request, reason: 'already present' }); continue; }
    const sep = text.length > 0 && !text.endsWith('\n') ? eol : '';
    text += sep + append.append.replace(/\r?\n/g, eol);
    applied.push(request);
  }
  return { text: applied.length > 0 ? text : undefined, applied, skipped };
}
