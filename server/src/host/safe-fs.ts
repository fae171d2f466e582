/**
 * File reads and writes that cannot be turned against the user: reads are bounded and only of
 * regular files (a FIFO or a device never hangs or floods a run), writes go through a temp file
 * in the same folder + rename (a failed write leaves the old file and no temp file), never
 * through a symlink that leaves the allowed roots, never over a non-regular file, and keep the
 * file's mode. Failures come back as short reasons (an errno code), never as stack traces.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A refused or failed file operation, with a one-line reason. */
export class FileRefusal extends Error {
  constructor(readonly reason: string) { super(reason); }
}

/** Inputs (configuration, baselines, shard outputs) are read up to this size. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

export function hashBytes(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function errnoReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ?? e?.message ?? String(error);
}

/**
 * The bytes of a regular file, at most `maxBytes`. Opened non-blocking so a FIFO cannot hang the
 * open, then checked on the open descriptor (no swap between check and read).
 */
export function readRegularBytes(file: string, maxBytes: number = MAX_INPUT_BYTES): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new FileRefusal(errnoReason(error));
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new FileRefusal('not a regular file');
    if (stat.size > maxBytes) throw new FileRefusal(`larger than ${maxBytes} bytes`);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < buffer.length) {
      const n = fs.readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    // grown since the stat: read no more than the cap allows
    if (read === buffer.length && fs.readSync(fd, Buffer.alloc(1), 0, 1, read) > 0) throw new FileRefusal(`changed while read (or larger than ${maxBytes} bytes)`);
    return buffer.subarray(0, read);
  } catch (error) {
    throw error instanceof FileRefusal ? error : new FileRefusal(errnoReason(error));
  } finally {
    fs.closeSync(fd);
  }
}

/** `readRegularBytes` as UTF-8 text. */
export function readRegularText(file: string, maxBytes: number = MAX_INPUT_BYTES): string {
  return readRegularBytes(file, maxBytes).toString('utf8');
}

/** `readRegularText`, or undefined on any failure. */
export function tryReadRegularText(file: string, maxBytes: number = MAX_INPUT_BYTES): string | undefined {
  try { return readRegularText(file, maxBytes); } catch { return undefined; }
}

/**
 * Where a write to `file` lands: the file itself, or — for a symlink — its target, allowed only
 * when the target is inside one of `roots` (undefined roots: any symlink is refused); with
 * `confine`, the file's real path must be inside them whatever the path says. A missing file
 * resolves to itself (it will be created). Refuses anything but a regular file.
 */
export function writeTarget(file: string, roots?: readonly string[], confine = false): { target: string; exists: boolean; mode?: number } {
  const realRoots = (roots ?? []).map((r) => { try { return fs.realpathSync(r); } catch { return path.resolve(r); } });
  let lstat: fs.Stats;
  try {
    lstat = fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new FileRefusal(errnoReason(error));
    // to be created: with `confine`, its real folder (symlinked folders resolved) must be inside
    if (confine) {
      let dir: string;
      try { dir = fs.realpathSync(path.dirname(file)); } catch (e) { throw new FileRefusal(errnoReason(e)); }
      if (!realRoots.some((r) => isInside(r, path.join(dir, path.basename(file))))) throw new FileRefusal('outside the analysed folders');
    }
    return { target: file, exists: false };
  }
  let target = file;
  if (lstat.isSymbolicLink()) {
    try { target = fs.realpathSync(file); } catch (error) { throw new FileRefusal(`symlink to a missing or unreadable target (${errnoReason(error)})`); }
    if (!realRoots.some((r) => isInside(r, target))) throw new FileRefusal('symlink to a file outside the analysed folders');
  } else if (confine) {
    // a regular file reached through a symlinked folder is as outside as a symlinked file
    let real: string;
    try { real = fs.realpathSync(file); } catch (error) { throw new FileRefusal(errnoReason(error)); }
    if (!realRoots.some((r) => isInside(r, real))) throw new FileRefusal('outside the analysed folders');
    target = real;
  }
  let stat: fs.Stats;
  try { stat = fs.statSync(target); } catch (error) { throw new FileRefusal(errnoReason(error)); }
  if (!stat.isFile()) throw new FileRefusal('not a regular file');
  return { target, exists: true, mode: stat.mode & 0o7777 };
}

export interface AtomicWriteOptions {
  /** Symlinks may be written through only to targets inside these folders. */
  roots?: readonly string[];
  /**
   * The content hash the new text was computed from (`hashBytes` of the bytes read), `null` when
   * the file did not exist: the write is refused when the file is no longer that.
   */
  expectedHash?: string | null;
  /** Refuse to replace a file whose mode has no write bit (mode 444) instead of rewriting it. */
  respectReadOnly?: boolean;
  /** The real file (every symlink resolved) must be inside `roots`, not only a symlink's target. */
  confine?: boolean;
}

/**
 * Writes `text` to `file` atomically: a temp file beside the target, the target's mode, rename.
 * Throws `FileRefusal` (nothing changed, no temp file left) when refused or failed.
 */
export function writeFileAtomic(file: string, text: string, options: AtomicWriteOptions = {}): void {
  const { target, exists, mode } = writeTarget(file, options.roots, options.confine);
  if (exists && options.respectReadOnly && mode !== undefined && (mode & 0o222) === 0) throw new FileRefusal('read-only');
  if (options.expectedHash !== undefined) {
    if (options.expectedHash === null ? exists : !exists) throw new FileRefusal('file changed since analysis');
    if (exists && hashBytes(readRegularBytes(target, Number.MAX_SAFE_INTEGER)) !== options.expectedHash) throw new FileRefusal('file changed since analysis');
  }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.factorlint-${process.pid}-${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode ?? 0o644);
    try {
      fs.writeFileSync(fd, text, 'utf8');
      if (mode !== undefined) fs.fchmodSync(fd, mode);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (error) {
    try { fs.unlinkSync(temp); } catch { /* never created, or already renamed */ }
    throw new FileRefusal(errnoReason(error));
  }
}
