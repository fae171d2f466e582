/**
 * The whole-run shortcut of `--cache` (issue 15, "the warm scan"): what a run shows is a function
 * of the walked files' texts, the configuration (the cache salt), the options that name and show
 * the paths, git's answers, and the few other files its rules read. When the walk finds every file
 * with the size and mtime of a run that recorded its result here (the stat stamps the per-file
 * cache trusts already: files modified within the settle time make no record) and those reads still
 * give the same answers, that result is shown again: no cache of 20 MB loaded, no project context,
 * key or model per file, no workspace rule. Only the texts the report shows are read.
 *
 * The record is `<cache file>.run`, `<hmac>\n<json>` authenticated with the cache's key and
 * schema-checked like the cache itself; what it stores went through the same masker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contentHash, settledStampOf, type CacheDeps } from '../cache/analysis-cache';
import { readTaggedFile, taggedBytes } from '../cache/cache-key';
import { isDeps, isFinding, isRole } from '../cache/cache-schema';
import { findingsForStorage, maskText } from '../engine/mask';
import type { Finding, RoleDecision } from '../engine/types';
import { LineIndex } from '../engine/line-index';
import { isModelReportFacts, type ModelReportFacts } from '../report/model-facts';
import type { FileStamp } from '../host/walk';

const FORMAT = 2;

/** A shown file of a run (the CLI's `FileResult`). */
export interface ShownFile { abs: string; file: string; path: string; analysed: boolean; text?: string; lines?: LineIndex; findings: Finding[]; role?: RoleDecision }

/** A skipped file of a run (the CLI's `RunResult['skipped']`). */
export interface SkippedFile { file: string; reason: string; role?: RoleDecision }

/**
 * How a run names a file: its absolute path from its model path, its shown path from that (the
 * digest covers the folders both depend on). A record stores a name only where it differs.
 */
export interface PathForms { absOf: (modelPath: string) => string; fileOf: (abs: string) => string }

/**
 * One shown file of the recorded run (its text is read again; `lines`: the run had a line index
 * for it): `abs` and `file` only where `PathForms` would not give them, the role as an index
 * into the record's `roles` (a few hundred distinct ones over thousands of files).
 */
interface RecordedFile { path: string; abs?: string; file?: string; analysed: boolean; findings?: Finding[]; role?: number; lines?: true }

/** A recorded run: the digest of its inputs, what it showed, and what its rules read beyond the walk (re-checked). */
export interface RunRecord {
  format: number;
  digest: string;
  files: RecordedFile[];
  roles: RoleDecision[];
  /** Skipped files after the walk's own (those the walk reports again). */
  skipped: SkippedFile[];
  /** Per analysed file, the reads and `.gitignore` answers its cached findings depended on. */
  deps: Array<{ abs: string; deps: CacheDeps }>;
  /** What the factor report read of the run's model: shown again without building the model (absent when the masker would change a string of it). */
  report?: ModelReportFacts;
}

/** Where the record of `cacheFile` is kept. */
export function runRecordFile(cacheFile: string): string {
  return `${cacheFile}.run`;
}

/**
 * The digest of a run's inputs, or undefined when a walked file was modified within the settle
 * time (its mtime may not move on a second edit in the same tick) or has no stamp. `salt` covers
 * the engine, configuration, rules and day; `shown` the options that name paths in the output.
 */
export function runDigest(salt: string, shown: readonly string[], walked: readonly string[], stats: ReadonlyMap<string, FileStamp>, started: number, trackedOf: (abs: string) => boolean | undefined): string | undefined {
  const parts: string[] = [String(FORMAT), salt, ...shown];
  for (const abs of walked) {
    const stat = stats.get(abs);
    if (!stat || !settledStampOf(stat, '', started)) return undefined;
    parts.push(`${abs}\u0001${stat.size}\u0001${stat.mtimeMs}\u0001${trackedOf(abs) ?? ''}`);
  }
  return contentHash(...parts);
}

/** The record of the run whose inputs hash to `digest`, if that is the run `cacheFile`'s record holds (authentic, well-formed). */
export function loadRunRecord(cacheFile: string, digest: string): RunRecord | undefined {
  // the digest leads the body: another run's record is set aside before it is authenticated or parsed
  const body = readTaggedFile(runRecordFile(cacheFile), 256 * 1024 * 1024, (text) => text.startsWith(`{"format":${FORMAT},"digest":"${digest}"`));
  if (body === undefined) return undefined;
  try {
    const data = JSON.parse(body) as RunRecord;
    return isRunRecord(data) && data.digest === digest ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records a finished run (atomically, mode 0600, never through a symlink or onto a non-file).
 * Returns false when it could not: the record is an optimisation, the run's result stands.
 */
export function saveRunRecord(cacheFile: string, digest: string, result: { files: readonly ShownFile[]; skipped: readonly SkippedFile[]; report: ModelReportFacts }, walkSkips: number, depsOf: (abs: string) => CacheDeps | undefined, forms: PathForms): boolean {
  const roles: RoleDecision[] = [];
  const roleIndex = new Map<string, number>();
  const roleOf = (role: RoleDecision) => {
    const masked = { role: role.role, reason: maskText(role.reason) };
    const key = `${masked.role}\u0000${masked.reason}`;
    let index = roleIndex.get(key);
    if (index === undefined) { roleIndex.set(key, (index = roles.length)); roles.push(masked); }
    return index;
  };
  const record: RunRecord = {
    format: FORMAT,
    digest,
    files: result.files.map((f) => {
      const abs = forms.absOf(f.path);
      return {
        path: f.path, ...(abs !== f.abs ? { abs: f.abs } : {}), ...(forms.fileOf(f.abs) !== f.file ? { file: f.file } : {}), analysed: f.analysed,
        ...(f.findings.length > 0 ? { findings: findingsForStorage(f.findings) } : {}), ...(f.role ? { role: roleOf(f.role) } : {}), ...(f.lines ? { lines: true as const } : {}),
      };
    }),
    roles,
    skipped: result.skipped.slice(walkSkips).map((s) => (s.role ? { ...s, role: { role: s.role.role, reason: maskText(s.role.reason) } } : s)),
    deps: result.files.flatMap((f) => { const deps = f.analysed ? depsOf(f.abs) : undefined; return deps && (deps.reads || deps.ignored) ? [{ abs: f.abs, deps: { ...(deps.reads ? { reads: deps.reads } : {}), ...(deps.ignored ? { ignored: deps.ignored } : {}) } }] : []; }),
    ...(unmasked(result.report) ? { report: result.report } : {}),
  };
  const file = runRecordFile(cacheFile);
  const body = JSON.stringify(record);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    try {
      if (!fs.lstatSync(file).isFile()) return false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    }
    fs.writeFileSync(tmp, taggedBytes(body), { flag: 'wx', mode: 0o600 });
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try { fs.unlinkSync(tmp); } catch { /* not created */ }
    return false;
  }
}

/** Whether no string of the report's model facts is one the masker would change (such a record would show it masked). */
function unmasked(report: ModelReportFacts): boolean {
  return report.evidence.every((e) => [e.title, e.detail, ...e.locations.map((l) => l.path)].every((t) => maskText(t) === t))
    && report.applicability.every((a) => maskText(a.reason) === a.reason);
}

/** Removes the record (a run that could not make one: a stale one must not outlive the cache it came with). */
export function forgetRunRecord(cacheFile: string): void {
  const file = runRecordFile(cacheFile);
  try { if (fs.lstatSync(file).isFile()) fs.unlinkSync(file); } catch { /* none */ } // never a link, FIFO or device of that name
}

/** The shown files of a recorded run, their texts read again where the report needs them (as the run that made it did). */
export function recordedFiles(record: RunRecord, readText: (abs: string) => string | undefined, forms: PathForms): ShownFile[] {
  return record.files.map((f) => {
    const abs = f.abs ?? forms.absOf(f.path);
    const findings = f.findings ?? [];
    const text = findings.length > 0 ? (readText(abs) ?? (f.lines ? '' : undefined)) : undefined;
    const role = f.role !== undefined ? record.roles[f.role] : undefined;
    return { abs, file: f.file ?? forms.fileOf(abs), path: f.path, analysed: f.analysed, findings, ...(role ? { role: { ...role } } : {}), ...(text !== undefined ? { text } : {}), ...(f.lines ? { lines: new LineIndex(text ?? '') } : {}) };
  });
}

const SKIP_REASONS = new Set(['gitignored', 'too-large', 'symlink-outside-root', 'unreadable', 'unsupported', 'ignored', 'binary', 'unparseable', 'vendored']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

function isRecordedFile(v: unknown, roles: number): boolean {
  return isObject(v) && isString(v.path) && (v.abs === undefined || (isString(v.abs) && path.isAbsolute(v.abs))) && (v.file === undefined || isString(v.file)) && typeof v.analysed === 'boolean'
    && (v.findings === undefined || (Array.isArray(v.findings) && v.findings.every(isFinding)))
    && (v.role === undefined || (Number.isInteger(v.role) && (v.role as number) >= 0 && (v.role as number) < roles)) && (v.lines === undefined || v.lines === true);
}

function isRunRecord(v: unknown): v is RunRecord {
  return isObject(v) && v.format === FORMAT && isString(v.digest)
    && Array.isArray(v.roles) && v.roles.every(isRole)
    && Array.isArray(v.files) && v.files.every((f) => isRecordedFile(f, (v.roles as unknown[]).length))
    && Array.isArray(v.skipped) && v.skipped.every((s) => isObject(s) && isString(s.file) && isString(s.reason) && SKIP_REASONS.has(s.reason) && (s.role === undefined || isRole(s.role)))
    && Array.isArray(v.deps) && v.deps.every((d) => isObject(d) && isString(d.abs) && isDeps(d.deps))
    && (v.report === undefined || isModelReportFacts(v.report));
}
