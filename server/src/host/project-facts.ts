/**
 * The host's knowledge of the workspace, shared by the CLI and the language server: the only
 * code besides them that reads files. Rules never touch the file system; they receive these
 * facts as a `ProjectContext`. Everything is read lazily, cached, and parsed defensively: a
 * malformed package.json or pnpm-workspace.yaml is treated as absent, never a crash.
 * Workspace code is never executed (git itself may run, time-bounded, with fsmonitor off).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import type { ClassifyOptions } from '../engine/classify';
import type { PackageInfo, PackageJsonFacts, ProjectContext } from '../engine/project-context';
import { classifyKind } from '../engine/classify';
import { importAliasesFor } from '../engine/path-aliases';
import { GitignoreMatcher } from './gitignore';
import { walkFiles } from './walk';

/**
 * Decides whether one file registers graceful-shutdown handling (a SIGTERM handler or a
 * shutdown library). Provided by the rule side (pure function over path + text); the host
 * only feeds it the package's files. HOOK: `packageHasShutdownHandler` stays undefined until
 * a predicate is injected.
 */
export type ShutdownPredicate = (path: string, text: string) => boolean;

export interface ProjectFactsOptions {
  /**
   * Ask git which files are tracked (only when a `.git` exists at or above the root). Default
   * false: the CLI turns it on; an editor host should not spawn processes per workspace.
   */
  useGit?: boolean;
  /** Upper bound for the `git ls-files` call, in ms. */
  gitTimeoutMs?: number;
  /** Files larger than this are not read for facts (bytes). */
  maxFileSize?: number;
  /** Injectable: see `ShutdownPredicate`. */
  shutdownPredicate?: ShutdownPredicate;
  /**
   * Reads a file; the language server passes one that prefers open editor buffers.
   * Defaults to the disk (undefined when missing, unreadable or too large).
   */
  readFile?: (absPath: string) => string | undefined;
  /** Lists a package's source files for the shutdown scan; defaults to `walkFiles` over the package folder. */
  listPackageFiles?: (packageDir: string) => readonly string[];
}

const DEFAULT_MAX_READ = 2 * 1024 * 1024;

/** A file's text as UTF-8; undefined when missing, unreadable, a folder or over `maxBytes`. */
export function readTextFile(absPath: string, maxBytes: number): string | undefined {
  try {
    const stat = fs.statSync(absPath);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    return fs.readFileSync(absPath, 'utf8');
  } catch {
    return undefined;
  }
}

/** Forward-slash form of an absolute path (the form `ProjectContext` uses). */
export function slash(p: string): string {
  return p.replace(/\\/g, '/');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Keeps only well-typed fields of a parsed package.json: rules may trust the shape. */
export function sanitizePackageJson(value: unknown): PackageJsonFacts | undefined {
  if (!isObject(value)) return undefined;
  const facts: PackageJsonFacts = {};
  if (typeof value.name === 'string') facts.name = value.name;
  if (typeof value.main === 'string') facts.main = value.main;
  if (typeof value.type === 'string') facts.type = value.type;
  if (typeof value.bin === 'string') facts.bin = value.bin;
  else if (isObject(value.bin)) facts.bin = stringRecord(value.bin);
  for (const key of ['scripts', 'dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'engines'] as const) {
    const record = stringRecord(value[key]);
    if (record) facts[key] = record;
  }
  if (Array.isArray(value.workspaces)) facts.workspaces = value.workspaces.filter((w): w is string => typeof w === 'string');
  else if (isObject(value.workspaces) && Array.isArray(value.workspaces.packages)) {
    facts.workspaces = { packages: value.workspaces.packages.filter((w): w is string => typeof w === 'string') };
  }
  return facts;
}

export class ProjectFacts {
  readonly root: string;
  private readonly options: ProjectFactsOptions;
  private readonly packageCache = new Map<string, PackageInfo | null>();
  private readonly nearestCache = new Map<string, PackageInfo | null>();
  private readonly shutdownCache = new Map<string, { has: boolean; files: string[] }>();
  private gitignore: GitignoreMatcher;
  private tracked: Set<string> | null | undefined;
  private workspaceNames: ReadonlySet<string> | undefined;
  private readonly aliasCache = new Map<string, string[]>();

  constructor(root: string, options: ProjectFactsOptions = {}) {
    this.root = path.resolve(root);
    this.options = options;
    this.gitignore = new GitignoreMatcher(this.root, (p) => this.read(p));
  }

  /** Forgets cached facts (the language server calls this when files change). */
  invalidate(): void {
    this.packageCache.clear();
    this.nearestCache.clear();
    this.shutdownCache.clear();
    this.aliasCache.clear();
    this.gitignore = new GitignoreMatcher(this.root, (p) => this.read(p));
    this.tracked = undefined;
    this.workspaceNames = undefined;
  }

  /** Reads a file as UTF-8; undefined when missing, unreadable, a folder or too large. */
  read(absPath: string): string | undefined {
    if (this.options.readFile) return this.options.readFile(absPath);
    return readTextFile(absPath, this.options.maxFileSize ?? DEFAULT_MAX_READ);
  }

  /** Whether a path under the root is excluded by a `.gitignore` (nested files honoured). */
  isGitIgnored(absPath: string, isDir = false): boolean {
    return this.gitignore.isIgnored(path.resolve(absPath), isDir);
  }

  /** The parsed package.json of a folder, or undefined (missing or malformed). */
  packageAt(absDir: string): PackageInfo | undefined {
    const dir = path.resolve(absDir);
    let info = this.packageCache.get(dir);
    if (info === undefined) {
      info = null;
      const text = this.read(path.join(dir, 'package.json'));
      if (text !== undefined) {
        try {
          const json = sanitizePackageJson(JSON.parse(text.replace(/^\uFEFF/, '')));
          if (json) info = { dir: slash(dir), json };
        } catch {
          // malformed package.json: no facts rather than a crash
        }
      }
      this.packageCache.set(dir, info);
    }
    return info ?? undefined;
  }

  /** The package.json nearest to a file (searching up to the file system root, skipping malformed ones). */
  nearestPackage(absFile: string): PackageInfo | undefined {
    return this.nearestFromDir(path.dirname(path.resolve(absFile)));
  }

  private nearestFromDir(dir: string): PackageInfo | undefined {
    let cached = this.nearestCache.get(dir);
    if (cached === undefined) {
      const parent = path.dirname(dir);
      cached = this.packageAt(dir) ?? (parent === dir ? undefined : this.nearestFromDir(parent)) ?? null;
      this.nearestCache.set(dir, cached);
    }
    return cached ?? undefined;
  }

  /** `bin` targets of the package, as absolute forward-slash paths (CLIs are not application code). */
  binTargets(pkg: PackageInfo | undefined): ReadonlySet<string> {
    const bin = pkg?.json.bin;
    const targets = typeof bin === 'string' ? [bin] : bin ? Object.values(bin) : [];
    return new Set(targets.map((t) => slash(path.resolve(pkg!.dir, t))));
  }

  /** Names of the monorepo's own packages, from `workspaces` and `pnpm-workspace.yaml` of the root. */
  workspacePackageNames(): ReadonlySet<string> {
    if (this.workspaceNames) return this.workspaceNames;
    const patterns: string[] = [];
    const rootPkg = this.packageAt(this.root);
    const ws = rootPkg?.json.workspaces;
    if (Array.isArray(ws)) patterns.push(...ws);
    else if (ws?.packages) patterns.push(...ws.packages);
    const pnpm = this.read(path.join(this.root, 'pnpm-workspace.yaml'));
    if (pnpm !== undefined) {
      try {
        const doc: unknown = parseYaml(pnpm, { maxAliasCount: 50 });
        if (isObject(doc) && Array.isArray(doc.packages)) patterns.push(...doc.packages.filter((p): p is string => typeof p === 'string'));
      } catch {
        // malformed pnpm-workspace.yaml: ignored
      }
    }
    const names = new Set<string>();
    for (const dir of expandWorkspaceGlobs(this.root, patterns)) {
      const name = this.packageAt(dir)?.json.name;
      if (name) names.add(name);
    }
    this.workspaceNames = names;
    return names;
  }

  /**
   * Whether git tracks the file: `undefined` when unknown (no `.git`, git missing, too slow,
   * or the file is outside the root).
   */
  isTracked(absPath: string): boolean | undefined {
    const files = this.trackedFiles();
    if (!files) return undefined;
    const rel = path.relative(this.root, path.resolve(absPath));
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return files.has(slash(rel));
  }

  private trackedFiles(): Set<string> | null {
    if (this.tracked !== undefined) return this.tracked;
    this.tracked = null;
    if (this.options.useGit !== true || !hasGitDir(this.root)) return null;
    // fsmonitor is a configurable command: disable it so a hostile repository runs nothing.
    const result = spawnSync('git', ['-c', 'core.fsmonitor=false', 'ls-files', '-z', '--', '.'], {
      cwd: this.root,
      encoding: 'utf8',
      timeout: this.options.gitTimeoutMs ?? 3000,
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
    });
    if (result.status === 0 && typeof result.stdout === 'string') {
      this.tracked = new Set(result.stdout.split('\0').filter(Boolean));
    }
    return this.tracked;
  }

  /** Graceful-shutdown facts of a package, from the injected predicate (undefined without one). */
  shutdownFacts(pkg: PackageInfo | undefined): { has: boolean; files: string[] } | undefined {
    const predicate = this.options.shutdownPredicate;
    if (!predicate || !pkg) return undefined;
    let facts = this.shutdownCache.get(pkg.dir);
    if (!facts) {
      const files: string[] = [];
      const list = this.options.listPackageFiles ?? ((dir: string) => this.packageSourceFiles(dir));
      for (const file of list(pkg.dir)) {
        const text = this.read(file);
        if (text !== undefined && predicate(slash(file), text)) files.push(slash(file));
      }
      facts = { has: files.length > 0, files };
      this.shutdownCache.set(pkg.dir, facts);
    }
    return facts;
  }

  /** TS/JS files of a package folder (not gitignored, not in node_modules or build outputs). */
  private packageSourceFiles(dir: string): string[] {
    return walkFiles([dir], {
      root: this.root,
      maxFileSize: this.options.maxFileSize ?? DEFAULT_MAX_READ,
      isIgnored: (p, isDir) => this.isGitIgnored(p, isDir),
    }).filter((f) => classifyKind(f)?.kind === 'ts');
  }

  /**
   * Classification inputs for `analyze`: bin targets, and the path that config globs and the
   * "is this application code" patterns see. That path is relative to `globRoot` (the config
   * file's folder) when the file is inside it; otherwise to the file's package, else the root.
   * Never relative to an unrelated ancestor: a checkout under `~/tools/` or `…/cli/` must not
   * turn every file into tooling.
   */
  classifyOptionsFor(absPath: string, globRoot?: string): ClassifyOptions {
    const file = path.resolve(absPath);
    const pkg = this.nearestPackage(file);
    const base = [globRoot, pkg?.dir, this.root].find((dir): dir is string => dir !== undefined && isInside(path.resolve(dir), file));
    return {
      binTargets: this.binTargets(pkg),
      relativePath: base ? slash(path.relative(path.resolve(base), file)) : path.basename(file),
    };
  }

  /** Bare specifiers that resolve locally in the folder: tsconfig/jsconfig `paths` keys and baseUrl entries, root-path packages' folders. */
  pathAliases(absDir: string): string[] {
    const dir = slash(path.resolve(absDir));
    let aliases = this.aliasCache.get(dir);
    if (!aliases) {
      const pkg = this.nearestFromDir(path.resolve(absDir));
      aliases = importAliasesFor(dir, slash(this.root), {
        read: (p) => this.read(p),
        entries: (d) => { try { return fs.readdirSync(d); } catch { return undefined; } },
      }, pkg && { ...pkg.json, dir: pkg.dir });
      this.aliasCache.set(dir, aliases);
    }
    return aliases;
  }

  /** Everything a rule may know about the file at `absPath`. */
  contextFor(absPath: string): ProjectContext {
    const file = path.resolve(absPath);
    const dir = path.dirname(file);
    const nearestPackage = this.nearestPackage(file);
    const shutdown = this.shutdownFacts(nearestPackage);
    const resolveFromFile = (p: string) => path.resolve(dir, p);
    const inRoot = (abs: string) => {
      const rel = path.relative(this.root, abs);
      return !rel.startsWith('..') && !path.isAbsolute(rel);
    };
    return {
      nearestPackage,
      packageBesideFile: this.packageAt(dir),
      workspacePackageNames: this.workspacePackageNames(),
      pathAliases: this.pathAliases(dir),
      isGitIgnored: (p) => this.isGitIgnored(resolveFromFile(p)),
      isTracked: this.isTracked(file),
      packageHasShutdownHandler: shutdown?.has,
      shutdownHandlerFiles: shutdown?.files,
      // Only files inside the workspace: a rule cannot make the host read /etc/passwd.
      readWorkspaceFile: (p) => {
        const abs = resolveFromFile(p);
        return inRoot(abs) ? this.read(abs) : undefined;
      },
    };
  }
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Whether `dir` or one of its ancestors holds `.git` (a folder, or a file for worktrees). */
export function hasGitDir(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return true;
    if (path.dirname(current) === current) return false;
  }
}

/**
 * Expands simple workspace globs (`packages/*`, `apps/**`, `tools/cli`, `!excluded/*`) to
 * folders holding a package.json. `**` descends at most 4 levels and never into node_modules.
 */
export function expandWorkspaceGlobs(root: string, patterns: readonly string[]): string[] {
  const include = patterns.filter((p) => !p.startsWith('!')).map((p) => p.replace(/^\.\//, '').replace(/\/+$/, ''));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1).replace(/^\.\//, '').replace(/\/+$/, ''));
  if (include.length === 0) return [];
  const isIncluded = picomatch(include, { dot: false });
  const isExcluded = exclude.length ? picomatch(exclude) : () => false;
  const maxDepth = Math.max(...include.map((p) => (p.includes('**') ? 4 : p.split('/').length)));
  const found: string[] = [];
  const visit = (abs: string, rel: string, depth: number) => {
    if (depth > maxDepth) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const childAbs = path.join(abs, entry.name);
      if (isIncluded(childRel) && !isExcluded(childRel) && fs.existsSync(path.join(childAbs, 'package.json'))) found.push(childAbs);
      visit(childAbs, childRel, depth + 1);
    }
  };
  visit(path.resolve(root), '', 1);
  return found;
}
