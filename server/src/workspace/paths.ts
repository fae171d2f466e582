/** Workspace paths (forward slashes, relative to the model root): folder, join, containment. */

function normalize(path: string): string {
  return path.replace(/\\/g, '/');
}

export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Joins a relative path to a folder, resolving `.` and `..` (never above the root). */
export function joinPath(dir: string, relative: string): string {
  const rel = normalize(relative);
  const absolute = rel.startsWith('/');
  const parts = (absolute ? rel : dir ? `${dir}/${rel}` : rel).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') { if (out.length > 0 && out[out.length - 1] !== '..') out.pop(); else if (!dir.startsWith('/')) out.push('..'); continue; }
    out.push(part);
  }
  const leadingSlash = (absolute || dir.startsWith('/')) ? '/' : '';
  return leadingSlash + out.join('/');
}

/** True when `path` is `dir` or lies under it ('' is the workspace root). */
export function isUnder(path: string, dir: string): boolean {
  if (dir === '' || dir === '.') return !path.startsWith('../');
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/**
 * `find((x) => isUnder(path, x.dir))` over `ordered`, memoised per folder: a workspace has
 * thousands of files and hundreds of packages, and every file of a folder gets the same answer
 * (a file's path is never a folder's, so only its folder matters; a path equal to one of the
 * dirs is looked up directly).
 */
export function firstContaining<T extends { dir: string }>(ordered: readonly T[]): (path: string) => T | undefined {
  const dirs = new Set(ordered.map((x) => x.dir));
  const byFolder = new Map<string, T | undefined>();
  const find = (path: string) => ordered.find((x) => isUnder(path, x.dir));
  return (path) => {
    if (dirs.has(path)) return find(path);
    const folder = dirOf(path);
    if (byFolder.has(folder)) return byFolder.get(folder);
    const found = find(path);
    byFolder.set(folder, found);
    return found;
  };
}

/**
 * The deepest of `items` whose dir contains a path (among equal dirs, the first in `items`): what
 * `firstContaining` answers over `items` sorted deepest first, found by looking the path's folders
 * up from the deepest instead of testing every item per folder (a model has hundreds of packages
 * and a scan thousands of folders). Dirs are model paths ('' for the root, no trailing slash);
 * should one not be, or the path leave the model root, a scan answers.
 */
export function deepestContaining<T extends { dir: string }>(items: readonly T[]): (path: string) => T | undefined {
  const scan = (path: string) => items.filter((x) => isUnder(path, x.dir)).sort((a, b) => b.dir.length - a.dir.length)[0];
  const byDir = new Map<string, T>();
  for (const x of items) {
    if (x.dir === '.' || x.dir.endsWith('/') || x.dir.startsWith('/') || x.dir.startsWith('../') || x.dir === '..') return scan;
    if (!byDir.has(x.dir)) byDir.set(x.dir, x);
  }
  return (path) => {
    if (path.startsWith('/') || path.startsWith('../') || path === '..') return scan(path);
    for (let dir = path; ; dir = dirOf(dir)) {
      const found = byDir.get(dir);
      if (found) return found;
      if (dir === '') return undefined;
    }
  };
}
