/**
 * The one derivation of a file's `ProjectContext` from the project model, used by every entry
 * point: the CLI (main thread and scan workers), the editor's open documents and Analyze
 * Workspace. The model knows packages, shutdown handling and roles; the host adds only I/O
 * (reads of other files, .gitignore, git) on top.
 */
import type { PackageInfo, ProjectContext } from '../engine/project-context';
import type { RoleDecision } from '../engine/types';
import type { PackageFact, ProjectModel } from './model-types';
import { dirOf, isUnder, joinPath } from './paths';

export interface ProjectContextOptions {
  /**
   * Absolute folder (forward slashes) the model's paths are relative to. When given, package
   * folders and shutdown files in the context are absolute, matching a host that analyses
   * absolute paths (the CLI, the editor).
   */
  root?: string;
  /** Texts of workspace files by model path: answers `readWorkspaceFile` (no I/O here). */
  textOf?: (path: string) => string | undefined;
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
  const root = options.root?.replace(/\\/g, '/').replace(/\/+$/, '');
  const abs = (p: string) => (root === undefined ? p : p ? `${root}/${p}` : root);
  const containing = model.packages.filter((p) => p.valid && isUnder(path, p.dir)).sort((a, b) => b.dir.length - a.dir.length);
  const nearest = containing[0];
  const beside = model.packages.find((p) => p.valid && p.dir === dirOf(path));
  const shutdownFiles = [...new Set(model.shutdown.filter((s) => !nearest || isUnder(s.path, nearest.dir)).map((s) => abs(s.path)))].sort();
  const names = new Set(model.packages.map((p) => p.name).filter((n): n is string => !!n));
  const { textOf } = options;
  return {
    nearestPackage: nearest ? packageInfo(nearest, abs) : undefined,
    packageBesideFile: beside ? packageInfo(beside, abs) : undefined,
    workspacePackageNames: names,
    packageHasShutdownHandler: shutdownFiles.length > 0,
    shutdownHandlerFiles: shutdownFiles,
    ...(textOf ? {
      readWorkspaceFile: (p: string) => {
        const norm = p.replace(/\\/g, '/');
        const rel = root !== undefined && norm.startsWith(`${root}/`) ? norm.slice(root.length + 1)
          : /^(?:\/|[A-Za-z]:\/)/.test(norm) ? norm : joinPath(dirOf(path), norm);
        return textOf(rel) ?? textOf(p);
      },
    } : {}),
  };
}

/** The context and role of a file as plain data (no functions): for worker threads and cache keys. */
export function modelContextFor(model: ProjectModel, path: string, root?: string): ModelContext {
  const role = model.roleOf(path);
  return { context: projectContextFor(model, path, { root }), ...(role ? { role } : {}) };
}
