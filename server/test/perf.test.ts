/**
 * Performance machinery must not change results (issue 7): the incremental TS reparse gives
 * the same findings as a full parse, and the parallel, cached workspace scan gives the same
 * findings, in the same order, as the sequential CLI loop — cold, warm, and after edits.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isModelCandidate, runAnalysis } from '../src/cli/analyze-paths';
import { ProjectModelBuilder } from '../src/workspace/project-model';
import { ProjectFacts } from '../src/host/project-facts';
import { WORKSPACE_RULES } from '../src/workspace/registry';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { analyze } from '../src/engine/run';
import { changeRange } from '../src/parse/typescript';
import { scanFiles } from '../src/host/parallel-analyze';
import { walkFiles } from '../src/host/walk';
import { modelContextFor } from '../src/workspace/project-context-for';
import { RULES } from '../src/rules/registry';

const TODAY = '2026-11-22';

const SERVICE = [
  "import express from 'express';",
  "import session from 'express-session';",
  'const app = express();',
  "app.use(session({ secret: 'keyboard cat' }));",
  "const db = 'postgres://admin:hunter2@db.internal:5432/app';",
  'export function handler(req: { id: string }) {',
  "  console.log('handling', req.id);",
  "  return fetch('https://api.partner.example.com/v1/items/' + req.id);",
  '}',
  'app.listen(3000);',
  '',
].join('\n');

function summary(findings: ReadonlyArray<{ ruleId: string; start: number; end: number; message: string }>): string[] {
  return findings.map((f) => `${f.start}-${f.end} ${f.ruleId} ${f.message}`);
}

describe('changeRange', () => {
  test('one contiguous edit: common prefix and suffix excluded', () => {
    assert.deepEqual(changeRange('abcdef', 'abXYef'), { span: { start: 2, length: 2 }, newLength: 2 });
    assert.deepEqual(changeRange('abc', 'abc'), { span: { start: 3, length: 0 }, newLength: 0 });
    assert.deepEqual(changeRange('', 'x'), { span: { start: 0, length: 0 }, newLength: 1 });
    assert.deepEqual(changeRange('aaaa', 'aa'), { span: { start: 2, length: 2 }, newLength: 0 });
  });
});

describe('incremental reparse', () => {
  test('a chain of edits, each reparsed from the previous tree, matches full parses', () => {
    const path = '/w/app/src/service.ts';
    let text = SERVICE;
    let previous = analyze({ path, text }, { rules: RULES, today: TODAY }).parsed;
    // insertions, deletions, replacements, at the start, the middle and the end, incl. ones that change structure
    const edits: Array<(t: string) => string> = [
      (t) => t.replace("'keyboard cat'", "process.env.SESSION_SECRET ?? ''"),
      (t) => `// header\n${t}`,
      (t) => t.replace('app.listen(3000);', 'app.listen(Number(process.env.PORT));'),
      (t) => t.replace('export function handler', 'export async function handler'),
      (t) => t.replace("console.log('handling', req.id);", ''),
      (t) => `${t}const other = 'redis://cache.internal:6379';\n`,
      (t) => t.replace('{', '{ {'), // a syntax error
      (t) => t.replace('{ {', '{'),
      (t) => t.slice(0, 40),
      (t) => t + SERVICE,
    ];
    for (const edit of edits) {
      text = edit(text);
      const incremental = analyze({ path, text }, { rules: RULES, today: TODAY, previous });
      const full = analyze({ path, text }, { rules: RULES, today: TODAY });
      assert.deepEqual(summary(incremental.findings), summary(full.findings));
      assert.equal(incremental.parsed?.value && 'sourceFile' in incremental.parsed.value ? incremental.parsed.value.sourceFile.text : undefined, text);
      previous = incremental.parsed;
    }
  });

  test('a consumed parse is never reused twice (falls back to a full parse)', () => {
    const path = '/w/app/src/service.ts';
    const first = analyze({ path, text: SERVICE }, { rules: RULES, today: TODAY }).parsed;
    const a = analyze({ path, text: `${SERVICE}\n// a` }, { rules: RULES, today: TODAY, previous: first });
    const b = analyze({ path, text: `${SERVICE}\n// b` }, { rules: RULES, today: TODAY, previous: first });
    assert.deepEqual(summary(a.findings), summary(analyze({ path, text: `${SERVICE}\n// a` }, { rules: RULES, today: TODAY }).findings));
    assert.deepEqual(summary(b.findings), summary(analyze({ path, text: `${SERVICE}\n// b` }, { rules: RULES, today: TODAY }).findings));
  });
});

function makeWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-scan-'));
  const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true }); fs.writeFileSync(path.join(root, rel), text); };
  write('package.json', JSON.stringify({ name: 'svc', dependencies: { express: '5.0.0' } }));
  write('.env.example', 'DATABASE_URL=\n');
  write('Dockerfile', 'FROM node:20\nCOPY . .\nCMD npm start\n');
  write('compose.yaml', 'services:\n  app:\n    build: .\n    ports:\n      - "3000:3000"\n  db:\n    image: postgres\n    ports:\n      - "5432:5432"\n');
  write('src/server.ts', SERVICE);
  for (let i = 0; i < 12; i++) write(`src/routes/r${i}.ts`, i % 3 === 0 ? `export const url${i} = 'https://api.vendor${i}.example.com/v1';\nconsole.log(url${i});\n` : `export const n${i} = ${i};\n`);
  return root;
}

describe('parallel workspace scan', () => {
  const root = makeWorkspace();
  const files = walkFiles([root], { root, maxFileSize: DEFAULT_CONFIG.maxFileSize });
  // the reference: the engine called file by file in this thread, no pool, no cache
  const referenceFacts = new ProjectFacts(root, { useGit: false, maxFileSize: DEFAULT_CONFIG.maxFileSize });
  const externalRuleIds = new Set(WORKSPACE_RULES.map((r) => r.meta.id));
  const expected = files.flatMap((abs) => {
    const result = analyze({ path: abs, text: fs.readFileSync(abs, 'utf8') }, { rules: RULES, config: DEFAULT_CONFIG, project: referenceFacts.contextFor(abs), classify: { ...referenceFacts.classifyOptionsFor(abs), role: referenceFacts.roleFor(abs) }, today: TODAY, reportUnusedSuppressions: true, externalRuleIds });
    return result.skipped && result.skipped !== 'too-large' && result.skipped !== 'unparseable' ? [] : [{ file: abs, findings: summary(result.findings) }];
  });
  const cacheFile = path.join(root, 'node_modules', '.cache', 'factorlint', 'analysis-cache.json');
  // the project model of the tree as it is now (as the CLI builds it before every scan)
  const currentModel = () => {
    const facts = new ProjectFacts(root, { useGit: false, maxFileSize: DEFAULT_CONFIG.maxFileSize });
    return (abs: string) => modelContextFor(facts.model(), facts.modelPath(abs), root.replace(/\\/g, '/'));
  };
  const scan = (jobs: number, cache?: string) => scanFiles({ files, factsRoot: root, config: DEFAULT_CONFIG, today: TODAY, jobs, minFilesPerWorker: 1, cacheFile: cache, modelContextOf: currentModel() });
  const shape = (r: Awaited<ReturnType<typeof scan>>) => r.files.filter((f) => !f.skipped).map((f) => ({ file: f.abs, findings: summary(f.findings) }));

  test('worker threads give the sequential results, in the same order', async () => {
    assert.ok(expected.some((f) => f.findings.length > 0));
    const parallel = await scan(2);
    assert.equal(parallel.stats.workers, 2);
    assert.deepEqual(shape(parallel), expected);
    assert.deepEqual(shape(await scan(1)), expected);
  });

  test('cold then warm: the warm scan is served from the cache, identically', async () => {
    const cold = await scan(2, cacheFile);
    assert.equal(cold.stats.cacheHits, 0);
    assert.ok(fs.existsSync(cacheFile));
    const warm = await scan(2, cacheFile);
    assert.equal(warm.stats.analysed, 0);
    assert.equal(warm.stats.workers, 0);
    assert.deepEqual(shape(warm), expected);
  });

  test('an edited file and a changed package.json re-analyse exactly what they affect', async () => {
    await scan(2, cacheFile);
    fs.appendFileSync(path.join(root, 'src/routes/r1.ts'), "console.log('new');\n");
    const afterEdit = await scan(2, cacheFile);
    assert.equal(afterEdit.stats.analysed, 1);
    assert.ok(afterEdit.files.find((f) => f.abs.endsWith('r1.ts'))!.findings.some((f) => f.ruleId === 'logs/console-logging'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'svc', dependencies: { express: '5.0.0', pino: '9.0.0' } }));
    const afterPackage = await scan(2, cacheFile);
    assert.ok(afterPackage.stats.analysed >= files.filter((f) => /\.ts$/.test(f)).length, 'package facts are part of every file key');
    const fresh = await scan(1);
    assert.deepEqual(shape(afterPackage), shape(fresh));
  });

  test('a shutdown handler added in another file of the package re-checks files that used the fact', async () => {
    const before = await scan(2, cacheFile);
    const has = (r: typeof before) => r.files.find((f) => f.abs.endsWith('server.ts'))!.findings.some((f) => f.ruleId === 'disposability/no-graceful-shutdown');
    assert.ok(has(before), 'fixture: server.ts listens without a shutdown handler');
    fs.writeFileSync(path.join(root, 'src/shutdown.ts'), "process.on('SIGTERM', () => process.exit(0));\n");
    const withHandler = walkFiles([root], { root, maxFileSize: DEFAULT_CONFIG.maxFileSize });
    const after = await scanFiles({ files: withHandler, factsRoot: root, config: DEFAULT_CONFIG, today: TODAY, jobs: 2, minFilesPerWorker: 1, cacheFile, modelContextOf: currentModel() });
    assert.equal(has(after), false);
    fs.rmSync(path.join(root, 'src/shutdown.ts'));
    const removed = await scan(2, cacheFile);
    assert.ok(has(removed));
  });

  test('unchanged size and mtime skip reading; any edit (a new mtime) is read and re-analysed', async () => {
    const statCache = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-stat-cache-')), 'cache.json');
    const past = new Date(Date.now() - 60_000);
    for (const abs of files) fs.utimesSync(abs, past, past); // settled files: older than the scan
    const cold = await scan(1, statCache);
    assert.equal(cold.stats.statHits, 0);
    const warm = await scan(1, statCache);
    assert.equal(warm.stats.statHits, files.length, 'every file hashed from its stat stamp');
    assert.equal(warm.stats.analysed, 0);
    assert.deepEqual(shape(warm), shape(cold));
    // an edit of the same size: the mtime moves, so the file is read, and its finding changes
    const target = files.find((f) => f.endsWith('r0.ts'))!;
    const before = fs.readFileSync(target, 'utf8');
    const edited = before.replace('console.log(url0);', 'console.warn(url0)');
    assert.equal(edited.length, before.length);
    assert.notEqual(edited, before);
    fs.writeFileSync(target, edited);
    const after = await scan(1, statCache);
    assert.equal(after.stats.statHits, files.length - 1);
    assert.equal(after.stats.analysed, 1);
    assert.deepEqual(shape(after), shape(await scan(1)), 'the same as a scan without cache');
    // a freshly written file gets no stamp (it may change again within the timestamp tick)
    assert.equal((await scan(1, statCache)).stats.statHits, files.length - 1);
    fs.writeFileSync(target, before);
  });

  test('a corrupted cache is discarded, never trusted', async () => {
    await scan(2, cacheFile);
    fs.writeFileSync(cacheFile, fs.readFileSync(cacheFile, 'utf8').slice(0, 100));
    const r = await scan(2, cacheFile);
    assert.equal(r.stats.cacheHits, 0);
    assert.deepEqual(shape(r), shape(await scan(1)));
  });

  test('the CLI analysis gives the same files, findings and project model in one thread, on workers and from the cache', async () => {
    const cliCache = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-cli-cache-')), 'cache.json'); // outside the tree: a .json there joins the model
    const run = (jobs: number, cacheFile?: string) => runAnalysis({ paths: [root], cwd: root, config: DEFAULT_CONFIG, factsRoot: root, useGit: false, today: TODAY, jobs, cacheFile, minFilesPerWorker: 1 });
    const view = (r: Awaited<ReturnType<typeof run>>) => ({
      files: r.files.map((f) => ({ path: f.path, analysed: f.analysed, findings: summary(f.findings) })),
      skipped: r.skipped,
      ruleErrors: r.ruleErrors,
      model: JSON.stringify(r.model),
    });
    const inThread = view(await run(1));
    assert.ok(inThread.files.some((f) => f.findings.some((x) => x.includes('port-binding/'))), 'single-file findings');
    // the model the workers' facts built equals one built here from the texts
    const builder = new ProjectModelBuilder();
    for (const abs of walkFiles([root], { root, maxFileSize: DEFAULT_CONFIG.maxFileSize, accepts: isModelCandidate })) builder.update(path.relative(root, abs).replace(/\\/g, '/'), fs.readFileSync(abs, 'utf8'));
    assert.equal(inThread.model, JSON.stringify(builder.model()));
    assert.deepEqual(view(await run(2)), inThread);
    assert.deepEqual(view(await run(2, cliCache)), inThread, 'cold cache');
    assert.deepEqual(view(await run(2, cliCache)), inThread, 'warm cache: findings and model facts from the cache');
  });
});
