/**
 * The CLI reads each file once and parses each TS/JS file once (issue 15): the role pre-pass's
 * text is the text the scan analyses, the pre-pass's parse of a file that handles shutdown is
 * the parse its analysis uses, and only files with findings keep their text in the result.
 * Reads are counted through `RunOptions.readText` (served from memory here) and at `fs`: a
 * workspace file opened from disk during the run is a read that bypassed the one reader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAnalysis } from '../src/cli/analyze-paths';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { tsParseCount } from '../src/parse/typescript';
import type { ParsedDocument } from '../src/engine/document';
import { KEPT_PARSES_TEXT_BUDGET, KeptParses } from '../src/host/prepass-job';
// the module object itself (a namespace import is a read-only view): reads are counted on it
import fsModule = require('node:fs');

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'orders', version: '1.0.0', main: 'src/index.js', scripts: { start: 'node src/index.js' }, dependencies: { express: '^5.0.0' } }),
  '.gitignore': 'node_modules\n',
  'src/index.js': "const express = require('express');\nconst { router } = require('./routes');\nconst app = express();\napp.use(router);\nconst server = app.listen(process.env.PORT);\nprocess.on('SIGTERM', () => server.close());\n",
  'src/flags.js': "module.exports.isProd = process.env.NODE_ENV === 'production';\n",
  'src/routes.js': "const express = require('express');\nconst { isProd } = require('./flags');\nconst router = express.Router();\nrouter.get('/orders', (_req, res) => res.json([]));\nmodule.exports = { router };\n",
  'src/util.js': 'module.exports.sum = (a, b) => a + b;\n',
  Dockerfile: 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "src/index.js"]\n',
  '.env.example': 'PORT=3000\n',
};
/** What the reader serves for src/util.js instead of the disk's text: a finding only this text has. */
const SERVED_UTIL = "module.exports.sum = (a, b) => a + b;\nconst API_URL = 'http://localhost:8080/api';\nmodule.exports.get = () => fetch(API_URL);\n";

function workspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-read-once-'));
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return fs.realpathSync(root);
}

test('the CLI reads each file once, through one reader, and parses each TS/JS file once', async () => {
  const root = workspace();
  const served = new Map(Object.entries(FILES).map(([rel, text]) => [path.join(root, rel), rel === 'src/util.js' ? SERVED_UTIL : text]));
  const reads = new Map<string, number>();
  const readText = (abs: string) => {
    reads.set(abs, (reads.get(abs) ?? 0) + 1);
    return served.get(abs);
  };
  // any disk read of a workspace file during the run bypassed the reader
  const diskReads: string[] = [];
  const realOpen = fs.openSync;
  const realRead = fs.readFileSync;
  const note = (p: unknown) => { if (typeof p === 'string' && path.resolve(p).startsWith(root + path.sep)) diskReads.push(path.relative(root, p)); };
  fsModule.openSync = ((p: fs.PathLike, ...rest: unknown[]) => { note(p); return (realOpen as (...a: unknown[]) => number)(p, ...rest); }) as typeof fs.openSync;
  fsModule.readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => { note(p); return (realRead as (...a: unknown[]) => unknown)(p, ...rest); }) as typeof fs.readFileSync;
  const before = { ...tsParseCount };
  let result;
  try {
    result = await runAnalysis({ paths: ['.'], cwd: root, config: DEFAULT_CONFIG, factsRoot: root, useGit: false, jobs: 1, today: '2026-12-06', readText });
  } finally {
    fsModule.openSync = realOpen;
    fsModule.readFileSync = realRead;
  }
  assert.deepEqual(diskReads, [], 'no workspace file is read from disk besides the reader');
  for (const [abs, n] of reads) assert.equal(n, 1, `${path.relative(root, abs)} read ${n} times`);
  for (const rel of Object.keys(FILES)) assert.ok(reads.has(path.join(root, rel)), `${rel} read`);

  // the scan analysed the reader's text, not a second read of the disk
  const util = result.files.find((f) => f.path === 'src/util.js');
  assert.ok(util?.findings.some((f) => f.ruleId === 'config/hardcoded-endpoint' || f.ruleId === 'config/hardcoded-connection-string' || /localhost/.test(f.message)), `the served text of src/util.js was analysed: ${JSON.stringify(util?.findings.map((f) => f.ruleId))}`);

  // one full parse per TS/JS file: index.js handles SIGTERM, so the pre-pass parsed it for the
  // model's shutdown facts, and its analysis reused that parse
  const jsFiles = Object.keys(FILES).filter((rel) => rel.endsWith('.js')).length;
  assert.equal(tsParseCount.full - before.full, jsFiles, 'one full parse per TS/JS file');
  assert.ok(result.model.shutdown.some((s) => s.path === 'src/index.js'), 'the shutdown handler is in the model');
  const index = result.files.find((f) => f.path === 'src/index.js');
  assert.ok(index && !index.findings.some((f) => f.ruleId === 'disposability/no-graceful-shutdown'), 'the shutdown facts reached the rules');
  // flags.js exports an environment flag: the pre-pass parsed it for that fact, its analysis reused the parse, and the model has it
  assert.deepEqual(Object.keys(result.model.envImportsOf('src/routes.js')?.['./flags'] ?? {}), ['isProd'], 'the environment-flag exports are in the model');

  // texts are kept only where there are findings
  for (const f of result.files) assert.equal(f.text !== undefined, f.findings.length > 0, `${f.path}: text kept ${f.text !== undefined} with ${f.findings.length} findings`);
  fs.rmSync(root, { recursive: true, force: true });
});

test('the pre-pass keeps its trees within a text budget: past it a file is parsed again for its analysis, with the same result', async () => {
  const root = workspace();
  const options = { paths: ['.'], cwd: root, config: DEFAULT_CONFIG, factsRoot: root, useGit: false, jobs: 1, today: '2026-12-06' } as const;
  const parses = async (keptParsesBudget?: number) => {
    const before = tsParseCount.full;
    const result = await runAnalysis({ ...options, ...(keptParsesBudget !== undefined ? { keptParsesBudget } : {}) });
    return { result, parses: tsParseCount.full - before };
  };
  const jsFiles = Object.keys(FILES).filter((rel) => rel.endsWith('.js')).length;
  const kept = await parses();
  // src/index.js (its SIGTERM handler) is 206 characters: a budget below that keeps nothing
  const bounded = await parses(100);
  assert.equal(kept.parses, jsFiles, 'within the budget: one parse per file');
  assert.equal(bounded.parses, jsFiles + 1, 'past it: the pre-pass\'s tree was not kept and src/index.js was parsed again');
  const view = (r: typeof kept.result) => r.files.map((f) => `${f.path} ${f.role?.role ?? '-'} ${f.findings.map((x) => `${x.ruleId}@${x.start}`).join(',')}`);
  assert.deepEqual(view(bounded.result), view(kept.result), 'same files, roles and findings');
  assert.equal(JSON.stringify(bounded.result.model), JSON.stringify(kept.result.model), 'same project model');
  fs.rmSync(root, { recursive: true, force: true });
});

test('KeptParses: keeps while the texts fit the budget, hands each parse over once, and frees its room', () => {
  const parsed = (text: string) => ({ kind: 'ts', text }) as unknown as ParsedDocument;
  const kept = new KeptParses(10);
  kept.offer('/a.ts', 'aaaaaa', parsed('aaaaaa'));
  kept.offer('/b.ts', 'bbbbbb', parsed('bbbbbb')); // 12 > 10: not kept
  kept.offer('/c.ts', 'cccc', parsed('cccc')); // 10: fits
  assert.deepEqual(['/a.ts', '/b.ts', '/c.ts'].map((p) => kept.has(p)), [true, false, true]);
  assert.equal(kept.take('/a.ts')?.text, 'aaaaaa');
  assert.equal(kept.take('/a.ts'), undefined, 'once');
  kept.offer('/b.ts', 'bbbbbb', parsed('bbbbbb')); // 4 + 6: fits now
  assert.equal(kept.size, 2);
  assert.ok(KEPT_PARSES_TEXT_BUDGET >= 8 * 1024 * 1024, 'the default keeps a service\'s trees');
});
