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
  private readonly chains = new Map<string, ReadonlyArray<{ dir: string; ig: Ignore }>>();

  /** `root` with a trailing separator: a normalised path under the root starts with it. */
  private readonly rootPrefix: string;

  /** `root`: the folder whose `.gitignore` is the top one (paths outside it are never ignored). */
  constructor(private readonly root: string, private readonly read: ReadText) {
    this.rootPrefix = root.endsWith(path.sep) ? root : root + path.sep;
  }

  /** Whether `absPath` (a file, or a folder when `isDir`; absolute and normalised, as `path.resolve` gives) is ignored. */
  isIgnored(absPath: string, isDir = false): boolean {
    // path.relative's answer for a normalised path, without normalising it again (once per walked file)
    const rel = absPath.startsWith(this.rootPrefix) ? absPath.slice(this.rootPrefix.length) : path.relative(this.root, absPath);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    // An ignored ancestor folder hides everything below it (dirIgnored looks further up itself).
    const parent = path.dirname(absPath);
    if (parent !== this.root && this.dirIgnored(parent)) return true;
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

  /**
   * `absDir` has no `.gitignore` (its listing, just read, has no entry of that name): it is not
   * opened to find out. The walk lists every folder before it asks about the entries below it.
   */
  knowAbsent(absDir: string): void {
    if (!this.perDir.has(absDir)) this.perDir.set(absDir, null);
  }

  /** Applies the `.gitignore` files from the root down to the path's folder; the deepest verdict wins. */
  private matches(absPath: string, isDir: boolean): boolean {
    let ignored = false;
    for (const { dir, ig } of this.chainFor(path.dirname(absPath))) {
      const sub = path.relative(dir, absPath).split(path.sep).join('/') + (isDir ? '/' : '');
      const result = ig.test(sub);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }

  /** The `.gitignore` files that apply below `absDir` (the root's first), cached per folder. */
  private chainFor(absDir: string): ReadonlyArray<{ dir: string; ig: Ignore }> {
    let chain = this.chains.get(absDir);
    if (chain === undefined) {
      const parent = path.dirname(absDir);
      const inherited = absDir === this.root || parent === absDir ? [] : this.chainFor(parent);
      const own = this.load(absDir);
      chain = own ? [...inherited, { dir: absDir, ig: own }] : inherited;
      this.chains.set(absDir, chain);
    }
    return chain;
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
