/**
 * The CLI's workspace analysis: walk the paths, read each file once, hand it with its
 * project facts to the engine. Output formats consume the `RunResult`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyKind } from '../engine/classify';
import type { ResolvedConfig } from '../engine/config';
import { LineIndex } from '../engine/line-index';
import type { Finding, Severity } from '../engine/types';
import { ProjectFacts, slash, type ShutdownPredicate } from '../host/project-facts';
import { scanFiles } from '../host/parallel-analyze';
import { walkFiles, type FileStamp, type SkipReason } from '../host/walk';
import { inShard, type ShardSpec } from '../shard';
import { ProjectModelBuilder, type ProjectModel } from '../workspace/project-model';
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
  text: string;
  lines?: LineIndex;
  findings: Finding[];
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
  skipped: Array<{ file: string; reason: SkipReason | 'ignored' | 'binary' | 'unsupported' }>;
  summary: Summary;
  ruleErrors: string[];
  /** The project model of every walked file (all shards). */
  model: ProjectModel;
  /** Folder the model's paths are relative to. */
  modelRoot: string;
}

export interface RunOptions {
  paths: readonly string[];
  cwd: string;
  config: ResolvedConfig;
  /** Folder the config file's globs are relative to (undefined without a config file). */
  configRoot?: string;
  /** The config of the files of one folder (nested `.factorlintrc.json` files); `config` when absent. */
  configForDir?: (absDir: string) => { config: ResolvedConfig; configRoot?: string };
  /** Root for `.gitignore`, git and workspace facts. */
  factsRoot: string;
  useGit: boolean;
  shutdownPredicate?: ShutdownPredicate;
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
}

export function relativeToCwd(cwd: string, abs: string): string {
  return slash(path.relative(cwd, abs)) || '.';
}

export function summarize(files: readonly FileResult[], skipped: number, durationMs: number): Summary {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of files) for (const finding of f.findings) counts[finding.severity]++;
  return { ...counts, filesAnalyzed: files.filter((f) => f.analysed !== false).length, filesSkipped: skipped, durationMs };
}

const MODEL_NAMES = new Set(['package.json', '.gitignore', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb']);
const MAX_EXTENSIONLESS = 100_000;

/** Files the project model may learn from besides the analysed kinds: manifests, schemas, deploy YAML, scripts. */
export function isModelCandidate(abs: string): boolean {
  if (classifyKind(abs)) return true;
  const name = path.basename(abs);
  if (MODEL_NAMES.has(name)) return true;
  if (/\.(?:ya?ml|json|graphqls?|gql|sh|bash)$/i.test(name)) return true;
  if (name.includes('.')) return false;
  // extension-less: maybe a shell entrypoint (the model checks the shebang)
  try { return fs.statSync(abs).size <= MAX_EXTENSIONLESS; } catch { return false; }
}

function readText(abs: string): string | undefined {
  try { return fs.readFileSync(abs, 'utf8'); } catch { return undefined; }
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
  const started = Date.now();
  const modelRoot = path.resolve(options.modelRoot ?? options.cwd);
  const modelPath = (abs: string) => slash(path.relative(modelRoot, abs)) || path.basename(abs);
  const owned = (p: string) => !options.shard || inShard(p, options.shard);
  const facts = new ProjectFacts(options.factsRoot, { useGit: options.useGit, maxFileSize: options.config.maxFileSize, shutdownPredicate: options.shutdownPredicate });
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
    accepts: isModelCandidate,
    onSkip: (abs, reason) => {
      if ((reason === 'unsupported' || classifyKind(abs)) && owned(modelPath(abs))) skipped.push({ file: relativeToCwd(options.cwd, abs), reason });
    },
  });
  const toAnalyse = all.filter((abs) => classifyKind(abs) !== undefined && owned(modelPath(abs)));
  // The engine's one parse of each file also gives the file's model facts (modelRoot).
  const scan = await scanFiles({
    files: toAnalyse,
    factsRoot: options.factsRoot,
    config: options.config,
    configRoot: options.configRoot,
    configsByDir: configsByDir(toAnalyse, options),
    useGit: options.useGit,
    today: options.today,
    jobs: options.jobs,
    cacheFile: options.cacheFile,
    stats,
    minFilesPerWorker: options.minFilesPerWorker,
    modelRoot,
    cwd: options.cwd,
  });
  ruleErrors.push(...scan.ruleErrors);
  const scanned = new Map(scan.files.map((r) => [r.abs, r]));
  const builder = new ProjectModelBuilder();
  const files: FileResult[] = [];
  const ignoredPaths = new Set<string>(); // config `ignore`: no findings at all there
  for (const abs of all) {
    const rel = modelPath(abs);
    const r = scanned.get(abs);
    const text = readText(abs);
    if (text === undefined || r?.skipped === 'unreadable') {
      if (r) skipped.push({ file: relativeToCwd(options.cwd, abs), reason: 'unreadable' });
      continue;
    }
    if (!r) {
      // other shards' files and manifests, scripts, schemas: facts for the model only
      builder.update(rel, text);
      continue;
    }
    if (r.modelFacts) builder.setFacts(rel, r.modelFacts);
    else builder.update(rel, text);
    const file = relativeToCwd(options.cwd, abs);
    if (r.skipped && r.skipped !== 'too-large' && r.skipped !== 'unparseable') {
      if (r.skipped === 'ignored') ignoredPaths.add(rel);
      skipped.push({ file, reason: r.skipped });
      continue;
    }
    files.push({ abs, file, path: rel, analysed: true, text, findings: r.findings });
  }
  const model = builder.model();

  const workspaceFindings = runWorkspaceRules(model, WORKSPACE_RULES, {
    config: options.config,
    onRuleError: (id, error) => ruleErrors.push(`${id} failed on the workspace: ${(error as Error)?.message ?? String(error)}`),
  }).filter((f) => owned(f.path) && !ignoredPaths.has(f.path));
  if (workspaceFindings.length > 0) {
    const byPath = new Map(files.map((f) => [f.path, f]));
    const textOf = (p: string) => byPath.get(p)?.text ?? readText(path.resolve(modelRoot, p));
    const today = options.today ?? new Date().toISOString().slice(0, 10);
    for (const f of suppressWorkspaceFindings(workspaceFindings, textOf, today)) {
      let target = byPath.get(f.path);
      if (!target) {
        const abs = path.resolve(modelRoot, f.path);
        const text = readText(abs);
        if (text === undefined) continue;
        target = { abs, file: relativeToCwd(options.cwd, abs), path: f.path, analysed: false, text, findings: [] };
        byPath.set(f.path, target);
        files.push(target);
      }
      target.lines ??= new LineIndex(target.text);
      target.findings.push(asFinding(f, target.lines));
    }
    for (const f of files) f.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  }
  return { files, skipped, ruleErrors, model, modelRoot, summary: summarize(files, skipped.length, Date.now() - started) };
}

/** Every shown finding with its model path (for the report and the baseline). */
export function locatedFindings(result: Pick<RunResult, 'files'>): LocatedFinding[] {
  return result.files.flatMap((f) => f.findings.map((finding) => ({ ...finding, path: f.path })));
}
