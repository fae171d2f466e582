/**
 * Worker-thread entry of the parallel scan: analyses the batches of files the pool sends — each
 * with its text, model context, classification and git answer from the main thread, so a worker
 * reads no file and runs no git for them — and posts back plain results. Before that, it may
 * be sent the CLI's role pre-pass: files to read and compute light model facts for. Its own `ProjectFacts`
 * only answers what rules ask on demand (.gitignore, reads of other workspace files). Bundled as
 * `dist/scan-worker.js`; the tsc output `out/server/src/host/scan-worker.js` works as well.
 *
 * The compiler is loaded as soon as the worker starts, not on its first file: the pool may be
 * started while the main thread still runs the role pre-pass (`startScanPool`), and the load
 * then costs the scan nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { enableCompileCache } from './compile-cache';
import { loadTypescript, tsParseCount } from '../parse/typescript';
import { createFacts, runScanJob, type ScanJob, type ScanJobResult, type ScanSetup } from './scan-job';
import { threadCpuMs } from './thread-cpu';
import { KeptParses, runPrepassJob, type PrepassJob, type PrepassResult } from './prepass-job';

/** Files to analyse, or (`prepass`) files of the CLI's role pre-pass to read and compute light facts for. */
export type WorkerBatch = { files: ScanJob[]; prepass?: undefined } | { prepass: PrepassJob[]; files?: undefined; hash?: boolean };
/** A worker's answer: the batch's results, and this thread's CPU time (ms) and full TS parses so far, for the scan's stats. */
export interface WorkerReply { results: ScanJobResult[] | PrepassResult[]; cpuMs?: number; tsParses: number }

if (parentPort) {
  enableCompileCache(); // before the compiler is required
  const port = parentPort;
  const setup = workerData as ScanSetup;
  const facts = createFacts(setup);
  const kept = new KeptParses(setup.keptParsesBudget);
  // a job of a file this worker parsed in the pre-pass comes without its text: the kept parse has it
  const withKeptParse = (job: ScanJob): ScanJob => {
    const own = kept.take(job.abs);
    return own ? { ...job, text: own.text, parsed: own.parsed } : job;
  };
  port.on('message', (batch: WorkerBatch) => {
    const results = batch.prepass
      ? batch.prepass.map((job) => runPrepassJob(job, setup.config.maxFileSize, kept, batch.hash))
      : batch.files.map((job) => runScanJob(setup, facts, withKeptParse(job)));
    const reply: WorkerReply = { results, cpuMs: threadCpuMs(), tsParses: tsParseCount.full };
    port.postMessage(reply);
  });
  loadTypescript();
}
