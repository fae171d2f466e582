/**
 * The one derivation of a file's `ProjectContext` from the project model, used by every entry
 * point: the CLI (main thread and scan workers), the editor's open documents and Analyze
 * Workspace. The model knows packages, shutdown handling and roles; the host adds only I/O
 * (reads of other files, .gitignore, git) on top.
 */
import { importAliasesFor, packageAliases, type AliasPackage, type AliasSource } from '../engine/path-aliases';
import type { PackageInfo, ProjectContext } from '../engine/project-context';
import type { RoleDecision } from '../engine/types';
import type { PackageFact, ProjectModel } from './model-types';
import { deepestContaining, dirOf, isUnder, joinPath } from './paths';

export interface ProjectContextOptions {
  /**
   * Absolute folder (forward slashes) the model's paths are relative to. When given, package
   * folders and shutdown files in the context are absolute, matching a host that analyses
   * absolute paths (the CLI, the editor).
   */
  root?: string;
  /** Texts of workspace files by model path: answers `readWorkspaceFile` and tsconfig reads for `pathAliases` (no I/O here). */
  textOf?: (path: string) => string | undefined;
  /**
   * Reuse of the per-folder part of the context (packages, shutdown files, aliases) between
   * files of one folder: a `contextMemo()` made for one model, root and `textOf` whose answers
   * do not change while it is used (the CLI's run). Without it everything is derived per call.
   */
  memo?: ContextMemo;
}

/** What every file of one folder shares in its context (see `ProjectContextOptions.memo`). */
type FolderContext = Pick<ProjectContext, 'nearestPackage' | 'packageBesideFile' | 'workspacePackageNames' | 'pathAliases' | 'packageHasShutdownHandler' | 'shutdownHandlerFiles'>;

/** Folder (model path) → its shared context; see `ProjectContextOptions.memo`. */
export type ContextMemo = Map<string, FolderContext>;

export function contextMemo(): ContextMemo {
  return new Map();
}

/**
 * What every folder's context derives from the whole model, derived once per model: the names in
 * each folder (for tsconfig baseUrl folders and scope aliases), the workspace's package names (one
 * set shared by every context: its JSON is then serialised once for the cache keys, not once per
 * folder) and each package's own aliases (a function of the package and the listing).
 */
interface ModelDerived {
  entries: Map<string, Set<string>>;
  names: ReadonlySet<string>;
  packageAliases: Map<PackageFact, readonly string[]>;
  /** The deepest valid package containing a path (see `nearestValidPackage`). */
  nearest: (path: string) => PackageFact | undefined;
}
const derivedByModel = new WeakMap<ProjectModel, ModelDerived>();

function derivedOf(model: ProjectModel): ModelDerived {
  let derived = derivedByModel.get(model);
  if (!derived) {
    const entries = new Map<string, Set<string>>();
    for (const file of model.files) {
      const parts = file.split('/');
      for (let i = 0; i < parts.length; i++) {
        const dir = i === 0 ? '.' : parts.slice(0, i).join('/');
        let names = entries.get(dir);
        if (!names) entries.set(dir, (names = new Set()));
        names.add(parts[i]);
      }
    }
    const names = new Set(model.packages.map((p) => p.name).filter((n): n is string => !!n));
    derivedByModel.set(model, (derived = { entries, names, packageAliases: new Map(), nearest: nearestValidPackage(model.packages) }));
  }
  return derived;
}

/** The deepest valid package containing a path: `deepestContaining` (workspace/paths.ts) over the valid packages. */
export function nearestValidPackage(packages: readonly PackageFact[]): (path: string) => PackageFact | undefined {
  return deepestContaining(packages.filter((p) => p.valid));
}

function aliasSource(model: ProjectModel, textOf: (path: string) => string | undefined): AliasSource {
  const known = derivedOf(model).entries;
  return { read: textOf, entries: (dir) => { const names = known.get(dir); return names ? [...names] : undefined; } };
}

/** The model's facts for a file, as data: what the CLI hands to scan workers (structured-clonable). */
export interface ModelContext {
  context: ProjectContext;
  /** The file's role and why (TS/JS files). */
  role?: RoleDecision;
}

function packageInfo(p: PackageFact, abs: (path: string) => string): PackageInfo {
  return { dir: abs(p.dir), json: p.manifest };
}

/** The facts a single-file rule may know about the rest of the workspace, for the file at model path `path`. */
export function projectContextFor(model: ProjectModel, path: string, options: ProjectContextOptions = {}): ProjectContext {
  return contextOf(model, path, options, true);
}

/** `projectContextFor`, with `readWorkspaceFile` only when `withReads` (not made to be deleted: a deleted key turns every context into a slow dictionary object). */
function contextOf(model: ProjectModel, path: string, options: ProjectContextOptions, withReads: boolean): ProjectContext {
  const root = options.root?.replace(/\\/g, '/').replace(/\/+$/, '');
  const { textOf } = options;
  // everything but envImports depends on the file's folder only (files of one folder are under the same packages)
  const dir = dirOf(path);
  let folder = options.memo?.get(dir);
  if (!folder) {
    folder = folderContext(model, path, root, textOf);
    options.memo?.set(dir, folder);
  }
  const envImports = model.envImportsOf(path);
  return {
    ...(envImports ? { envImports } : {}),
    ...folder,
    ...(textOf && withReads ? {
      readWorkspaceFile: (p: string) => {
        const norm = p.replace(/\\/g, '/');
        const rel = root !== undefined && norm.startsWith(`${root}/`) ? norm.slice(root.length + 1)
          : /^(?:\/|[A-Za-z]:\/)/.test(norm) ? norm : joinPath(dir, norm);
        return textOf(rel) ?? textOf(p);
      },
    } : {}),
  };
}

function folderContext(model: ProjectModel, path: string, root: string | undefined, textOf: ProjectContextOptions['textOf']): FolderContext {
  const abs = (p: string) => (root === undefined ? p : p ? `${root}/${p}` : root);
  const derived = derivedOf(model);
  const nearest = derived.nearest(path);
  const beside = model.packages.find((p) => p.valid && p.dir === dirOf(path));
  const shutdownFiles = [...new Set(model.shutdown.filter((s) => !nearest || isUnder(s.path, nearest.dir)).map((s) => abs(s.path)))].sort();
  // a package's own aliases read only the listing (not `textOf`): the same for all its folders
  const ofPackage = (pkg: AliasPackage, source: AliasSource) => {
    let aliases = nearest && derived.packageAliases.get(nearest);
    if (!aliases) { aliases = packageAliases(pkg, source); if (nearest) derived.packageAliases.set(nearest, aliases); }
    return aliases;
  };
  return {
    nearestPackage: nearest ? packageInfo(nearest, abs) : undefined,
    packageBesideFile: beside ? packageInfo(beside, abs) : undefined,
    workspacePackageNames: derived.names,
    // tsconfig baseUrl/paths and root-path packages: bare specifiers that resolve to the project's own files
    ...(textOf ? { pathAliases: importAliasesFor(dirOf(path) || '.', '.', aliasSource(model, textOf), nearest && { ...nearest.manifest, dir: nearest.dir || '.' }, ofPackage) } : {}),
    packageHasShutdownHandler: shutdownFiles.length > 0,
    shutdownHandlerFiles: shutdownFiles,
  };
}

/** The context and role of a file as plain data (no functions): for worker threads and cache keys. */
export function modelContextFor(model: ProjectModel, path: string, root?: string, textOf?: (path: string) => string | undefined, memo?: ContextMemo): ModelContext {
  const role = model.roleOf(path);
  const context = contextOf(model, path, { root, textOf, memo }, false); // data only: the worker answers reads itself
  return { context, ...(role ? { role } : {}) };
}
