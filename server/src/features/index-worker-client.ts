/**
 * The server's side of the index worker (`index-worker.ts`): starts one worker per build, feeds
 * its messages to the `ScanSink` in order, and passes on whether open documents are waiting
 * (the worker pauses) and a cancel. The worker ends itself after its scan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ScanSink, ScanSpec } from './index-scan';
import { CANCELLED, WAITING, type IndexWorkerMessage, type IndexWorkerSetup } from './index-worker-protocol';

/** The worker's script beside this module (dist/ for the bundle, out/ for tsc), when it is there. */
export function indexWorkerScript(): string | undefined {
  const candidate = path.join(__dirname, 'index-worker.js');
  return fs.existsSync(candidate) ? candidate : undefined;
}

export class IndexWorkerScan {
  private readonly flags = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  private readonly worker: Worker;
  /** Resolves true when the scan went through every folder, false when cancelled; rejects when the worker failed. */
  readonly done: Promise<boolean>;

  constructor(script: string, spec: ScanSpec, sink: ScanSink, options: { nice?: number; waiting?: boolean } = {}) {
    if (options.waiting) this.flags[WAITING] = 1;
    const setup: IndexWorkerSetup = { spec, flags: this.flags.buffer as SharedArrayBuffer, nice: options.nice };
    this.worker = new Worker(script, { workerData: setup });
    this.done = new Promise<boolean>((resolve, reject) => {
      let ended = false;
      this.worker.on('message', (message: IndexWorkerMessage) => {
        if (ended) return;
        try {
          if ('listed' in message) sink.listed(...message.listed);
          else if ('facts' in message) for (const [i, rel, facts, fromCache] of message.facts) sink.facts(i, rel, facts ?? undefined, fromCache);
          else if ('folderDone' in message) sink.folderDone(message.folderDone);
          else if ('truncated' in message) sink.truncated?.(message.truncated);
          else if ('end' in message) { ended = true; resolve(message.end); }
          else if ('failed' in message) { ended = true; reject(new Error(message.failed)); }
        } catch (error) {
          ended = true;
          this.cancel();
          reject(error as Error);
        }
      });
      this.worker.on('error', (error) => { if (!ended) { ended = true; reject(error); } });
      this.worker.on('exit', () => { if (!ended) { ended = true; resolve(false); } });
    });
  }

  /** Open documents are waiting for their diagnostics (true) or no longer (false). */
  setWaiting(waiting: boolean): void {
    Atomics.store(this.flags, WAITING, waiting ? 1 : 0);
    if (!waiting) Atomics.notify(this.flags, WAITING);
  }

  /** Stops the scan: the worker ends at its next file; messages after this are dropped by the caller's ticket. */
  cancel(): void {
    Atomics.store(this.flags, CANCELLED, 1);
    Atomics.notify(this.flags, WAITING);
  }
}
