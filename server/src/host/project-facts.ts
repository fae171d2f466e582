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
import type { ClassifyOptions, RoleGlobs } from '../engine/classify';
import type { RoleDecision } from '../engine/types';
import { projectContextFor } from '../workspace/project-context-for';
import { isRoleEvidenceFile, ProjectModelBuilder, type ProjectModel } from '../workspace/project-model';
import type { PackageInfo, ProjectContext } from '../engine/project-context';
import { classifyKind } from '../engine/classify';
import { GitignoreMatcher } from './gitignore';
import { walkFiles } from './walk';

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
  /**
   * Reads a file; the language server passes one that prefers open editor buffers.
   * Defaults to the disk (undefined when missing, unreadable or too large).
   */
  readFile?: (absPath: string) => string | undefined;
  /** Lists the files the project model learns from; defaults to `walkFiles` over the root. */
  listModelFiles?: () => readonly string[];
  /** Configured role globs, for the model's roles. */
  roleGlobs?: RoleGlobs;
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

import { sanitizePackageJson } from '../engine/project-context';

export { sanitizePackageJson };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class ProjectFacts {
  readonly root: string;
  private readonly options: ProjectFactsOptions;
  private readonly packageCache = new Map<string, PackageInfo | null>();
  private readonly nearestCache = new Map<string, PackageInfo | null>();
  private projectModel: ProjectModel | undefined;
  private gitignore: GitignoreMatcher;
  private tracked: Set<string> | null | undefined;
  private workspaceNames: ReadonlySet<string> | undefined;

  constructor(root: string, options: ProjectFactsOptions = {}) {
    this.root = path.resolve(root);
    this.options = options;
    this.gitignore = new GitignoreMatcher(this.root, (p) => this.read(p));
  }

  /** Forgets cached facts (the language server calls this when files change). */
  invalidate(): void {
    this.packageCache.clear();
    this.nearestCache.clear();
    this.projectModel = undefined;
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

  /**
   * A walk's listing of a folder (`WalkOptions.onListed`): without a `.gitignore` entry the folder
   * is not opened to look for one (see `GitignoreMatcher.knowAbsent`; a failed open per folder).
   */
  folderListed(absDir: string, entries: readonly fs.Dirent[]): void {
    if (!entries.some((e) => e.name === '.gitignore')) this.gitignore.knowAbsent(path.resolve(absDir));
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

  /**
   * The project model of the root: the role pre-pass over every file the model learns from
   * (manifests, Dockerfiles, TS/JS hints; a parse only for texts that may handle shutdown).
   * Built on first use and kept until `invalidate`: the editor's one source of project facts
   * when it has no background index.
   */
  model(): ProjectModel {
    if (this.projectModel) return this.projectModel;
    const builder = new ProjectModelBuilder({ roleGlobs: this.options.roleGlobs });
    const files = this.options.listModelFiles?.() ?? walkFiles([this.root], {
      root: this.root,
      maxFileSize: this.options.maxFileSize ?? DEFAULT_MAX_READ,
      isIgnored: (p, isDir) => this.isGitIgnored(p, isDir),
      onListed: (dir, entries) => this.folderListed(dir, entries),
      accepts: isModelInput,
    });
    for (const file of files) {
      const text = this.read(file);
      if (text !== undefined) builder.update(this.modelPath(file), text, undefined, { light: true });
    }
    return (this.projectModel = builder.model());
  }

  /** A path as the model names it: relative to the root, forward slashes. */
  modelPath(absPath: string): string {
    return slash(path.relative(this.root, path.resolve(absPath))) || path.basename(absPath);
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

  /**
   * The host's I/O for rules about the file at `absPath`: .gitignore, git, reads inside the root.
   * `isTracked`: git's answer when the caller already has it (a scan worker then never runs git).
   */
  ioContextFor(absPath: string, isTracked?: boolean): Pick<ProjectContext, 'isGitIgnored' | 'isTracked' | 'readWorkspaceFile'> {
    const file = path.resolve(absPath);
    const dir = path.dirname(file);
    const resolveFromFile = (p: string) => path.resolve(dir, p);
    // inside the root by path AND after symlinks: a committed link to ~/.aws/credentials is never read
    const inRoot = (abs: string) => {
      const rel = path.relative(this.root, abs);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
      try {
        return isInside(fs.realpathSync(this.root), fs.realpathSync(abs));
      } catch {
        return false; // missing or unreadable: nothing to read anyway
      }
    };
    return {
      isGitIgnored: (p) => this.isGitIgnored(resolveFromFile(p)),
      isTracked: isTracked ?? this.isTracked(file),
      // Only files inside the workspace: a rule cannot make the host read /etc/passwd.
      readWorkspaceFile: (p) => {
        const abs = resolveFromFile(p);
        return inRoot(abs) ? this.read(abs) : undefined;
      },
    };
  }

  /** Everything a rule may know about the file at `absPath`: the model's context plus the host's I/O. */
  contextFor(absPath: string): ProjectContext {
    const file = path.resolve(absPath);
    if (!isInside(this.root, file)) return { ...this.ioContextFor(file) };
    const textOf = (rel: string) => this.read(path.resolve(this.root, rel));
    return { ...projectContextFor(this.model(), this.modelPath(file), { root: slash(this.root), textOf }), ...this.ioContextFor(file) };
  }

  /**
   * What a rule may know about the file without the folder's model: its package (a few
   * package.json reads up the tree), the monorepo's package names, the host's I/O. Shutdown
   * handling elsewhere is unknown here: reported as handled, so the cross-file shutdown check
   * waits for the model rather than show a finding the model would take back.
   */
  contextWithoutModel(absPath: string): ProjectContext {
    const file = path.resolve(absPath);
    const nearest = this.nearestPackage(file);
    return {
      nearestPackage: nearest,
      packageBesideFile: this.packageAt(path.dirname(file)),
      workspacePackageNames: this.workspacePackageNames(),
      packageHasShutdownHandler: true,
      shutdownHandlerFiles: [],
      ...this.ioContextFor(file),
    };
  }

  /** The role the model decided for a file (undefined outside the root or for other kinds). */
  roleFor(absPath: string): RoleDecision | undefined {
    const file = path.resolve(absPath);
    return isInside(this.root, file) ? this.model().roleOf(this.modelPath(file)) : undefined;
  }
}

/** Files the project model learns from: the analysed kinds, manifests, HTML pages, extension-less scripts. */
function isModelInput(abs: string): boolean {
  const name = path.basename(abs);
  if (classifyKind(abs)) return true;
  return name === 'package.json' || isRoleEvidenceFile(slash(abs));
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
