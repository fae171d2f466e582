/** Unit tests of the shared rule support used by the TS rules of slice b: import tracking and shutdown detection. */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as TS from 'typescript';
import { parseTypescript } from '../src/parse/typescript';
import { moduleImports, originOf, packageNameOf, moduleStyle } from '../src/rules/support/module-imports';
import { registersShutdownHandler } from '../src/rules/support/shutdown';

function parse(text: string, path = 'app/src/x.ts') {
  return parseTypescript(text, { path, scriptKind: path.endsWith('.tsx') ? 'tsx' : path.endsWith('.js') ? 'js' : 'ts' });
}

describe('registersShutdownHandler', () => {
  const yes: Array<[string, string]> = [
    ["process.on('SIGTERM', () => server.close());", 'a.ts'],
    ["process.once('SIGINT', stop);", 'a.js'],
    ["globalThis.process.addListener('SIGTERM', stop);", 'a.mjs'],
    ["for (const s of ['SIGTERM', 'SIGINT']) process.on(s, stop);", 'a.ts'],
    ['app.enableShutdownHooks();', 'main.ts'],
    ["import { createTerminus } from '@godaddy/terminus';\ncreateTerminus(server, {});", 'a.ts'],
    ["const closeWithGrace = require('close-with-grace');\ncloseWithGrace({}, async () => {});", 'a.cjs'],
    ["import { createLightship } from 'lightship';\nawait createLightship();", 'a.ts'],
    ["import stoppable from 'stoppable';\nstoppable(server);", 'a.ts'],
    ["import { createHttpTerminator } from 'http-terminator';\ncreateHttpTerminator({ server });", 'a.ts'],
    ["export function Shell() { process.on('SIGTERM', () => {}); return <div />; }", 'a.tsx'],
  ];
  for (const [text, path] of yes) test(`handles: ${text.split('\n').pop()}`, () => assert.equal(registersShutdownHandler(text, path), true));
  const no: Array<[string, string]> = [
    ["process.on('exit', () => {});", 'a.ts'],
    ['// remember to handle SIGTERM some day\napp.listen(3000);', 'a.ts'],
    ["logger.info('SIGTERM received');", 'a.ts'],
    ["emitter.on('SIGTERM', stop);", 'a.ts'],
    ["import type { Lightship } from 'lightship';\nexport let l: Lightship;", 'a.ts'],
    ['const x = 1;', 'a.ts'],
    ["process.on('SIGTERM', stop)", 'Dockerfile'],
  ];
  for (const [text, path] of no) test(`does not: ${text.split('\n').pop()} (${path})`, () => assert.equal(registersShutdownHandler(text, path), false));
});

describe('moduleImports', () => {
  test('ESM, CommonJS, import-equals, dynamic import and re-exports', () => {
    const parsed = parse([
      "import fs, { promises as fsp, type Stats } from 'node:fs';",
      "import * as path from 'path';",
      "import type { Request } from 'express';",
      "import { type A } from 'types-only';",
      "import session = require('express-session');",
      "const { writeFileSync: write, readFileSync } = require('fs');",
      "const promises = require('fs').promises;",
      "export { x } from './x';",
      "export type { Y } from './y';",
      "async function f() { const { default: got } = await import('got'); return got; }",
      "import 'dotenv/config';",
    ].join('\n'));
    const summary = moduleImports(parsed).map((m) => `${m.kind} ${m.specifier}${m.typeOnly ? ' (type)' : ''} ${m.bindings.map((b) => `${b.local}=${b.imported}`).join(',')}`.trim());
    assert.deepEqual(summary, [
      'esm node:fs fs=default,fsp=promises',
      'esm path path=*',
      'esm express (type)',
      'esm types-only (type)',
      'import-equals express-session session==',
      'require fs write=writeFileSync,readFileSync=readFileSync',
      'require fs promises=promises',
      'export-from ./x',
      'export-from ./y (type)',
      'dynamic got got=default',
      'esm dotenv/config',
    ]);
  });

  test('originOf follows bindings and property chains', () => {
    const parsed = parse([
      "import fs, { promises as fsp } from 'node:fs';",
      "import { transports } from 'winston';",
      'fs.promises.writeFile(a, b);',
      'fsp.writeFile(a, b);',
      "require('fs').writeFileSync(a, b);",
      'new transports.File({});',
      'local.writeFile(a, b);',
    ].join('\n'));
    const { ts } = parsed;
    const exprs = parsed.sourceFile.statements.slice(2).map((s) => ((s as TS.ExpressionStatement).expression as TS.CallExpression).expression);
    assert.deepEqual(exprs.map((e) => { const o = originOf(parsed, e); return o ? `${o.module}:${o.path.join('.')}` : undefined; }), [
      'fs:promises.writeFile', 'fs:promises.writeFile', 'fs:writeFileSync', 'winston:transports.File', undefined,
    ]);
    void ts;
  });

  test('package names and module style', () => {
    assert.equal(packageNameOf('@scope/name/sub/path'), '@scope/name');
    assert.equal(packageNameOf('lodash/fp'), 'lodash');
    assert.equal(moduleStyle(parse("const a = require('a');", 'x.js'), 'x.js'), 'cjs');
    assert.equal(moduleStyle(parse('export const a = 1;', 'x.js'), 'x.js'), 'esm');
    assert.equal(moduleStyle(parse('const a = 1;', 'x.js'), 'x.js', 'module'), 'esm');
    assert.equal(moduleStyle(parse('const a = 1;', 'x.cts'), 'x.cts'), 'cjs');
  });
});
