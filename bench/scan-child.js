'use strict';
/**
 * One workspace scan in a fresh process (bench/scan.js runs it cold, then warm):
 * node bench/scan-child.js <root> <cacheFile|-> <jobs> [floor]. Runs the CLI's whole analysis
 * (`runAnalysis`: walk, role pre-pass, scan, model, workspace rules) and prints one JSON line:
 * wall time, process CPU (all threads), GC time of the main thread, files this thread opened for
 * reading (with workers, they read the files: `tsParses` counts every thread's parses),
 * counts, peak RSS, and the CPU time of each thread (`process.threadCpuUsage` on Node ≥ 23.9, else
 * Linux's /proc/thread-self): `threads.main` and `threads.workers[]` (the pool's workers report
 * their own). On a loaded
 * machine wall time mostly measures the neighbours; per-thread CPU says what the run would take
 * alone: wall ≈ max(the main thread's serial work, the busiest worker's CPU) + what V8's own
 * background threads (GC, compiler) take from the same cores (`cpuMs` − the threads' sum).
 *
 * `floor`: the same walk, then a bare read + parse + walk of the same analysable files (TS/JS
 * with `ts.createSourceFile` + `forEachChild`, Dockerfiles with dockerfile-ast, Compose with
 * yaml), on this thread when <jobs> is 1: what the CLI's `--jobs 1` CPU is compared with. With
 * <jobs> N > 1, the same read + parse + walk split over N worker threads, the file paths handed
 * out in batches as the pool hands out its jobs (each worker loads its own parsers): what two
 * threads gain on this machine at best, the condition of `--jobs 2`'s target.
 *
 * Not `floor`: the process is set up as the `factorlint` process sets itself up before its
 * analysis (`tuneV8ForBatch`, host/batch-v8.ts: V8's tier-up and heap policy for a batch run), so this
 * measures what the CLI runs. The floor keeps Node's defaults (a bare parse + walk); with
 * SCAN_FLOOR_JIT=batch it gets the same tuning, for a like-for-like comparison.
 */
const fs = require('node:fs');
const path = require('node:path');
const { PerformanceObserver } = require('node:perf_hooks');
const { Worker, isMainThread, parentPort } = require('node:worker_threads');

/** This thread's CPU (user + system) in ms: Node ≥ 23.9's `process.threadCpuUsage`, else /proc/thread-self (10 ms ticks). */
const { threadCpuMs } = require('../out/server/src/host/thread-cpu.js');

/** Bare read + parse + walk of one analysable file; returns the nodes visited (undefined: unreadable). */
let parsers;
function parseAndWalk(abs, kind) {
  parsers ??= { ts: require('typescript'), DockerfileParser: require('dockerfile-ast').DockerfileParser, YAML: require('yaml') };
  const { ts, DockerfileParser, YAML } = parsers;
  let text;
  try { text = fs.readFileSync(abs, 'utf8'); } catch { return undefined; }
  if (kind.kind === 'ts') {
    const KIND = { js: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX, tsx: ts.ScriptKind.TSX, ts: ts.ScriptKind.TS };
    const sf = ts.createSourceFile(abs, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, KIND[kind.scriptKind ?? 'ts'] ?? ts.ScriptKind.TS);
    let nodes = 0;
    const stack = [sf];
    while (stack.length) { const node = stack.pop(); nodes++; node.forEachChild((c) => { stack.push(c); }); }
    return nodes;
  }
  if (kind.kind === 'dockerfile') return DockerfileParser.parse(text).getInstructions().length;
  if (kind.kind === 'compose') return YAML.parseAllDocuments(text).length;
  return 0;
}

// a floor worker: batches of { abs, kind } in, nodes visited and this thread's CPU out
if (!isMainThread) {
  parentPort.on('message', (batch) => {
    let nodes = 0;
    let reads = 0;
    for (const { abs, kind } of batch) { const n = parseAndWalk(abs, kind); if (n !== undefined) { nodes += n; reads++; } }
    parentPort.postMessage({ files: batch.length, reads, nodes, cpuMs: threadCpuMs() });
  });
  return;
}

// count opens for reading (the CLI's reads go through fs.openSync/readFileSync)
const opened = new Map();
const countOpen = (p, flags) => { if (typeof p === 'string' && (flags === undefined || typeof flags === 'number' ? ((flags ?? 0) & 3) === 0 : flags === 'r')) opened.set(p, (opened.get(p) ?? 0) + 1); };
const openSync = fs.openSync;
fs.openSync = function (p, flags, ...rest) { countOpen(p, flags); return openSync.call(this, p, flags, ...rest); };
const readFileSync = fs.readFileSync;
fs.readFileSync = function (p, ...rest) { if (typeof p === 'string') countOpen(p); return readFileSync.call(this, p, ...rest); };

let gcMs = 0;
new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMs += e.duration; }).observe({ entryTypes: ['gc'] });

const { walkFiles } = require('../out/server/src/host/walk.js');
const { ProjectFacts } = require('../out/server/src/host/project-facts.js');
const { DEFAULT_CONFIG } = require('../out/server/src/engine/config.js');
const { classifyKind } = require('../out/server/src/engine/classify.js');
const { isModelFile } = require('../out/server/src/workspace/project-model.js');

/** The floor's files: the CLI's walk, then the analysable kinds. */
function floorFiles(root) {
  const facts = new ProjectFacts(root, { maxFileSize: DEFAULT_CONFIG.maxFileSize });
  const files = walkFiles([root], { root, maxFileSize: DEFAULT_CONFIG.maxFileSize, isIgnored: (abs, isDir) => facts.isGitIgnored(abs, isDir), accepts: isModelFile });
  return files.flatMap((abs) => { const kind = classifyKind(abs); return kind ? [{ abs, kind: { kind: kind.kind, scriptKind: kind.scriptKind } }] : []; });
}

function floorScan(root) {
  const files = floorFiles(root);
  let nodes = 0;
  for (const { abs, kind } of files) nodes += parseAndWalk(abs, kind) ?? 0;
  return { files: files.length, findings: 0, nodes, workers: 0, threads: { main: threadCpuMs() } };
}

/** Files per message: the pool's `BATCH` (host/parallel-analyze.ts). */
const POOL_BATCH = 32;

/** The floor on `count` worker threads, fed like the pool feeds its workers: the next batch to whichever answers. */
function floorScanParallel(root, count) {
  const files = floorFiles(root);
  return new Promise((resolve, reject) => {
    let next = 0;
    let pending = files.length;
    let nodes = 0;
    let reads = 0;
    const workerCpu = new Array(count).fill(0);
    const pool = [];
    const done = () => { for (const w of pool) void w.terminate(); resolve({ files: files.length, findings: 0, nodes, workers: count, floorReads: reads, threads: { main: threadCpuMs(), workers: workerCpu.map((ms) => Math.round(ms)) } }); };
    const feed = (worker) => { if (next < files.length) { worker.postMessage(files.slice(next, next + POOL_BATCH)); next += POOL_BATCH; } };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(__filename);
      pool.push(worker);
      worker.on('message', (m) => {
        nodes += m.nodes;
        reads += m.reads;
        if (m.cpuMs !== undefined) workerCpu[i] = m.cpuMs;
        pending -= m.files;
        if (pending === 0) done(); else feed(worker);
      });
      worker.on('error', reject);
      feed(worker);
    }
    if (files.length === 0) done();
  });
}

(async () => {
  const [root, cacheArg, jobsArg, mode] = process.argv.slice(2);
  if (mode !== 'floor' || process.env.SCAN_FLOOR_JIT === 'batch') require('../out/server/src/host/batch-v8.js').tuneV8ForBatch();
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let out;
  if (mode === 'floor') {
    out = Number(jobsArg) > 1 ? await floorScanParallel(root, Number(jobsArg)) : floorScan(root);
  } else {
    const { runAnalysis } = require('../out/server/src/cli/analyze-paths.js');
    const result = await runAnalysis({ paths: [root], cwd: root, config: DEFAULT_CONFIG, factsRoot: root, useGit: false, jobs: Number(jobsArg) || undefined, cacheFile: cacheArg === '-' ? undefined : path.resolve(cacheArg) });
    const scan = result.scanStats ?? {};
    const { workerCpuMs, workerTsParses, ...counts } = scan;
    counts.tsParses = require('../out/server/src/parse/typescript.js').tsParseCount.full + (workerTsParses ?? 0); // every thread's
    out = { files: result.summary.filesAnalyzed, findings: result.files.reduce((s, f) => s + f.findings.length, 0), ruleErrors: result.ruleErrors.length, keptTexts: result.files.filter((f) => typeof f.text === 'string').length, ...counts, threads: { main: threadCpuMs(), ...(workerCpuMs ? { workers: workerCpuMs.map(Math.round) } : {}) } };
  }
  if (out.threads.main !== undefined) out.threads.main = Math.round(out.threads.main);
  else delete out.threads;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries arrive asynchronously
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const reads = [...opened.entries()].filter(([p]) => classifyKind(p));
  const maxReads = reads.reduce((m, [, n]) => Math.max(m, n), 0);
  const readsPerFile = reads.length ? +(reads.reduce((s, [, n]) => s + n, 0) / reads.length).toFixed(2) : 0;
  process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), cpuMs: Math.round(cpuMs), gcMs: Math.round(gcMs), gcPct: +((100 * gcMs) / cpuMs).toFixed(1), readsPerFile, maxReads, ...out, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
})().catch((e) => { console.error(e); process.exit(1); });
