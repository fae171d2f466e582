/**
 * What the CLI's cold scan no longer pays for (wave 6, docs/performance.md "CLI CPU over the
 * floor, wave 6"), proven by counts and behaviour, not timings: rules that skip a file which
 * cannot hold their finding before walking it, and the `factorlint` process's JIT tuning.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type * as TS from 'typescript';
import { analyze } from '../src/engine/run';
import { DEFAULT_CONFIG } from '../src/engine/config';
import type { ParsedDocument } from '../src/engine/document';
import { LineIndex } from '../src/engine/line-index';
import type { ProjectContext } from '../src/engine/project-context';
import type { Finding, Rule } from '../src/engine/types';
import { loadTypescript, parseTypescript, type ParsedTs } from '../src/parse/typescript';
import { RULES } from '../src/rules/registry';
import * as moduleImports from '../src/rules/support/module-imports';
import { extractTs } from '../src/workspace/extract-ts';
import { BATCH_INTERRUPT_BUDGET, BATCH_NO_PRETENURING, batchV8Flags } from '../src/host/batch-v8';

const ROOT = path.resolve(__dirname, '../../..');
const ruleById = (id: string): Rule => RULES.find((r) => r.meta.id === id)!;

/** A parse whose `nodesOfKind` counts the kinds asked for. */
function countingParse(text: string, file = '/app/src/server.ts'): { parsed: ParsedTs; asked: Map<TS.SyntaxKind, number> } {
  const parsed = parseTypescript(text, { path: file, scriptKind: 'ts' });
  const asked = new Map<TS.SyntaxKind, number>();
  const own = parsed.nodesOfKind.bind(parsed);
  (parsed as { nodesOfKind: ParsedTs['nodesOfKind'] }).nodesOfKind = (kind) => { asked.set(kind, (asked.get(kind) ?? 0) + 1); return own(kind); };
  return { parsed, asked };
}

/** One rule on one server file (the role its checks apply to), with a parse handed in. */
function runRule(id: string, text: string, parsed: ParsedTs, project: ProjectContext = {}, file = '/app/src/server.ts'): Finding[] {
  const document: ParsedDocument = { kind: 'ts', text, lines: new LineIndex(text), value: parsed, directiveComments: () => parsed.directiveComments() };
  return analyze({ path: file, text }, { config: DEFAULT_CONFIG, rules: [ruleById(id)], project, parsed: document, classify: { role: { role: 'server', reason: 'test' } } }).findings;
}

test('local-file-state walks no call of a file that names no file-system or upload module', () => {
  const ts = loadTypescript();
  const quiet = "import { x } from './x';\nexport function save(p: string) { x.writeFileSync(p, 'data'); return mkdirSync('./uploads'); }\n";
  const { parsed, asked } = countingParse(quiet);
  assert.deepEqual(runRule('processes/local-file-state', quiet, parsed), []);
  assert.equal(asked.get(ts.SyntaxKind.CallExpression) ?? 0, 1, 'once, for the imports (moduleImports), never by the rule');
  // the same calls through `fs` are still found
  const loud = "import * as fs from 'node:fs';\nexport function save(p: string) { fs.writeFileSync(p, 'data'); }\n";
  const found = runRule('processes/local-file-state', loud, countingParse(loud).parsed);
  assert.deepEqual(found.map((f) => f.ruleId), ['processes/local-file-state']);
});

test('daemonize resolves callees only where a daemon module is named, and a spawner\'s', () => {
  const resolve = moduleImports.resolveCallee;
  let resolved = 0;
  (moduleImports as { resolveCallee: typeof resolve }).resolveCallee = (parsed, callee) => { resolved++; return resolve(parsed, callee); };
  try {
    const text = "import { spawn } from 'child_process';\nconst a = f(1), b = g(2), c = h(3);\nspawn(process.execPath, [__filename], { detached: true }).unref();\n";
    const found = runRule('concurrency/daemonize', text, countingParse(text).parsed);
    assert.deepEqual(found.map((f) => f.ruleId), ['concurrency/daemonize'], 'the detached self-spawn is still reported');
    assert.equal(resolved, 1, 'only the spawn call was resolved (4 calls in the file)');
    resolved = 0;
    const daemon = "const daemon = require('daemon');\ndaemon();\n";
    assert.equal(runRule('concurrency/daemonize', daemon, countingParse(daemon).parsed).length, 1);
    assert.ok(resolved >= 2, 'a file naming a daemon module resolves its calls');
  } finally {
    (moduleImports as { resolveCallee: typeof resolve }).resolveCallee = resolve;
  }
});

test('hardcoded-endpoint resolves no callee of a file that names no HTTP client module', () => {
  const resolve = moduleImports.resolveCallee;
  let resolved = 0;
  (moduleImports as { resolveCallee: typeof resolve }).resolveCallee = (parsed, callee) => { resolved++; return resolve(parsed, callee); };
  try {
    const text = "import { get } from './api';\nexport async function charge() { await get('https://payments-api.internal/v1/users'); new Thing('x'); return fetch('https://payments-api.internal/v1/charges/'); }\n";
    const found = runRule('config/hardcoded-endpoint', text, countingParse(text).parsed);
    assert.equal(found.length, 1, 'the global fetch is still judged');
    assert.equal(resolved, 1, 'only the fetch call it judges (needle takes its URL second), not `get()` or `new Thing()`');
    const axios = "import axios from 'axios';\nexport async function user() { return axios.get('https://users-api.internal/v1/users'); }\n";
    assert.equal(runRule('config/hardcoded-endpoint', axios, countingParse(axios).parsed).length, 1);
    assert.ok(resolved > 0, 'a file naming axios resolves its calls');
  } finally {
    (moduleImports as { resolveCallee: typeof resolve }).resolveCallee = resolve;
  }
});

test('tls-verification-disabled walks nothing in a file that names no TLS option or variable', () => {
  const ts = loadTypescript();
  const quiet = "export const options = { timeout: 5, retries: false };\nprocess.env.MODE = '0';\n";
  const { parsed, asked } = countingParse(quiet);
  assert.deepEqual(runRule('security/tls-verification-disabled', quiet, parsed), []);
  assert.equal(asked.get(ts.SyntaxKind.PropertyAssignment) ?? 0, 0);
  assert.equal(asked.get(ts.SyntaxKind.BinaryExpression) ?? 0, 0);
  // still found: plainly, through an escape, and through a name only toUpperCase makes one (long s)
  for (const text of ["https.request({ rejectUnauthorized: false });\n", "https.request({ 'reject\\u0055nauthorized': false });\n", "process.env['pythonhttp\u017fverify'] = '0';\n"]) {
    assert.equal(runRule('security/tls-verification-disabled', text, countingParse(text).parsed).length, 1, text);
  }
});

test('local-database-file looks at no object literal or call of a file without a SQLite-ish word', () => {
  const ts = loadTypescript();
  const text = "export const options = { type: 'postgres', database: './data/app.db' };\nnew Thing({ a: 1 });\n";
  const { parsed, asked } = countingParse(text);
  assert.deepEqual(runRule('backing-services/local-database-file', text, parsed), []);
  assert.equal(asked.get(ts.SyntaxKind.ObjectLiteralExpression) ?? 0, 0);
  assert.equal(asked.get(ts.SyntaxKind.NewExpression) ?? 0, 0);
  // with the word, or spelled with an escape, the options are judged as before
  for (const type of ["'sqlite'", "'sq\\x6cite'"]) {
    const sqlite = `export const options = { type: ${type}, database: './data/app.db' };\n`;
    assert.equal(runRule('backing-services/local-database-file', sqlite, countingParse(sqlite).parsed).length, 1, type);
  }
});

test('cross-app-import: a `../` run that stays in the package is known without normalising, the rest as before', () => {
  const project = (dir: string): ProjectContext => ({ nearestPackage: { dir, json: { name: 'api', dependencies: { x: '1' } } } as unknown as ProjectContext['nearestPackage'] });
  const posix = path.posix;
  const normalize = posix.normalize;
  let normalised = 0;
  (posix as { normalize: typeof normalize }).normalize = (p) => { normalised++; return normalize(p); };
  try {
    const inside = "import a from '../lib/a';\nimport b from '../../src/b/c';\nimport c from '../';\n";
    assert.deepEqual(runRule('codebase/cross-app-import', inside, countingParse(inside, '/repo/api/src/deep/file.ts').parsed, project('/repo/api'), '/repo/api/src/deep/file.ts'), []);
    assert.equal(normalised, 0, 'normal paths are not normalised again');
    runRule('codebase/cross-app-import', inside, countingParse(inside, '/repo/api/src/../src/deep/file.ts').parsed, project('/repo/api/'), '/repo/api/src/../src/deep/file.ts');
    assert.equal(normalised, 2, 'the package folder and the file, when they need it');
  } finally {
    (posix as { normalize: typeof normalize }).normalize = normalize;
  }
  // every combination agrees with the normalising check it short-cuts
  const specifiers = ['../a', '../../a', '../../../a', '../../../../a', '../a/../../b', '../x/./y', '..//a', '../', '../../', '../../../web/x', '../a/..', '../.../a'];
  for (const dir of ['/repo/api', 'api', '/repo/apps/api']) {
    for (const file of [`${dir}/f.ts`, `${dir}/src/f.ts`, `${dir}/src/deep/f.ts`, `${dir}/./src/x/../f.ts`]) {
      for (const spec of specifiers) {
        const text = `import x from '${spec}';\n`;
        const got = runRule('codebase/cross-app-import', text, countingParse(text, file).parsed, project(dir), file).length;
        const target = posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\/+$/, '');
        const targetDir = posix.dirname(target);
        const leaves = !(target === dir || target.startsWith(`${dir}/`)) && !(dir === targetDir || dir.startsWith(`${targetDir}/`) || targetDir === '.');
        assert.equal(got, leaves ? 1 : 0, `${spec} from ${file} (package ${dir})`);
      }
    }
  }
});

test('extractTs reads no property access for env reads in a file that never names `env`', () => {
  const ts = loadTypescript();
  const text = "const a = config['port'];\nexport const b = a.value;\n";
  const { parsed, asked } = countingParse(text);
  assert.deepEqual(extractTs({ path: 'src/a.ts', scriptKind: 'ts' }, text, parsed).envReads, []);
  assert.equal(asked.get(ts.SyntaxKind.ElementAccessExpression) ?? 0, 0);
  // `process.env` reads, also spelled with an escape, are still found
  for (const env of ['env', '\\u0065nv']) {
    const reads = `const port = process.${env}.PORT;\nconst { HOST } = process.${env};\n`;
    assert.deepEqual(extractTs({ path: 'src/a.ts', scriptKind: 'ts' }, reads, parseTypescript(reads, { path: 'src/a.ts' })).envReads.map((r) => r.name), ['PORT', 'HOST'], env);
  }
});

test('the factorlint process raises V8\'s interrupt budget and turns pretenuring off before its analysis; a setting the user chose wins', () => {
  const budget = `--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`;
  assert.deepEqual(batchV8Flags([]), [budget, BATCH_NO_PRETENURING]);
  assert.ok(BATCH_INTERRUPT_BUDGET > 132 * 1024, 'larger than V8\'s default');
  assert.deepEqual(batchV8Flags(['--max-old-space-size=4096', '--interrupt-budget=1000']), [BATCH_NO_PRETENURING]);
  assert.deepEqual(batchV8Flags(['--interrupt_budget=1000']), [BATCH_NO_PRETENURING]);
  assert.deepEqual(batchV8Flags(['--allocation-site-pretenuring']), [budget], 'the user turned it on');
  assert.deepEqual(batchV8Flags(['--no-allocation_site_pretenuring', '--interrupt-budget=9']), []);
  // V8 knows the flag (an unknown one would be ignored with a warning, and the tuning lost)
  const known = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
  assert.match(known.stdout, /--allocation-site-pretenuring\b/);
  // the real process: a preload records the flags the CLI sets
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-jit-'));
  const spy = path.join(dir, 'spy.js');
  fs.writeFileSync(spy, "const v8 = require('node:v8'); const set = v8.setFlagsFromString; v8.setFlagsFromString = (f) => { require('node:fs').writeSync(2, `v8-flag ${f}\\n`); return set(f); };\n");
  fs.writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;\n');
  const r = spawnSync(process.execPath, ['-r', spy, path.join(ROOT, 'bin/factorlint.js'), dir, '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: 600_000 });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.match(r.stderr, new RegExp(`v8-flag --interrupt-budget=${BATCH_INTERRUPT_BUDGET}`), r.stderr);
  assert.match(r.stderr, new RegExp(`v8-flag ${BATCH_NO_PRETENURING}`), r.stderr);
  // the language server keeps V8's defaults: it does not load the tuning at all
  for (const entry of ['server/src/server.ts', 'server/src/start-server.ts']) assert.doesNotMatch(fs.readFileSync(path.join(ROOT, entry), 'utf8'), /batch-v8|tuneV8ForBatch/, entry);
});
