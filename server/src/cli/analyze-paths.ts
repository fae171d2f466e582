/**
 * The CLI's workspace analysis: walk the paths, read each file once, hand it with its
 * project facts to the engine. Output formats consume the `RunResult`.
 */
import type { Dirent } from 'node:fs';
import * as path from 'node:path';
import { classifyFile, classifyKind, type ClassifyOptions } from '../engine/classify';
import type { ProjectContext } from '../engine/project-context';
import type { ResolvedConfig } from '../engine/config';
import { LineIndex } from '../engine/line-index';
import { maskText } from '../engine/mask';
import { failureReason, incompleteFinding } from '../engine/run';
import type { Finding, RoleDecision, Severity } from '../engine/types';
import { ProjectFacts, slash } from '../host/project-facts';
import { contextMemo, modelContextFor } from '../workspace/project-context-for';
import { enginePrepassParse, KeptParses } from '../host/prepass-job';
import { cacheSalt, openScanCache, scanFiles, startScanPool, type ScanPoolOptions, type ScanResult } from '../host/parallel-analyze';
import { depsStillValid } from '../host/scan-job';
import { reportFactsOf, type ModelReportFacts } from '../report/model-facts';
import { forgetRunRecord, loadRunRecord, recordedFiles, runDigest, saveRunRecord } from './run-snapshot';
import { PrepassRecorder } from '../host/prepass-cache';
import { tryReadRegularText } from '../host/safe-fs';
import { relativizerFrom, resolverUnder } from '../host/plain-paths';
import { walkFiles, type FileStamp, type SkipReason } from '../host/walk';
import { inShard, type ShardSpec } from '../shard';
import { isModelFile, ProjectModelBuilder, type FileFacts, type ProjectModel } from '../workspace/project-model';
import { WORKSPACE_RULES } from '../workspace/registry';
import { suppressWorkspaceFindings } from '../workspace/suppress';
import { runWorkspaceRules, type LocatedFinding } from '../workspace/workspace-rule';

export interface FileResult {
  /** Absolute path. */
  abs: string;
  /** Relative to the current folder, forward slashes (the contract's `file`). */
  file: string;
  /** Relative to the model root, forward slashes: the path the project model, report and baseline use. */
  path: string;
  /** False for a file shown only for workspace findings (e.g. an entrypoint script): not counted as analysed. */
  analysed: boolean;
  /** The file's text: kept only for files with findings (every output needs text only there). */
  text?: string;
  lines?: LineIndex;
  findings: Finding[];
  /** What the file is for and why (analysed files). */
  role?: RoleDecision;
}

export interface Summary {
  error: number;
  warning: number;
  info: number;
  hint: number;
  filesAnalyzed: number;
  filesSkipped: number;
  durationMs: number;
  /** Findings hidden by `--baseline` (only when a baseline is used). */
  baselined?: number;
}

export interface RunResult {
  files: FileResult[];
  skipped: Array<{ file: string; reason: SkipReason | 'ignored' | 'binary' | 'unsupported' | 'vendored'; role?: RoleDecision }>;
  summary: Summary;
  ruleErrors: string[];
  /** Why `--cache` could not be written, when it could not. */
  cacheWriteError?: string;
  /** The project model of every walked file (all shards). */
  model: ProjectModel;
  /** What the factor report reads of `model` (`reportFactsOf`), when the run computed it (a `--cache` run records it): a recorded run's report then builds no model. */
  reportFacts?: ModelReportFacts;
  /** Folder the model's paths are relative to. */
  modelRoot: string;
  /** The scan's counters (cache hits, workers; see `ScanResult.stats`). */
  scanStats?: ScanResult['stats'];
}

export interface RunOptions {
  paths: readonly string[];
  cwd: string;
  config: ResolvedConfig;
  /** Folder the config file's globs are relative to (undefined without a config file). */
  configRoot?: string;
  /** The config of the files of one folder (nested `.factorlintrc.json` files); `config` when absent. */
  configForDir?: (absDir: string) => { config: ResolvedConfig; configRoot?: string };
  /** Told each folder's entries as the walk lists them (the CLI's config lookup learns which folders have no config file). */
  onListed?: (absDir: string, entries: readonly Dirent[]) => void;
  /** Root for `.gitignore`, git and workspace facts. */
  factsRoot: string;
  useGit: boolean;
  today?: string;
  /** Folder the project model's paths are relative to (default: `cwd`). */
  modelRoot?: string;
  /** Only this slice of the files is analysed; the model still covers every file. */
  shard?: ShardSpec;
  /** Worker threads for the analysis (default: one per core; small runs stay in this thread). */
  jobs?: number;
  /** The persisted content-hash cache (`--cache`); none when undefined. */
  cacheFile?: string;
  /** Files per worker started (tests lower it to force workers on a small tree). */
  minFilesPerWorker?: number;
  /** Characters of pre-pass trees each thread keeps for their analyses (tests lower it; see `KEPT_PARSES_TEXT_BUDGET`). */
  keptParsesBudget?: number;
  /** Reads a file's text (default: the disk, regular files only, size-capped); tests count reads with it. */
  readText?: (abs: string, maxBytes: number) => string | undefined;
}

export function relativeToCwd(cwd: string, abs: string): string {
  return slash(path.relative(cwd, abs)) || '.';
}

export function summarize(files: readonly FileResult[], skipped: number, durationMs: number): Summary {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of files) for (const finding of f.findings) counts[finding.severity]++;
  return { ...counts, filesAnalyzed: files.filter((f) => f.analysed !== false).length, filesSkipped: skipped, durationMs };
}

/** Files the project model may learn from besides the analysed kinds (the index's predicate too). */
export const isModelCandidate = isModelFile;

/** A walked file's text: a regular file (one swapped for a FIFO during the scan is never opened blocking), size-capped. */
function readText(abs: string, maxBytes: number): string | undefined {
  return tryReadRegularText(abs, maxBytes);
}

/** A workspace finding as an engine `Finding` of a file whose text is known (offsets from its range). */
function asFinding(f: LocatedFinding, lines: LineIndex): Finding {
  return { ruleId: f.ruleId, factor: f.factor, severity: f.severity, message: f.message, start: lines.offsetAt(f.range.start), end: lines.offsetAt(f.range.end), range: f.range, fixes: f.fixes, ...(f.related ? { related: f.related } : {}) };
}

/**
 * Walks the paths once for the project model (every file it can learn from, texts read and
 * dropped: the model keeps small facts) and analyses the analysable files of this shard with
 * the single-file rules — on worker threads (`jobs`) and through the content-hash cache
 * (`cacheFile`) when asked — then runs the workspace rules over the model. Workspace findings
 * land in the file they name; a shard reports only those of files it owns.
 */
/** Each analysed folder's config when it differs from the run's (plain data: it goes to workers). */
function configsByDir(files: readonly string[], options: RunOptions): Record<string, { config: ResolvedConfig; configRoot?: string }> | undefined {
  if (!options.configForDir) return undefined;
  const byDir: Record<string, { config: ResolvedConfig; configRoot?: string }> = {};
  const primary = JSON.stringify([options.config, options.configRoot]);
  for (const dir of new Set(files.map((f) => path.dirname(f)))) {
    const entry = options.configForDir(dir);
    if (JSON.stringify([entry.config, entry.configRoot]) !== primary) byDir[dir] = entry;
  }
  return Object.keys(byDir).length > 0 ? byDir : undefined;
}

export async function runAnalysis(options: RunOptions): Promise<RunResult> {
  let preModelRef: ProjectModel | undefined;
  // the role of a cached file (cache entries keep findings, not roles): classified as the engine does
  const roleOf = (abs: string, rel: string, text: string): RoleDecision | undefined => {
    const model = preModelRef ? modelContextFor(preModelRef, rel) : undefined;
    const info = classifyFile(abs, text, undefined, { appScope: options.config.appOnly, roleGlobs: options.config.roles, ...facts.classifyOptionsFor(abs, options.configRoot), ...(model?.role ? { role: model.role } : {}) });
    return info ? { role: info.role, reason: info.roleReason } : undefined;
  };
  const started = Date.now();
  const modelRoot = path.resolve(options.modelRoot ?? options.cwd);
  const modelPath = (abs: string) => slash(path.relative(modelRoot, abs)) || path.basename(abs);
  const owned = (p: string) => !options.shard || inShard(p, options.shard);
  // Every read of this run goes through here, each file at most once: the walk's .gitignore
  // files, the pre-pass, package.json facts, the scan's texts and rules' reads of other files.
  const readFile = options.readText ?? readText;
  const texts = new Map<string, string | undefined>();
  const readOnce = (abs: string): string | undefined => {
    if (texts.has(abs)) return texts.get(abs);
    const text = readFile(abs, options.config.maxFileSize);
    texts.set(abs, text);
    return text;
  };
  const facts = new ProjectFacts(options.factsRoot, { useGit: options.useGit, maxFileSize: options.config.maxFileSize, readFile: (abs) => readOnce(path.resolve(abs)) });
  const skipped: RunResult['skipped'] = [];
  const ruleErrors: string[] = [];
  const roots = options.paths.map((p) => path.resolve(options.cwd, p));
  // One walk for the model (every file it can learn from) and the analysis (the kinds analysed).
  const stats = new Map<string, FileStamp>();
  const all = walkFiles(roots, {
    stats,
    root: options.factsRoot,
    maxFileSize: options.config.maxFileSize,
    isIgnored: (abs, isDir) => facts.isGitIgnored(abs, isDir),
    onListed: (dir, entries) => { facts.folderListed(dir, entries); options.onListed?.(dir, entries); },
    accepts: isModelCandidate,
    onSkip: (abs, reason) => {
      if ((reason === 'unsupported' || classifyKind(abs)) && owned(modelPath(abs))) skipped.push({ file: relativeToCwd(options.cwd, abs), reason });
    },
  });
  const toAnalyse = all.filter((abs) => classifyKind(abs) !== undefined && (!options.shard || owned(modelPath(abs)))); // no model path per file without a shard
  const analysing = new Set(toAnalyse);
  const scanOptions: Omit<ScanPoolOptions, 'fileCount'> = {
    factsRoot: options.factsRoot,
    config: options.config,
    configRoot: options.configRoot,
    configsByDir: configsByDir(toAnalyse, options),
    useGit: options.useGit,
    today: options.today,
    jobs: options.jobs,
    cacheFile: options.cacheFile,
    minFilesPerWorker: options.minFilesPerWorker,
    keptParsesBudget: options.keptParsesBudget,
    modelRoot,
    cwd: options.cwd,
  };
  // `--cache`: a walk that finds the inputs of a recorded run shows that run's result again
  const walkSkips = skipped.length;
  const digest = options.cacheFile && !options.shard
    ? runDigest(cacheSalt(options.config, options.configRoot, options.today ?? new Date().toISOString().slice(0, 10), modelRoot, scanOptions.configsByDir), [JSON.stringify(roots), options.cwd, modelRoot, options.factsRoot, String(options.useGit)], all, stats, started, (abs) => facts.isTracked(abs))
    : undefined;
  const recorded = digest ? loadRunRecord(options.cacheFile!, digest) : undefined;
  const fromCwd = relativizerFrom(options.cwd);
  const pathForms = { absOf: resolverUnder(modelRoot), fileOf: (abs: string) => slash(fromCwd(abs)) || '.' }; // relativeToCwd's answers
  if (recorded && recorded.deps.every(({ abs, deps }) => depsStillValid(deps, facts.ioContextFor(abs), () => ({})))) {
    const files = recordedFiles(recorded, readOnce, pathForms);
    skipped.push(...(recorded.skipped as RunResult['skipped'])); // schema-checked: the reasons of a run
    texts.clear();
    const scanStats = { files: toAnalyse.length, cacheHits: toAnalyse.length, statHits: toAnalyse.length, analysed: 0, workers: 0, durationMs: Date.now() - started, runRecord: true };
    const result: RunResult = { files, skipped, ruleErrors, model: undefined as unknown as ProjectModel, ...(recorded.report ? { reportFacts: recorded.report } : {}), modelRoot, scanStats, summary: summarize(files, skipped.length, Date.now() - started) };
    // the model only when asked (the report, --fix): the walked files' facts as the cache holds them
    let model: ProjectModel | undefined;
    Object.defineProperty(result, 'model', { enumerable: true, get: () => (model ??= recordedRunModel({ all, stats, analysing, modelPath, cache: openScanCache(scanOptions), config: options.config, readText: (abs) => readFile(abs, options.config.maxFileSize) })) });
    return result;
  }
  // the workers start now and load the engine and the compiler while this thread runs the pre-pass
  const pool = startScanPool({ ...scanOptions, fileCount: toAnalyse.length });
  // `--cache`: opened now, it serves the pre-pass as well as the scan
  const cache = openScanCache(scanOptions);
  const recorder = cache ? new PrepassRecorder(cache, stats, started) : undefined;
  // The role pre-pass: every file read once, the model built from manifests, Dockerfiles,
  // Compose files and the TS/JS hints (a scanner, not a parse), so roles and project context
  // are known before any rule runs. The texts are what the scan analyses (no second read); the
  // rare text that may handle shutdown is parsed here through the engine and that parse is
  // reused by its analysis (no second parse). After the run only texts with findings are kept.
  const builder = new ProjectModelBuilder({ roleGlobs: options.config.roles, appScope: options.config.appOnly });
  builder.setRoleMemo(cache); // roles of evidence a run of this cache decided already are not decided again
  const parses = new KeptParses(options.keptParsesBudget);
  const prePass = (abs: string, text: string) => {
    const parseTs = analysing.has(abs) ? enginePrepassParse(abs, text, (parsed) => parses.offer(abs, text, parsed)) : undefined;
    builder.update(modelPath(abs), text, undefined, { light: true, parseTs });
  };
  // With workers, they read the files and compute the light facts (this thread's serial work
  // otherwise) and send the texts back; a parse the facts need stays in the worker that made it,
  // for the file's analysis there. A reader of the caller's (`readText`) runs on this thread
  // only; files the walk read (.gitignore) are not read again.
  const prePassed = new Set<string>();
  if (pool && !options.readText) {
    const jobs = all.filter((abs) => !texts.has(abs)).map((abs) => ({ abs, rel: modelPath(abs), analysing: analysing.has(abs) }));
    await pool.prepass(jobs, (abs) => stats.get(abs)?.size ?? 0, (r) => {
      prePassed.add(r.abs);
      texts.set(r.abs, r.text);
      if (r.text !== undefined) builder.setFacts(modelPath(r.abs), r.facts ?? {});
      if (r.text !== undefined && r.textHash !== undefined) recorder?.record(r.abs, r.textHash, r.facts ?? {});
    }, !!recorder);
  }
  // With `--cache`, a file whose size and mtime match its record gives its facts and content
  // hash without a read: it is read later only if its analysis or the report needs its text.
  const unread = new Set<string>();
  for (const abs of all) {
    if (prePassed.has(abs)) continue;
    const known = texts.has(abs) ? undefined : recorder?.known(abs);
    if (known) {
      builder.setFacts(modelPath(abs), known as FileFacts);
      unread.add(abs);
      continue;
    }
    const text = readOnce(abs);
    if (text === undefined) continue;
    prePass(abs, text);
    recorder?.recordText(abs, text, builder.factsFor(modelPath(abs)) ?? {});
  }
  recorder?.retain(all);
  const preModel = builder.model();
  preModelRef = preModel;
  const root = slash(modelRoot);
  // one textOf and one memo for the whole scan: files of a folder share their context's packages and aliases
  // (the walked files' texts, as when the pre-pass had read them all)
  const textOfModelPath = (rel: string) => { const abs = path.resolve(modelRoot, rel); return unread.has(abs) ? readOnce(abs) : texts.get(abs); };
  const folderContexts = contextMemo();
  const scan = await scanFiles({
    ...scanOptions,
    pool,
    cache,
    textHashOf: recorder && ((abs) => recorder.textHashOf(abs)),
    // a file the pre-pass did not read is read here if it must be analysed again: the report may need its text
    textOf: (abs) => (unread.has(abs) ? readOnce(abs) : undefined),
    isTrackedOf: (abs) => facts.isTracked(abs),
    files: toAnalyse,
    stats,
    modelContextOf: (abs) => modelContextFor(preModel, modelPath(abs), root, textOfModelPath, folderContexts),
    // what this thread already has: workers read no file, load no package.json and run no git
    prepared: (abs) => {
      const parsed = parses.get(abs)?.parsed; // for the file's analysis (asked for more than once: cache keys, the job); cleared after the scan
      const own = options.configForDir?.(path.dirname(abs));
      // the pre-pass's hints and light facts, of this same text (not the cache's masked copy)
      const pre = unread.has(abs) ? undefined : builder.factsFor(modelPath(abs));
      const hints = pre?.hints;
      const prepassTs = pre?.ts;
      // the pre-pass record's hash of this same text (a text read later may differ from the one recorded)
      const textHash = unread.has(abs) ? undefined : recorder?.textHashOf(abs);
      return { text: texts.get(abs), classify: facts.classifyOptionsFor(abs, own ? own.configRoot : options.configRoot), isTracked: facts.isTracked(abs), ...(parsed ? { parsed } : {}), ...(hints ? { hints } : {}), ...(hints && prepassTs ? { prepassTs } : {}), ...(textHash ? { textHash } : {}) };
    },
  });
  parses.clear();
  ruleErrors.push(...scan.ruleErrors);
  const scanned = new Map(scan.files.map((r) => [r.abs, r]));
  const files: FileResult[] = [];
  const ignoredPaths = new Set<string>(); // config `ignore`: no findings at all there
  // texts are read here only where still needed (a file the pre-pass knew from the cache has none yet)
  const textNow = (abs: string) => readOnce(abs) ?? '';
  for (const abs of all) {
    const rel = modelPath(abs);
    const r = scanned.get(abs);
    if ((!unread.has(abs) && texts.get(abs) === undefined) || r?.skipped === 'unreadable') {
      if (r) skipped.push({ file: relativeToCwd(options.cwd, abs), reason: 'unreadable' });
      continue;
    }
    if (!r) {
      // other shards' sources: their full facts (the pre-pass has only hints and shutdown)
      if (classifyKind(abs)?.kind === 'ts') builder.update(rel, textNow(abs));
      continue;
    }
    if (r.modelFacts) builder.setFacts(rel, r.modelFacts);
    else builder.update(rel, textNow(abs));
    const file = relativeToCwd(options.cwd, abs);
    const role = () => r.role ?? roleOf(abs, rel, textNow(abs));
    if (r.skipped && r.skipped !== 'too-large' && r.skipped !== 'unparseable' && r.skipped !== 'binary') {
      if (r.skipped === 'ignored') ignoredPaths.add(rel);
      skipped.push({ file, reason: r.skipped, ...(r.skipped === 'vendored' ? { role: role() } : {}) });
      continue;
    }
    files.push({ abs, file, path: rel, analysed: true, findings: r.findings, role: role() });
  }
  const model = builder.model();

  const failedWorkspaceRules: string[] = [];
  const workspaceFindings = runWorkspaceRules(model, WORKSPACE_RULES, {
    config: options.config,
    onRuleError: (id, error) => {
      failedWorkspaceRules.push(`cross-file rule ${id} failed with ${failureReason(error)}`);
      ruleErrors.push(maskText(`${id} failed on the workspace: ${(error as Error)?.message ?? String(error)}`));
    },
  }).filter((f) => owned(f.path) && !ignoredPaths.has(f.path));
  // a cross-file rule that failed is no pass either: reported on the first analysed file, so it counts
  const anchor = files.find((f) => f.analysed !== false);
  if (failedWorkspaceRules.length > 0 && anchor) anchor.findings.unshift(incompleteFinding(failedWorkspaceRules.join('; ')));
  if (workspaceFindings.length > 0) {
    const byPath = new Map(files.map((f) => [f.path, f]));
    const textOf = (p: string) => readOnce(path.resolve(modelRoot, p));
    const today = options.today ?? new Date().toISOString().slice(0, 10);
    for (const f of suppressWorkspaceFindings(workspaceFindings, textOf, today)) {
      let target = byPath.get(f.path);
      if (!target) {
        const abs = path.resolve(modelRoot, f.path);
        const text = readOnce(abs);
        if (text === undefined) continue;
        target = { abs, file: relativeToCwd(options.cwd, abs), path: f.path, analysed: false, text, findings: [] };
        byPath.set(f.path, target);
        files.push(target);
      }
      target.text ??= textNow(target.abs);
      target.lines ??= new LineIndex(target.text);
      target.findings.push(asFinding(f, target.lines));
    }
    for (const f of files) f.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  }
  // texts are kept only where a finding (or its fix) needs them: snippets, fixes, baselines
  for (const f of files) f.text = f.findings.length > 0 ? f.text ?? readOnce(f.abs) : undefined;
  texts.clear();
  let reportFacts: ModelReportFacts | undefined;
  if (options.cacheFile && !options.shard) {
    // recorded only when complete: no rule failed, the cache was written, every file was read
    const complete = digest && cache && ruleErrors.length === 0 && !scan.cacheWriteError && !skipped.some((s) => s.reason === 'unreadable');
    let saved = false;
    if (complete) {
      // what the report reads of the model, computed once: recorded, and this run's report takes it too
      reportFacts = reportFactsOf(model);
      saved = saveRunRecord(options.cacheFile, digest, { files, skipped, report: reportFacts }, walkSkips, (abs) => cache.peekDeps(abs), pathForms);
    }
    if (!saved) forgetRunRecord(options.cacheFile);
  }
  return { files, skipped, ruleErrors, ...(scan.cacheWriteError ? { cacheWriteError: scan.cacheWriteError } : {}), model, ...(reportFacts ? { reportFacts } : {}), modelRoot, scanStats: scan.stats, summary: summarize(files, skipped.length, Date.now() - started) };
}

/**
 * The model of a recorded run (`run-snapshot.ts`), as the run that recorded it built it: each
 * analysed file's facts from its cache entry, the other files' pre-pass facts, when their stamps
 * still match the walk's; a file whose record does not is read and its facts computed again.
 */
function recordedRunModel(run: { all: readonly string[]; stats: ReadonlyMap<string, FileStamp>; analysing: ReadonlySet<string>; modelPath: (abs: string) => string; cache: ReturnType<typeof openScanCache>; config: ResolvedConfig; readText: (abs: string) => string | undefined }): ProjectModel {
  const builder = new ProjectModelBuilder({ roleGlobs: run.config.roles, appScope: run.config.appOnly });
  builder.setRoleMemo(run.cache);
  for (const abs of run.all) {
    const rel = run.modelPath(abs);
    const stat = run.stats.get(abs);
    const analysed = run.analysing.has(abs);
    const known = !stat || !run.cache ? undefined
      : analysed ? (run.cache.textHashForStat(abs, stat.size, stat.mtimeMs) !== undefined ? run.cache.peekModel(abs) : undefined)
      : run.cache.prepassFacts(abs, stat.size, stat.mtimeMs)?.facts;
    if (known) { builder.setFacts(rel, known as FileFacts); continue; }
    const text = run.readText(abs);
    if (text === undefined) continue;
    builder.update(rel, text, undefined, analysed ? undefined : { light: true });
  }
  return builder.model();
}

/** The project context and classification of a file of a finished run (for `--fix`): from the run's model, plus the host's I/O. */
export function modelAnalyzeOptions(result: Pick<RunResult, 'model' | 'modelRoot'>, facts: ProjectFacts, abs: string, configRoot: string | undefined): { project: ProjectContext; classify: ClassifyOptions } {
  const rel = slash(path.relative(result.modelRoot, abs)) || path.basename(abs);
  const model = modelContextFor(result.model, rel, slash(result.modelRoot), (p) => facts.read(path.resolve(result.modelRoot, p)));
  return {
    project: { ...model.context, ...facts.ioContextFor(abs) },
    classify: { ...facts.classifyOptionsFor(abs, configRoot), ...(model.role ? { role: model.role } : {}) },
  };
}

/** The kept texts of a run's files (those with findings) by `key` (model path or shown path). */
export function keptTexts(files: readonly FileResult[], key: 'path' | 'file'): Map<string, string> {
  return new Map(files.flatMap((f) => (f.text === undefined ? [] : [[f[key], f.text] as [string, string]])));
}

/** Every shown finding with its model path (for the report and the baseline). */
export function locatedFindings(result: Pick<RunResult, 'files'>): LocatedFinding[] {
  return result.files.flatMap((f) => f.findings.map((finding) => ({ ...finding, path: f.path })));
}
