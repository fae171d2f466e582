/**
 * The workspace index in a worker thread (issue 15, first diagnostics first): the same scan
 * (`index-scan.ts`) as in the server's thread, so the same model and report; the server's
 * thread parses none of the workspace's files for it; the worker sleeps while open documents
 * wait for their diagnostics (the server tells it from a document's open to its publish) and
 * stops on cancel; its thread alone is niced.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ReportRequest, type ReportResult, type StatusParams } from '../src/protocol';
import { createEditorProjectProvider } from '../src/host/editor-project-provider';
import { tsParseCount } from '../src/parse/typescript';
import { scanWorkspace, type ScanSink, type ScanSpec } from '../src/features/index-scan';
import { IndexWorkerScan, indexWorkerScript } from '../src/features/index-worker-client';
import type { FileFacts } from '../src/workspace/project-model';
import { SAMPLE_DIR } from './support/sample-workspace';
import { TestClient, waitFor } from './support/lsp-client';

const SCRIPT = indexWorkerScript();

function indexed(client: TestClient): StatusParams | undefined {
  return client.statuses.find((s) => s.workspace && !s.workspace.indexing);
}

async function report(dir: string, inWorker: boolean): Promise<{ report: ReportResult; parsesDuringIndex: number }> {
  const before = tsParseCount.full;
  const client = await TestClient.start({
    folders: [pathToFileURL(dir).href],
    server: { workspaceIndex: inWorker ? { worker: { script: SCRIPT! } } : true, project: (services) => createEditorProjectProvider(services) },
  });
  try {
    await waitFor('the index', () => indexed(client));
    const parsesDuringIndex = tsParseCount.full - before;
    const result = await client.conn.sendRequest<ReportResult>(ReportRequest.method, { nonce: 'bm9uY2Vub25jZQ==', cspSource: "'self'" });
    return { report: result, parsesDuringIndex };
  } finally {
    await client.dispose();
  }
}

test('index worker: the bundle-independent script is found beside its client module', () => {
  assert.ok(SCRIPT && fs.existsSync(SCRIPT), 'out/server/src/features/index-worker.js');
});

test('index worker: the same report as the index in this thread, and no parse of a workspace file in this thread', async () => {
  for (const dir of [SAMPLE_DIR, path.resolve(__dirname, '../../../examples/orders-service')]) {
    const here = await report(dir, false);
    const worker = await report(dir, true);
    assert.ok(here.parsesDuringIndex > 0, 'the index in this thread parses the TS/JS files here');
    assert.equal(worker.parsesDuringIndex, 0, 'with the worker, this thread parsed nothing for the index');
    assert.deepEqual(worker.report.report, here.report.report, dir);
    assert.equal(worker.report.findings, here.report.findings);
  }
});

function collect(): { sink: ScanSink; facts: Map<string, FileFacts | undefined>; listed: string[][]; done: number[] } {
  const facts = new Map<string, FileFacts | undefined>();
  const listed: string[][] = [];
  const done: number[] = [];
  return {
    facts, listed, done,
    sink: { listed: (i, files) => { listed[i] = files; }, facts: (_i, rel, f) => { facts.set(rel, f); }, folderDone: (i) => { done.push(i); } },
  };
}

function generated(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-index-worker-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'w', version: '1.0.0' }));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM node:22\nCMD npm start\n');
  fs.mkdirSync(path.join(dir, 'src'));
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, 'src', `m${i}.ts`), `export const port${i} = process.env.PORT_${i} ?? ${3000 + i};\n`);
  return dir;
}

test('index worker: sleeps while documents wait, then posts the facts the in-thread scan finds', async () => {
  const dir = generated(200);
  try {
    const spec: ScanSpec = { folders: [{ root: dir, excludeGlobs: [] }], maxFiles: 1000, maxFileSize: 1_000_000 };
    const here = collect();
    assert.equal(await scanWorkspace(spec, { yieldNow: async () => undefined, cancelled: () => false }, here.sink), true);
    const there = collect();
    const scan = new IndexWorkerScan(SCRIPT!, spec, there.sink, { waiting: true });
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(there.listed.length + there.facts.size, 0, 'nothing walked or read while documents wait');
    scan.setWaiting(false);
    assert.equal(await scan.done, true);
    assert.deepEqual(there.listed, here.listed);
    assert.deepEqual(there.facts, here.facts);
    assert.deepEqual(there.done, [0]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('index worker: a cancel ends the scan unfinished, even while it sleeps', async () => {
  const dir = generated(50);
  try {
    const spec: ScanSpec = { folders: [{ root: dir, excludeGlobs: [] }], maxFiles: 1000, maxFileSize: 1_000_000 };
    const there = collect();
    const scan = new IndexWorkerScan(SCRIPT!, spec, there.sink, { waiting: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    scan.cancel();
    assert.equal(await scan.done, false);
    assert.deepEqual(there.done, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('thread priority: a worker lowers its own nice value, not the process\'s', { skip: process.platform !== 'linux' }, async () => {
  const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]); // field 19
  const mainBefore = niceOf(fs.readFileSync(`/proc/${process.pid}/stat`, 'latin1'));
  const module = path.resolve(__dirname, '../src/host/thread-priority.js');
  const code = `const { parentPort } = require('node:worker_threads'); const fs = require('node:fs');
    const done = require(${JSON.stringify(module)}).lowerThreadPriority(7);
    parentPort.postMessage({ done, stat: fs.readFileSync('/proc/thread-self/stat', 'latin1') });`;
  const reply = await new Promise<{ done: boolean; stat: string }>((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  assert.equal(reply.done, true);
  assert.equal(niceOf(reply.stat), 7);
  assert.equal(niceOf(fs.readFileSync(`/proc/${process.pid}/stat`, 'latin1')), mainBefore, 'the main thread keeps its priority');
});

test('index worker: the server pauses it from a document\'s open to its diagnostics', async () => {
  const dir = generated(3000);
  const client = require('../src/features/index-worker-client') as { IndexWorkerScan: typeof IndexWorkerScan };
  const real = client.IndexWorkerScan;
  const calls: boolean[] = [];
  let started = false;
  client.IndexWorkerScan = class extends real {
    constructor(...args: ConstructorParameters<typeof IndexWorkerScan>) { super(...args); started = true; }
    override setWaiting(waiting: boolean): void { calls.push(waiting); super.setWaiting(waiting); }
  };
  const main = pathToFileURL(path.join(dir, 'src', 'm0.ts')).href;
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => { answer = resolve; });
  let asked = false;
  const holdConfiguration = (items: ReadonlyArray<{ scopeUri?: string }>) => {
    if (!items.some((i) => i.scopeUri === main)) return undefined;
    asked = true;
    return answered;
  };
  const lsp = await TestClient.start({ folders: [pathToFileURL(dir).href], holdConfiguration, server: { workspaceIndex: { worker: { script: SCRIPT! } }, project: (services) => createEditorProjectProvider(services) } });
  try {
    await waitFor('the index worker', () => started);
    await lsp.open(main, 'typescript', fs.readFileSync(path.join(dir, 'src', 'm0.ts'), 'utf8'));
    await waitFor('the settings request of the opened file', () => asked);
    assert.deepEqual(calls, [true], 'paused while the opened file waits for its settings');
    answer();
    await waitFor('its diagnostics', () => lsp.publishes.some((p) => p.uri === main));
    // (a document may be held again meanwhile: its own true, then false)
    await waitFor('the worker resumed', () => calls.at(-1) === false);
  } finally {
    answer();
    client.IndexWorkerScan = real;
    await lsp.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('index worker: none is started without a workspace folder (a file opened on its own), one with a folder', async () => {
  // a stand-in worker: marks that it ran, then ends its scan
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-no-folder-'));
  const marker = path.join(dir, 'started');
  const script = path.join(dir, 'worker.js');
  fs.writeFileSync(script, `require('node:fs').appendFileSync(${JSON.stringify(marker)}, 'x'); require('node:worker_threads').parentPort.postMessage({ end: true });\n`);
  const run = async (folders: string[]): Promise<boolean> => {
    fs.rmSync(marker, { force: true });
    const client = await TestClient.start({ folders, server: { workspaceIndex: { worker: { script } }, project: (services) => createEditorProjectProvider(services) } });
    try {
      // the status sent once the index's build returned
      await waitFor('the index build', () => client.statuses.find((s) => s.workspace));
      return fs.existsSync(marker);
    } finally {
      await client.dispose();
    }
  };
  assert.equal(await run([]), false, 'no folder: no worker thread');
  const folder = generated(1);
  assert.equal(await run([pathToFileURL(folder).href]), true, 'a folder: the worker scans it');
});
