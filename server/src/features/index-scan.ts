/**
 * The workspace index's disk work, as one function for either thread: walk the folders (the
 * CLI's walk: skipped folders, `.gitignore`, `files.exclude`, symlinks, size limit), then take
 * every listed file's model facts from the facts cache or from one read and `factsOf`, then save
 * the cache. It runs in the server's thread for tests and embedders (`WorkspaceIndex` without
 * a worker), and in the index's worker thread in the shipped server (`index-worker.ts`), so the
 * thread answering documents never walks, reads or parses for the index, nor loads the
 * compiler for it. Open documents are not its business: the caller replaces their facts with
 * the buffer's.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { classifyKind } from '../engine/classify';
import { ProjectFacts, readTextFile } from '../host/project-facts';
import { walkSteps } from '../host/walk';
import { factsOf, isModelFile, type FileFacts } from '../workspace/project-model';
import { FactsCache } from '../cache/facts-cache';

/**
 * The longest stretch of index work between two yields (ms of wall time): a message from the
 * client (an opened file, the answer to a configuration request) waits at most this long, plus
 * one file, when the scan runs in the server's thread. A count of files per slice is no bound:
 * 25 files took 0.3–2 s on a loaded machine.
 */
export const SLICE_BUDGET_MS = 10;

export interface ScanFolder {
  root: string;
  /** `files.exclude` globs that are on, matched against folder-relative paths. */
  excludeGlobs: string[];
  /** The persisted facts cache of the folder, when there is one. */
  cacheFile?: string;
}

export interface ScanSpec {
  folders: ScanFolder[];
  maxFiles: number;
  maxFileSize: number;
}

/** What the scan reports, in order: each folder's listing, then its files' facts, then that the folder is done. */
export interface ScanSink {
  /** The files of folder `i` (sorted, relative); the whole walk is listed before any read. */
  listed(i: number, files: string[]): void;
  /** A file's facts (`undefined`: unreadable or too large, not in the model); `fromCache` without a read. */
  facts(i: number, rel: string, facts: FileFacts | undefined, fromCache: boolean): void;
  /** Folder `i` was read whole and its cache saved. */
  folderDone(i: number): void;
  /** The walk reached the limit of indexed files. */
  truncated?(maxFiles: number): void;
}

export interface ScanHooks {
  /** Between two slices: lets others run (the event loop, open documents). */
  yieldNow(): Promise<void>;
  cancelled(): boolean;
  /** Reads a file; the default reads the disk (tests override it). */
  read?(abs: string): string | undefined;
  /** The walk met its first TS/JS file (the in-thread index loads the compiler then, when it has not yet). */
  firstTsFile?(): Promise<void>;
}

function slash(p: string): string {
  return p.replace(/\\/g, '/');
}

/** Runs the scan; false when cancelled (whatever was reported stays reported). */
export async function scanWorkspace(spec: ScanSpec, hooks: ScanHooks, sink: ScanSink): Promise<boolean> {
  let sliceStarted = performance.now();
  const pause = async () => {
    if (performance.now() - sliceStarted < SLICE_BUDGET_MS) return;
    await hooks.yieldNow();
    sliceStarted = performance.now();
  };
  const read = hooks.read ?? ((abs: string) => readTextFile(abs, spec.maxFileSize));
  let metTs = false;
  // list first (cheap, sliced), then read (each file one slice of work)
  const lists: string[][] = [];
  let total = 0;
  for (const [i, folder] of spec.folders.entries()) {
    const excluded = folder.excludeGlobs.length > 0 ? picomatch(folder.excludeGlobs, { dot: true }) : () => false;
    const gitignore = new ProjectFacts(folder.root, { useGit: false });
    const files: string[] = [];
    const walk = walkSteps([folder.root], {
      root: folder.root,
      maxFileSize: spec.maxFileSize,
      accepts: isModelFile,
      isIgnored: (abs, isDir) => excluded(slash(path.relative(folder.root, abs))) || gitignore.isGitIgnored(abs, isDir),
      onListed: (dir, entries) => gitignore.folderListed(dir, entries),
    });
    for (const abs of walk) {
      if (total + files.length >= spec.maxFiles) break;
      if (abs !== undefined) {
        const rel = slash(path.relative(folder.root, abs));
        files.push(rel);
        if (!metTs && hooks.firstTsFile && classifyKind(rel)?.kind === 'ts') {
          metTs = true;
          await hooks.firstTsFile();
          sliceStarted = performance.now();
        }
      } else {
        if (hooks.cancelled()) return false;
        await pause();
      }
    }
    files.sort();
    const kept = files.slice(0, Math.max(0, spec.maxFiles - total));
    total += kept.length;
    lists.push(kept);
    sink.listed(i, kept);
    if (total >= spec.maxFiles) sink.truncated?.(spec.maxFiles);
  }
  for (const [i, folder] of spec.folders.entries()) {
    const files = lists[i];
    const cache = folder.cacheFile ? new FactsCache(folder.cacheFile, spec.maxFileSize) : undefined;
    for (const rel of files) {
      if (hooks.cancelled()) return false;
      const abs = path.join(folder.root, rel);
      const cached = cache?.lookup(abs);
      if (cached) {
        sink.facts(i, rel, cached, true);
      } else {
        const text = read(abs);
        if (text !== undefined && text.length <= spec.maxFileSize) {
          const facts = factsOf(rel, text);
          cache?.store(abs, text, facts);
          sink.facts(i, rel, facts, false);
        } else {
          sink.facts(i, rel, undefined, false);
        }
      }
      await pause();
    }
    // the save runs as one block: open documents waiting now go first
    await hooks.yieldNow();
    sliceStarted = performance.now();
    if (hooks.cancelled()) return false;
    cache?.save(files.map((rel) => path.join(folder.root, rel)));
    sink.folderDone(i);
  }
  return true;
}
