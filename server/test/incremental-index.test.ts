/**
 * The editor's per-statement node index (parse/statement-index.ts) against a full walk, over
 * random edits of real files: after every incremental reparse, each kind's nodes are exactly the
 * nodes a pre-order walk of the new tree finds (same objects, same order), and an analysis of the
 * edited text through the chain of incremental parses equals a full analysis of it, fixes
 * included. Seeded, so a failure replays.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { changeRange, outside, parseTypescript, loadTypescript, type ParsedTs } from '../src/parse/typescript';
import { align, nestedUnitsOf, statementIndexStats } from '../src/parse/statement-index';
import { analyze } from '../src/engine/run';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { statementMemoPaths, statementMemoStats } from '../src/engine/statement-memo';
import { nestedUnitStats } from '../src/engine/nested-units';
import { LineIndex } from '../src/engine/line-index';
import { RULES } from '../src/rules/registry';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer, EMPTY_PROJECT_PROVIDER } from '../src/features/analysis';
import { DEFAULT_SETTINGS } from '../src/features/settings';
import { moduleImports } from '../src/rules/support/module-imports';
import { hasHint, textHint } from '../src/parse/text-hint';
import { constInitializer, constResolver } from '../src/rules/support/ts-helpers';
import { endpointTargetStats } from '../src/rules/config/hardcoded-endpoint';
import { serviceText } from './support/service-text';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Real TS files of this repository (always present, unlike the corpus), plus a generated service. */
function realFiles(): Array<{ name: string; text: string }> {
  const picks = ['server/src/engine/run.ts', 'server/src/rules/config/hardcoded-secret.ts', 'server/src/features/diagnostics.ts', 'server/src/rules/logs/console-logging.ts'];
  return picks.map((p) => ({ name: p, text: fs.readFileSync(path.join(ROOT, p), 'utf8') }));
}

/**
 * A server file with what the statementwise rules' summaries read: imports, top-level consts,
 * browser globals, `process.exit()`, a `logger`, detached spawns and their `.unref()`.
 */
function summaryService(handlers: number): string {
  const out = ["import express from 'express';", "import { spawn } from 'child_process';", "import fs from 'node:fs';", "import sqlite3 from 'sqlite3';", "import { isLive } from './flags';", 'const app = express();', "const API_BASE_URL = 'http://orders.internal:8080';", "const DB_URL = 'postgres://app:s3cretpass@db.internal:5432/app';", "const DATA_DIR = process.env.DATA_DIR ?? './data';", 'let UPLOADS = process.env.UPLOADS;', "const DB_FILE = './data/app.db';", "const isProd = process.env.NODE_ENV === 'production';"];
  for (let i = 0; i < handlers; i++) {
    out.push(
      `export async function handler${i}(req: { params: Record<string, string> }, res: { json(v: unknown): void }) {`,
      `  const result = await fetch(\`\${API_BASE_URL}/items/\${req.params.id}\`).then((r) => r.json());`,
      i % 3 === 0 ? `  if (process.env.NODE_ENV === 'production') { console.log('prod', ${i}); } else { console.error('dev'); }` : `  console.warn('handled', ${i});`,
      i % 4 === 0 ? `  fs.writeFileSync('./state-${i}.json', JSON.stringify(result));` : `  await fetch('http://localhost:${4000 + i}/audit');`,
      i % 5 === 0 ? `  const child${i} = spawn(process.execPath, [__filename], { detached: true });` : `  const token = 'sk_live_${'a1b2c3d4e5'.repeat(2)}${i}';`,
      i % 6 === 1 ? "  manager.start({ script: 'worker.js' }); daemonize();" : '  // nothing to start',
      i % 7 === 3 ? '  const db = new sqlite3.Database(DB_FILE);' : '  // no store',
      // env-branching: through a top-level const, a const of another statement's, an imported flag (project facts), a config map
      i % 4 === 1 ? '  if (isProd) { app.use(helmet()); }' : i % 4 === 3 ? "  const api = isLive ? 'https://api.acme.io' : 'http://localhost:3000';" : i % 4 === 2 ? '  const cfg = configs[NODE_ENV];' : "  if (mode === 'production') { connect('db.internal:5432'); }",
      i % 4 === 2 ? "  fs.writeFileSync(path.join(DATA_DIR, 'x.json'), '1'); fs.writeFileSync(UPLOADS, '1'); const up = multer({ dest: UPLOADS }); fs.mkdirSync(STORE_DIR); form.uploadDir = UPLOADS;" : '  // no files',
      '  res.json({ result });',
      '}',
      `app.get('/items${i}/:id', handler${i} as never);`,
    );
  }
  out.push("fs.writeFileSync('/var/run/app.pid', String(process.pid));", 'app.listen(3000);', '');
  return out.join('\n');
}

/** Top-level statements that change what statementwise rules summarize. */
const SUMMARY_PIECES = [
  "import { logger } from './logger';", 'const logger = makeLogger();', 'window.addEventListener("x", () => 1);', 'process.exit(1);',
  "import React from 'react';", "import console from 'console-shim';", 'child5.unref();', 'child0.unref();', "console.log('top level');",
  "const OTHER_URL = 'http://billing.internal:9000';", "import axios from 'axios';", "const cp = require('child_process');",
  "import pm2 from 'pm2';", "import manager from 'pm2';", "import daemonize from 'daemon';",
  "const DATA_DIR = process.env.DATA_DIR ?? './data';", 'let UPLOADS = process.env.UPLOADS;', "UPLOADS = './uploads';", "UPLOADS = './uploads';", 'const STORE_DIR = os.tmpdir();',
  "import multer from 'multer';", "import formidable from 'formidable';", "import path from 'node:path';", "const password = 'hunter2hunter2';", "export const x = 1;", "'use strict';", "import sqlite3 from 'sqlite3';",
  "const db = new sqlite3.Database('./data.db');", "if (process.env.NODE_ENV !== 'production') { app.use(express.static('public')); }",
  // hardcoded-port: a top-level port const a listen() in another statement names
  'const PORT = 8080;', 'server.listen(PORT);', "const PORT = process.env.PORT ?? '8080';",
  // env-branching: the consts and imports its conditions follow from other statements
  "const isProd = process.env.NODE_ENV === 'production';", "const { NODE_ENV } = process.env;", "const mode = process.env.APP_ENV;", "const mode = 'production';",
  "const configs = { development: { db: 'a' }, production: { db: 'b' } };", "import { isLive } from './flags';", "import { isLive } from './other-flags';", "import configs from './config';",
  // hardcoded-secret: a const that reaches a credential slot from another statement, and the import that makes a call a slot
  "const SIGNING = 'zq8Xv2Lm0pRt';", "tokens.sign({}, SIGNING);", "import tokens from 'jsonwebtoken';", "tokens.verify('t', 'k9Wq3Zr7Yb2N');",
  // local-database-file: a top-level path used by stores in other statements
  "const DB_FILE = './data/app.db';", 'const db = new sqlite3.Database(DB_FILE);', "const orm = { type: 'sqlite', database: DB_FILE };", "import Database from 'better-sqlite3';", 'const b = new Database(DB_FILE);',
  // hardcoded-endpoint: uses of a top-level const in other statements (the first decides), a client import
  "fetch(API_BASE_URL + '/x');", "const HOST = 'orders.internal';", 'const r = new Redis({ host: HOST });', 'fetch(HOST);', "import Redis from 'ioredis';", 'new WebSocket(OTHER_URL);',
];

/** Inserts a summary-changing statement at a statement boundary, or deletes one whole top-level statement. */
function summaryEdit(text: string, next: () => number): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) if (/[a-z'"]/i.test(text[i + 1] ?? '')) starts.push(i + 1);
  // half of them among the leading statements, where imports and the logger's insertion point are
  const at = starts[Math.floor(next() * (next() < 0.5 ? Math.min(8, starts.length) : starts.length))];
  if (next() < 0.7) return text.slice(0, at) + SUMMARY_PIECES[Math.floor(next() * SUMMARY_PIECES.length)] + '\n' + text.slice(at);
  const end = text.indexOf('\n', at);
  return end < 0 ? text.slice(0, at) : text.slice(0, at) + text.slice(end + 1);
}

/** Deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['{', '}', '(', ')', '/', '//', '/*', '*/', '`', "'", '"', '\n', ' ', 'x', ';', 'const y = 1;', 'function f() {', 'import z from "z";\n', '${', ','];

/** One random edit: insert a piece, delete a few characters, or both, at a random offset. */
function randomEdit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const op = next();
  if (op < 0.45) return text.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)] + text.slice(at);
  const length = 1 + Math.floor(next() * 6);
  if (op < 0.8) return text.slice(0, at) + text.slice(at + length);
  return text.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)] + text.slice(at + length);
}

/** Every node below the root by kind, pre-order: written here independently of the engine's walk. */
function walkByKind(root: TS.Node): Map<number, TS.Node[]> {
  const byKind = new Map<number, TS.Node[]>();
  const visit = (node: TS.Node): void => {
    let list = byKind.get(node.kind);
    if (!list) byKind.set(node.kind, (list = []));
    list.push(node);
    node.forEachChild(visit);
  };
  root.forEachChild(visit);
  return byKind;
}

/** An edited parse's imports (kept per statement) equal a cold parse's, node for node by place. */
let projectRuns = 0;

/**
 * Edits `text`'s `edited()` body once per project (version v returns v), analysing each version
 * incrementally and fully: asserts both agree, that statements were kept from version `keptFrom`
 * on, and returns how many findings of `ruleId` each version has. Each call
 * edits a file of its own, so no memo of another test's file is inherited (version 1 runs whole
 * and keeps its reports per statement, version 2 is the first to keep).
 */
function countsThroughProjects(text: string, projects: ReadonlyArray<NonNullable<Parameters<typeof analyze>[1]>['project']>, ruleId: string, keptFrom: number): number[] {
  const file = `/svc/src/server-${++projectRuns}.ts`;
  let previous: ReturnType<typeof analyze>['parsed'] | undefined;
  const counts: number[] = [];
  projects.forEach((p, v) => {
    text = text.replace(/return \d+;/, `return ${v};`);
    const before = { ...statementMemoStats };
    const incremental = analyze({ path: file, text }, { rules: RULES, project: p, previous });
    const full = analyze({ path: file, text }, { rules: RULES, project: p });
    assert.deepEqual(incremental.findings, full.findings, `version ${v}`);
    if (v >= keptFrom) assert.ok(statementMemoStats.kept > before.kept, `version ${v}: statements were kept`);
    counts.push(full.findings.filter((f) => f.ruleId === ruleId).length);
    previous = incremental.parsed;
  });
  return counts;
}

function assertImportsMatchCold(parsed: ParsedTs, text: string, info: { path: string; scriptKind: 'ts' }, label: string): void {
  const shape = (p: ParsedTs) => moduleImports(p).map((m) => ({ ...m, node: [m.node.kind, m.node.pos, m.node.end], specifierNode: [m.specifierNode.pos, m.specifierNode.end] }));
  assert.deepEqual(shape(parsed), shape(parseTypescript(text, info)), `${label}: imports`);
}

function assertIndexMatchesWalk(parsed: ParsedTs, label: string): void {
  const ts = parsed.ts;
  const expected = walkByKind(parsed.sourceFile);
  // every kind the shared index keeps, and a few it leaves out (walked on request)
  const rare = [ts.SyntaxKind.Identifier, ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.EqualsToken, ts.SyntaxKind.AsyncKeyword];
  for (let kind = 0; kind < ts.SyntaxKind.Count; kind++) {
    const isRareKind = kind === ts.SyntaxKind.Identifier || (kind >= ts.SyntaxKind.FirstPunctuation && kind <= ts.SyntaxKind.LastPunctuation) || (kind >= ts.SyntaxKind.FirstKeyword && kind <= ts.SyntaxKind.LastKeyword);
    if (isRareKind && !rare.includes(kind)) continue;
    const got = parsed.nodesOfKind(kind);
    const want = expected.get(kind) ?? [];
    if (got.length !== want.length || got.some((n, i) => n !== want[i])) {
      assert.fail(`${label}: nodes of kind ${ts.SyntaxKind[kind]} differ from a full walk (${got.length} vs ${want.length})`);
    }
  }
}

describe('per-statement node index of edited documents', () => {
  test('equals a full walk of the tree after every random edit of real files', () => {
    // and a CommonJS one: its imports are require() calls inside statements
    const files = [...realFiles(), { name: 'service', text: serviceText(40) }, { name: 'cjs', text: serviceText(20).replace(/^import (\w+) from '([^']+)';$/gm, "const $1 = require('$2');") }];
    const before = { ...statementIndexStats };
    files.forEach((file, f) => {
      const next = random(1000 + f);
      const info = { path: `/repo/${f}.ts`, scriptKind: 'ts' as const };
      let text = file.text;
      let parsed = parseTypescript(text, info);
      assertIndexMatchesWalk(parsed, `${file.name} v0`);
      for (let v = 1; v <= 30; v++) {
        text = randomEdit(text, next);
        parsed = parseTypescript(text, info, parsed);
        // some versions are never indexed (a cancelled analysis): the next one indexes from scratch
        if (next() < 0.8) assertIndexMatchesWalk(parsed, `${file.name} v${v}`);
        if (next() < 0.5) assertImportsMatchCold(parsed, text, info, `${file.name} v${v}`);
      }
    });
    // random edits often open a comment, string or block that swallows the rest of the file; still, statements are reused
    assert.ok(statementIndexStats.reused - before.reused > statementIndexStats.indexed - before.indexed, JSON.stringify({ before, after: statementIndexStats }));
  });

  test('typing inside a function re-walks that statement (and at most a neighbour) only', () => {
    const ts = loadTypescript();
    const info = { path: '/repo/typing.ts', scriptKind: 'ts' as const };
    let text = serviceText(40);
    let parsed = parseTypescript(text, info);
    parsed.nodesOfKind(ts.SyntaxKind.CallExpression);
    for (let v = 0; v < 10; v++) {
      const at = text.indexOf('res.json', Math.floor(text.length / 2) + v * 50);
      text = text.slice(0, at) + (v % 2 ? ' ' : 'x') + text.slice(at);
      const before = { ...statementIndexStats };
      parsed = parseTypescript(text, info, parsed);
      assertIndexMatchesWalk(parsed, `typing v${v}`);
      const statements = parsed.sourceFile.statements.length;
      // the edited statement, and at most its neighbour (TypeScript does not reuse a node adjacent to the change);
      // the first reparse too: it splits the cold parse's whole-file lists per statement instead of walking them
      const walked = statementIndexStats.indexed - before.indexed;
      assert.ok(walked >= 1 && walked <= 2, `version ${v}: ${walked} statements walked`);
      assert.equal(statementIndexStats.reused - before.reused, statements - walked);
      assert.equal(statementIndexStats.split - before.split, v === 0 ? statements : 0);
    }
  });

  test('the first edit after a cold parse splits its whole-file lists per statement: the same lists as a walk', () => {
    // statements that end in a zero-width (missing) node, at the boundary with the next statement's start
    const broken = ['function f(a: ', 'namespace N ', 'try ', 'switch (x) ', 'if (x) ', 'while (x) }', 'label: ', 'let x = }', 'do ', 'try {} catch ', 'function f()catch', 'if (x) {} else '];
    const next = random(2024);
    const info = { path: '/repo/split.ts', scriptKind: 'ts' as const };
    for (let round = 0; round < 120; round++) {
      const lines = ["import express from 'express';"];
      for (let i = 0; i < 8; i++) lines.push(next() < 0.6 ? broken[Math.floor(next() * broken.length)] : `const v${i} = f(${i});`);
      lines.push('app.listen(3000);');
      let text = lines.join('\n');
      const before = statementIndexStats.split;
      const cold = parseTypescript(text, info);
      text = next() < 0.5 ? text + '\nfoo();' : randomEdit(text, next);
      const parsed = parseTypescript(text, info, cold);
      assertIndexMatchesWalk(parsed, `round ${round}: ${JSON.stringify(text)}`);
      assert.ok(statementIndexStats.split > before, 'the cold lists were split');
    }
  });

  test('a chain of incremental analyses equals full analyses of the same texts, fixes included', () => {
    const next = random(7);
    const file = '/bench-latency/service.ts'; // a server file: every server rule runs
    let text = serviceText(25);
    let previous = analyze({ path: file, text }, { rules: RULES }).parsed;
    let compared = 0;
    for (let v = 1; v <= 40; v++) {
      text = randomEdit(text, next);
      const incremental = analyze({ path: file, text }, { rules: RULES, previous });
      const full = analyze({ path: file, text }, { rules: RULES });
      assert.deepEqual(incremental.findings, full.findings, `version ${v}`);
      compared += full.findings.length;
      previous = incremental.parsed;
    }
    assert.ok(compared > 40 * 20, `the service reports findings to compare (${compared})`);
  });

  test('statementwise rules: a chain of incremental analyses equals full analyses under edits that change their summaries', () => {
    const statementwise = RULES.filter((r) => r.statementwise).map((r) => r.meta.id);
    assert.ok(statementwise.length > 0);
    const configs = [DEFAULT_CONFIG, { ...DEFAULT_CONFIG, loggerModule: './logger' }];
    // a package root, so the logger's import can be placed (console-logging's fix inserts it after the imports)
    // project facts change too (the memo is not keyed by them: summaries must carry what checks read)
    // the second knows `./flags` exports an environment flag (env-branching follows an import there)
    const projects = [{ nearestPackage: { dir: '/bench-latency', json: { name: 'svc' } } }, { nearestPackage: { dir: '/', json: { name: 'root', type: 'module' } }, readWorkspaceFile: (p: string) => (p.endsWith('Dockerfile') ? 'FROM node:22\nVOLUME /app/data\n' : undefined), envImports: { './flags': { isLive: { condition: "NODE_ENV === 'production'", values: ['production'] } } } }];
    let project: (typeof projects)[number] = projects[0];
    const seen = new Map<string, number>();
    let fixEdits = 0;
    const memoBefore = { ...statementMemoStats };
    // short chains from the clean file: a piece that silences a rule (a browser global, an
    // imported `console`) or a random edit that opens a comment stays for the rest of a chain
    for (let chain = 0; chain < 12; chain++) {
      const c = chain % 2;
      const config = configs[c];
      const next = random(31 + chain);
      const file = '/bench-latency/summaries.ts';
      let text = summaryService(12);
      // odd chains start from an editor's open (its memo keeps every part), even ones from a cold analysis
      let previous = analyze({ path: file, text }, { rules: RULES, config, project, editing: c === 1 }).parsed;
      for (let v = 1; v <= 8; v++) {
        text = next() < 0.7 ? summaryEdit(text, next) : randomEdit(text, next);
        if (next() < 0.25) project = projects[1 - projects.indexOf(project)];
        const incremental = analyze({ path: file, text }, { rules: RULES, config, project, previous });
        const full = analyze({ path: file, text }, { rules: RULES, config, project });
        assert.deepEqual(incremental.findings, full.findings, `config ${c}, version ${v}`);
        for (const f of full.findings) seen.set(f.ruleId, (seen.get(f.ruleId) ?? 0) + 1);
        fixEdits += full.findings.filter((f) => f.fixes.some((x) => x.edits.length > 1)).length;
        previous = incremental.parsed;
      }
    }
    // not vacuous: every statementwise rule reported, and statements were kept (not re-checked)
    for (const id of statementwise) assert.ok((seen.get(id) ?? 0) > 0, `${id} reported nothing in the chain`);
    assert.ok(fixEdits > 0, 'fixes with an edit outside the finding (an import) were compared');
    assert.ok(statementMemoStats.kept - memoBefore.kept > statementMemoStats.checked - memoBefore.checked, JSON.stringify({ memoBefore, statementMemoStats }));
  });

  test('statementwise rules: a finding kept in one statement follows a summary fact another statement changes', () => {
    const volume = { nearestPackage: { dir: '/svc', json: { name: 'svc' } }, readWorkspaceFile: (p: string) => (p.endsWith('Dockerfile') ? 'VOLUME /data\n' : undefined) };
    // a statement after the handler: TypeScript re-parses the statement next to an edit at the end
    const handler = (body: string) => `export function handle() {\n  ${body}\n}\nexport const done = true;\n`;
    // [first text, edits (find → replace, applied in turn), options]: each edit adds or removes a fact outside the handler
    const scenarios: Array<[string, Array<[string, string]>, { loggerModule?: string }]> = [
      [`import fs from 'node:fs';\n${handler("console.log('x');")}`, [['', 'window.x = 1;\n'], ['window.x = 1;\n', ''], ['', 'process.exit(1);\n']], {}],
      [`import fs from 'node:fs';\nimport os from 'node:os';\n${handler("console.log('x');")}`, [["import os from 'node:os';\n", "import os from 'node:os';\nconst a = 1;\n"], ["import fs from 'node:fs';\n", "const b = 2;\nimport fs from 'node:fs';\n"], ['', 'const logger = make();\n']], { loggerModule: './logger' }],
      [`import { spawn } from 'child_process';\n${handler('const child = spawn(process.execPath, [__filename], { detached: true });')}`, [['', 'child.unref();\n'], ['child.unref();\n', '']], {}],
      [`import fs from 'node:fs';\nlet UPLOADS = process.env.UPLOADS;\n${handler("fs.writeFileSync(UPLOADS, '1');")}`, [['', "UPLOADS = './up';\n"], ["UPLOADS = './up';\n", '']], {}],
      [handler('const conn = `postgres://${DB_HOST}:5432/app`;'), [['', "const DB_HOST = 'db.internal';\n"], ["const DB_HOST = 'db.internal';\n", '']], {}],
      // hardcoded-secret: a kept const's literal reaches a slot through a use elsewhere; a kept call becomes a slot through an import; a Koa app's keys
      [`const SIGNING = 'zq8Xv2Lm0pRt';\n${handler('const x = 1;')}`, [['', "import tokens from 'jsonwebtoken';\n"], ['', 'tokens.sign({}, SIGNING);\n'], ['tokens.sign({}, SIGNING);\n', ''], ['', 'tokens.sign({}, SIGNING);\n'], ["import tokens from 'jsonwebtoken';\n", '']], {}],
      [handler("tokens.sign({}, 'zq8Xv2Lm0pRt');"), [['', "import tokens from 'jsonwebtoken';\n"], ["import tokens from 'jsonwebtoken';\n", '']], {}],
      [`import Koa from 'koa';\n${handler("app.keys = ['zq8Xv2Lm0pRt'];")}`, [['', 'const app = new Koa();\n'], ['const app = new Koa();\n', '']], {}],
      // hardcoded-endpoint: a kept const's literal is judged by its first use, wherever that is; an import makes a kept call a client's;
      // a const added elsewhere gives a kept call a literal; a const re-parsed with the same text (a line inserted above it) keeps its uses
      [`const BASE = 'http://orders.internal:8080';\n${handler('const x = 1;')}`, [['', "fetch(BASE + '/x');\n"], ["fetch(BASE + '/x');\n", ''], ['', "fetch(BASE + '/y');\n"], ['const BASE', '\nconst BASE'], ['const x = 1;', 'const x = 2;']], {}],
      [`import Redis from 'ioredis';\nconst HOST = 'orders.internal';\n${handler('const r = new Redis({ host: HOST });')}`, [['', 'fetch(HOST);\n'], ['fetch(HOST);\n', '']], {}],
      [`import Redis from 'ioredis';\nconst HOST = 'orders';\n${handler('const x = 1;')}`, [['', 'use(new Redis({ host: HOST }));\n'], ['new Redis({ host: HOST })', 'connect({ host: HOST })'], ['connect({ host: HOST })', 'new Redis({ host: HOST })']], {}],
      [handler("client.get('http://orders.internal:8080/x');"), [['', "import client from 'axios';\n"], ["import client from 'axios';\n", '']], {}],
      [handler("fetch(API_URL + '/x');"), [['', "const API_URL = 'http://orders.internal:8080';\n"], ["const API_URL = 'http://orders.internal:8080';\n", '']], {}],
      // backing-services/local-database-file: a kept const's path is judged by its first use (a `new` before a call, then options objects), wherever that is
      [`import sqlite3 from 'sqlite3';\nimport Database from 'better-sqlite3';\nimport Datastore from 'nedb-promises';\nconst DB_FILE = './data/app.db';\n${handler('const x = 1;')}`, [['', 'use(Datastore.create(DB_FILE));\n'], ['', 'use(new Database(DB_FILE));\n'], ['use(new Database(DB_FILE));', 'use(new sqlite3.Database(DB_FILE));'], ['const DB_FILE', '\nconst DB_FILE'], ['const x = 1;', 'const x = 2;'], ['use(new sqlite3.Database(DB_FILE));\n', '']], {}],
      [`const DB_FILE = './data/app.db';\nuse(new Database(DB_FILE));\n${handler('const x = 1;')}`, [['', "import Database from 'better-sqlite3';\n"], ["import Database from 'better-sqlite3';\n", '']], {}],
      [`import lowdb from 'lowdb';\nconst DB_FILE = path.join(__dirname, 'db.json');\n${handler('const t = 1;')}`, [['', "const orm = { type: 'sqlite', database: DB_FILE };\n"], ['', 'const low = lowdb(DB_FILE);\n'], ["const orm = { type: 'sqlite', database: DB_FILE };\n", '']], {}],
      // hardcoded-port: a kept listen() names a top-level const and its fix edits the const's value, which moves (same text) or changes
      [`import express from 'express';\nconst app = express();\nconst PORT = 3000;\n${handler('app.listen(PORT);')}`, [['const PORT', '\nconst PORT'], ['3000', '4000'], ['const app', '\n\nconst app'], ['= 4000', '= Number(process.env.PORT)']], {}],
      // env-branching: a kept condition follows a top-level const (added, changed, re-parsed with the same text) or an import to an environment flag
      [handler("if (isProd) { app.use(helmet()); }"), [['', "const isProd = process.env.NODE_ENV === 'production';\n"], ["'production';", "'production' && x;"], ["const isProd", "\nconst isProd"], ["const isProd = process.env.NODE_ENV === 'production' && x;\n", '']], {}],
      [handler('if (isProduction) { app.use(helmet()); }'), [['', "import { isProduction } from './flags';\n"], ["import { isProduction } from './flags';\n", '']], {}],
      [`const configs = { development: { db: 'a' }, production: { db: 'b' } };\n${handler('use(configs[process.env.NODE_ENV]);')}`, [["production: { db: 'b' }", 'other: 1'], ['other: 1', "production: { db: 'b' }"]], {}],
      // a const's statement re-parsed with the same text (a line inserted above it): its literal's first use is in a kept statement, before its own
      [`import Redis from 'ioredis';\nexport const a = 1;\nconst HOST = 'orders.internal', r = new Redis({ host: HOST });\n${handler('fetch(HOST);')}`, [['const HOST', '\nconst HOST'], ['export const a = 1;', 'export const a = 2;']], {}],
      // a same-shaped const inserted above a used one: the used one is re-parsed (same text) and moves one place down among the top-level consts
      [`export const a = 1;\nconst HOST = 'http://orders.internal:8080';\n${handler('fetch(HOST);')}`, [['const HOST', "const HOSZ = 'http://orders.internal:8080';\nconst HOST"], ['export const a = 1;', 'export const a = 2;']], {}],
    ];
    for (const [first, edits, options] of scenarios) {
      const config = { ...DEFAULT_CONFIG, ...options };
      const file = '/svc/src/server.ts';
      let text = first;
      // two incremental versions (the first runs whole and notes the statements, the second builds the memo), so the next ones run from a memo
      let previous = analyze({ path: file, text }, { rules: RULES, config, project: volume }).parsed;
      for (let warm = 0; warm < 2; warm++) {
        text += '\n';
        previous = analyze({ path: file, text }, { rules: RULES, config, project: volume, previous }).parsed;
      }
      for (const [find, replace] of edits) {
        text = find === '' ? text + replace : text.replace(find, replace);
        const before = { ...statementMemoStats };
        const incremental = analyze({ path: file, text }, { rules: RULES, config, project: volume, previous });
        const full = analyze({ path: file, text }, { rules: RULES, config, project: volume });
        assert.deepEqual(incremental.findings, full.findings, `${first.slice(0, 40)} … ${JSON.stringify(replace)}`);
        assert.ok(statementMemoStats.kept > before.kept, 'the handler was kept, not re-checked');
        previous = incremental.parsed;
      }
    }
  });

  test('a change of top-level consts re-checks only the kept statements that name one outside a block const of that name', () => {
    // Typing `/` at a line start often ends a function early: its locals become top-level consts for a keystroke. Rules that
    // read top-level consts by name (`constsByName`) then re-check the statements naming a changed const, not the whole file.
    const handler = (i: number) => `export function h${i}(req: any) {\n  const url = req.query.url;\n  const DB_HOST = req.query.host;\n  return fetch(\`\${url}/x\`, { db: \`postgres://\${DB_HOST}:5432/app\` });\n}\n`;
    const handlers = Array.from({ length: 30 }, (_, i) => handler(i)).join('');
    // look-alikes: a parameter does not hide a top-level const from `constInitializer` (only a block's const does)
    const naming = 'export function byParam(DB_HOST: string) {\n  return `postgres://${DB_HOST}:5432/app`;\n}\nexport const direct = `postgres://${DB_HOST}:5432/app`;\nexport const viaBase = fetch(BASE + \'/orders\');\n';
    const first = `import express from 'express';\nconst ROOT = process.env.ROOT;\nconst BASE = \`\${ROOT}/api\`;\n${handlers}${naming}export const done = true;\n`;
    // each edit adds, changes or removes a top-level const some kept statements name (BASE through ROOT: a const built from one)
    const edits: Array<[string, string, number]> = [
      ['export const done', "const DB_HOST = 'db.internal';\nexport const done", 2],
      ["'db.internal'", "'db2.internal'", 2],
      ['const ROOT = process.env.ROOT;', "const ROOT = 'http://orders.internal:8080';", 2], // BASE's statement names ROOT
      ["const DB_HOST = 'db2.internal';\n", '', 2],
    ];
    const file = '/svc/src/server.ts';
    const byName = RULES.filter((r) => r.statementwise?.constsByName).map((r) => r.meta.id);
    assert.ok(byName.length >= 5, byName.join(', '));
    let text = first;
    let previous = analyze({ path: file, text }, { rules: RULES }).parsed;
    for (let warm = 0; warm < 2; warm++) {
      text += '\n';
      previous = analyze({ path: file, text }, { rules: RULES, previous }).parsed;
    }
    const seen = new Set<string>();
    for (const [find, replace, namingStatements] of edits) {
      assert.ok(text.includes(find), find);
      text = text.replace(find, replace);
      const before = { ...statementMemoStats };
      const incremental = analyze({ path: file, text }, { rules: RULES, previous });
      const full = analyze({ path: file, text }, { rules: RULES });
      assert.deepEqual(incremental.findings, full.findings, JSON.stringify(replace));
      for (const f of full.findings) seen.add(`${f.ruleId}@${text.slice(0, f.start).split('\n').length}`);
      // the 30 handlers hide both names behind their own consts: only `byParam`/`direct` (DB_HOST) or `viaBase` (BASE) are checked again
      const rechecked = statementMemoStats.naming - before.naming;
      assert.ok(rechecked >= namingStatements && rechecked <= namingStatements * byName.length, `${JSON.stringify(replace)}: ${rechecked} statements re-checked`);
      assert.ok(statementMemoStats.wholeRuns - before.wholeRuns <= RULES.filter((r) => r.statementwise).length - byName.length, `${JSON.stringify(replace)}: rules reading consts by name ran whole`);
      previous = incremental.parsed;
    }
    // a name spelled with an escape (`\u0044B_HOST` is DB_HOST) is no whole-word match: such a text is checked as before
    let escaped = `${handlers}export const viaEscape = \`postgres://\${\\u0044B_HOST}:5432/app\`;\nexport const done = true;\n`;
    let previousEscaped = analyze({ path: file, text: escaped }, { rules: RULES }).parsed;
    for (const edit of ['\n', '\n', "const DB_HOST = 'db.internal';\n"]) {
      escaped += edit;
      const incremental = analyze({ path: file, text: escaped }, { rules: RULES, previous: previousEscaped });
      assert.deepEqual(incremental.findings, analyze({ path: file, text: escaped }, { rules: RULES }).findings, `escaped, ${JSON.stringify(edit)}`);
      previousEscaped = incremental.parsed;
    }
    assert.ok(previousEscaped && analyze({ path: file, text: escaped }, { rules: RULES }).findings.some((f) => f.ruleId === 'config/hardcoded-connection-string'), 'the escaped use is flagged');
    // not vacuous: the kept statements' findings changed with the consts
    const lineOf = (needle: string) => first.split('\n').findIndex((l) => l.includes(needle)) + 1;
    assert.ok(seen.has(`config/hardcoded-connection-string@${lineOf('return `postgres')}`), [...seen].join(' '));
    assert.ok([...seen].some((s) => s.startsWith('config/hardcoded-endpoint@')), [...seen].join(' '));
  });

  test('statementwise rules: a finding kept in one statement follows the project facts (package name and folder)', () => {
    const project = (dir: string, name: string) => ({ nearestPackage: { dir, json: { name } } });
    // the package named after the host makes it the deploy's own (hardcoded-endpoint); the folder is where the fixes' .env.example goes
    const projects = [project('/a', 'acmeshop-api'), project('/a', 'acmeshop-api'), project('/a', 'acmeshop-api'), project('/c', 'acmeshop-api'), project('/c', 'other'), project('/c', 'acmeshop-api')];
    const text = "import tokens from 'jsonwebtoken';\nexport async function kept() {\n  await fetch('https://api.acmeshop.com/orders');\n  tokens.sign({}, 'zq8Xv2Lm0pRt');\n}\nexport function edited() {\n  return 0;\n}\nexport const done = true;\n";
    const counts = countsThroughProjects(text, projects, 'config/hardcoded-endpoint', 3);
    assert.deepEqual(counts, [1, 1, 1, 1, 0, 1], 'the package name decides whether the endpoint is the deploy\'s own');
  });

  test('env-branching: a kept condition follows the project facts about an imported module', () => {
    // whether `./flags` exports an environment flag is the project model's (envImports), not this file's
    const flags = { './flags': { isLive: { condition: "NODE_ENV === 'production'", values: ['production'] } } };
    const projects = [{}, {}, {}, { envImports: flags }, {}, { envImports: flags }, { envImports: { './flags': { isLive: { ref: 'NODE_ENV' } } } }];
    const text = "import { isLive } from './flags';\nexport function kept() {\n  if (isLive) { app.use(helmet()); }\n}\nexport function edited() {\n  return 0;\n}\nexport const done = true;\n";
    const counts = countsThroughProjects(text, projects, 'dev-prod-parity/env-branching', 3);
    assert.deepEqual(counts, [0, 0, 0, 1, 0, 1, 0], 'the imported flag is an environment condition only where the project says so');
  });

  test('the memo finds kept statements by identity: its alignment equals a lookup by object', () => {
    const next = random(99);
    for (let round = 0; round < 300; round++) {
      const old = Array.from({ length: Math.floor(next() * 40) }, (_, i) => ({ i }) as unknown as TS.Node);
      // a new version: kept runs, new objects among them, sometimes kept ones out of order
      const now: TS.Node[] = [];
      for (const node of old) {
        if (next() < 0.15) now.push({} as TS.Node);
        if (next() < 0.85) now.push(node);
      }
      if (next() < 0.2 && now.length > 2) { const j = Math.floor(next() * (now.length - 1)); [now[j], now[j + 1]] = [now[j + 1], now[j]]; }
      const got = Array.from(align(old, now));
      assert.deepEqual(got, now.map((n) => old.indexOf(n)), `round ${round}`);
    }
  });

  test('a rule whose parts were made for other imports rebuilds its memo in that edit, not in the next', () => {
    const file = '/bench-latency/parts-key.ts';
    let text = summaryService(12);
    let previous = analyze({ path: file, text }, { rules: RULES }).parsed;
    const typeAt = (v: number) => { const at = text.indexOf('res.json', Math.floor(text.length / 2) + v * 40); text = text.slice(0, at) + ' ' + text.slice(at); };
    for (let v = 0; v < 2; v++) { typeAt(v); previous = analyze({ path: file, text }, { rules: RULES, previous }).parsed; } // the memo is built
    const runs: number[] = [];
    for (let v = 0; v < 3; v++) {
      if (v === 0) text = "import axios from 'axios';\n" + text; // other import bindings: the cross-statement rules' parts key changes
      else typeAt(v);
      const before = { ...statementMemoStats };
      const incremental = analyze({ path: file, text }, { rules: RULES, previous });
      assert.deepEqual(incremental.findings, analyze({ path: file, text }, { rules: RULES }).findings, `version ${v}`);
      runs.push(statementMemoStats.wholeRuns - before.wholeRuns);
      previous = incremental.parsed;
    }
    assert.ok(runs[0] >= 2, `the import made the rules whose parts resolve callees run whole (${runs})`);
    assert.deepEqual(runs.slice(1), [0, 0], 'and the next keystrokes re-check only their statement');
  });

  test('a test of the whole text runs once per version, whichever statement view asks', () => {
    const info = { path: '/repo/text-test.ts', scriptKind: 'ts' as const };
    const hint = textHint(['origin']);
    let runs = 0;
    const exec = hint.pattern.exec.bind(hint.pattern);
    hint.pattern.exec = (text: string) => { runs++; return exec(text); };
    let text = serviceText(10);
    let parsed = parseTypescript(text, info);
    for (let v = 0; v < 3; v++) {
      text = text.replace('res.json', v === 1 ? "res.json({ origin: 'x' }) ?? res.json" : 'res.json ');
      parsed = parseTypescript(text, info, parsed);
      const before = runs;
      const answers = [parsed, ...parsed.sourceFile.statements.map((_, i) => parsed.statementView!([i])!)].map((p) => hasHint(p, text, hint));
      assert.ok(runs - before <= 1, `version ${v}: at most once, for ${answers.length} asks (${runs - before})`);
      assert.ok(answers.every((a) => a === (v >= 1)), `version ${v}: the whole text's answer`);
    }
  });

  test('typing inside a function re-checks one statement per statementwise rule; a cold analysis keeps no memo', () => {
    const file = '/bench-latency/typing-memo.ts';
    let text = summaryService(30);
    const cold = { ...statementMemoStats };
    let previous = analyze({ path: file, text }, { rules: RULES }).parsed;
    const findings = (t: string) => analyze({ path: file, text: t }, { rules: RULES }).findings;
    assert.deepEqual(statementMemoStats, cold, 'a cold parse runs the rules whole, with no memo');
    const rules = RULES.filter((r) => r.statementwise).length;
    for (let v = 0; v < 6; v++) {
      const at = text.indexOf('res.json', Math.floor(text.length / 2) + v * 40);
      text = text.slice(0, at) + (v % 2 ? ' ' : 'x;') + text.slice(at);
      const before = { ...statementMemoStats };
      const incremental = analyze({ path: file, text }, { rules: RULES, previous });
      previous = incremental.parsed;
      assert.deepEqual(incremental.findings, findings(text), `version ${v}`); // a cold analysis counts nothing
      const statements = (incremental.parsed!.value as ParsedTs).sourceFile.statements.length;
      const checked = statementMemoStats.checked - before.checked;
      // the first edit after a cold parse runs each rule whole and keeps its reports per statement; the
      // second re-checks only the statement it made (and builds the kept statements' parts)
      if (v === 0) assert.equal(statementMemoStats.wholeRuns - before.wholeRuns, rules, `version ${v}: each rule ran whole`);
      else {
        assert.equal(statementMemoStats.wholeRuns - before.wholeRuns, 0, `version ${v}: no rule ran whole`);
        assert.ok(checked >= rules && checked <= 2 * rules, `version ${v}: ${checked} statements checked for ${rules} rules`);
        assert.equal(statementMemoStats.kept - before.kept, rules * statements - checked);
      }
      // the first run's summary comes from one whole-file part (as a cold check's), the next ones from the parts
      assert.equal(statementMemoStats.wholeSummaries - before.wholeSummaries, v === 0 ? rules : 0, `version ${v}: whole-file summaries`);
    }
  });

  test('an editor\'s open keeps each rule\'s reports per statement: its first edit re-checks only the statement it made', () => {
    const file = '/bench-latency/opened-memo.ts';
    let text = summaryService(30);
    const findings = (t: string) => analyze({ path: file, text: t }, { rules: RULES }).findings;
    const rules = RULES.filter((r) => r.statementwise).length;
    const before = { ...statementMemoStats };
    const opened = analyze({ path: file, text }, { rules: RULES, editing: true });
    assert.deepEqual(opened.findings, findings(text), 'the open finds what a cold analysis finds');
    assert.equal(statementMemoStats.wholeRuns - before.wholeRuns, rules, 'the open ran each rule whole, once');
    let previous = opened.parsed;
    for (let v = 0; v < 4; v++) {
      const at = text.indexOf('res.json', Math.floor(text.length / 2) + v * 40);
      text = text.slice(0, at) + (v % 2 ? ' ' : 'x;') + text.slice(at);
      const edit = { ...statementMemoStats };
      const incremental = analyze({ path: file, text }, { rules: RULES, previous, editing: true });
      previous = incremental.parsed;
      assert.deepEqual(incremental.findings, findings(text), `version ${v}`);
      const statements = (incremental.parsed!.value as ParsedTs).sourceFile.statements.length;
      const checked = statementMemoStats.checked - edit.checked;
      assert.equal(statementMemoStats.wholeRuns - edit.wholeRuns, 0, `version ${v}: no rule ran whole`);
      assert.ok(checked >= rules && checked <= 2 * rules, `version ${v}: ${checked} statements checked for ${rules} rules`);
      assert.equal(statementMemoStats.kept - edit.kept, rules * statements - checked, `version ${v}: the others kept`);
    }
    // the CLI's and the index's cold analyses (no \`editing\`) keep nothing and count nothing
    const cold = { ...statementMemoStats };
    analyze({ path: '/bench-latency/cli.ts', text }, { rules: RULES });
    assert.deepEqual(statementMemoStats, cold);
  });

  test('the editor\'s analyses keep the open\'s memo: after an open, no keystroke runs a rule whole', () => {
    const analyzer = new Analyzer({ project: EMPTY_PROJECT_PROVIDER, onRuleError: (id, _p, e) => { throw new Error(`${id}: ${e}`); } });
    const cfg = { settings: DEFAULT_SETTINGS, config: DEFAULT_CONFIG };
    let text = summaryService(20);
    let doc = TextDocument.create('file:///bench-latency/analyzer-open.ts', 'typescript', 1, text);
    const before = { ...statementMemoStats };
    analyzer.analyzeDocument(doc, cfg, 0);
    const opened = statementMemoStats.wholeRuns - before.wholeRuns;
    assert.equal(opened, RULES.filter((r) => r.statementwise).length, 'the open ran each rule whole, once');
    for (let v = 2; v <= 4; v++) {
      const at = text.indexOf('res.json', Math.floor(text.length / 2) + v * 40);
      text = text.slice(0, at) + 'x; ' + text.slice(at);
      doc = TextDocument.create(doc.uri, 'typescript', v, text);
      const edit = { ...statementMemoStats };
      const entry = analyzer.analyzeDocument(doc, cfg, 0);
      assert.equal(statementMemoStats.wholeRuns - edit.wholeRuns, 0, `version ${v}: no rule ran whole`);
      assert.deepEqual(entry.result.findings, analyze({ path: '/bench-latency/analyzer-open.ts', text }, { rules: RULES }).findings, `version ${v}`);
    }
  });

  test('an open starts a new memo: a document reopened with other text, or the same open analysed again', () => {
    const file = '/bench-latency/reopened.ts';
    const first = summaryService(12);
    const other = summaryService(14).replace('res.json', 'x; res.json');
    const rules = RULES.filter((r) => r.statementwise).length;
    const a = analyze({ path: file, text: first }, { rules: RULES, editing: true });
    // the same cold parse analysed again (new settings at version 1): a first run again, as before
    const again = { ...statementMemoStats };
    assert.deepEqual(analyze({ path: file, text: first }, { rules: RULES, editing: true, parsed: a.parsed }).findings, a.findings);
    assert.equal(statementMemoStats.wholeRuns - again.wholeRuns, rules);
    // a reopen with other text: a new memo (no whole run against the last one's statements, no stale report)
    const reopen = { ...statementMemoStats };
    const b = analyze({ path: file, text: other }, { rules: RULES, editing: true });
    assert.deepEqual(b.findings, analyze({ path: file, text: other }, { rules: RULES }).findings);
    assert.equal(statementMemoStats.wholeRuns - reopen.wholeRuns, rules, 'each rule ran whole once, as a first run');
    assert.equal(statementMemoStats.kept - reopen.kept, 0, 'nothing kept from the closed text');
    // and its first edit re-checks only what it made (a memo of the closed text would leave a skeleton: a whole run)
    const edited = other.replace('x; res.json', 'y; res.json');
    const edit = { ...statementMemoStats };
    assert.deepEqual(analyze({ path: file, text: edited }, { rules: RULES, editing: true, previous: b.parsed }).findings, analyze({ path: file, text: edited }, { rules: RULES }).findings);
    assert.equal(statementMemoStats.wholeRuns - edit.wholeRuns, 0, 'the first edit after the reopen ran no rule whole');
  });

  test('the change range (binary search) equals a character-by-character comparison', () => {
    const naive = (before: string, after: string) => {
      const max = Math.min(before.length, after.length);
      let start = 0;
      while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
      let oldEnd = before.length;
      let newEnd = after.length;
      while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) { oldEnd--; newEnd--; }
      return { span: { start, length: oldEnd - start }, newLength: newEnd - start };
    };
    const next = random(99);
    const pairs: Array<[string, string]> = [['', ''], ['', 'x'], ['x', ''], ['aaa', 'aa'], ['aa', 'aaa'], ['abab', 'ab'], ['xyx', 'x'], ['\ud83d\ude00a', '\ud83d\ude01a']];
    let text = serviceText(3);
    for (let i = 0; i < 300; i++) {
      const edited = next() < 0.1 ? text : randomEdit(text, next);
      pairs.push([text, edited]);
      text = edited;
    }
    for (const [before, after] of pairs) assert.deepEqual(changeRange(before, after), naive(before, after), JSON.stringify([before.length, after.length]));
  });

  test('line positions equal a character-by-character count, with and without \\r', () => {
    const next = random(5);
    const texts = ['', '\n', 'a', 'a\nb', 'a\r\nb\rc\n', '\r\r\n\n', 'x\n\ny\r'];
    let text = serviceText(2);
    for (let i = 0; i < 60; i++) texts.push((text = randomEdit(text, next)));
    texts.push(text.replace(/\n/g, '\r\n'));
    for (const t of texts) {
      const lines = new LineIndex(t);
      let line = 0;
      let character = 0;
      for (let o = 0; o <= t.length; o++) {
        assert.deepEqual(lines.positionAt(o), { line, character }, `offset ${o} of ${JSON.stringify(t.slice(0, 40))}`);
        const c = t[o];
        if (c === '\n' || (c === '\r' && t[o + 1] !== '\n')) { line++; character = 0; } else character++;
      }
    }
  });

  test('a cold parse keeps the single whole-file walk', () => {
    const ts = loadTypescript();
    const before = { ...statementIndexStats };
    const parsed = parseTypescript(serviceText(5), { path: '/repo/cold.ts', scriptKind: 'ts' });
    assert.ok(parsed.nodesOfKind(ts.SyntaxKind.CallExpression).length > 0);
    assert.deepEqual(statementIndexStats, before);
  });

  test('memo units below the top level: analyses of a re-created wrapper function equal full analyses', () => {
    // the handlers nested in one top-level function (as bench/latency.js' line-start edits leave half the
    // file): editing its header re-creates it, and TypeScript reuses the body's statements
    const body = summaryService(10).split('\n').map((line) => (line.startsWith('import ') ? '' : `  ${line}`)).join('\n');
    const imports = summaryService(10).split('\n').filter((line) => line.startsWith('import ')).join('\n');
    const wrapped = (arg: string) => `${imports}\nimport jwt from 'jsonwebtoken';\nconst TOP = 1;\nexport function wrapper(${arg}) {\n  const DB_HOST = 'db.internal';\n  const conn = \`postgres://\${DB_HOST}:5432/app\`;\n  if (TOP) { console.error('fatal'); process.exit(1); }\n${body}\n}\nexport const done = true;\n`;
    // statements for the wrapper's body: what the opted-in rules read outside a nested statement
    const NESTED = ["const DB_HOST = 'db.internal';", "const DB_HOST = getHost();", 'process.exit(1);', "console.error('boom');", 'const conn2 = `mysql://${DB_HOST}/x`;', "const DB_HOST = 'other.internal';", 'let DB_HOST = process.env.H;', "const dev = { development: { url: 'postgres://localhost/dev' } };",
      "const SIGNING = 'zq8Xv2Lm0pRt';", 'jwt.sign({}, SIGNING);', "const password = 'hunter2hunter2';",
      "const isProd = process.env.NODE_ENV === 'production';", 'if (isProd) { app.use(helmet()); }', "const { NODE_ENV } = process.env;",
      "const cp = require('child_process');", "const { readFile } = require('fs');", "const sqlite = require('sqlite3').verbose();",
      // daemonize: a detached self-respawn is reported only once its holder is unref'd, wherever that is
      "const child = cp.spawn(process.execPath, [__filename], { detached: true });", 'child.unref();', "fs.writeFileSync('/var/run/app.pid', String(process.pid));", "const pm2 = require('pm2');", 'pm2.connect(() => undefined);'];
    const configs = [DEFAULT_CONFIG, { ...DEFAULT_CONFIG, loggerModule: './logger' }];
    const project = { nearestPackage: { dir: '/svc', json: { name: 'svc' } } };
    const before = { ...nestedUnitStats };
    const indexBefore = { ...statementIndexStats };
    let compared = 0;
    for (let chain = 0; chain < 10; chain++) {
      const config = configs[chain % 2];
      const next = random(71 + chain);
      const file = '/svc/src/wrapped.ts';
      let arg = 0;
      let text = wrapped(`arg${arg}`);
      let previous = analyze({ path: file, text }, { rules: RULES, config, project }).parsed;
      for (let v = 1; v <= 10; v++) {
        const kind = next();
        if (kind < 0.45) text = text.replace(/wrapper\(arg\d+\)/, `wrapper(arg${++arg})`);
        else if (kind < 0.85) {
          // a statement of the wrapper's body inserted at a line start with two spaces (a statement boundary), or one such line deleted
          const starts: number[] = [];
          for (let i = text.indexOf('\n  '); i >= 0; i = text.indexOf('\n  ', i + 1)) if (/[a-z]/i.test(text[i + 3] ?? '')) starts.push(i + 1);
          const at = starts[Math.floor(next() * starts.length)];
          if (next() < 0.75) text = text.slice(0, at) + '  ' + NESTED[Math.floor(next() * NESTED.length)] + '\n' + text.slice(at);
          else text = text.slice(0, at) + text.slice(text.indexOf('\n', at) + 1);
        } else text = randomEdit(text, next);
        const incremental = analyze({ path: file, text }, { rules: RULES, config, project, previous });
        const full = analyze({ path: file, text }, { rules: RULES, config, project });
        assert.deepEqual(incremental.findings, full.findings, `chain ${chain}, version ${v}`);
        assertIndexMatchesWalk(incremental.parsed!.value as ParsedTs, `chain ${chain}, version ${v}`);
        assertImportsMatchCold(incremental.parsed!.value as ParsedTs, text, { path: file, scriptKind: 'ts' }, `chain ${chain}, version ${v}`);
        compared += full.findings.length;
        previous = incremental.parsed;
      }
    }
    assert.ok(compared > 1000, `${compared} findings compared`);
    assert.ok(nestedUnitStats.kept - before.kept > nestedUnitStats.checked - before.checked, JSON.stringify({ before, nestedUnitStats }));
    assert.ok(statementIndexStats.unitsReused - indexBefore.unitsReused > 1000, 'the index kept the reused nested statements\' lists');
  });

  test('memo units below the top level: a kept nested statement follows what its rule reads outside it', () => {
    const wrap = (lines: string[], [head, tail] = ['export function wrapper(arg0) {', '}']) => `import jwt from 'jsonwebtoken';\n${head}\n${lines.map((l) => `  ${l}\n`).join('')}${tail}\nexport const done = true;\n`;
    // [body lines, edits (find → replace) of the wrapper's body, options, head]; every edit also renames the wrapper's parameter
    // (re-creating it), and is followed by a rename alone, which keeps every nested statement; the edited lines come
    // first, so that the statements after them are outside the edit's range (TypeScript reuses them)
    const scenarios: Array<[string[], Array<[string, string]>, { loggerModule?: string }, [string, string]?]> = [
      // console-logging: a sibling process.exit() makes console.error() the last words of a crashing process
      [['const x = 1;', "console.error('fatal');"], [['const x = 1;', 'process.exit(1);'], ['process.exit(1);', 'const x = 2;']], {}],
      // hardcoded-connection-string: the template's host follows a const of the enclosing block
      [['const y = 1;', 'const conn = `postgres://${DB_HOST}:5432/app`;'], [['const y = 1;', "const DB_HOST = 'db.internal';"], ["const DB_HOST = 'db.internal';", 'const DB_HOST = host();'], ['const DB_HOST = host();', "const DB_HOST = 'db.internal';"]], {}],
      [['const y = 1;', 'if (a) {', '  const conn = `postgres://${DB_HOST}:5432/app`;', '}'], [['const y = 1;', "const DB_HOST = 'db.internal';"], ["const DB_HOST = 'db.internal';", 'const y = 1;']], {}],
      // hardcoded-secret: a const's literal reaches a slot through a use in a sibling statement; the env name borrows the enclosing declaration's name
      // (the edited line is not a variable statement: a change of those changes every nested statement's key)
      [['y();', "const SIGNING = 'zq8Xv2Lm0pRt';"], [['y();', 'jwt.sign({}, SIGNING);'], ['jwt.sign({}, SIGNING);', 'y();']], {}],
      [['y();', "const password = 'hunter2hunter2';"], [['session(', 'pool('], ['pool(', 'session(']], {}, ['session(function wrapper(arg0) {', '});']],
      // env-branching: a condition follows a const of the enclosing block, and `this.mode` the class's getter
      [['y();', 'if (isProd) { app.use(helmet()); }'], [['y();', "const isProd = process.env.NODE_ENV === 'production';"], ["const isProd = process.env.NODE_ENV === 'production';", 'y();']], {}],
      [['y();', "if (this.mode === 'production') { app.use(helmet()); }"], [["return 'fixed'", 'return process.env.NODE_ENV'], ['return process.env.NODE_ENV', "return 'fixed'"]], {}, ["export class Svc {\n  get mode() { return 'fixed'; }\n  wrapper(arg0) {", '}\n}']],
    ];
    const config = DEFAULT_CONFIG;
    for (const [lines, edits, options, head] of scenarios) {
      const file = '/svc/src/nested.ts';
      let arg = 0;
      let text = wrap(lines, head);
      let previous = analyze({ path: file, text }, { rules: RULES, config: { ...config, ...options } }).parsed;
      for (let warm = 0; warm < 2; warm++) {
        text = text.replace(/wrapper\(arg\d+\)/, `wrapper(arg${++arg})`);
        previous = analyze({ path: file, text }, { rules: RULES, config: { ...config, ...options }, previous }).parsed;
      }
      for (const [find, replace] of edits.flatMap((edit) => [edit, ['', ''] as [string, string]])) {
        text = text.replace(find, replace).replace(/wrapper\(arg\d+\)/, `wrapper(arg${++arg})`);
        const before = { ...nestedUnitStats };
        const incremental = analyze({ path: file, text }, { rules: RULES, config: { ...config, ...options }, previous });
        const full = analyze({ path: file, text }, { rules: RULES, config: { ...config, ...options } });
        assert.deepEqual(incremental.findings, full.findings, `${lines[0]} … ${JSON.stringify(replace)}`);
        if (find === '') assert.ok(nestedUnitStats.kept > before.kept, 'a rename alone keeps the nested statements');
        previous = incremental.parsed;
      }
    }
  });

  test('constResolver answers as constInitializer: the first const of the innermost scope declaring the name', () => {
    const ts = loadTypescript();
    const next = random(23);
    // a name declared twice in one block, once without an initializer, a let, a destructuring, and shadowing in a function
    let text = `${serviceText(4)}\nconst A = 'x', A2 = 1;\nconst A = 'y';\nlet L = 'l';\nconst { D } = o;\nconst E;\nfunction f() {\n  const A = 'inner';\n  use(A, A2, L, D, E, BASE);\n}\nuse(A, E);\n`;
    let compared = 0;
    for (let v = 0; v < 60; v++) {
      if (v > 0) text = randomEdit(text, next);
      const parsed = parseTypescript(text, { path: '/repo/consts.ts', scriptKind: 'ts' });
      const resolve = constResolver(ts);
      for (const id of parsed.nodesOfKind<TS.Identifier>(ts.SyntaxKind.Identifier)) {
        assert.equal(resolve(id.text, id), constInitializer(ts, id.text, id), `version ${v}: ${id.text} at ${id.pos}`);
        compared++;
      }
    }
    assert.ok(compared > 5000);
  });

  test('a statement view is one object per set of statements and nodes left out', () => {
    const ts = loadTypescript();
    const next = random(23);
    let text = serviceText(8);
    let parsed = parseTypescript(text, { path: '/repo/views.ts', scriptKind: 'ts' });
    const kinds = [ts.SyntaxKind.CallExpression, ts.SyntaxKind.StringLiteral, ts.SyntaxKind.Identifier];
    let compared = 0;
    for (let v = 0; v < 40; v++) {
      text = randomEdit(text, next);
      parsed = parseTypescript(text, { path: '/repo/views.ts', scriptKind: 'ts' }, parsed);
      const statements = parsed.sourceFile.statements;
      const within = (node: TS.Node, indexes: readonly number[]): boolean => indexes.some((i) => statements[i].pos <= node.pos && node.end <= statements[i].end);
      const all = (kind: TS.SyntaxKind) => parsed.nodesOfKind(kind).filter((n) => n.kind !== ts.SyntaxKind.EndOfFileToken);
      // a view without a nested node first: the plain view of the same statements must not be it
      const cut = statements.findIndex((s) => nestedUnitsOf(ts, s).length > 0);
      if (cut >= 0) {
        const unit = nestedUnitsOf(ts, statements[cut])[0];
        const units = nestedUnitsOf(ts, statements[cut]);
        const partial = parsed.statementView!([cut], [units[0]])!;
        assert.equal(parsed.statementView!([cut], [units[0]]), partial, `version ${v}: the same nodes left out, the same view`);
        assert.ok(!partial.nodesOfKind(ts.SyntaxKind.CallExpression).some((n) => units[0].pos <= n.pos && n.end <= units[0].end));
        if (units.length > 1) {
          // other nodes left out: another view, whatever was asked first
          const other = parsed.statementView!([cut], [units[1]])!;
          assert.notEqual(other, partial);
          const inUnit = (n: TS.Node, u: TS.Node) => u.pos <= n.pos && n.end <= u.end;
          assert.deepEqual(other.nodesOfKind(ts.SyntaxKind.CallExpression), all(ts.SyntaxKind.CallExpression).filter((n) => within(n, [cut]) && !inUnit(n, units[1])), `version ${v}: its own nodes left out, the first view's in`);
        }
      }
      const sets = [[], ...statements.map((_, i) => [i]), statements.map((_, i) => i).filter(() => next() < 0.3)];
      for (const indexes of sets) {
        const view = parsed.statementView!(indexes)!;
        assert.equal(parsed.statementView!([...indexes]), view, `version ${v}: the same statements, the same view`);
        for (const kind of kinds) {
          assert.deepEqual(view.nodesOfKind(kind), all(kind).filter((n) => within(n, indexes)), `version ${v}, statements ${indexes}, kind ${ts.SyntaxKind[kind]}`);
          compared++;
        }
      }
    }
    assert.ok(compared > 1000);
  });

  test('hardcoded-endpoint collects an edited statement\'s targets once, for its part and its check', () => {
    const file = '/bench-latency/endpoint-targets.ts';
    let text = summaryService(20);
    let previous = analyze({ path: file, text }, { rules: RULES }).parsed;
    const collections: number[] = [];
    for (let v = 0; v < 5; v++) {
      const at = text.indexOf('res.json', Math.floor(text.length / 2) + v * 40);
      text = text.slice(0, at) + (v % 2 ? ' ' : 'x;') + text.slice(at);
      const before = endpointTargetStats.collections;
      const incremental = analyze({ path: file, text }, { rules: RULES, previous });
      collections.push(endpointTargetStats.collections - before);
      assert.deepEqual(incremental.findings, analyze({ path: file, text }, { rules: RULES }).findings, `version ${v}`);
      previous = incremental.parsed;
    }
    // from the third edit the memo is built: the new statement's view and the end-of-file token's, once each
    assert.deepEqual(collections.slice(2), [2, 2, 2], `collections per edit: ${collections}`);
  });

  test('a view without some nested statements leaves out exactly their subtrees', () => {
    const ts = loadTypescript();
    const next = random(17);
    // a case clause's expression may hold units of its own, before the clause's statements
    let text = `${serviceText(6)}\nswitch (k) {\n  case (() => { a(); return 1; })(): b(); break;\n  default: { c(); }\n}\n`;
    const kinds = [ts.SyntaxKind.Identifier, ts.SyntaxKind.CallExpression, ts.SyntaxKind.StringLiteral, ts.SyntaxKind.ExpressionStatement, ts.SyntaxKind.Block];
    let compared = 0;
    for (let v = 0; v < 120; v++) {
      text = randomEdit(text, next);
      const parsed = parseTypescript(text, { path: '/repo/outside.ts', scriptKind: 'ts' });
      parsed.nodesOfKind(ts.SyntaxKind.CallExpression); // links parents
      const units = parsed.sourceFile.statements.flatMap((s) => nestedUnitsOf(ts, s));
      units.forEach((u, i) => assert.ok(i === 0 || units[i - 1].end <= u.pos, `version ${v}: units in source order, disjoint`));
      const spans = units.filter(() => next() < 0.5);
      const inside = (node: TS.Node): boolean => { for (let n: TS.Node | undefined = node; n; n = n.parent) if (spans.includes(n as TS.Statement)) return true; return false; };
      for (const kind of kinds) {
        const nodes = parsed.nodesOfKind(kind);
        assert.deepEqual(outside(nodes, spans), nodes.filter((n) => !inside(n)), `version ${v}, kind ${ts.SyntaxKind[kind]}`);
        compared += nodes.length;
      }
    }
    assert.ok(compared > 10000);
  });
});


describe('statement index: what a version takes from the last one', () => {
  test('a reused statement keeps its memo, and statements a new one wraps bring their lists and memos as its units', () => {
    const info = { path: '/svc/src/calls.ts', scriptKind: 'ts' as const };
    const calls: string[] = [];
    for (let i = 0; i < 40; i++) calls.push(`call${i}(${i});`);
    let text = calls.join('\n') + '\n';
    let parsed = parseTypescript(text, info);
    parsed = parseTypescript((text += ' '), info, parsed); // an edited document: indexed per statement
    const fifth = parsed.statementMemo!(5)!;
    const thirtieth = parsed.statementMemo!(30)!;
    const before = { ...statementIndexStats };
    // a function header typed at a line start: the statements after it become its body
    const at = text.indexOf('call20');
    text = text.slice(0, at) + 'function f() {\n' + text.slice(at);
    parsed = parseTypescript(text, info, parsed);
    assert.equal(parsed.sourceFile.statements.length, 21);
    assert.equal(parsed.statementMemo!(5), fifth, 'a statement TypeScript reused keeps its memo');
    assert.ok(statementIndexStats.unitsReused - before.unitsReused >= 15, 'the wrapped statements bring their lists');
    const unit30 = parsed.unitMemos!(20)!.find(({ unit }) => text.slice(unit.getStart(parsed.sourceFile), unit.end) === 'call30(30);');
    assert.equal(unit30?.memo, thirtieth, 'and their memos');
    assertIndexMatchesWalk(parsed, 'wrapped');
  });
});

test('closing an untitled TypeScript buffer drops its memo (the language id made its engine path)', () => {
  const analyzer = new Analyzer({ project: EMPTY_PROJECT_PROVIDER, onRuleError: (id) => { throw new Error(`${id} threw`); } });
  const doc = TextDocument.create('untitled:Untitled-7', 'typescript', 1, serviceText(2));
  analyzer.analyzeDocument(doc, { settings: DEFAULT_SETTINGS, config: DEFAULT_CONFIG }, 0);
  assert.ok(statementMemoPaths().includes('Untitled-7.ts'));
  analyzer.forget(doc.uri);
  assert.ok(!statementMemoPaths().includes('Untitled-7.ts'));
});
