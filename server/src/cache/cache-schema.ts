/**
 * The shape a persisted cache must have before any of it is used: a cache written by another
 * version, truncated, or hand-edited is discarded whole rather than half-trusted (a finding with
 * a missing range must not crash the run; a "fix" must be plain edits).
 */
const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);
const FIX_KINDS = new Set(['safe', 'unsafe', 'suggestion']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optional = (v: unknown, check: (x: unknown) => boolean) => v === undefined || check(v);
const arrayOf = (v: unknown, check: (x: unknown) => boolean) => Array.isArray(v) && v.every(check);
const recordOf = (v: unknown, check: (x: unknown) => boolean) => isObject(v) && Object.values(v).every(check);

const isPosition = (v: unknown) => isObject(v) && isCount(v.line) && isCount(v.character);
const isRange = (v: unknown) => isObject(v) && isPosition(v.start) && isPosition(v.end);
const isEdit = (v: unknown) => isObject(v) && isCount(v.start) && isCount(v.end) && (v.end as number) >= (v.start as number) && isString(v.newText);
const isAppend = (v: unknown) => isObject(v) && isString(v.path) && isString(v.append) && optional(v.unlessLineStartsWith, isString) && optional(v.unlessLineEquals, isString);
const isFix = (v: unknown) => isObject(v) && isString(v.title) && FIX_KINDS.has(v.kind as string) && arrayOf(v.edits, isEdit) && optional(v.otherFiles, (o) => arrayOf(o, isAppend)) && optional(v.withheld, (w) => w === true);
const isRelated = (v: unknown) => isObject(v) && isString(v.path) && isRange(v.range) && isString(v.message);

export function isFinding(v: unknown): boolean {
  return isObject(v) && isString(v.ruleId) && isString(v.factor) && SEVERITIES.has(v.severity as string) && isString(v.message)
    && isCount(v.start) && isCount(v.end) && isRange(v.range) && arrayOf(v.fixes, isFix) && optional(v.related, (r) => arrayOf(r, isRelated));
}

export const isDeps = (v: unknown) => isObject(v)
  && optional(v.reads, (r) => recordOf(r, (x) => x === null || isString(x)))
  && optional(v.ignored, (r) => recordOf(r, (x) => typeof x === 'boolean'))
  && optional(v.shutdown, isString);
const isStamp = (v: unknown) => isObject(v) && isCount(v.size) && isNumber(v.mtimeMs) && isString(v.textHash);

const SKIPPED = new Set(['unsupported', 'ignored', 'too-large', 'binary', 'unparseable', 'vendored']);
export const isRole = (v: unknown) => isObject(v) && isString(v.role) && isString(v.reason);

export function isCacheEntry(v: unknown): boolean {
  return isObject(v) && isString(v.hash) && arrayOf(v.findings, isFinding) && optional(v.deps, isDeps) && optional(v.model, isObject) && optional(v.stat, isStamp)
    && optional(v.uncounted, (u) => u === true) && optional(v.skipped, (s) => SKIPPED.has(s as string)) && optional(v.role, isRole);
}

/** A role pre-pass record: the stamp of the text and the facts computed from it. */
export function isPrepassEntry(v: unknown): boolean {
  return isObject(v) && isStamp(v.stat) && isObject(v.facts);
}

/** Roles kept for one set of role evidence: a table of decisions and each file's index into it. */
export function isRolesEntry(v: unknown): boolean {
  if (!isObject(v) || !isString(v.digest) || !arrayOf(v.table, isRole) || !Array.isArray(v.files)) return false;
  const size = (v.table as unknown[]).length;
  return v.files.every((f) => Array.isArray(f) && f.length === 2 && isString(f[0]) && isCount(f[1]) && (f[1] as number) < size);
}
