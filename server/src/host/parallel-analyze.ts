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
import { AnalysisCache, contentHash, settledStamp } from '../cache/analysis-cache';
import { buildId } from '../cache/build-id';
import type { ResolvedConfig } from '../engine/config';
import { RULES } from '../rules/registry';
import type { Finding } from '../engine/types';
import type { FileFacts } from '../workspace/project-model';
import type { ProjectFacts } from './project-facts';
import type { FileStamp } from './walk';
import { readRegularText } from './safe-fs';
import type { ModelContext } from '../workspace/project-context-for';
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
}

export interface ScanFileResult {
  abs: string;
  findings: Finding[];
  skipped?: ScanJobResult['skipped'];
  /** Served from the cache. */
  cached: boolean;
  /** The file's project-model facts (with `modelRoot`). */
  modelFacts?: FileFacts;
  /** The role the file was analysed as (not known for cache hits). */
  role?: ScanJobResult['role'];
}

export interface ScanResult {
  files: ScanFileResult[];
  ruleErrors: string[];
  /** `statHits`: files whose content hash came from an unchanged size + mtime, without reading them. */
  stats: { files: number; cacheHits: number; statHits: number; analysed: number; workers: number; durationMs: number };
  /** Why the cache file could not be written (the results are complete; the old cache is intact). */
  cacheWriteError?: string;
}

/** Below this many files to analyse, starting workers costs more than it saves. */
const MIN_FILES_PER_WORKER = 64;
/** Files per message: small enough to balance load, large enough to amortise messaging. */
const BATCH = 32;

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

function workerScript(): string | undefined {
  for (const name of ['scan-worker.js']) {
    const candidate = path.join(__dirname, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function scanFiles(options: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const setup: ScanSetup = { factsRoot: options.factsRoot, config: options.config, configRoot: options.configRoot, configsByDir: options.configsByDir, useGit: options.useGit ?? false, today, withCache: !!options.cacheFile, modelRoot: options.modelRoot, cwd: options.cwd };
  const cache = options.cacheFile ? new AnalysisCache(options.cacheFile, cacheSalt(options.config, options.configRoot, today, options.modelRoot, options.configsByDir)) : undefined;
  const results: Array<ScanFileResult | undefined> = new Array(options.files.length);
  const ruleErrors = new Map<number, string[]>();
  let facts: ProjectFacts | undefined;
  const mainFacts = () => (facts ??= createFacts(setup));
  let statHits = 0;

  // 1. cache lookups (main thread: reading and hashing is cheap next to parsing)
  const todo: ScanJob[] = [];
  const modelOf = (abs: string) => options.modelContextOf?.(abs);
  const job = (index: number, abs: string, model: ModelContext | undefined): ScanJob => ({ index, abs, model, ...options.prepared?.(abs) });
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
        textHash ??= contentHash(options.prepared?.(abs)?.text ?? readRegularText(abs, options.config.maxFileSize));
      } catch { return undefined; }
      if (fromStat) statHits++;
      const model = modelOf(abs);
      const context = fileContext(mainFacts(), abs, model, options.prepared?.(abs)?.isTracked);
      // the model's shutdown facts and the role are part of the key: no per-package rescan to validate them
      return { context, model, key: scanKey(textHash, context, model?.role), textHash, fromStat };
    });
    options.files.forEach((abs, index) => {
      const k = keyed[index];
      if (k) {
        const model = options.modelRoot !== undefined ? (cache.peekModel(abs) as FileFacts | undefined) : undefined;
        const usable = options.modelRoot === undefined || model !== undefined; // a model scan needs the facts too
        const hit = usable && cache.getHashed(abs, k.key, (deps) => depsStillValid({ ...deps, shutdown: undefined }, k.context, () => k.context));
        if (hit) {
          results[index] = { abs, findings: hit, cached: true, ...(model ? { modelFacts: model } : {}) };
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
    if (cache && r.hash && !r.skipped) cache.setHashed(abs, r.hash, r.findings, r.deps, r.modelFacts, r.textHash ? settledStamp(abs, r.textHash, started) : undefined);
  };

  // 2. misses: on workers when there are enough of them, else here
  const cpuCount = Math.max(1, os.cpus().length);
  const wanted = Math.max(1, Math.min(options.jobs ?? cpuCount, Math.ceil(todo.length / (options.minFilesPerWorker ?? MIN_FILES_PER_WORKER))));
  const script = wanted > 1 ? workerScript() : undefined;
  let workers = 0;
  // a job is dropped once run: its text and parse are not held any longer than needed
  const runHere = (jobs: ScanJob[]) => { for (let i = 0; i < jobs.length; i++) { accept(runScanJob(setup, mainFacts(), jobs[i])); jobs[i] = undefined as unknown as ScanJob; } };
  if (script && todo.length > 0) {
    workers = wanted;
    // trees cannot cross threads: files with a parse to reuse stay here, while the workers run
    const here = todo.filter((j) => j.parsed !== undefined);
    const running = runOnWorkers(script, setup, todo.filter((j) => j.parsed === undefined), workers, accept);
    runHere(here);
    await running;
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
    stats: { files: files.length, cacheHits: cache?.hits ?? 0, statHits, analysed: todo.length, workers, durationMs: Date.now() - started },
    ...(cacheWriteError ? { cacheWriteError } : {}),
  };
}

/** Hands out batches to `count` workers until every file is analysed; rejects if a worker dies. */
function runOnWorkers(script: string, setup: ScanSetup, todo: ScanJob[], count: number, accept: (r: ScanJobResult) => void): Promise<void> {
  if (todo.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let next = 0;
    let pending = todo.length;
    let failed = false;
    const pool: Worker[] = [];
    const finish = (error?: Error) => {
      if (failed) return;
      if (error) failed = true;
      for (const w of pool) void w.terminate();
      if (error) reject(error); else resolve();
    };
    const feed = (worker: Worker) => {
      if (next >= todo.length) return;
      const files = todo.slice(next, next + BATCH);
      for (let i = next; i < next + files.length; i++) todo[i] = undefined as unknown as ScanJob; // the worker has its copy
      next += files.length;
      worker.postMessage({ files });
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script, { workerData: setup });
      pool.push(worker);
      worker.on('message', (batch: ScanJobResult[]) => {
        for (const r of batch) accept(r);
        pending -= batch.length;
        if (pending === 0) finish();
        else feed(worker);
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => { if (pending > 0 && code !== 0) finish(new Error(`scan worker exited with code ${code}`)); });
      feed(worker);
    }
  });
}
