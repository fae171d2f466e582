/**
 * The one walker, for the CLI and the editor's workspace index: folders walked
 * deterministically (sorted by name, depth first). Skips `SKIPPED_DIRS`, `.gitignore`d paths,
 * symlinks that leave the root (never followed) and files above a size limit; yields only the
 * files `accepts` wants (default: the kinds `classifyKind` accepts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyKind } from '../engine/classify';
import { SKIPPED_DIRS } from '../engine/config';

export { SKIPPED_DIRS };

export type SkipReason = 'gitignored' | 'too-large' | 'symlink-outside-root' | 'unreadable' | 'unsupported';

export interface WalkOptions {
  /** Symlinks resolving outside this folder are not followed. */
  root: string;
  /** Files above this many bytes are skipped. */
  maxFileSize: number;
  /** `.gitignore` verdict for a path; none by default. */
  isIgnored?: (absPath: string, isDir: boolean) => boolean;
  /** Told about every candidate file (a kind factorlint analyses) that is skipped, and why. */
  onSkip?: (absPath: string, reason: SkipReason) => void;
  /** Which files to yield; default: the kinds `classifyKind` accepts (the files analysed). */
  accepts?: (absPath: string) => boolean;
  /** Told each folder's entries as soon as they are read, before any of them is considered. */
  onListed?: (absDir: string, entries: readonly fs.Dirent[]) => void;
  /** Filled with the size and mtime of each yielded file (a cache's stat fast path reuses them). */
  stats?: Map<string, FileStamp>;
}

/** What a walk learnt of a file from its `stat`. */
export interface FileStamp { size: number; mtimeMs: number }

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function inside(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The analysable files under `paths` (files or folders), absolute, in a stable order, each
 * once. An explicitly named file is returned even when `.gitignore`d (the user asked for it),
 * but it must be a kind factorlint analyses.
 */
export function walkFiles(paths: readonly string[], options: WalkOptions): string[] {
  const out: string[] = [];
  for (const file of walkSteps(paths, options)) if (file !== undefined) out.push(file);
  return out;
}

/**
 * The same walk as steps, for a caller that must stay responsive (the editor's index): yields
 * each file, and `undefined` after each folder read, where the caller may pause or stop.
 */
export function* walkSteps(paths: readonly string[], options: WalkOptions): Generator<string | undefined, void, void> {
  const root = path.resolve(options.root);
  let realRoot = root;
  try { realRoot = fs.realpathSync(root); } catch { /* keep as given */ }
  const seen = new Set<string>();
  let found: string[] = [];
  const emit = (abs: string) => {
    if (!seen.has(abs)) { seen.add(abs); found.push(abs); }
  };
  const flush = () => { const batch = found; found = []; return batch; };
  const accepts = options.accepts ?? ((abs: string) => classifyKind(abs) !== undefined);
  const skip = (abs: string, reason: SkipReason) => {
    if (accepts(abs)) options.onSkip?.(abs, reason);
  };

  const considerFile = (abs: string, stat: fs.Stats | (() => fs.Stats), explicit: boolean) => {
    if (!accepts(abs)) {
      if (explicit) options.onSkip?.(abs, 'unsupported');
      return;
    }
    if (!explicit && options.isIgnored?.(abs, false)) return skip(abs, 'gitignored');
    let stats: fs.Stats;
    try { stats = typeof stat === 'function' ? stat() : stat; } catch { return skip(abs, 'unreadable'); }
    if (stats.size > options.maxFileSize) return skip(abs, 'too-large');
    options.stats?.set(abs, { size: stats.size, mtimeMs: stats.mtimeMs });
    emit(abs);
  };

  function* visitDir(dir: string): Generator<string | undefined, void, void> {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => byName(a.name, b.name));
    options.onListed?.(dir, entries);
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (options.isIgnored?.(abs, true)) continue;
        yield* flush();
        yield undefined;
        yield* visitDir(abs);
      } else if (entry.isFile()) {
        // stat only the files wanted and not ignored
        considerFile(abs, () => fs.statSync(abs), false);
      } else if (entry.isSymbolicLink()) {
        // Only symlinked files that stay inside the root; symlinked folders are never entered
        // (their targets inside the root are walked anyway, and cycles are impossible).
        let target: string;
        let stat: fs.Stats;
        try {
          target = fs.realpathSync(abs);
          stat = fs.statSync(target);
        } catch {
          continue;
        }
        if (!inside(realRoot, target)) { skip(abs, 'symlink-outside-root'); continue; }
        if (stat.isFile()) considerFile(abs, stat, false);
      }
    }
    yield* flush();
  }

  for (const given of paths) {
    const abs = path.resolve(given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      continue;
    }
    if (stat.isDirectory()) yield* visitDir(abs);
    else if (stat.isFile()) considerFile(abs, stat, true);
    yield* flush();
  }
}
