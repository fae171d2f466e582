/**
 * A recorded `--cache` run (cli/run-snapshot.ts) shows the factor report of `--format json`,
 * `markdown`, `html` and `--report` from what the record kept of the model (`reportFactsOf`),
 * not from a model built again from the 20 MB cache: the same report a fresh run gives, and the
 * cache file is not even opened.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAnalysis } from '../src/cli/analyze-paths';
import { main } from '../src/cli';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { buildReport } from '../src/report/report-model';
import { reportFactsOf } from '../src/report/model-facts';
import { runRecordFile } from '../src/cli/run-snapshot';
// the module object itself (a namespace import is a read-only view): opens are counted on it
import fsModule = require('node:fs');

const AN_HOUR_AGO = Date.now() / 1000 - 3600;
const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'orders', version: '1.0.0', main: 'src/main.js', dependencies: { express: '^5.0.0', pino: '^9.0.0' } }),
  'src/main.js': "const express = require('express');\nconst logger = require('pino')();\nconst app = express();\napp.get('/health', (_req, res) => res.json({ ok: true }));\nconst server = app.listen(8080);\nprocess.on('SIGTERM', () => server.close());\nlogger.info('up');\n",
  'src/db.js': "const password = 'hunter2-very-secret-Xk29';\nmodule.exports = { password };\n",
  Dockerfile: 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nHEALTHCHECK CMD wget -qO- http://localhost:8080/health || exit 1\nCMD ["node", "src/main.js"]\n',
};

function workspace(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-record-report-')));
  for (const [rel, text] of Object.entries(FILES)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    fs.utimesSync(abs, AN_HOUR_AGO, AN_HOUR_AGO);
  }
  return root;
}

/** The CLI's JSON output (durations dropped) and whether it opened `watched` meanwhile. */
async function cliJson(root: string, cacheFile: string, watched: string): Promise<{ json: unknown; opened: number }> {
  let out = '';
  let opened = 0;
  const realOpen = fs.openSync;
  const realRead = fs.readFileSync;
  fsModule.openSync = ((p: fs.PathLike, ...rest: unknown[]) => { if (p === watched) opened++; return (realOpen as (...a: unknown[]) => number)(p, ...rest); }) as typeof fs.openSync;
  fsModule.readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => { if (p === watched) opened++; return (realRead as (...a: unknown[]) => unknown)(p, ...rest); }) as typeof fs.readFileSync;
  try {
    const code = await main(['.', '--format', 'json', '--fail-on', 'none', '--jobs', '1', '--no-git', '--cache-location', cacheFile], { cwd: root, env: {}, stdout: (t) => { out += t; }, stderr: () => {}, stdoutIsTTY: false });
    assert.equal(code, 0);
  } finally {
    fsModule.openSync = realOpen;
    fsModule.readFileSync = realRead;
  }
  return { json: JSON.parse(out.replace(/"durationMs": *\d+/g, '"durationMs": 0')), opened };
}

test('a recorded run keeps what the report reads of the model: the same report as a fresh run, no model built', async (t) => {
  const root = workspace();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-record-report-cache-'));
  const cacheFile = path.join(cacheDir, 'cache.json');
  t.after(() => { fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(cacheDir, { recursive: true, force: true }); });
  const options = { paths: ['.'], cwd: root, config: DEFAULT_CONFIG, factsRoot: root, useGit: false, jobs: 1 };
  const fresh = await runAnalysis(options);
  const facts = reportFactsOf(fresh.model);
  assert.ok(facts.evidence.length > 0 && facts.applicability.some((a) => a.applies), 'the workspace has evidence and factors that apply');

  await runAnalysis({ ...options, cacheFile });
  const recorded = await runAnalysis({ ...options, cacheFile });
  assert.equal(recorded.scanStats?.runRecord, true, 'the recorded run is shown again');
  assert.deepEqual(recorded.reportFacts, facts, 'the record kept the fresh model\'s report facts');
  const findings = recorded.files.flatMap((f) => f.findings.map((x) => ({ ...x, path: f.path })));
  assert.deepEqual(JSON.parse(JSON.stringify(buildReport({ modelFacts: recorded.reportFacts!, findings, filesAnalysed: 3 }))), JSON.parse(JSON.stringify(buildReport({ model: fresh.model, findings, filesAnalysed: 3 }))));

  // the CLI: the JSON of a recorded run is the cold one's, and the cache file is not opened for it
  const cold = await cliJson(root, path.join(cacheDir, 'cli.json'), path.join(cacheDir, 'cli.json'));
  const warm = await cliJson(root, path.join(cacheDir, 'cli.json'), path.join(cacheDir, 'cli.json'));
  assert.deepEqual(warm.json, cold.json);
  assert.equal(warm.opened, 0, 'the recorded run opened no cache to build a model');
});

test('a report fact the masker would change is not recorded: the recorded run builds the model for its report, as before', async (t) => {
  const root = workspace();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-record-report-cache-'));
  t.after(() => { fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(cacheDir, { recursive: true, force: true }); });
  // the evidence of a SIGTERM handler names this file, and its name reads as an access key id
  const secretName = path.join(root, 'src', 'AKIAQ3ZL7XK2M4N8P5R6.js');
  fs.renameSync(path.join(root, 'src', 'main.js'), secretName);
  fs.utimesSync(secretName, AN_HOUR_AGO, AN_HOUR_AGO);
  const options = { paths: ['.'], cwd: root, config: DEFAULT_CONFIG, factsRoot: root, useGit: false, jobs: 1 };
  const fresh = await runAnalysis(options);
  assert.ok(reportFactsOf(fresh.model).evidence.some((e) => e.locations.some((l) => l.path.includes('AKIA'))), 'the evidence names the file');
  const cacheFile = path.join(cacheDir, 'cache.json');
  await runAnalysis({ ...options, cacheFile });
  const recorded = await runAnalysis({ ...options, cacheFile });
  assert.equal(recorded.scanStats?.runRecord, true);
  assert.equal(recorded.reportFacts, undefined, 'no report facts recorded');
  const cold = await cliJson(root, path.join(cacheDir, 'cli.json'), path.join(cacheDir, 'cli.json'));
  const warm = await cliJson(root, path.join(cacheDir, 'cli.json'), path.join(cacheDir, 'cli.json'));
  assert.ok(warm.opened > 0, 'the model was built from the cache');
  // as before records kept report facts: the model comes from the cache's facts, stored masked, so its evidence shows the name masked
  type Report = { factors: { factors: Array<{ evidence: unknown }> } };
  const evidence = (j: unknown) => JSON.stringify((j as Report).factors.factors.map((f) => f.evidence));
  const rest = (j: unknown) => ({ ...(j as Report), factors: { ...(j as Report).factors, factors: (j as Report).factors.factors.map((f) => ({ ...f, evidence: [] })) } });
  assert.deepEqual(rest(warm.json), rest(cold.json));
  assert.equal(evidence(warm.json), evidence(cold.json).replaceAll('AKIAQ3ZL7XK2M4N8P5R6', 'AKIA…R6 (20 chars)'));
});
