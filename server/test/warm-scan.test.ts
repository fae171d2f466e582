/**
 * The CLI's warm scan (`--cache`), proven by counts and by equality with a fresh run (issue 15):
 * a warm run that misses nothing analyses and parses no file — vendored and other skipped files
 * included — and reads only the texts its report shows; the role pre-pass takes its facts from
 * the cache for files whose size and mtime are unchanged. Every edit (a source, a package.json,
 * a .gitignore, a touched file, a new or deleted file) re-reads and re-analyses exactly what it
 * must, and the result is always the one a run without a cache gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runAnalysis, type RunResult } from '../src/cli/analyze-paths';
import { DEFAULT_CONFIG, type ResolvedConfig } from '../src/engine/config';
import { runRecordFile } from '../src/cli/run-snapshot';
import { tsParseCount } from '../src/parse/typescript';
// the module object itself (a namespace import is a read-only view): reads are counted on it
import fsModule = require('node:fs');
// patched to count what is hashed
import analysisCacheModule = require('../src/cache/analysis-cache');
// patched to count the role decisions
import rolesModule = require('../src/workspace/roles');

const TODAY = '2026-12-06';
/** Files older than the cache's settle time (2 s), as in a real checkout. */
const AN_HOUR_AGO = Date.now() / 1000 - 3600;
/**
 * An mtime no run of a test can see as settled (the cache stamps only files modified 2 s before a
 * run began): "just now" would become settled if a loaded machine delayed the next run by 2 s.
 */
const UNSETTLED = Date.now() / 1000 + 24 * 3600;

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'orders', version: '1.0.0', main: 'src/main.js', dependencies: { express: '^5.0.0' } }),
  '.gitignore': 'node_modules\n',
  'tsconfig.json': JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: 'src' } }),
  'src/main.js': "const express = require('express');\nconst { router } = require('./routes');\nconst app = express();\napp.use(router);\nconst server = app.listen(8080);\nprocess.on('SIGTERM', () => server.close());\n",
  'src/routes.js': "const express = require('express');\nconst router = express.Router();\nrouter.get('/orders', (_req, res) => res.json([]));\nmodule.exports = { router };\n",
  'src/util.js': 'module.exports.sum = (a, b) => a + b;\n',
  'src/math.js': 'module.exports.twice = (n) => n * 2;\n',
  // minified: the engine skips it as vendored (it used to be re-analysed on every warm run)
  'public/lib.min.js': `!function(){${'var a=1;'.repeat(900)}}();\n`,
  Dockerfile: 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "src/main.js"]\n',
  '.env.example': 'PORT=3000\n',
};

function write(root: string, rel: string, text: string, mtime = AN_HOUR_AGO): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  fs.utimesSync(abs, mtime, mtime);
}

function workspace(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-warm-')));
  for (const [rel, text] of Object.entries(FILES)) write(root, rel, text);
  return root;
}

/** Calls `fn`, counting the workspace files opened from disk meanwhile. */
async function countingReads<T>(root: string, fn: () => T | Promise<T>): Promise<{ value: T; reads: Map<string, number> }> {
  const reads = new Map<string, number>();
  const note = (p: unknown) => {
    if (typeof p !== 'string' || !path.resolve(p).startsWith(root + path.sep)) return;
    const rel = path.relative(root, p);
    reads.set(rel, (reads.get(rel) ?? 0) + 1);
  };
  const realOpen = fs.openSync;
  const realRead = fs.readFileSync;
  // a file opened (a probe for a .gitignore or package.json that is not there is no read)
  fsModule.openSync = ((p: fs.PathLike, ...rest: unknown[]) => { const fd = (realOpen as (...a: unknown[]) => number)(p, ...rest); note(p); return fd; }) as typeof fs.openSync;
  fsModule.readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => { const out = (realRead as (...a: unknown[]) => unknown)(p, ...rest); note(p); return out; }) as typeof fs.readFileSync;
  try {
    return { value: await fn(), reads };
  } finally {
    fsModule.openSync = realOpen;
    fsModule.readFileSync = realRead;
  }
}

/** Runs the analysis, counting the workspace files opened from disk and the TS parses. */
async function counted(root: string, cacheFile?: string, jobs = 1, more: { config?: ResolvedConfig; useGit?: boolean } = {}): Promise<{ run: RunResult; reads: Map<string, number>; parses: number }> {
  const before = tsParseCount.full;
  const { value: run, reads } = await countingReads(root, () => runAnalysis({ paths: ['.'], cwd: root, config: more.config ?? DEFAULT_CONFIG, factsRoot: root, useGit: more.useGit ?? false, jobs, ...(jobs > 1 ? { minFilesPerWorker: 1 } : {}), today: TODAY, ...(cacheFile ? { cacheFile } : {}) }));
  return { run, reads, parses: tsParseCount.full - before };
}

/** What a user sees of a run (and what `--fix` and the report use): findings, roles, texts kept, skipped files, counts, the model's data. */
function shown(run: RunResult): unknown {
  // as data (a cached finding has no `related: undefined` key; JSON has neither)
  return JSON.parse(JSON.stringify({
    files: run.files.map((f) => ({ path: f.path, analysed: f.analysed, role: f.role, text: f.text, findings: f.findings })),
    skipped: run.skipped,
    summary: { ...run.summary, durationMs: 0 },
    ruleErrors: run.ruleErrors,
    model: run.model,
  }));
}

/** Asserts the cached run shows exactly what a run without a cache shows now. */
async function assertFresh(root: string, warm: RunResult, what: string, more: { config?: ResolvedConfig; useGit?: boolean } = {}): Promise<void> {
  const fresh = await counted(root, undefined, 1, more);
  assert.deepEqual(shown(warm), shown(fresh.run), `${what}: the cached run shows what a fresh run shows`);
}

test('a warm run that misses nothing analyses and parses nothing, vendored files included, and reads only what its report shows', async (t) => {
  const root = workspace();
  const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-warm-cache-')), 'cache.json');
  t.after(() => { fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(path.dirname(cacheFile), { recursive: true, force: true }); });
  const cold = await counted(root, cacheFile);
  assert.ok(cold.run.skipped.some((s) => s.file === 'public/lib.min.js' && s.reason === 'vendored' && s.role?.role === 'vendored'), `the minified file is skipped as vendored: ${JSON.stringify(cold.run.skipped)}`);
  const warm = await counted(root, cacheFile);
  const analysable = cold.run.scanStats!.files;
  assert.equal(warm.run.scanStats!.analysed, 0, 'nothing re-analysed (the vendored file neither)');
  assert.equal(warm.run.scanStats!.cacheHits, analysable);
  assert.equal(warm.parses, 0, 'no TS/JS parse');
  // read: the texts the report shows (files with findings) and the .gitignore the walk obeys; no
  // other file (package.json neither; the tsconfig.json neither: the recorded run needs no context)
  assert.equal(warm.run.scanStats!.runRecord, true, 'the recorded run is shown again');
  const withFindings = warm.run.files.filter((f) => f.findings.length > 0).map((f) => f.path);
  assert.ok(withFindings.includes('src/main.js') && !withFindings.includes('src/util.js'));
  assert.deepEqual([...warm.reads.keys()].sort(), [...withFindings, '.gitignore'].sort(), 'read only the shown texts and the .gitignore');
  for (const [rel, n] of warm.reads) assert.equal(n, 1, `${rel} read ${n} times`);
  // its model, asked for (the report, --fix), comes from the cache: no file read, no parse
  const parses = tsParseCount.full;
  const model = await countingReads(root, () => warm.run.model);
  assert.deepEqual([...model.reads.keys()], [], 'the model is built from the cache');
  assert.equal(tsParseCount.full, parses);
  assert.deepEqual(shown(warm.run), shown(cold.run), 'the warm run shows what the cold one showed');
  await assertFresh(root, warm.run, 'unchanged');
});

test('a cold run on two workers (they run the pre-pass) records the pre-pass facts too: the next run reads only what its report shows', async (t) => {
  const root = workspace();
  const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-warm-cache-')), 'cache.json');
  t.after(() => { fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(path.dirname(cacheFile), { recursive: true, force: true }); });
  const cold = await counted(root, cacheFile, 2);
  assert.equal(cold.run.scanStats!.workers, 2, 'the workers ran');
  const warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.analysed, 0);
  assert.equal(warm.run.scanStats!.runRecord, true);
  const withFindings = warm.run.files.filter((f) => f.findings.length > 0).map((f) => f.path);
  assert.deepEqual([...warm.reads.keys()].sort(), [...withFindings, '.gitignore'].sort());
  assert.deepEqual(shown(warm.run), shown(cold.run));
  await assertFresh(root, warm.run, 'after two workers');
});

test('each edit re-reads and re-analyses exactly what it must, and the result is a fresh run\'s', async (t) => {
  const root = workspace();
  const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-warm-cache-')), 'cache.json');
  t.after(() => { fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(path.dirname(cacheFile), { recursive: true, force: true }); });
  await counted(root, cacheFile);
  const analysed = (r: RunResult) => r.scanStats!.analysed;
  let mtime = AN_HOUR_AGO;
  const edit = (rel: string, text: string) => write(root, rel, text, (mtime += 10));

  // a source file: only it is read for its facts and re-analysed
  edit('src/util.js', "module.exports.sum = (a, b) => a + b;\nconst API_URL = 'http://localhost:8080/api';\nmodule.exports.get = () => fetch(API_URL);\n");
  let warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.runRecord, undefined, 'an edited file: the recorded run is not shown');
  assert.equal(analysed(warm.run), 1, 'only src/util.js re-analysed');
  assert.equal(warm.parses, 1, 'and parsed');
  assert.equal(warm.reads.get('src/util.js'), 1, 'read once (pre-pass, analysis and report share the read)');
  assert.ok(warm.run.files.find((f) => f.path === 'src/util.js')!.findings.length > 0, 'its new finding shows');
  await assertFresh(root, warm.run, 'a source edited');

  // touched, same content: read once to hash it, not re-analysed; stamped again, so the next run reads nothing of it
  fs.utimesSync(path.join(root, 'src/math.js'), (mtime += 10), mtime);
  warm = await counted(root, cacheFile);
  assert.equal(analysed(warm.run), 0);
  assert.equal(warm.reads.get('src/math.js'), 1, 'read once to hash it');
  assert.equal(warm.run.files.find((f) => f.path === 'src/math.js')?.findings.length, 0, 'no findings: the report does not need its text');
  warm = await counted(root, cacheFile);
  assert.equal(warm.reads.get('src/math.js'), undefined, 'stamped again: not read');
  await assertFresh(root, warm.run, 'a file touched');

  // package.json: a project fact of every file of the package: they are all analysed again
  edit('package.json', JSON.stringify({ name: 'orders', version: '1.0.1', main: 'src/main.js', dependencies: { express: '^5.0.0', pg: '^8.0.0' } }));
  warm = await counted(root, cacheFile);
  assert.equal(warm.reads.get('package.json'), 1, 'package.json read once');
  assert.ok(analysed(warm.run) >= 3, `the package's sources re-analysed (${analysed(warm.run)})`);
  await assertFresh(root, warm.run, 'package.json edited');

  // .gitignore: the walk no longer yields the ignored file
  edit('.gitignore', 'node_modules\nsrc/util.js\n');
  warm = await counted(root, cacheFile);
  assert.ok(!warm.run.files.some((f) => f.path === 'src/util.js'), 'src/util.js is ignored now');
  await assertFresh(root, warm.run, '.gitignore edited');

  // a new file and a deleted one
  edit('src/jobs.js', "setInterval(() => {}, 1000).unref();\nmodule.exports = {};\n");
  fs.rmSync(path.join(root, 'src/routes.js'));
  warm = await counted(root, cacheFile);
  assert.equal(analysed(warm.run), 1, 'only the new file analysed');
  assert.ok(!warm.run.files.some((f) => f.path === 'src/routes.js'));
  await assertFresh(root, warm.run, 'a file added and one deleted');

  // a file edited within the settle time gets no stamp: read on every run until it settles
  write(root, 'src/jobs.js', 'module.exports = { n: 1 };\n', UNSETTLED);
  warm = await counted(root, cacheFile);
  assert.equal(warm.reads.get('src/jobs.js'), 1);
  warm = await counted(root, cacheFile);
  assert.equal(warm.reads.get('src/jobs.js'), 1, 'not stamped: read again');
  assert.equal(analysed(warm.run), 0, 'but its result is cached');
  await assertFresh(root, warm.run, 'a file edited just now');
});

/** The record of a run (`cli/run-snapshot.ts`) beside the cache. */
function recordOf(cacheFile: string): string {
  return runRecordFile(cacheFile);
}

test('without its run record, a warm run still analyses and parses nothing: each file by its cache entry', async (t) => {
  const root = workspace();
  const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-warm-cache-')), 'cache.json');
  t.after(() => { fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(path.dirname(cacheFile), { recursive: true, force: true }); });
  await counted(root, cacheFile);
  assert.ok(fs.existsSync(recordOf(cacheFile)), 'the cold run recorded itself');
  fs.rmSync(recordOf(cacheFile));
  const warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.runRecord, undefined);
  assert.equal(warm.run.scanStats!.analysed, 0);
  assert.equal(warm.parses, 0);
  // the per-file path: the tsconfig.json is read for the contexts' path aliases
  const withFindings = warm.run.files.filter((f) => f.findings.length > 0).map((f) => f.path);
  assert.deepEqual([...warm.reads.keys()].sort(), [...withFindings, '.gitignore', 'tsconfig.json'].sort());
  assert.ok(fs.existsSync(recordOf(cacheFile)), 'and recorded itself again');
  await assertFresh(root, warm.run, 'the per-file warm path');
});

test('a recorded run is shown again only while every input holds: the files the walk sees, what its rules read besides, the configuration, git, the record itself', async (t) => {
  const root = workspace();
  // a secret file the Dockerfile's `COPY . .` ships: the rule reads the .dockerignore (absent), which the walk does not yield
  write(root, '.env', 'PORT=3000\nDB_PASSWORD=correct-horse-battery-staple-41\n');
  const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-warm-cache-')), 'cache.json');
  t.after(() => { fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(path.dirname(cacheFile), { recursive: true, force: true }); });
  const rules = (r: RunResult, rel: string) => r.files.find((f) => f.path === rel)?.findings.map((f) => f.ruleId) ?? [];
  const cold = await counted(root, cacheFile);
  assert.ok(rules(cold.run, 'Dockerfile').includes('security/secret-file-in-image'), `the image ships .env: ${rules(cold.run, 'Dockerfile')}`);
  let warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.runRecord, true);
  await assertFresh(root, warm.run, 'recorded');

  // a file the walk does not yield, read by a rule: the record's dependency fails
  write(root, '.dockerignore', '.env\n');
  warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.runRecord, undefined, 'the .dockerignore changed: not the recorded run');
  assert.ok(!rules(warm.run, 'Dockerfile').includes('security/secret-file-in-image'), 'the .env is no longer shipped');
  await assertFresh(root, warm.run, 'a .dockerignore written');
  warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.runRecord, true, 'recorded again');
  await assertFresh(root, warm.run, 'recorded again');

  // a record edited by someone without the key is not trusted
  const record = fs.readFileSync(recordOf(cacheFile), 'utf8');
  const tampered = record.replace('"analysed":true', '"analysed":false');
  assert.notEqual(tampered, record);
  fs.writeFileSync(recordOf(cacheFile), tampered);
  warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.runRecord, undefined, 'a tampered record is set aside');
  await assertFresh(root, warm.run, 'a tampered record');

  // the record without the cache it came with: the model is computed again from the texts
  fs.rmSync(cacheFile);
  warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.runRecord, true);
  await assertFresh(root, warm.run, 'the record without its cache');

  // another configuration: not the recorded run; its own run is recorded and shown again
  const config: ResolvedConfig = { ...DEFAULT_CONFIG, rules: { ...DEFAULT_CONFIG.rules, 'port-binding/hardcoded-port': 'off' } };
  warm = await counted(root, cacheFile, 1, { config });
  assert.equal(warm.run.scanStats!.runRecord, undefined, 'a rule turned off');
  await assertFresh(root, warm.run, 'another configuration', { config });
  warm = await counted(root, cacheFile, 1, { config });
  assert.equal(warm.run.scanStats!.runRecord, true);
  await assertFresh(root, warm.run, 'another configuration, recorded', { config });

  // a file edited just now: no record is made, and the old one is gone
  write(root, 'src/math.js', 'module.exports.twice = (n) => n + n;\n', UNSETTLED);
  warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.runRecord, undefined);
  assert.ok(!fs.existsSync(recordOf(cacheFile)), 'no record of a run with an unsettled file');
  warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.runRecord, undefined, 'still unsettled');
  await assertFresh(root, warm.run, 'a file edited just now');
});

test('with git, a file added to the index is not the recorded run (git\'s answers are inputs too)', async (t) => {
  const root = workspace();
  write(root, '.env', 'PORT=3000\nDB_PASSWORD=correct-horse-battery-staple-41\n');
  const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-warm-cache-')), 'cache.json');
  t.after(() => { fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(path.dirname(cacheFile), { recursive: true, force: true }); });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root, stdio: 'ignore' });
  try { git('init', '-q'); git('add', 'src', 'package.json'); } catch { t.skip('git is not available'); return; }
  const more = { useGit: true };
  await counted(root, cacheFile, 1, more);
  let warm = await counted(root, cacheFile, 1, more);
  assert.equal(warm.run.scanStats!.runRecord, true);
  await assertFresh(root, warm.run, 'with git', more);
  // the per-file path keys each lookup by git's answer as the analysis did (its key, from the whole context): all hit
  fs.rmSync(recordOf(cacheFile));
  warm = await counted(root, cacheFile, 1, more);
  assert.equal(warm.run.scanStats!.runRecord, undefined);
  assert.equal(warm.run.scanStats!.analysed, 0, 'every lookup hits');
  await assertFresh(root, warm.run, 'with git, per file', more);
  git('add', '.env');
  warm = await counted(root, cacheFile, 1, more);
  assert.equal(warm.run.scanStats!.runRecord, undefined, '.env is tracked now');
  await assertFresh(root, warm.run, '.env tracked', more);
});

test('a cold run with --cache hashes each text it analyses once (the pre-pass record\'s hash keys the analysis of that same text)', async (t) => {
  const root = workspace();
  const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-warm-cache-')), 'cache.json');
  const realHash = analysisCacheModule.contentHash;
  const hashed = new Map<string, number>();
  t.after(() => { analysisCacheModule.contentHash = realHash; fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(path.dirname(cacheFile), { recursive: true, force: true }); });
  const texts = new Map(Object.entries(FILES).map(([rel, text]) => [text, rel]));
  analysisCacheModule.contentHash = (...parts: string[]) => {
    const rel = parts.length === 1 ? texts.get(parts[0]) : undefined;
    if (rel) hashed.set(rel, (hashed.get(rel) ?? 0) + 1);
    return realHash(...parts);
  };
  const cold = await counted(root, cacheFile);
  assert.equal(cold.run.scanStats!.analysed, cold.run.scanStats!.files);
  assert.ok(hashed.get('src/main.js') !== undefined, 'the texts are hashed (for the records and the keys)');
  for (const [rel, n] of hashed) assert.equal(n, 1, `${rel} hashed ${n} times`);
});

test('the run record is never written through a symlink, nor is the link removed', async (t) => {
  const root = workspace();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-warm-cache-'));
  const cacheFile = path.join(dir, 'cache.json');
  t.after(() => { fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(dir, { recursive: true, force: true }); });
  const target = path.join(dir, 'elsewhere.txt');
  fs.writeFileSync(target, 'not a record\n');
  fs.symlinkSync(target, recordOf(cacheFile));
  await counted(root, cacheFile);
  const warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.runRecord, undefined, 'no record was made');
  assert.ok(fs.lstatSync(recordOf(cacheFile)).isSymbolicLink(), 'the link is left alone');
  assert.equal(fs.readFileSync(target, 'utf8'), 'not a record\n', 'nothing written through it');
  await assertFresh(root, warm.run, 'a symlinked record');
});

test('the per-file warm path takes the roles its cache kept for the same evidence, and decides them again when the evidence changes', async (t) => {
  const root = workspace();
  const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-warm-cache-')), 'cache.json');
  const realDecide = rolesModule.decideRoles;
  let decisions = 0;
  t.after(() => { rolesModule.decideRoles = realDecide; fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(path.dirname(cacheFile), { recursive: true, force: true }); });
  rolesModule.decideRoles = (inputs) => { decisions++; return realDecide(inputs); };
  await counted(root, cacheFile);
  assert.ok(decisions > 0, 'the cold run decides the roles');
  const role = (r: RunResult, rel: string) => r.files.find((f) => f.path === rel)?.role;

  // no record: the per-file path builds the model again, with the roles kept for this evidence
  fs.rmSync(recordOf(cacheFile));
  decisions = 0;
  let warm = await counted(root, cacheFile);
  assert.equal(warm.run.scanStats!.runRecord, undefined);
  assert.equal(decisions, 0, 'no role decided again');
  await assertFresh(root, warm.run, 'roles kept');
  const before = role(warm.run, 'src/util.js');

  // an import added: other evidence, so the roles are decided again (src/util.js is reached from the entry point now)
  write(root, 'src/main.js', `${FILES['src/main.js']}require('./util');\n`, AN_HOUR_AGO + 10);
  decisions = 0;
  warm = await counted(root, cacheFile);
  assert.ok(decisions > 0, 'the roles are decided again');
  assert.notDeepEqual(role(warm.run, 'src/util.js'), before, `src/util.js's role changed: ${JSON.stringify(role(warm.run, 'src/util.js'))}`);
  await assertFresh(root, warm.run, 'an import added');

  // and back: the evidence of the first runs again, whose roles the cache no longer keeps (only those a run used)
  write(root, 'src/main.js', FILES['src/main.js'], AN_HOUR_AGO + 20);
  warm = await counted(root, cacheFile);
  assert.deepEqual(role(warm.run, 'src/util.js'), before);
  await assertFresh(root, warm.run, 'the import removed');
});

test('the walk opens no .gitignore its folder\'s listing does not show (one failed open per folder, on every run)', async (t) => {
  const root = workspace();
  write(root, 'src/nested/.gitignore', 'ignored.js\n');
  write(root, 'src/nested/ignored.js', "const API_URL = 'http://localhost:8080/api';\n");
  write(root, 'src/nested/kept.js', 'module.exports = 1;\n');
  t.after(() => { fs.rmSync(root, { recursive: true, force: true }); });
  const probed: string[] = [];
  const realOpen = fs.openSync;
  fsModule.openSync = ((p: fs.PathLike, ...rest: unknown[]) => { if (typeof p === 'string' && path.basename(p) === '.gitignore') probed.push(path.relative(root, p)); return (realOpen as (...a: unknown[]) => number)(p, ...rest); }) as typeof fs.openSync;
  let run: RunResult;
  try {
    ({ run } = await counted(root));
  } finally {
    fsModule.openSync = realOpen;
  }
  assert.deepEqual(probed.sort(), ['.gitignore', path.join('src', 'nested', '.gitignore')], 'only the .gitignore files that are there');
  assert.ok(!run.files.some((f) => f.path === 'src/nested/ignored.js') && run.files.some((f) => f.path === 'src/nested/kept.js'), 'the nested .gitignore is obeyed');
  await assertFresh(root, run, 'nested .gitignore');
});
