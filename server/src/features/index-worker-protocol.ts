/**
 * What the server's thread and the index worker (`index-worker.ts`) exchange: the worker is
 * started with the scan's spec and a shared flag array, and posts messages in the order of
 * `ScanSink` (a folder's listing, its facts in batches, that it is done), then `end`.
 */
import type { FileFacts } from '../workspace/project-model';
import type { ScanSpec } from './index-scan';

/** Flag indexes in the shared Int32Array: open documents wait for diagnostics (the worker sleeps); the scan is cancelled. */
export const WAITING = 0;
export const CANCELLED = 1;

/**
 * The longest the index waits for open documents at one yield: a client that never answers
 * an open document's configuration request must not stop the index for good.
 */
export const FOREGROUND_WAIT_MAX_MS = 5_000;

export interface IndexWorkerSetup {
  spec: ScanSpec;
  /** SharedArrayBuffer of two Int32 flags (`WAITING`, `CANCELLED`). */
  flags: SharedArrayBuffer;
  /** The worker thread's nice value (Linux), 0 or undefined to keep the server's. */
  nice?: number;
}

export type IndexWorkerMessage =
  | { listed: [number, string[]] }
  /** [folder, relative path, facts (null: not in the model), from the cache] */
  | { facts: Array<[number, string, FileFacts | null, boolean]> }
  | { folderDone: number }
  | { truncated: number }
  | { end: boolean }
  | { failed: string };
