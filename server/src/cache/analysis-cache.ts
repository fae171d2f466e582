/**
 * The one cache of per-file results (findings, model facts, what they depended on), used by
 * every front door: the CLI's warm re-scans (`host/parallel-analyze.ts`, persisted with
 * `--cache`), the language server's model-facts cache (`facts-cache.ts`, persisted per
 * workspace folder) and its per-file workspace results (`features/workspace-analysis.ts`, in
 * memory). One key scheme: an entry is found by the file's path and is valid while its key —
 * `contentHash` of the file's content and everything else the result depended on — is the same,
 * so any change invalidates exactly the affected files.
 *
 * Persisted, it is one JSON file authenticated with an HMAC whose key is in the user's cache
 * folder (`cache-key.ts`) and checked against a schema (`cache-schema.ts`): a truncated,
 * corrupted or tampered cache is discarded whole (never trusted, never a crash), and what is
 * written goes through the one secret masker. In memory (no file), nothing leaves the process:
 * results are kept as the rules made them.
 */
import { findingsForStorage, maskDeep, maskText } from '../engine/mask';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, RoleDecision } from '../engine/types';
import { readTaggedFile, taggedBytes } from './cache-key';
import { isCacheEntry, isPrepassEntry, isRolesEntry } from './cache-schema';
import { roleEvidence, type RoleMemo } from '../workspace/role-memo';
import type { RoleInputs } from '../workspace/roles';

const FORMAT = 6;

/** The key scheme of every result cache: SHA-1 of the parts, each ended by a NUL. */
export function contentHash(...parts: string[]): string {
  const h = createHash('sha1');
  for (const p of parts) { h.update(p); h.update('\u0000'); }
  return h.digest('hex');
}

/**
 * What else a file's findings depended on, besides its content and its project facts: workspace
 * files a rule read (path → content hash, `null` when missing) and `.gitignore` verdicts it asked
 * for (path → ignored). A warm hit re-checks them, so editing `.env.example` or `.gitignore`
 * re-analyses exactly the files whose findings could change.
 */
export interface CacheDeps {
  reads?: Record<string, string | null>;
  ignored?: Record<string, boolean>;
  /** The package's graceful-shutdown facts as read (JSON), when a rule read them. */
  shutdown?: string;
}

/**
 * A file's size and modification time when its content hashed to `textHash`: a warm scan that
 * finds the same size and mtime trusts the hash without reading the file (as ESLint's default
 * cache strategy and git's index do). Recorded only for files last modified well before the
 * scan started, so an edit racing the scan is never masked by an unchanged timestamp.
 */
export interface StatStamp { size: number; mtimeMs: number; textHash: string }

/** Files modified this close to a scan's start get no stamp: they may change again unnoticed. */
const SETTLE_MS = 2000;

/**
 * The stamp to record for `abs`, whose content just hashed to `textHash`: its current size and
 * mtime, or undefined when it was modified within `SETTLE_MS` of `scanStarted` or after (the
 * text read may not be what is on disk now, and a later edit in the same tick would go unseen).
 */
export function settledStamp(abs: string, textHash: string, scanStarted: number): StatStamp | undefined {
  try {
    return settledStampOf(fs.statSync(abs), textHash, scanStarted);
  } catch {
    return undefined;
  }
}

/** The stamp of a stat already taken (e.g. the walk's), under the same settle rule as `settledStamp`. */
export function settledStampOf(stat: { size: number; mtimeMs: number }, textHash: string, scanStarted: number): StatStamp | undefined {
  return stat.mtimeMs < scanStarted - SETTLE_MS ? { size: stat.size, mtimeMs: stat.mtimeMs, textHash } : undefined;
}

/**
 * `model`: the file's project-model facts (plain data), when the scan builds a model;
 * `uncounted`: the file was looked at but is not one of the "files analysed" (`engine/run.ts`
 * `countsAsAnalysed`); `skipped`: why the engine did not run the rules (vendored, binary…), so
 * a warm scan skips it again without re-analysing; `role`: the role the file was analysed as
 * (its key covers everything the role depends on), so a hit needs no text to classify it.
 */
interface CacheEntry { hash: string; findings: Finding[]; deps?: CacheDeps; model?: unknown; stat?: StatStamp; uncounted?: true; skipped?: string; role?: RoleDecision }

/** What a hit gives back besides the findings. */
export interface CachedResult { findings: Finding[]; counted: boolean; skipped?: string; role?: RoleDecision }

/**
 * The role pre-pass's facts of one file (`factsOf(path, text, { light: true })`: a function of
 * the path and the text only) with the stamp of the text they came from: a warm run whose walk
 * finds the same size and mtime takes the facts without reading the file.
 */
interface PrepassEntry { stat: StatStamp; facts: unknown }

/**
 * Roles decided for one set of role evidence (`workspace/role-memo.ts`): the decisions as a
 * table of the distinct ones and each file's index into it, in the order they were decided.
 */
interface RolesEntry { digest: string; table: RoleDecision[]; files: Array<[string, number]> }

interface CacheFile { format: number; salt: string; entries: Record<string, CacheEntry>; prepass?: Record<string, PrepassEntry>; roles?: RolesEntry[] }

/**
 * Whether `file` may be a cache of this salt, by a look at its first bytes only (not
 * authenticated: for planning, e.g. whether workers are worth starting ahead; a cache of another
 * salt — another build, configuration or day — is loaded as empty anyway).
 */
export function cacheFileMayMatch(file: string, salt: string): boolean {
  const head = `{"format":${FORMAT},"salt":${JSON.stringify(salt)}`;
  let fd: number;
  try { fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0)); } catch { return false; }
  try {
    if (!fs.fstatSync(fd).isFile()) return false;
    const buffer = Buffer.alloc(128 + head.length); // the tag line is 65 bytes
    const text = buffer.toString('utf8', 0, fs.readSync(fd, buffer, 0, buffer.length, 0));
    const newline = text.indexOf('\n');
    return newline >= 0 && text.startsWith(head, newline + 1);
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

export class AnalysisCache implements RoleMemo {
  private entries = new Map<string, CacheEntry>();
  private prepass = new Map<string, PrepassEntry>();
  /** Decided roles by the digest of their evidence; `used`: asked for or kept by this run (the others are dropped when it saves). */
  private roles = new Map<string, { entry: RolesEntry; decided?: ReadonlyMap<string, RoleDecision>; used: boolean }>();
  private dirty = false;
  hits = 0;
  misses = 0;

  /** Entries loaded or set (0 for a cold scan: callers may skip lookups). */
  get size(): number { return this.entries.size; }

  /**
   * `file`: where the cache is persisted (none: memory only). `salt` identifies the engine
   * version + configuration; a different salt empties the cache.
   */
  constructor(private readonly file: string | undefined, private readonly salt: string) {
    if (file) this.load(file);
  }

  /**
   * The file is `<hmac>\n<json>`: the tag covers the JSON text exactly as written, so checking
   * it needs no re-serialisation, and any truncation, corruption or edit fails it. Then every
   * entry must have the schema's shape; otherwise nothing of the file is used.
   */
  private load(file: string): void {
    // at most 512 MB; not written by this user's factorlint (or not a regular file): start over
    const body = readTaggedFile(file, 512 * 1024 * 1024);
    if (body === undefined) return;
    try {
      const data = JSON.parse(body) as CacheFile;
      if (typeof data !== 'object' || data === null || data.format !== FORMAT || data.salt !== this.salt || typeof data.entries !== 'object' || data.entries === null || Array.isArray(data.entries)) return;
      const entries = Object.entries(data.entries);
      if (!entries.every(([, value]) => isCacheEntry(value))) return;
      const prepass = data.prepass === undefined ? [] : typeof data.prepass === 'object' && data.prepass !== null && !Array.isArray(data.prepass) ? Object.entries(data.prepass) : undefined;
      if (!prepass || !prepass.every(([, value]) => isPrepassEntry(value))) return;
      const roles = data.roles ?? [];
      if (!Array.isArray(roles) || !roles.every(isRolesEntry)) return;
      for (const [key, value] of entries) this.entries.set(key, value);
      for (const [key, value] of prepass) this.prepass.set(key, value as PrepassEntry);
      for (const entry of roles) this.roles.set(entry.digest, { entry, used: false });
    } catch {
      // unreadable cache: ignore it, it will be rewritten
    }
  }

  get(filePath: string, text: string): Finding[] | undefined {
    return this.getHashed(filePath, contentHash(text));
  }

  /**
   * Like `get`, for a key hashed by the caller (content + project facts); `depsValid` re-checks
   * the entry's recorded dependencies (a miss when it returns false).
   */
  getHashed(filePath: string, hash: string, depsValid?: (deps: CacheDeps) => boolean): Finding[] | undefined {
    return this.getResult(filePath, hash, depsValid)?.findings;
  }

  /** Like `getHashed`, with whether the file counts as analysed, why it was skipped and its role. */
  getResult(filePath: string, hash: string, depsValid?: (deps: CacheDeps) => boolean): CachedResult | undefined {
    const entry = this.entries.get(filePath);
    if (entry && entry.hash === hash && (!entry.deps || !depsValid || depsValid(entry.deps))) {
      this.hits++;
      return { findings: entry.findings, counted: !entry.uncounted, ...(entry.skipped !== undefined ? { skipped: entry.skipped } : {}), ...(entry.role ? { role: entry.role } : {}) };
    }
    this.misses++;
    return undefined;
  }

  set(filePath: string, text: string, findings: Finding[]): void {
    this.setHashed(filePath, contentHash(text), findings);
  }

  setHashed(filePath: string, hash: string, findings: Finding[], deps?: CacheDeps, model?: unknown, stat?: StatStamp, counted = true, outcome?: { skipped?: string; role?: RoleDecision }): void {
    // what is written to disk goes through the one masker: no secret inside fix text or CMD facts
    const persisted = this.file !== undefined;
    const entry: CacheEntry = { hash, findings: persisted ? findingsForStorage(findings) : findings };
    if (deps && (deps.reads || deps.ignored || deps.shutdown !== undefined)) entry.deps = deps;
    if (model !== undefined) entry.model = persisted ? maskDeep(model) : model;
    if (stat) entry.stat = stat;
    if (!counted) entry.uncounted = true;
    if (outcome?.skipped !== undefined) entry.skipped = outcome.skipped;
    if (outcome?.role) entry.role = { role: outcome.role.role, reason: persisted ? maskText(outcome.role.reason) : outcome.role.reason };
    this.entries.set(filePath, entry);
    this.dirty = true;
  }

  /** Forgets one file's entry (closed or deleted). */
  forget(filePath: string): void {
    if (this.entries.delete(filePath)) this.dirty = true;
  }

  /** The content hash recorded for this size and mtime, if the file's entry has a matching stamp. */
  textHashForStat(filePath: string, size: number, mtimeMs: number): string | undefined {
    const stamp = this.entries.get(filePath)?.stat;
    return stamp && stamp.size === size && stamp.mtimeMs === mtimeMs ? stamp.textHash : undefined;
  }

  /** Records a fresh stat stamp on an existing entry (its content was read and hashed the same). */
  setStat(filePath: string, stat: StatStamp): void {
    const entry = this.entries.get(filePath);
    if (!entry) return;
    entry.stat = stat;
    this.dirty = true;
  }

  /** The project-model facts stored with a file's entry (undefined when none were stored). */
  peekModel(filePath: string): unknown {
    return this.entries.get(filePath)?.model;
  }

  /** The dependencies recorded with a file's entry (reads, `.gitignore` answers, shutdown facts). */
  peekDeps(filePath: string): CacheDeps | undefined {
    return this.entries.get(filePath)?.deps;
  }

  /** The stored key hash of a file, without counting a hit or a miss. */
  peekHash(filePath: string): string | undefined {
    return this.entries.get(filePath)?.hash;
  }

  /** Paths with an entry. */
  paths(): IterableIterator<string> {
    return this.entries.keys();
  }

  /**
   * The pre-pass facts recorded for a file whose walk found this size and mtime, with the hash
   * of the text they came from (undefined: read the file and compute them).
   */
  prepassFacts(filePath: string, size: number, mtimeMs: number): { facts: unknown; textHash: string } | undefined {
    const entry = this.prepass.get(filePath);
    return entry && entry.stat.size === size && entry.stat.mtimeMs === mtimeMs ? { facts: entry.facts, textHash: entry.stat.textHash } : undefined;
  }

  /** Records a file's pre-pass facts with the stamp of the text they came from (masked when persisted, like the model facts). */
  setPrepassFacts(filePath: string, stat: StatStamp, facts: unknown): void {
    this.prepass.set(filePath, { stat, facts: this.file !== undefined ? maskDeep(facts) : facts });
    this.dirty = true;
  }

  /** Forgets a file's pre-pass record (its text changed too recently to be stamped). */
  forgetPrepassFacts(filePath: string): void {
    if (this.prepass.delete(filePath)) this.dirty = true;
  }

  /** Drops pre-pass records of files the walk no longer yields. */
  retainPrepass(paths: ReadonlySet<string>): void {
    for (const key of this.prepass.keys()) if (!paths.has(key)) { this.prepass.delete(key); this.dirty = true; }
  }

  /** Drops entries of files that no longer exist in the scan. */
  retainOnly(paths: ReadonlySet<string>): void {
    for (const key of this.entries.keys()) if (!paths.has(key)) { this.entries.delete(key); this.dirty = true; }
  }

  /**
   * The roles of this evidence (`RoleMemo`): those kept for evidence of the same digest, else
   * `decide(inputs)`, kept. Persisted only when the masker leaves every reason as it is: a kept
   * decision is shown as it was decided, or not kept.
   */
  rolesOf(inputs: RoleInputs, decide: (inputs: RoleInputs) => ReadonlyMap<string, RoleDecision>): ReadonlyMap<string, RoleDecision> {
    const digest = contentHash(roleEvidence(inputs));
    const kept = this.roles.get(digest);
    if (kept) {
      kept.used = true;
      return (kept.decided ??= new Map(kept.entry.files.map(([file, index]) => [file, { ...kept.entry.table[index] }])));
    }
    const roles = decide(inputs);
    const table: RoleDecision[] = [];
    const index = new Map<string, number>();
    const files: Array<[string, number]> = [];
    for (const [file, decision] of roles) {
      if (this.file !== undefined && maskText(decision.reason) !== decision.reason) return roles;
      const key = `${decision.role}\u0000${decision.reason}`;
      let i = index.get(key);
      if (i === undefined) { index.set(key, (i = table.length)); table.push({ role: decision.role, reason: decision.reason }); }
      files.push([file, i]);
    }
    this.roles.set(digest, { entry: { digest, table, files }, used: true });
    this.dirty = true;
    return roles;
  }

  /**
   * Writes atomically (temp file + rename) so a failed or interrupted write leaves the old cache
   * intact and no temp file; refuses to replace anything but a regular file (`/dev/null`) or to
   * write through a symlink. Throws with a one-line reason when the write failed.
   */
  save(): void {
    if (!this.file || !this.dirty) return;
    const entries = Object.fromEntries([...this.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const prepass = Object.fromEntries([...this.prepass.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    // the role decisions this run used (at most the pre-pass's and the final model's evidence)
    const roles = [...this.roles.values()].filter((r) => r.used).map((r) => r.entry);
    const data: CacheFile = { format: FORMAT, salt: this.salt, entries, ...(this.prepass.size > 0 ? { prepass } : {}), ...(roles.length > 0 ? { roles } : {}) };
    const body = JSON.stringify(data);
    try {
      const existing = fs.lstatSync(this.file);
      if (!existing.isFile()) throw new Error(`${this.file} is not a regular file`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, taggedBytes(body), { flag: 'wx', mode: 0o600 });
      fs.renameSync(tmp, this.file);
    } catch (error) {
      try { fs.unlinkSync(tmp); } catch { /* not created */ }
      throw new Error(`cannot write the cache ${this.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    this.dirty = false;
  }
}

