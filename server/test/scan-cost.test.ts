/**
 * What the CLI's cold scan no longer pays for, proven by behaviour and counts (not timings):
 * the `'use client'` test is a linear scan (the regex it replaces backtracked exponentially over
 * block comments), one walk both links parents and fills the node index, the scan reuses the
 * pre-pass's hints, and the model decides roles once when the scan's facts carry the same
 * evidence as the pre-pass's.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { runAnalysis } from '../src/cli/analyze-paths';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { loadTypescript, parseTypescript } from '../src/parse/typescript';
import { fileHints } from '../src/workspace/file-hints';
import * as hintsModule from '../src/workspace/file-hints';
import { factsOf, ProjectModelBuilder } from '../src/workspace/project-model';
import * as rolesModule from '../src/workspace/roles';

test("'use client' counts only first in the file, after whitespace and comments", () => {
  assert.equal(fileHints("'use client';\nexport const A = 1;").useClient, true);
  assert.equal(fileHints('\uFEFF  "use client"\n').useClient, true, 'BOM and spaces');
  assert.equal(fileHints("// a header\n/* and a\n block */\n/** doc */ 'use client';").useClient, true);
  assert.equal(fileHints("import x from 'y';\n'use client';").useClient, undefined, 'code before it');
  assert.equal(fileHints("/* a */ f(); /* b */ 'use client';").useClient, undefined, 'code between comments is code');
  assert.equal(fileHints("/* unterminated 'use client'").useClient, undefined);
  assert.equal(fileHints("// 'use client'").useClient, undefined, 'inside a comment');
});

test('a file that opens with many block comments is judged at once (the old regex never finished on it)', { timeout: 20_000 }, () => {
  // 40 leading comments: every way of closing each `/*` at a later `*/` was a backtracking branch (2^39)
  const text = Array.from({ length: 40 }, (_, i) => `/* note ${i} */\n`).join('') + 'export const x = 1;\n';
  assert.equal(fileHints(text).useClient, undefined);
  assert.equal(fileHints(`${text}'use client';\n`).useClient, undefined, 'after code');
  assert.equal(fileHints(text.replace('export const x = 1;', "'use client';")).useClient, true);
});

test('one walk links every parent and indexes the nodes: the same parents the parser would set', () => {
  const ts = loadTypescript();
  const text = "import { a } from './a';\nclass S { @Get() f(x: number) { return a(x) ?? `t${x}`; } }\nconst o = { k: [1, 2], ...a };\nfor (const [i] of o.k.entries()) if (i) break;\n";
  const ours = parseTypescript(text, { path: 'src/s.ts' });
  const reference = ts.createSourceFile('src/s.ts', text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, ts.ScriptKind.TS);
  const walk = (node: TS.Node, out: string[]) => { node.forEachChild((c) => { out.push(`${c.kind}@${c.pos}-${c.end} in ${c.parent?.kind}@${c.parent?.pos}-${c.parent?.end}`); walk(c, out); }); return out; };
  const expected = walk(reference, []);
  assert.ok(expected.length > 50);
  assert.deepEqual(walk(ours.sourceFile, []), expected);
  assert.equal(ours.sourceFile.statements[0].parent, ours.sourceFile);
  assert.equal(ours.nodesOfKind(ts.SyntaxKind.CallExpression).length, 3, 'Get(), a(x), o.k.entries()');
});

test('the model decides roles once for facts with the same evidence, again when evidence changes', (t) => {
  const decide = t.mock.method(rolesModule, 'decideRoles');
  const builder = new ProjectModelBuilder();
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'svc', main: 'src/main.ts', dependencies: { express: '4' } }),
    'src/main.ts': "import express from 'express';\nimport { db } from './db';\nexpress().listen(3000);\n",
    'src/db.ts': 'export const db = 1;\n',
    'scripts/seed.ts': "import { db } from '../src/db';\n",
  };
  for (const [p, text] of Object.entries(files)) builder.update(p, text, undefined, { light: true });
  assert.equal(builder.model().roleOf('src/db.ts')?.role, 'server');
  assert.equal(decide.mock.callCount(), 1);
  // the scan's facts of the same texts (new objects, same evidence): roles are reused
  for (const p of ['src/main.ts', 'src/db.ts', 'scripts/seed.ts']) builder.setFacts(p, factsOf(p, files[p]));
  assert.equal(builder.model().roleOf('src/db.ts')?.role, 'server');
  assert.equal(decide.mock.callCount(), 1);
  // an import removed from the entry point is new evidence: decided again
  builder.update('src/main.ts', "import express from 'express';\nexpress().listen(3000);\n");
  assert.equal(builder.model().roleOf('src/main.ts')?.role, 'server');
  assert.equal(decide.mock.callCount(), 2);
});

test('the CLI scans each TS/JS text for hints once and decides roles once', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-scan-cost-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'svc', main: 'src/main.ts', dependencies: { express: '4' } }));
  fs.writeFileSync(path.join(dir, 'src/main.ts'), "import express from 'express';\nimport { port } from './config';\nexpress().listen(8080);\nprocess.on('SIGTERM', () => process.exit(0));\n");
  fs.writeFileSync(path.join(dir, 'src/config.ts'), "export const port = 8080;\nexport const isProd = process.env.NODE_ENV === 'production';\n");
  fs.writeFileSync(path.join(dir, 'src/types.ts'), "import type { X } from './config';\nexport type Y = X;\n");
  const hints = t.mock.method(hintsModule, 'fileHints');
  const decide = t.mock.method(rolesModule, 'decideRoles');
  const run = await runAnalysis({ paths: [dir], cwd: dir, config: DEFAULT_CONFIG, factsRoot: dir, useGit: false, jobs: 1, today: '2026-12-06' });
  assert.deepEqual(hints.mock.calls.map((c) => path.basename(c.arguments[1] as string)).sort(), ['config.ts', 'main.ts', 'types.ts']);
  assert.equal(decide.mock.callCount(), 1);
  assert.equal(run.model.roleOf('src/config.ts')?.role, 'server');
  assert.ok(run.files.some((f) => f.path === 'src/main.ts' && f.findings.some((x) => x.ruleId === 'port-binding/hardcoded-port')), 'the findings still come');
});
