/**
 * One file of a workspace scan, as a worker (or the main thread, for small scans) runs it:
 * analyse the text the caller already read (read it only when none was handed over) with the
 * file's project facts, and return plain data only (findings, the cache key, recorded
 * dependencies). Shared by `parallel-analyze.ts` and `scan-worker.ts`, so both paths produce
 * byte-identical results. ASTs never leave this function (one handed in is consumed here).
 */
import * as path from 'node:path';
import { contentHash, type CacheDeps } from '../cache/analysis-cache';
import { readRegularText } from './safe-fs';
import type { ResolvedConfig } from '../engine/config';
import type { ProjectContext } from '../engine/project-context';
import type { ParsedDocument } from '../engine/document';
import type { ClassifyOptions } from '../engine/classify';
import { maskText } from '../engine/mask';
import { analyze, type AnalysisResult } from '../engine/run';
import type { Finding, RoleDecision } from '../engine/types';
import type { ModelContext } from '../workspace/project-context-for';
import { factsOf, type FileFacts } from '../workspace/project-model';
import type { FileHints } from '../workspace/file-hints';
import type { PrepassTsFacts } from '../workspace/extract-ts';
import { WORKSPACE_RULES } from '../workspace/registry';
import { ProjectFacts, slash } from './project-facts';
import { RULES } from '../rules/registry';

/** Everything a worker needs to rebuild the scan's environment (structured-clonable). */
export interface ScanSetup {
  factsRoot: string;
  config: ResolvedConfig;
  configRoot?: string;
  /** Folder (absolute) → its config, where nested `.factorlintrc.json` files make it differ from `config`. */
  configsByDir?: Record<string, { config: ResolvedConfig; configRoot?: string }>;
  useGit: boolean;
  today?: string;
  /** Compute cache keys and record dependencies. */
  withCache: boolean;
  /**
   * When set, each result also carries the file's project-model facts, with paths relative to
   * this folder (the CLI's model root): the file's one parse serves the model too.
   */
  modelRoot?: string;
  /** Rule errors name files relative to this folder (default: absolute paths). */
  cwd?: string;
  /** Characters of pre-pass trees a thread keeps for their analyses (default `KEPT_PARSES_TEXT_BUDGET`; tests lower it). */
  keptParsesBudget?: number;
}

export interface ScanJobResult {
  index: number;
  findings: Finding[];
  skipped?: AnalysisResult['skipped'] | 'unreadable';
  /** Cache key (content + facts), when caching. */
  hash?: string;
  /** `contentHash` of the text read, when caching (stored for the stat fast path). */
  textHash?: string;
  deps?: CacheDeps;
  ruleErrors?: string[];
  /** The file's project-model facts (with `setup.modelRoot`). */
  modelFacts?: FileFacts;
  /** The role the engine analysed the file as. */
  role?: RoleDecision;
}

/**
 * One file to analyse. `text`, `classify` and `isTracked` are what the main thread already
 * knows (it read the file for the role pre-pass, knows its package and git's answer): a worker
 * given them reads nothing and spawns nothing. `parsed` is a parse of exactly `text` to reuse,
 * e.g. the pre-pass's parse of a file that handles shutdown; trees do not cross threads, so it
 * is set only by the thread that made it (the main thread, or the worker that kept it).
 */
export interface ScanJob {
  index: number;
  abs: string;
  model?: ModelContext;
  text?: string;
  classify?: ClassifyOptions;
  isTracked?: boolean;
  parsed?: ParsedDocument;
  /** The role pre-pass's hints of `text` (plain data), so the model facts do not scan it again. */
  hints?: FileHints;
  /** The role pre-pass's light facts of `text` (with `hints`): not computed again. */
  prepassTs?: PrepassTsFacts;
  /** `contentHash(text)` when the caller hashed this very text (the `--cache` pre-pass record): not hashed twice. */
  textHash?: string;
}

/** Suppressions naming workspace rules (run over the model elsewhere) are not "unused". */
const EXTERNAL_RULE_IDS: ReadonlySet<string> = new Set(WORKSPACE_RULES.map((r) => r.meta.id));

/** A path relative to `root`, forward slashes (the project model's and the CLI's path form). */
export function relativePath(root: string, abs: string): string {
  return slash(path.relative(root, abs)) || path.basename(abs);
}

/** The host's I/O for rules (reads, .gitignore, git); project facts come from the model (`ModelContext`). */
export function createFacts(setup: ScanSetup): ProjectFacts {
  return new ProjectFacts(setup.factsRoot, { useGit: setup.useGit, maxFileSize: setup.config.maxFileSize });
}

/** What rules see for a file: the model's context (from the main thread) plus the host's I/O. */
export function fileContext(facts: ProjectFacts, abs: string, model: ModelContext | undefined, isTracked?: boolean): ProjectContext {
  return { ...(model?.context ?? {}), ...facts.ioContextFor(abs, isTracked) };
}

/**
 * The serialisable part of a file's project facts: the cache key includes it, so a changed
 * package.json (dependencies, bin, type) or shutdown handler elsewhere in the package
 * re-analyses the files it concerns. Functions (`readWorkspaceFile`, `isGitIgnored`) and the
 * package's shutdown facts (costly: they scan the whole package) are covered by recorded
 * dependencies instead, checked only for the files whose rules used them.
 */
export function factsFingerprint(context: ProjectContext, role?: RoleDecision, isTracked = context.isTracked): string {
  return [
    role ? `${role.role}\u0001${role.reason}` : '',
    String(context.packageHasShutdownHandler ?? null),
    folderFactsHash(context),
    memoJson(context.envImports),
    String(isTracked ?? null),
  ].join('\u0000');
}

/** JSON of a facts object, memoised per object: ProjectFacts hands the same objects to every file of a package. */
const jsonMemo = new WeakMap<object, string>();
function memoJson(value: object | undefined, toJson: (v: object) => unknown = (v) => v): string {
  if (value === undefined) return 'null';
  let json = jsonMemo.get(value);
  if (json === undefined) jsonMemo.set(value, (json = JSON.stringify(toJson(value))));
  return json;
}

/** The facts every file of a folder shares (`projectContextFor`'s per-folder part), by the objects that carry them. */
type FolderParts = [ProjectContext['nearestPackage'], ProjectContext['packageBesideFile'], ProjectContext['workspacePackageNames'], ProjectContext['pathAliases'], ProjectContext['shutdownHandlerFiles']];
const folderHashes = new WeakMap<object, { parts: FolderParts; hash: string }>();

/**
 * The hash of a context's per-folder facts, memoised on the objects that carry them: the files of
 * a folder share them (`contextMemo`), so their long JSON (manifests, package names, shutdown
 * files) is serialised and hashed once per folder, not once per file.
 */
function folderFactsHash(context: ProjectContext): string {
  const parts: FolderParts = [context.nearestPackage, context.packageBesideFile, context.workspacePackageNames, context.pathAliases, context.shutdownHandlerFiles];
  const anchor = parts.find((p): p is NonNullable<typeof p> => typeof p === 'object' && p !== null);
  const known = anchor && folderHashes.get(anchor);
  if (known && known.parts.every((p, i) => p === parts[i])) return known.hash;
  const hash = contentHash(
    memoJson(parts[0]),
    memoJson(parts[1]),
    memoJson(parts[2], (names) => [...(names as ReadonlySet<string>)].sort()),
    memoJson(parts[3]),
    memoJson(parts[4]),
  );
  if (anchor) folderHashes.set(anchor, { parts, hash });
  return hash;
}

/** Hashes of fingerprints: files of one package share one, so each long fingerprint is hashed once. */
const fingerprintHashes = new Map<string, string>();

/**
 * The cache key of a file: its content (as `contentHash(text)`) and its project facts.
 * `isTracked`: git's answer when `context` is the model's part only (`ModelContext.context`, which
 * `fileContext` completes with the host's I/O): the key of a warm lookup is then computed without
 * building the file's whole context, with the same value.
 */
export function scanKey(textHash: string, context: ProjectContext, role?: RoleDecision, isTracked = context.isTracked): string {
  const fingerprint = factsFingerprint(context, role, isTracked);
  let factsHash = fingerprintHashes.get(fingerprint);
  if (factsHash === undefined) {
    if (fingerprintHashes.size > 10_000) fingerprintHashes.clear(); // bounded
    fingerprintHashes.set(fingerprint, (factsHash = contentHash(fingerprint)));
  }
  return contentHash(textHash, factsHash);
}

export function shutdownFingerprint(context: ProjectContext): string {
  return JSON.stringify([context.packageHasShutdownHandler ?? null, context.shutdownHandlerFiles ?? null]);
}

/** Wraps the context's functions to record what the rules asked (for cache validation). */
function recording(context: ProjectContext, deps: { reads: Record<string, string | null>; ignored: Record<string, boolean>; shutdown?: string }): ProjectContext {
  const { packageHasShutdownHandler, shutdownHandlerFiles, ...rest } = context;
  const noteShutdown = () => { deps.shutdown = shutdownFingerprint(context); };
  return {
    ...rest,
    get packageHasShutdownHandler() { noteShutdown(); return packageHasShutdownHandler; },
    get shutdownHandlerFiles() { noteShutdown(); return shutdownHandlerFiles; },
    readWorkspaceFile: context.readWorkspaceFile && ((p: string) => {
      const text = context.readWorkspaceFile!(p);
      deps.reads[p] = text === undefined ? null : contentHash(text);
      return text;
    }),
    isGitIgnored: context.isGitIgnored && ((p: string) => {
      const ignored = context.isGitIgnored!(p);
      deps.ignored[p] = ignored;
      return ignored;
    }),
  };
}

/**
 * Whether recorded dependencies still hold for the file (same answers today). `fullContext`
 * gives the context with shutdown facts, only asked for when the entry depends on them.
 */
export function depsStillValid(deps: CacheDeps, context: ProjectContext, fullContext: () => ProjectContext): boolean {
  if (deps.shutdown !== undefined && shutdownFingerprint(fullContext()) !== deps.shutdown) return false;
  for (const [p, hash] of Object.entries(deps.reads ?? {})) {
    const text = context.readWorkspaceFile?.(p);
    if ((text === undefined ? null : contentHash(text)) !== hash) return false;
  }
  for (const [p, ignored] of Object.entries(deps.ignored ?? {})) {
    if ((context.isGitIgnored?.(p) ?? false) !== ignored) return false;
  }
  return true;
}

/** Analyses one file exactly as the CLI's sequential loop does (reading it only when no text was handed over). */
export function runScanJob(setup: ScanSetup, facts: ProjectFacts, job: ScanJob): ScanJobResult {
  const { index, abs, model } = job;
  let text: string;
  if (job.text !== undefined) {
    text = job.text;
  } else {
    try {
      text = readRegularText(abs, setup.config.maxFileSize);
    } catch {
      return { index, findings: [], skipped: 'unreadable' };
    }
  }
  const base = fileContext(facts, abs, model, job.isTracked);
  const deps: { reads: Record<string, string | null>; ignored: Record<string, boolean>; shutdown?: string } = { reads: {}, ignored: {} };
  const ruleErrors: string[] = [];
  // the file as rule errors name it: computed only when a rule fails (path.relative costs on every file)
  const shown = () => (setup.cwd ? relativePath(setup.cwd, abs) : abs);
  const own = setup.configsByDir?.[path.dirname(abs)];
  const result = analyze({ path: slash(abs), text }, {
    config: own ? own.config : setup.config,
    rules: RULES,
    project: setup.withCache ? recording(base, deps) : base,
    classify: { ...(job.classify ?? facts.classifyOptionsFor(abs, own ? own.configRoot : setup.configRoot)), ...(model?.role ? { role: model.role } : {}) },
    parsed: job.parsed,
    today: setup.today,
    reportUnusedSuppressions: true,
    externalRuleIds: EXTERNAL_RULE_IDS,
    onRuleError: (ruleId, _p, error) => ruleErrors.push(maskText(`${ruleId} failed on ${shown()}: ${(error as Error)?.message ?? String(error)}`)),
  });
  const out: ScanJobResult = { index, findings: result.findings, skipped: result.skipped, ...(result.file ? { role: { role: result.file.role, reason: result.file.roleReason } } : {}) };
  if (setup.modelRoot !== undefined) {
    const parsedTs = result.parsed?.kind === 'ts' ? (result.parsed as ParsedDocument<'ts'>).value : undefined;
    out.modelFacts = factsOf(relativePath(setup.modelRoot, abs), text, parsedTs, job.hints && job.text !== undefined ? { hints: job.hints, prepassTs: job.prepassTs } : undefined);
  }
  if (ruleErrors.length > 0) out.ruleErrors = ruleErrors;
  if (setup.withCache) {
    out.textHash = job.textHash !== undefined && job.text !== undefined ? job.textHash : contentHash(text);
    out.hash = scanKey(out.textHash, base, model?.role);
    const recorded: CacheDeps = {};
    if (Object.keys(deps.reads).length > 0) recorded.reads = deps.reads;
    if (Object.keys(deps.ignored).length > 0) recorded.ignored = deps.ignored;
    if (deps.shutdown !== undefined) recorded.shutdown = deps.shutdown;
    out.deps = recorded;
  }
  return out;
}
