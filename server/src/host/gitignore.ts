/**
 * `.gitignore` matching with nested files, as git does it: each `.gitignore` applies to paths
 * below its folder, deeper files win, and nothing below an ignored folder can be re-included.
 * Uses the `ignore` package for the pattern semantics; this module only routes paths to it.
 */
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export type ReadText = (absPath: string) => string | undefined;

export class GitignoreMatcher {
  private readonly perDir = new Map<string, Ignore | null>();
  private readonly dirVerdicts = new Map<string, boolean>();

  /** `root`: the folder whose `.gitignore` is the top one (paths outside it are never ignored). */
  constructor(private readonly root: string, private readonly read: ReadText) {}

  /** Whether `absPath` (a file, or a folder when `isDir`) is ignored. */
  isIgnored(absPath: string, isDir = false): boolean {
    const rel = path.relative(this.root, absPath);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    const parts = rel.split(path.sep);
    // An ignored ancestor folder hides everything below it.
    let dir = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      dir = path.join(dir, parts[i]);
      if (this.dirIgnored(dir)) return true;
    }
    return this.matches(absPath, isDir);
  }

  private dirIgnored(absDir: string): boolean {
    let verdict = this.dirVerdicts.get(absDir);
    if (verdict === undefined) {
      const parent = path.dirname(absDir);
      verdict = (parent !== absDir && parent.startsWith(this.root) && parent !== this.root && this.dirIgnored(parent)) || this.matches(absDir, true);
      this.dirVerdicts.set(absDir, verdict);
    }
    return verdict;
  }

  /** Applies the `.gitignore` files from the root down to the path's folder; the deepest verdict wins. */
  private matches(absPath: string, isDir: boolean): boolean {
    let ignored = false;
    let dir = this.root;
    const rel = path.relative(this.root, absPath).split(path.sep);
    for (let i = 0; i < rel.length; i++) {
      const ig = this.load(dir);
      if (ig) {
        const sub = rel.slice(i).join('/') + (isDir ? '/' : '');
        const result = ig.test(sub);
        if (result.ignored) ignored = true;
        else if (result.unignored) ignored = false;
      }
      dir = path.join(dir, rel[i]);
    }
    return ignored;
  }

  private load(absDir: string): Ignore | null {
    let ig = this.perDir.get(absDir);
    if (ig === undefined) {
      const text = this.read(path.join(absDir, '.gitignore'));
      ig = text === undefined ? null : ignore({ allowRelativePaths: true }).add(text);
      this.perDir.set(absDir, ig);
    }
    return ig;
  }
}
