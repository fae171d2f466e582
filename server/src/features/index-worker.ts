/**
 * Worker-thread entry of the language server's workspace index: runs `scanWorkspace` (the same
 * function the in-thread index runs) on the spec it is started with and posts what it finds to
 * the server's thread, batched per slice. The index's compiler is loaded here, by the first
 * TS/JS file's facts (the server's thread loads its own for open documents, in the warm-up).
 * The worker exits after its scan. Bundled as `dist/index-worker.js`; the tsc output
 * `out/server/src/features/index-worker.js` works as well.
 *
 * Pausing: the server's thread sets a shared flag while open documents wait for their
 * diagnostics; at every yield the worker sleeps on it (`Atomics.wait`, at most
 * `FOREGROUND_WAIT_MAX_MS`), leaving the cores to the document and the editor.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { enableCompileCache } from '../host/compile-cache';
import { lowerThreadPriority } from '../host/thread-priority';
import type { FileFacts } from '../workspace/project-model';
import { scanWorkspace, type ScanSpec } from './index-scan';
import { FOREGROUND_WAIT_MAX_MS, WAITING, CANCELLED, type IndexWorkerMessage, type IndexWorkerSetup } from './index-worker-protocol';

if (parentPort) {
  enableCompileCache(); // before the compiler is required
  const port = parentPort;
  const setup = workerData as IndexWorkerSetup;
  if (setup.nice) lowerThreadPriority(setup.nice);
  const flags = new Int32Array(setup.flags);
  let pending: Array<[number, string, FileFacts | null, boolean]> = [];
  const post = (message: IndexWorkerMessage) => port.postMessage(message);
  const flush = () => {
    if (pending.length === 0) return;
    post({ facts: pending });
    pending = [];
  };
  const cancelled = () => Atomics.load(flags, CANCELLED) !== 0;
  const yieldNow = async () => {
    flush();
    await new Promise<void>((resolve) => setImmediate(resolve));
    const deadline = performance.now() + FOREGROUND_WAIT_MAX_MS;
    while (Atomics.load(flags, WAITING) !== 0 && !cancelled()) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(flags, WAITING, Atomics.load(flags, WAITING), left);
    }
  };
  const spec: ScanSpec = setup.spec;
  // like the in-thread build, the scan starts after the documents waiting now
  yieldNow().then(() => scanWorkspace(spec, { yieldNow, cancelled }, {
    listed: (i, files) => post({ listed: [i, files] }),
    facts: (i, rel, facts, fromCache) => { pending.push([i, rel, facts ?? null, fromCache]); },
    folderDone: (i) => { flush(); post({ folderDone: i }); },
    truncated: (maxFiles) => post({ truncated: maxFiles }),
  })).then(
    (completed) => { flush(); post({ end: completed }); },
    (error: unknown) => post({ failed: `${(error as Error)?.name ?? 'error'}: ${String((error as Error)?.message ?? '').slice(0, 200)}` }),
  );
}
