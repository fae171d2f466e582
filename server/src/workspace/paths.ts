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
