/**
 * tsconfig `baseUrl` and `paths` in import resolution: the pure alias computation, and the
 * same answer from the CLI (ProjectFacts on disk) and Analyze Workspace (the model's file list)
 * for `dependencies/undeclared-dependency`.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configExtends, importAliasesFor, mappedImportPaths, matchesPathAlias, parseJsonc, pathAliasesFor, pathMappingsOf, scopeFolderAliases, type AliasSource } from '../src/engine/path-aliases';
import { analyzeWorkspace } from '../src/workspace/analyze-workspace';
import { RULES } from '../src/rules/registry';
import { runCli, writeTree } from './support/cli-harness';

function memory(files: Record<string, string>): AliasSource {
  return {
    read: (p) => files[p],
    entries: (dir) => {
      const prefix = dir === '.' ? '' : `${dir}/`;
      const names = new Set<string>();
      for (const file of Object.keys(files)) if (file.startsWith(prefix)) names.add(file.slice(prefix.length).split('/')[0]);
      return names.size ? [...names] : undefined;
    },
  };
}

test('baseUrl "./" makes the root folders and modules local names; node_modules and dotfiles are not', () => {
  const source = memory({
    'tsconfig.json': '{ // comments and trailing commas, as tsconfig files are written\n "compilerOptions": { "baseUrl": "./", /* here */ },\n}',
    'fixtures/users.ts': '', 'src/app.ts': '', 'config.ts': '', 'node_modules/x/index.js': '', '.env': '',
  });
  assert.deepEqual(pathAliasesFor('src', '.', source), ['config', 'config.ts', 'fixtures', 'src', 'tsconfig', 'tsconfig.json']);
});

test('paths keys are aliases; baseUrl and paths are inherited through a relative extends', () => {
  const source = memory({
    'tsconfig.base.json': '{ "compilerOptions": { "baseUrl": "src", "paths": { "@app/*": ["app/*"], "~/*": ["*"] } } }',
    'packages/api/tsconfig.json': '{ "extends": "../../tsconfig.base" }',
    'packages/api/src/main.ts': '',
    'src/lib/db.ts': '',
  });
  assert.deepEqual(pathAliasesFor('packages/api/src', '.', source), ['@app/*', 'lib', '~/*']);
});

test('no tsconfig, a malformed one, or one above the root: no aliases', () => {
  assert.deepEqual(pathAliasesFor('src', '.', memory({ 'src/a.ts': '' })), []);
  assert.deepEqual(pathAliasesFor('src', '.', memory({ 'tsconfig.json': '{ "compilerOptions": ', 'src/a.ts': '' })), []);
  assert.deepEqual(pathAliasesFor('/w/app/src', '/w/app', memory({ '/w/tsconfig.json': '{ "compilerOptions": { "baseUrl": "." } }', '/w/app/src/a.ts': '' })), []);
  assert.equal(parseJsonc('{ "a": "// not a comment", }') && (parseJsonc('{ "a": "// not a comment", }') as { a: string }).a, '// not a comment');
});

test('a package that depends on rootpath resolves its own folders and modules by bare name', () => {
  const source = memory({ 'api/server.js': '', 'api/_helpers/db.js': '', 'api/config.json': '', 'api/package.json': '' });
  assert.deepEqual(importAliasesFor('api/accounts', '.', source, { dir: 'api', dependencies: { rootpath: '^0.1.2' } }), ['@_helpers/', '_helpers', 'config', 'config.json', 'package', 'package.json', 'server', 'server.js']);
  assert.deepEqual(importAliasesFor('api/accounts', '.', source, { dir: 'api', dependencies: { express: '^4' } }), ['@_helpers/']);
});

test('folders of the package root and its src/ are npm-less scopes, unless a declared dependency uses the scope', () => {
  const source = memory({
    'lib/default/package.json': '', 'lib/default/src/app.ts': '', 'lib/default/src/utils/logger.ts': '',
    'lib/default/src/interfaces/users.interface.ts': '', 'lib/default/src/sentry/init.ts': '', 'lib/default/src/routes.ts': '',
    'lib/default/test/app.test.ts': '', 'lib/default/node_modules/x/index.js': '', 'lib/default/.husky/pre-commit': '',
  });
  const pkg = { dir: 'lib/default', dependencies: { '@sentry/node': '^8' }, devDependencies: { typescript: '^5' } };
  assert.deepEqual(scopeFolderAliases(pkg, source).sort(), ['@interfaces/', '@src/', '@test/', '@utils/']);
  assert.deepEqual(importAliasesFor('lib/default/src', '.', source, pkg), ['@interfaces/', '@src/', '@test/', '@utils/']);
  // a file is no folder: `src/routes.ts` does not make `@routes/…` local
  assert.ok(!matchesPathAlias('@routes/users', scopeFolderAliases(pkg, source)));
  assert.ok(matchesPathAlias('@utils/logger', scopeFolderAliases(pkg, source)));
});

test('alias patterns: a trailing * or / matches by prefix, a name matches itself and its subpaths only', () => {
  assert.ok(matchesPathAlias('@app/db', ['@app/*']));
  assert.ok(matchesPathAlias('fixtures', ['fixtures']));
  assert.ok(matchesPathAlias('fixtures/users', ['fixtures']));
  assert.ok(!matchesPathAlias('fixtures-extra', ['fixtures']));
  assert.ok(!matchesPathAlias('apple', ['app']));
  assert.ok(matchesPathAlias('src/x', ['src/']));
});

/** A template whose tsconfig `paths` (`@config`, `@utils/*`) the snapshot does not hold. */
const NO_TSCONFIG: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'starter', dependencies: { express: '^4.19.0', '@sentry/node': '^8.0.0' } }),
  'src/config/index.ts': 'export const PORT = process.env.PORT;\n',
  'src/utils/logger.ts': 'export const logger = console;\n',
  'src/sentry/init.ts': 'export const init = () => undefined;\n',
  'src/app.ts': [
    "import express from 'express';",
    "import { PORT } from '@config';",
    "import { logger } from '@utils/logger';",
    "import { init } from '@sentry/init';",
    "import { Injectable } from '@nestjs/common';",
    "import { trace } from '@sentry-internal/tracing';",
    'export const all = [express, PORT, logger, init, Injectable, trace];',
    '',
  ].join('\n'),
};

test('CLI and Analyze Workspace: with no tsconfig, `@config` and `@<src folder>/…` are local; real scoped packages stay undeclared', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-scopes-'));
  try {
    writeTree(root, NO_TSCONFIG);
    const out = JSON.parse(runCli(root, ['.', '--format', 'json', '--fail-on', 'none']).stdout) as { findings: Array<{ file: string; line: number; rule: string }> };
    const cli = out.findings.filter((f) => f.rule === 'dependencies/undeclared-dependency').map((f) => `${f.file.replace(/\\/g, '/')}:${f.line}`);
    // `@sentry/init`: the `sentry` folder does not make `@sentry/…` local while `@sentry/node` is declared
    assert.deepEqual(cli, ['src/app.ts:4', 'src/app.ts:5', 'src/app.ts:6']);
    const workspace = analyzeWorkspace(Object.entries(NO_TSCONFIG).map(([p, text]) => ({ path: p, text })), { rules: RULES })
      .findings.filter((f) => f.ruleId === 'dependencies/undeclared-dependency').map((f) => `${f.path}:${f.range.start.line + 1}`);
    assert.deepEqual(workspace, cli);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

const WORKSPACE: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'svc', dependencies: { express: '^4.19.0' }, devDependencies: { typescript: '^5.0.0' } }),
  'tsconfig.json': '{ "compilerOptions": { "baseUrl": "./", "paths": { "@shared/*": ["shared/*"] } } }',
  'fixtures/users.ts': 'export const users = [];\n',
  'shared/format.ts': 'export const format = (x: string) => x;\n',
  'src/server.ts': [
    "import express from 'express';",
    "import { users } from 'fixtures/users';",
    "import { format } from '@shared/format';",
    "import lodash from 'lodash';",
    'export const app = express();',
    'export const all = [users, format, lodash];',
    '',
  ].join('\n'),
};

test('CLI and Analyze Workspace: baseUrl folders and paths aliases are local, a real package is still undeclared', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-aliases-'));
  try {
    writeTree(root, WORKSPACE);
    const out = JSON.parse(runCli(root, ['.', '--format', 'json', '--fail-on', 'none']).stdout) as { findings: Array<{ file: string; line: number; rule: string; message: string }> };
    const cli = out.findings.filter((f) => f.rule === 'dependencies/undeclared-dependency').map((f) => `${f.file.replace(/\\/g, '/')}:${f.line}`);
    assert.deepEqual(cli, ['src/server.ts:4']);
    const workspace = analyzeWorkspace(Object.entries(WORKSPACE).map(([p, text]) => ({ path: p, text })), { rules: RULES })
      .findings.filter((f) => f.ruleId === 'dependencies/undeclared-dependency').map((f) => `${f.path}:${f.range.start.line + 1}`);
    assert.deepEqual(workspace, cli);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('paths targets: joined to baseUrl (else the config folder), exact pattern first, else the longest wildcard prefix', () => {
  const withBase = pathMappingsOf('api/tsconfig.json', '{ "compilerOptions": { "baseUrl": "./src", "paths": { "@config": ["config/index.ts"], "@/*": ["*"], "@/lib/*": ["../lib/*", "vendor/*"], "bad": "x" } } }');
  assert.deepEqual(withBase, { '@config': ['api/src/config/index.ts'], '@/*': ['api/src/*'], '@/lib/*': ['api/lib/*', 'api/src/vendor/*'] });
  assert.deepEqual(pathMappingsOf('tsconfig.json', '{ "compilerOptions": { "paths": { "~/*": ["./app/*"] } } }'), { '~/*': ['app/*'] });
  assert.equal(pathMappingsOf('tsconfig.json', '{ "compilerOptions": { "baseUrl": "." } }'), undefined, 'no paths, no mappings');
  assert.equal(pathMappingsOf('tsconfig.json', '{ not json'), undefined);
  assert.deepEqual(mappedImportPaths('@config', withBase!), ['api/src/config/index.ts']);
  assert.deepEqual(mappedImportPaths('@/lib/flags', withBase!), ['api/lib/flags', 'api/src/vendor/flags'], 'the longer prefix wins');
  assert.deepEqual(mappedImportPaths('@/db', withBase!), ['api/src/db']);
  assert.deepEqual(mappedImportPaths('@config/extra', withBase!), [], 'an exact pattern matches only itself');
  assert.deepEqual(mappedImportPaths('express', withBase!), []);
  assert.equal(configExtends('web/tsconfig.json', '{ "extends": "../tsconfig.base" }'), 'tsconfig.base.json');
  assert.equal(configExtends('web/tsconfig.json', '{ "extends": "@tsconfig/node20/tsconfig.json" }'), undefined, 'package configs are not followed');
});
