/**
 * Worker-thread entry of the parallel scan: analyses the batches of files the pool sends — each
 * with its text, model context, classification and git answer from the main thread, so a worker
 * reads no file and runs no git for them — and posts back plain results. Its own `ProjectFacts`
 * only answers what rules ask on demand (.gitignore, reads of other workspace files). Bundled as `dist/scan-worker.js`; the tsc
 * output `out/server/src/host/scan-worker.js` works as well.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { enableCompileCache } from './compile-cache';
import { createFacts, runScanJob, type ScanJob, type ScanJobResult, type ScanSetup } from './scan-job';

export interface WorkerBatch { files: ScanJob[] }

if (parentPort) {
  enableCompileCache();
  const port = parentPort;
  const setup = workerData as ScanSetup;
  const facts = createFacts(setup);
  port.on('message', (batch: WorkerBatch) => {
    const results: ScanJobResult[] = [];
    for (const job of batch.files) results.push(runScanJob(setup, facts, job));
    port.postMessage(results);
  });
}
