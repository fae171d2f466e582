/**
 * Workspace scan on all cores: analyses a list of files on a pool of worker threads, with the
 * persisted content-hash cache. Output order is the input order, whatever order workers finish
 * in, so reports are deterministic. Workers return plain data (findings), never trees: memory
 * stays bounded by one AST per worker.
 *
 * Warm path: the main thread reads and hashes each file (content + project facts) and asks the
 * cache first; only misses are sent to workers, and when nothing missed no worker is started.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AnalysisCache, cacheFileMayMatch, contentHash, settledStamp } from '../cache/analysis-cache';
import { buildId } from '../cache/build-id';
import type { ResolvedConfig } from '../engine/config';
import type { ProjectContext } from '../engine/project-context';
import { RULES } from '../rules/registry';
import type { Finding } from '../engine/types';
import type { FileFacts } from '../workspace/project-model';
import type { ProjectFacts } from './project-facts';
import type { FileStamp } from './walk';
import { readRegularText } from './safe-fs';
import type { ModelContext } from '../workspace/project-context-for';
import type { WorkerBatch, WorkerReply } from './scan-worker';
import type { PrepassJob, PrepassResult } from './prepass-job';
import { createFacts, depsStillValid, fileContext, runScanJob, scanKey, type ScanJob, type ScanJobResult, type ScanSetup } from './scan-job';

export interface ScanOptions {
  /** Absolute paths, in the order results are wanted (e.g. `walkFiles` output). */
  files: readonly string[];
  /** Root for `.gitignore`, git and workspace facts. */
  factsRoot: string;
  config: ResolvedConfig;
  /** Folder the config file's globs are relative to. */
  configRoot?: string;
  /** Per-folder configs (nested `.factorlintrc.json`), for the folders whose config differs. */
  configsByDir?: ScanSetup['configsByDir'];
  useGit?: boolean;
  today?: string;
  /** Worker threads; default `os.cpus().length`. 1 (or a small scan) runs in this thread. */
  jobs?: number;
  /** Persisted cache file; no cache when undefined. See `defaultCacheFile`. */
  cacheFile?: string;
  /** Files to analyse per worker started (default 64; tests lower it to force workers). */
  minFilesPerWorker?: number;
  /** Characters of pre-pass trees each thread keeps for their analyses (`KEPT_PARSES_TEXT_BUDGET` when unset; tests lower it). */
  keptParsesBudget?: number;
  /** Also return each file's project-model facts, paths relative to this folder. */
  modelRoot?: string;
  /** Rule errors name files relative to this folder. */
  cwd?: string;
  /** Size and mtime of the files, when the walk already read them (`walkFiles`' `stats`). */
  stats?: ReadonlyMap<string, FileStamp>;
  /** The project model's context and role of a file (`modelContextFor`): the one source of project facts. */
  modelContextOf?: (abs: string) => ModelContext | undefined;
  /**
   * What the caller already knows of a file — its text (read once, for the role pre-pass), a
   * parse of that text, its classification inputs, git's answer — so neither this thread nor a
   * worker reads, parses or asks again. Files with a `parsed` are analysed on this thread.
   */
  prepared?: (abs: string) => Omit<ScanJob, 'index' | 'abs' | 'model'> | undefined;
  /**
   * Workers started ahead (`startScanPool` with the same options): used when their setup is
   * this scan's, else closed. The scan closes it either way.
   */
  pool?: ScanPool;
  /**
   * The cache of `cacheFile`, opened by the caller ahead (`openScanCache` with the same
   * options) to serve its role pre-pass too; the scan uses it instead of opening the file again.
   */
  cache?: AnalysisCache;
  /** The content hash of a file's text when the caller already knows it (its pre-pass read or stamp): no read to hash it. */
  textHashOf?: (abs: string) => string | undefined;
  /**
   * The text of a file to analyse that `prepared` has none for, read by the caller (who keeps it
   * for its report: the file is not read twice); undefined: the analysis reads it.
   */
  textOf?: (abs: string) => string | undefined;
  /** Git's answer for a file when the caller has it: a cache lookup needs only that of `prepared` (which may cost more). */
  isTrackedOf?: (abs: string) => boolean | undefined;
}

/** What `startScanPool` needs: the scan's options without its per-file inputs, and how many files it will analyse at most. */
export type ScanPoolOptions = Omit<ScanOptions, 'files' | 'stats' | 'modelContextOf' | 'prepared' | 'pool' | 'cache' | 'textHashOf' | 'textOf' | 'isTrackedOf'> & { fileCount: number };

export interface ScanFileResult {
  abs: string;
  findings: Finding[];
  skipped?: ScanJobResult['skipped'];
  /** Served from the cache. */
  cached: boolean;
  /** The file's project-model facts (with `modelRoot`). */
  modelFacts?: FileFacts;
  /** The role the file was analysed as (cache hits: as recorded with the entry). */
  role?: ScanJobResult['role'];
}

export interface ScanResult {
  files: ScanFileResult[];
  ruleErrors: string[];
  /** `statHits`: files whose content hash came from an unchanged size + mtime, without reading them. */
  /** `runRecord`: the CLI showed a recorded run's result (`cli/run-snapshot.ts`): no lookup was made. */
  /**
   * `workerCpuMs[i]`: worker i's CPU time (where Node or /proc can tell); `workerTsParses`: the
   * full TS/JS parses the workers made (this thread's are `tsParseCount`).
   */
  stats: { files: number; cacheHits: number; statHits: number; analysed: number; workers: number; durationMs: number; workerCpuMs?: number[]; workerTsParses?: number; runRecord?: boolean };
  /** Why the cache file could not be written (the results are complete; the old cache is intact). */
  cacheWriteError?: string;
}

/** Below this many files to analyse, starting workers costs more than it saves. */
const MIN_FILES_PER_WORKER = 64;
/** Files per message at most: large enough to amortise messaging. */
const BATCH = 32;
/** Messages per worker the work is cut into at least (by bytes): the last ones are small, so workers finish together. */
const BATCHES_PER_WORKER = 16;

/** `<root>/node_modules/.cache/factorlint/analysis-cache.json`: the CLI's default `--cache-location`. */
export function defaultCacheFile(root: string): string {
  return path.join(root, 'node_modules', '.cache', 'factorlint', 'analysis-cache.json');
}

/**
 * The cache salt: engine version + build, configuration, rule ids and the day (suppressions
 * expire by date). Any change empties the cache.
 */
export function cacheSalt(config: ResolvedConfig, configRoot: string | undefined, today: string, modelRoot?: string, configsByDir?: ScanSetup['configsByDir']): string {
  // the model root is part of it: stored model facts name paths relative to it
  return contentHash(buildId(), JSON.stringify(config), configRoot ?? '', configsByDir ? JSON.stringify(configsByDir) : '', RULES.map((r) => `${r.meta.id}:${r.meta.severity}`).join(','), today, modelRoot ?? '');
}

/** The worker environment of a scan: what `scanFiles` and a pool started ahead must agree on. */
function scanSetup(options: Omit<ScanPoolOptions, 'fileCount'>): ScanSetup {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  return { factsRoot: options.factsRoot, config: options.config, configRoot: options.configRoot, configsByDir: options.configsByDir, useGit: options.useGit ?? false, today, withCache: !!options.cacheFile, modelRoot: options.modelRoot, cwd: options.cwd, keptParsesBudget: options.keptParsesBudget };
}

/** Workers worth starting for `files` misses: none below `minFilesPerWorker` files each. */
function workersFor(files: number, options: Pick<ScanOptions, 'jobs' | 'minFilesPerWorker'>): number {
  const cpuCount = Math.max(1, os.cpus().length);
  return Math.max(1, Math.min(options.jobs ?? cpuCount, Math.ceil(files / (options.minFilesPerWorker ?? MIN_FILES_PER_WORKER))));
}

function workerScript(): string | undefined {
  for (const name of ['scan-worker.js']) {
    const candidate = path.join(__dirname, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function scanFiles(options: ScanOptions): Promise<ScanResult> {
  try {
    return await scan(options);
  } finally {
    options.pool?.close(); // idle workers would keep the process alive
  }
}

/** The salt of the scan's cache (`cacheSalt` of its options). */
function saltOf(options: Omit<ScanPoolOptions, 'fileCount'>): string {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  return cacheSalt(options.config, options.configRoot, today, options.modelRoot, options.configsByDir);
}

/** The scan's cache (`cacheFile`), opened ahead by a caller that also serves its role pre-pass from it; undefined without a cache file. */
export function openScanCache(options: Omit<ScanPoolOptions, 'fileCount'>): AnalysisCache | undefined {
  if (!options.cacheFile) return undefined;
  return new AnalysisCache(options.cacheFile, saltOf(options));
}

async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const setup = scanSetup(options);
  const cache = options.cacheFile ? options.cache ?? openScanCache(options) : undefined;
  const results: Array<ScanFileResult | undefined> = new Array(options.files.length);
  const ruleErrors = new Map<number, string[]>();
  let facts: ProjectFacts | undefined;
  const mainFacts = () => (facts ??= createFacts(setup));
  let statHits = 0;
  // 1. cache lookups (main thread: reading and hashing is cheap next to parsing)
  const todo: ScanJob[] = [];
  const modelOf = (abs: string) => options.modelContextOf?.(abs);
  const job = (index: number, abs: string, model: ModelContext | undefined): ScanJob => {
    const prepared = options.prepared?.(abs);
    const text = prepared?.text ?? (prepared?.parsed ? undefined : options.textOf?.(abs));
    return { index, abs, model, ...prepared, ...(text !== undefined ? { text } : {}) };
  };
  const lookups = cache && cache.size > 0; // a cold (empty) cache: every file misses, skip reading twice
  if (cache && lookups) {
    const keyed = options.files.map((abs) => {
      // the stat fast path: same size and mtime as when the content was hashed → same hash
      let textHash: string | undefined;
      let fromStat = false;
      try {
        const stat = options.stats?.get(abs) ?? fs.statSync(abs);
        textHash = cache.textHashForStat(abs, stat.size, stat.mtimeMs);
        fromStat = textHash !== undefined;
        textHash ??= options.textHashOf?.(abs) ?? contentHash(options.prepared?.(abs)?.text ?? readRegularText(abs, options.config.maxFileSize));
      } catch { return undefined; }
      if (fromStat) statHits++;
      const model = modelOf(abs);
      const isTracked = options.isTrackedOf ? options.isTrackedOf(abs) : options.prepared?.(abs)?.isTracked;
      // the key from the model's part and git's answer (what `fileContext` would put in); the whole
      // context (the host's I/O) only for a hit whose recorded dependencies are checked
      let context: ProjectContext | undefined;
      const contextOf = () => (context ??= fileContext(mainFacts(), abs, model, isTracked));
      // the model's shutdown facts and the role are part of the key: no per-package rescan to validate them
      return { contextOf, model, key: scanKey(textHash, model?.context ?? {}, model?.role, isTracked ?? mainFacts().isTracked(abs)), textHash, fromStat };
    });
    options.files.forEach((abs, index) => {
      const k = keyed[index];
      if (k) {
        const model = options.modelRoot !== undefined ? (cache.peekModel(abs) as FileFacts | undefined) : undefined;
        const usable = options.modelRoot === undefined || model !== undefined; // a model scan needs the facts too
        const hit = usable ? cache.getResult(abs, k.key, (deps) => depsStillValid({ ...deps, shutdown: undefined }, k.contextOf(), k.contextOf)) : undefined;
        if (hit) {
          const skipped = hit.skipped as ScanFileResult['skipped'];
          results[index] = { abs, findings: hit.findings, cached: true, ...(skipped ? { skipped } : {}), ...(model ? { modelFacts: model } : {}), ...(hit.role ? { role: hit.role } : {}) };
          if (!k.fromStat) { const stamp = settledStamp(abs, k.textHash, started); if (stamp) cache.setStat(abs, stamp); } // read this time: stamp it for the next
          return;
        }
      }
      todo.push(job(index, abs, k?.model ?? modelOf(abs)));
    });
  } else {
    options.files.forEach((abs, index) => todo.push(job(index, abs, modelOf(abs))));
  }

  const accept = (r: ScanJobResult) => {
    const abs = options.files[r.index];
    results[r.index] = { abs, findings: r.findings, skipped: r.skipped, cached: false, ...(r.modelFacts ? { modelFacts: r.modelFacts } : {}), ...(r.role ? { role: r.role } : {}) };
    if (r.ruleErrors) ruleErrors.set(r.index, r.ruleErrors);
    // skipped files too (vendored, binary…): their outcome is as much a function of the key as findings are
    if (cache && r.hash && r.skipped !== 'unreadable') cache.setHashed(abs, r.hash, r.findings, r.deps, r.modelFacts, r.textHash ? settledStamp(abs, r.textHash, started) : undefined, true, { skipped: r.skipped, role: r.role });
  };

  // 2. misses: on workers when there are enough of them, else here
  const wanted = workersFor(todo.length, options);
  const ahead = options.pool instanceof WorkerPool && options.pool.setupKey === JSON.stringify(setup) ? options.pool : undefined;
  const script = wanted > 1 && !ahead ? workerScript() : undefined;
  const workerCpuMs: number[] = [];
  const workerTsParses: number[] = [];
  // a job is dropped once run: its text and parse are not held any longer than needed
  const runHere = (jobs: ScanJob[]) => { for (let i = 0; i < jobs.length; i++) { accept(runScanJob(setup, mainFacts(), jobs[i])); jobs[i] = undefined as unknown as ScanJob; } };
  const pool = wanted > 1 && todo.length > 0 ? ahead ?? (script ? new WorkerPool(script, setup, wanted) : undefined) : undefined;
  const workers = pool?.size ?? 0;
  if (pool) {
    // trees cannot cross threads: files with a parse to reuse stay here, analysed between the
    // workers' messages so that feeding them never waits for this thread
    const here = todo.filter((j) => j.parsed !== undefined);
    try {
      await Promise.all([pool.run(todo.filter((j) => j.parsed === undefined), accept, workerCpuMs, workerTsParses), runSliced(here, (job) => accept(runScanJob(setup, mainFacts(), job)))]);
    } finally {
      pool.close();
    }
  } else {
    runHere(todo);
  }

  let cacheWriteError: string | undefined;
  if (cache) {
    cache.retainOnly(new Set(options.files));
    // the findings stand; the caller tells the user the cache was not written
    try { cache.save(); } catch (error) { cacheWriteError = (error as Error).message; }
  }
  const files = results.map((r, i) => r ?? { abs: options.files[i], findings: [], skipped: 'unreadable' as const, cached: false });
  return {
    files,
    ruleErrors: [...ruleErrors.entries()].sort(([a], [b]) => a - b).flatMap(([, errors]) => errors),
    stats: { files: files.length, cacheHits: cache?.hits ?? 0, statHits, analysed: todo.length, workers, durationMs: Date.now() - started, ...(workerCpuMs.length > 0 ? { workerCpuMs } : {}), ...(workers > 0 ? { workerTsParses: workerTsParses.reduce((sum, n) => sum + (n ?? 0), 0) } : {}) },
    ...(cacheWriteError ? { cacheWriteError } : {}),
  };
}

/** Runs `jobs` on this thread, yielding to the event loop every few milliseconds (the pool's messages wait otherwise). */
async function runSliced(jobs: ScanJob[], run: (job: ScanJob) => void): Promise<void> {
  let sliceStart = Date.now();
  for (let i = 0; i < jobs.length; i++) {
    run(jobs[i]);
    jobs[i] = undefined as unknown as ScanJob; // its text and parse are not held any longer
    if (Date.now() - sliceStart >= SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
  }
}

/** This thread's longest stretch of analysis between two looks at the workers' messages. */
const SLICE_MS = 10;

/**
 * Starts the scan's workers before its jobs are known, so that their start-up (the engine, the
 * rules, the compiler) overlaps what the caller still does on this thread — for the CLI, the
 * role pre-pass. Returns undefined when the scan would not use workers (`jobs` 1, few files) or
 * may not need them: with a cache file the scan may hit for every file, and a warm scan starts
 * no worker. Hand the pool to `scanFiles` (`pool`) with the same options; close it if the scan
 * does not happen.
 */
export function startScanPool(options: ScanPoolOptions): ScanPool | undefined {
  // a cache of another salt (another build, configuration or day: the first run of each day) will
  // be loaded empty: the run is a cold one, whose pre-pass the workers should run
  if (options.cacheFile && cacheFileMayMatch(options.cacheFile, saltOf(options))) return undefined;
  const count = workersFor(options.fileCount, options);
  const script = count > 1 ? workerScript() : undefined;
  return script ? new WorkerPool(script, scanSetup(options), count) : undefined;
}

/** Workers started ahead of a scan (`startScanPool`). */
export interface ScanPool {
  readonly size: number;
  /** Runs the CLI's role pre-pass on the workers (see `WorkerPool.prepass`). */
  prepass(jobs: PrepassJob[], sizeOf: (abs: string) => number, accept: (r: PrepassResult) => void, hash?: boolean): Promise<void>;
  /** Terminates the workers (idempotent; `scanFiles` closes the pool it was given). */
  close(): void;
}

/**
 * A fixed set of scan workers: started at construction (each loads the engine and the compiler
 * while it waits), fed batches by `run`, biggest files first.
 */
class WorkerPool implements ScanPool {
  readonly setupKey: string;
  private readonly workers: Worker[] = [];
  /** The first failure of a worker while it waited for work (reported by `run`). */
  private failure: Error | undefined;
  private closed = false;
  /** Files whose parse a worker kept in the pre-pass → that worker. */
  private readonly keptBy = new Map<string, number>();

  constructor(script: string, setup: ScanSetup, count: number) {
    this.setupKey = JSON.stringify(setup);
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script, { workerData: setup });
      worker.on('error', (error) => { this.failure ??= error; });
      worker.on('exit', (code) => { if (!this.closed) this.failure ??= new Error(`scan worker exited with code ${code}`); });
      worker.unref(); // a pool whose scan never comes (the caller failed first) does not keep the process alive
      this.workers.push(worker);
    }
  }

  get size(): number { return this.workers.length; }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.workers) void w.terminate();
  }

  /**
   * Hands out batches until every job is analysed; rejects if a worker dies. Jobs go biggest
   * first and batches are cut by bytes, so no worker is left with a large file at the end while
   * the other idles; a file whose parse a worker kept from the pre-pass goes to that worker,
   * first, without its text. `cpuMs[i]` and `tsParses[i]` are worker i's CPU time and parses as
   * it last reported them. The workers are closed at the end: the scan is their last task.
   */
  run(todo: ScanJob[], accept: (r: ScanJobResult) => void, cpuMs: number[], tsParses: number[]): Promise<void> {
    const pinned = this.workers.map(() => [] as ScanJob[]);
    const shared: ScanJob[] = [];
    for (const job of todo) {
      const owner = this.keptBy.get(job.abs);
      if (owner === undefined) shared.push(job);
      else pinned[owner].push({ ...job, text: undefined });
    }
    this.keptBy.clear();
    const done = this.dispatch(shared, (j) => j.text?.length ?? 0, (files) => ({ files }), accept as (r: unknown) => void, cpuMs, tsParses, pinned);
    return done.finally(() => this.close());
  }

  /**
   * The CLI's role pre-pass on the workers (before `run`): each file read there and its light
   * facts computed (`runPrepassJob`); `accept` gets every result, in no particular order, with
   * its text's content hash when `hash` (for the cache's pre-pass records). The workers stay up for the scan.
   */
  prepass(jobs: PrepassJob[], sizeOf: (abs: string) => number, accept: (r: PrepassResult) => void, hash = false): Promise<void> {
    const take = (r: unknown, worker: number) => {
      const result = r as PrepassResult;
      if (result.kept) this.keptBy.set(result.abs, worker);
      accept(result);
    };
    return this.dispatch(jobs, (j) => sizeOf(j.abs), (prepass) => ({ prepass, ...(hash ? { hash } : {}) }), take, [], []).catch((error) => { this.close(); throw error; });
  }

  /** `pinned[i]`: jobs only worker i may run, handed to it before any of `todo`. */
  private dispatch<J>(todo: J[], bytesOf: (job: J) => number, message: (batch: J[]) => WorkerBatch, accept: (r: unknown, worker: number) => void, cpuMs: number[], tsParses: number[], pinned?: J[][]): Promise<void> {
    const pinnedCount = pinned?.reduce((sum, jobs) => sum + jobs.length, 0) ?? 0;
    if (todo.length + pinnedCount === 0) return Promise.resolve();
    const queue = todo.map((job, order) => ({ job, order, bytes: bytesOf(job) })).sort((a, b) => b.bytes - a.bytes || a.order - b.order);
    const batchBytes = queue.reduce((sum, q) => sum + q.bytes, 0) / (this.workers.length * BATCHES_PER_WORKER);
    return new Promise((resolve, reject) => {
      let next = 0;
      let pending = queue.length + pinnedCount;
      let settled = false;
      const listeners: Array<() => void> = [];
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        for (const off of listeners) off();
        if (error) { this.close(); reject(error); } else resolve();
      };
      if (this.closed) { finish(new Error('the scan pool is closed')); return; }
      if (this.failure) { finish(this.failure); return; }
      const feed = (worker: Worker, index: number) => {
        const own = pinned?.[index];
        if (own && own.length > 0) { worker.postMessage(message(own.splice(0, BATCH))); return; }
        if (next >= queue.length) return;
        const batch: J[] = [];
        let bytes = 0;
        while (next < queue.length && batch.length < BATCH && (batch.length === 0 || bytes + queue[next].bytes <= batchBytes)) {
          bytes += queue[next].bytes;
          batch.push(queue[next].job);
          queue[next] = undefined as unknown as (typeof queue)[number]; // the worker has its copy
          next++;
        }
        worker.postMessage(message(batch));
      };
      this.workers.forEach((worker, i) => {
        const onMessage = (reply: WorkerReply) => {
          feed(worker, i); // first: the worker works while this thread takes the results in
          for (const r of reply.results) accept(r, i);
          if (reply.cpuMs !== undefined) cpuMs[i] = reply.cpuMs;
          tsParses[i] = reply.tsParses;
          pending -= reply.results.length;
          if (pending === 0) finish();
        };
        const onError = (error: Error) => finish(error);
        const onExit = (code: number) => { if (pending > 0) finish(new Error(`scan worker exited with code ${code}`)); };
        worker.on('message', onMessage).on('error', onError).on('exit', onExit);
        worker.ref(); // the caller's promise alone would not keep the process alive
        listeners.push(() => { worker.off('message', onMessage).off('error', onError).off('exit', onExit); worker.unref(); });
        feed(worker, i);
      });
    });
  }
}
