/**
 * Per-parse caches live on the parse (parse/parse-memo.ts), never in a module-level WeakMap keyed
 * by a parse or a node: V8's minor GC keeps an old WeakMap's values alive until the entry of a
 * dead key is cleared, and a value that reaches one node reaches the whole tree, so every file's
 * tree survived its analysis by one minor GC (the CLI's GC cost over the floor). Behaviour and
 * source are checked here; the GC effect itself is measured (docs/performance.md), not timed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMemo } from '../src/parse/parse-memo';
import { parseTypescript } from '../src/parse/typescript';
import { moduleImports, namedModules, importBindingsKey } from '../src/rules/support/module-imports';
import { valueStrings } from '../src/rules/support/ts-literals';

test('a parse memo keeps one value per object, apart from other memos and other objects', () => {
  const a = parseMemo<string[]>('a');
  const b = parseMemo<string[]>('b');
  const first = {};
  const second = {};
  assert.equal(a.get(first), undefined);
  const value = ['x'];
  assert.equal(a.set(first, value), value, 'set returns the value');
  assert.equal(a.get(first), value);
  assert.equal(a.get(second), undefined, 'another object');
  assert.equal(b.get(first), undefined, 'another memo');
  assert.deepEqual(Object.keys(first), [], 'invisible to keys and JSON');
  assert.equal(JSON.stringify(first), '{}');
});

test('the per-parse facts are computed once per parse and are the parse\'s own', () => {
  const text = "import fs from 'node:fs';\nconst url = 'https://example.test';\nfs.readFileSync(url);\n";
  const one = parseTypescript(text, { path: '/p/a.ts' });
  const two = parseTypescript(text, { path: '/p/a.ts' });
  assert.equal(moduleImports(one), moduleImports(one), 'cached');
  assert.notEqual(moduleImports(one), moduleImports(two), 'another parse computes its own');
  assert.deepEqual(moduleImports(one).map((m) => m.specifier), ['node:fs']);
  assert.deepEqual([...namedModules(one)], ['fs']);
  assert.equal(importBindingsKey(one), 'fs=fs:default');
  assert.equal(valueStrings(one), valueStrings(one), 'cached');
  assert.deepEqual(valueStrings(one).map((s) => s.getText(one.sourceFile)), ["'https://example.test'"]);
  // the import's node is the parse's own tree: what the old WeakMap kept alive
  assert.equal(moduleImports(one)[0].node.getSourceFile(), one.sourceFile);
});

test('no module-level WeakMap is keyed by a parse, a document or a syntax node (use parseMemo)', () => {
  const root = path.resolve(__dirname, '../../../server/src');
  const keyedByParse = /new WeakMap<\s*(?:ParsedTs|ParsedDocument|Document|SourceFile|TS\.\w+|ts\.\w+|Node)\b/;
  const offenders: string[] = [];
  for (const rel of fs.readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[]) {
    if (!rel.endsWith('.ts')) continue;
    const lines = fs.readFileSync(path.join(root, rel), 'utf8').split('\n');
    lines.forEach((line, i) => { if (keyedByParse.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`); });
  }
  assert.deepEqual(offenders, []);
});
