/**
 * Worker-thread entry of the parallel scan: builds its own `ProjectFacts` for the root (facts
 * hold functions and caches, which cannot cross threads), then analyses the batches of files
 * the pool sends and posts back plain results. Bundled as `dist/scan-worker.js`; the tsc
 * output `out/server/src/host/scan-worker.js` works as well.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { enableCompileCache } from './compile-cache';
import type { ModelContext } from '../workspace/project-context-for';
import { createFacts, runScanJob, type ScanJobResult, type ScanSetup } from './scan-job';

export interface WorkerBatch { files: Array<{ index: number; abs: string; model?: ModelContext }> }

if (parentPort) {
  enableCompileCache();
  const port = parentPort;
  const setup = workerData as ScanSetup;
  const facts = createFacts(setup);
  port.on('message', (batch: WorkerBatch) => {
    const results: ScanJobResult[] = [];
    for (const { index, abs, model } of batch.files) results.push(runScanJob(setup, facts, index, abs, model));
    port.postMessage(results);
  });
}
