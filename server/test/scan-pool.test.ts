/**
 * The CLI's worker pool (issue 15, `--jobs 2` pays): workers are started once, ahead of the role
 * pre-pass, run the pre-pass (they read the files, this thread reads none) and the scan; each
 * TS/JS file is parsed once across all threads (a parse the pre-pass needs is analysed where it
 * was made: this thread with a reader of the caller's, else the worker); the model, findings and roles of
 * `--jobs 2` equal those of `--jobs 1`, in input order; a pool nobody scans with does not keep
 * the process alive. Counted, not timed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAnalysis, type RunResult } from '../src/cli/analyze-paths';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { tsParseCount } from '../src/parse/typescript';
import { scanFiles, startScanPool } from '../src/host/parallel-analyze';
// the module objects themselves (a namespace import is a read-only view): Worker starts and reads are counted on them
import workerThreads = require('node:worker_threads');
import fsModule = require('node:fs');

const TODAY = '2026-12-06';

/** A service of `routes` route files (one logs with console, one hardcodes an endpoint), a SIGTERM handler the pre-pass parses, a Dockerfile and a Compose file. */
function workspace(routes: number): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-scan-pool-')));
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'orders', version: '1.0.0', main: 'src/index.js', scripts: { start: 'node src/index.js' }, dependencies: { express: '^5.0.0' } }),
    'src/index.js': "const express = require('express');\nconst app = express();\nconst server = app.listen(process.env.PORT);\nprocess.on('SIGTERM', () => server.close());\n",
    Dockerfile: 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD npm start\n',
    'compose.yaml': 'services:\n  app:\n    build: .\n    ports:\n      - "3000:3000"\n',
  };
  for (let i = 0; i < routes; i++) {
    // sizes differ a lot, so the pool's biggest-first order is not the input order
    const filler = Array.from({ length: (i * 7) % 40 }, (_, k) => `export const c${k} = ${k};`).join('\n');
    files[`src/routes/r${i}.ts`] = `import express from 'express';\nexport const r${i} = express.Router();\n${i % 5 === 0 ? "console.log('loaded');\n" : ''}${i % 7 === 0 ? "const API = 'https://api.partner.example.com/v1';\nexport const call = () => fetch(API);\n" : ''}${filler}\n`;
  }
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** What a run reports, in its order: file, role, findings. */
function shown(result: RunResult): string[] {
  return result.files.map((f) => `${f.path} ${f.role?.role ?? '-'} ${f.findings.map((x) => `${x.ruleId}@${x.start}`).join(',')}`);
}

/** Counts `new Worker(...)` of the pool while `run` runs (`startedSoFar()` inside it). */
async function countingWorkers<T>(run: (startedSoFar: () => number) => Promise<T>): Promise<{ value: T; started: number }> {
  const Real = workerThreads.Worker;
  let started = 0;
  workerThreads.Worker = class extends Real {
    constructor(...args: ConstructorParameters<typeof Real>) {
      super(...args);
      started++;
    }
  } as typeof Real;
  try {
    return { value: await run(() => started), started };
  } finally {
    workerThreads.Worker = Real;
  }
}

test('--jobs 2: the workers started ahead of the pre-pass do the scan, each TS/JS file is parsed once across threads, and the result is --jobs 1\'s', async () => {
  const root = workspace(40);
  const tsFiles = 41; // the routes and src/index.js
  const options = { paths: ['.'], cwd: root, config: DEFAULT_CONFIG, factsRoot: root, useGit: false, today: TODAY };
  const single = await runAnalysis({ ...options, jobs: 1 });

  const before = tsParseCount.full;
  let startedAtPrePass: number | undefined;
  const { value: parallel, started } = await countingWorkers((startedSoFar) => runAnalysis({
    ...options, jobs: 2, minFilesPerWorker: 1,
    // the walk reads only .gitignore files: src/index.js is first read by the pre-pass
    readText: (abs) => { if (abs === path.join(root, 'src', 'index.js')) startedAtPrePass ??= startedSoFar(); return fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : undefined; },
  }));
  const hereParses = tsParseCount.full - before;
  assert.equal(startedAtPrePass, 2, 'both workers were started before the pre-pass read its files');
  assert.equal(started, 2, 'and none again by the scan');
  assert.equal(parallel.scanStats?.workers, 2);
  assert.equal(hereParses, 1, 'this thread parsed only src/index.js (its SIGTERM handler, for the model) and analysed that parse');
  assert.equal(hereParses + (parallel.scanStats?.workerTsParses ?? 0), tsFiles, 'each TS/JS file parsed once across all threads');

  assert.deepEqual(shown(parallel), shown(single), 'same files, roles and findings, in the same order');
  assert.ok(single.files.some((f) => f.findings.length > 0), 'the fixture has findings to compare');
  assert.ok(parallel.model.shutdown.some((s) => s.path === 'src/index.js'), 'the pre-pass parse fed the model');
  assert.ok(parallel.scanStats?.workerCpuMs?.every((ms) => ms > 0), `each worker reported its CPU time: ${JSON.stringify(parallel.scanStats?.workerCpuMs)}`);
});

test('--jobs 2: the workers run the pre-pass too — this thread reads and parses no workspace file, a worker analyses the parse it made for the model; model and findings are --jobs 1\'s', async () => {
  const root = workspace(40);
  const options = { paths: ['.'], cwd: root, config: DEFAULT_CONFIG, factsRoot: root, useGit: false, today: TODAY };
  const single = await runAnalysis({ ...options, jobs: 1 });

  const mainReads: string[] = [];
  const realOpen = fs.openSync;
  const realRead = fs.readFileSync;
  const note = (p: unknown) => { if (typeof p === 'string' && path.resolve(p).startsWith(root + path.sep) && realExists(p)) mainReads.push(path.relative(root, p)); };
  const realExists = fs.existsSync;
  fsModule.openSync = ((p: fs.PathLike, ...rest: unknown[]) => { note(p); return (realOpen as (...a: unknown[]) => number)(p, ...rest); }) as typeof fs.openSync;
  fsModule.readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => { note(p); return (realRead as (...a: unknown[]) => unknown)(p, ...rest); }) as typeof fs.readFileSync;
  const before = tsParseCount.full;
  let parallel: RunResult;
  let started: number;
  try {
    ({ value: parallel, started } = await countingWorkers(() => runAnalysis({ ...options, jobs: 2, minFilesPerWorker: 1 })));
  } finally {
    fsModule.openSync = realOpen;
    fsModule.readFileSync = realRead;
  }
  const hereParses = tsParseCount.full - before;
  assert.equal(started, 2, 'one pool for the pre-pass and the scan');
  assert.deepEqual(mainReads, [], 'the workers read every file, once; their texts came back');
  assert.equal(hereParses, 0, 'this thread parsed nothing: src/index.js (its SIGTERM handler) was parsed by a worker for the model, and analysed there');
  assert.equal(parallel.scanStats?.workerTsParses, 41, 'each TS/JS file parsed once across all threads');
  assert.equal(JSON.stringify(parallel.model), JSON.stringify(single.model), 'the same project model (its data; its functions are per run)');
  assert.deepEqual(shown(parallel), shown(single), 'same files, roles and findings, in the same order');
  assert.ok(parallel.model.shutdown.some((s) => s.path === 'src/index.js'), 'the pre-pass parse fed the model');
  assert.ok(parallel.files.some((f) => f.text !== undefined), 'texts of files with findings are kept (from the workers\' reads)');
});

test('--jobs 2 with the pre-pass\'s trees over budget: the worker that parsed src/index.js keeps nothing, a worker parses it again, and the result is --jobs 1\'s', async () => {
  const root = workspace(12);
  const options = { paths: ['.'], cwd: root, config: DEFAULT_CONFIG, factsRoot: root, useGit: false, today: TODAY };
  const single = await runAnalysis({ ...options, jobs: 1 });
  const kept = await runAnalysis({ ...options, jobs: 2, minFilesPerWorker: 1 });
  const bounded = await runAnalysis({ ...options, jobs: 2, minFilesPerWorker: 1, keptParsesBudget: 10 });
  assert.equal(kept.scanStats?.workerTsParses, 13, 'within the budget: each TS/JS file parsed once across the workers');
  assert.equal(bounded.scanStats?.workerTsParses, 14, 'over it: src/index.js parsed in the pre-pass and again for its analysis');
  assert.deepEqual(shown(bounded), shown(single), 'same files, roles and findings, in the same order');
  assert.equal(JSON.stringify(bounded.model), JSON.stringify(single.model));
  fs.rmSync(root, { recursive: true, force: true });
});

test('a pool started for other options is closed and the scan starts its own; a warm cache starts no worker ahead', async () => {
  const root = workspace(8);
  const files = fs.readdirSync(path.join(root, 'src', 'routes')).map((f) => path.join(root, 'src', 'routes', f));
  const { value, started } = await countingWorkers(async () => {
    const stale = startScanPool({ factsRoot: root, config: DEFAULT_CONFIG, today: '2026-01-01', jobs: 2, minFilesPerWorker: 1, fileCount: files.length });
    assert.ok(stale, 'two workers wanted');
    return scanFiles({ files, factsRoot: root, config: DEFAULT_CONFIG, today: TODAY, jobs: 2, minFilesPerWorker: 1, pool: stale });
  });
  assert.equal(started, 4, 'the stale pool (another day: another setup) was not used');
  assert.equal(value.stats.workers, 2);
  assert.deepEqual(value.files.map((f) => f.abs), files, 'input order');

  const cacheFile = path.join(root, 'cache.json');
  await scanFiles({ files, factsRoot: root, config: DEFAULT_CONFIG, today: TODAY, jobs: 2, minFilesPerWorker: 1, cacheFile });
  assert.equal(startScanPool({ factsRoot: root, config: DEFAULT_CONFIG, today: TODAY, jobs: 2, minFilesPerWorker: 1, cacheFile, fileCount: files.length }), undefined, 'a cache file exists: the scan may hit for every file');
  // the same file the next day (another salt): it will be loaded empty, the workers are started ahead
  const nextDay = startScanPool({ factsRoot: root, config: DEFAULT_CONFIG, today: '2099-01-01', jobs: 2, minFilesPerWorker: 1, cacheFile, fileCount: files.length });
  assert.equal(nextDay?.size, 2, 'a cache of another salt: a cold run, workers ahead');
  nextDay?.close();
  assert.equal(startScanPool({ factsRoot: root, config: DEFAULT_CONFIG, today: TODAY, jobs: 1, fileCount: files.length }), undefined, '--jobs 1');
});

test('a pool whose scan never comes does not keep the process alive', () => {
  const root = workspace(4);
  const module = path.join(__dirname, '..', 'src', 'host', 'parallel-analyze.js');
  const script = `const { startScanPool } = require(${JSON.stringify(module)});
const pool = startScanPool({ factsRoot: ${JSON.stringify(root)}, config: require(${JSON.stringify(path.join(__dirname, '..', 'src', 'engine', 'config.js'))}).DEFAULT_CONFIG, jobs: 2, minFilesPerWorker: 1, fileCount: 10 });
if (!pool || pool.size !== 2) throw new Error('no pool');
// the caller fails before its scan: nothing closes the pool`;
  const res = cp.spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(res.signal, null, `the process exited by itself (stderr: ${res.stderr})`);
  assert.equal(res.status, 0, res.stderr);
});
