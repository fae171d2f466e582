/**
 * The value flow (rules/support/value-flow.ts), the environment flags it feeds
 * (rules/support/env-flags.ts) and their trip through the project model: a module's exported
 * flags become `envImports` of the files that import it, so `if (settings.isProd)` in one file
 * is judged with the definition in another.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as TS from 'typescript';
import { parseTypescript, type ParsedTs } from '../src/parse/typescript';
import { flowOf, localValueOf } from '../src/rules/support/value-flow';
import { envCondition, envExportsOf, envRef } from '../src/rules/support/env-flags';
import { buildProjectModel } from '../src/workspace/project-model';
import { analyzeWorkspace, projectContextFor } from '../src/workspace/analyze-workspace';
import rule from '../src/rules/dev-prod-parity/env-branching';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, writeTree } from './support/cli-harness';

const parse = (text: string): ParsedTs => parseTypescript(text, { path: 'x.ts' });

/** The expression of the last statement (`…; probe`), the node a rule would ask about. */
function lastExpression(parsed: ParsedTs): TS.Expression {
  const last = parsed.sourceFile.statements.at(-1)!;
  const ts = parsed.ts;
  assert.ok(ts.isExpressionStatement(last), 'the last statement is an expression');
  return last.expression;
}

describe('value flow', () => {
  test('follows consts, destructuring and object literals to the value', () => {
    const parsed = parse("const opts = { cors: { origin: '*' } };\nconst { cors } = opts;\ncors.origin");
    const value = localValueOf(parsed, lastExpression(parsed));
    assert.equal(value?.getText(), "'*'");
  });

  test('reaches process.env through destructuring (with a default) and an alias of process.env', () => {
    let parsed = parse("const { NODE_ENV: mode = 'development' } = process.env;\nmode");
    assert.deepEqual(pick(flowOf(parsed, lastExpression(parsed))), { kind: 'env', name: 'NODE_ENV' });
    parsed = parse('const env = process.env;\nenv.APP_ENV');
    assert.deepEqual(pick(flowOf(parsed, lastExpression(parsed))), { kind: 'env', name: 'APP_ENV' });
  });

  test('an import ends the flow with the module and the export path', () => {
    let parsed = parse("import settings from './settings';\nconst s = settings;\ns.db.host");
    assert.deepEqual(pick(flowOf(parsed, lastExpression(parsed))), { kind: 'import', module: './settings', path: ['db', 'host'] });
    parsed = parse("const { env } = require('./config');\nenv.isProd");
    assert.deepEqual(pick(flowOf(parsed, lastExpression(parsed))), { kind: 'import', module: './config', path: ['env', 'isProd'] });
  });

  test('a let, a parameter or a call result is not followed: the node itself', () => {
    for (const text of ["let o = { a: 'x' };\no.a", 'function f(o) { return o.a }\nf', "const o = load();\no.a"]) {
      const parsed = parse(text);
      const node = lastExpression(parsed);
      assert.equal(localValueOf(parsed, node), node, text);
    }
  });

  test('a self-referencing const does not loop', () => {
    const parsed = parse('const a = b.x;\nconst b = a.y;\na');
    assert.ok(flowOf(parsed, lastExpression(parsed)));
  });
});

function pick(flow: ReturnType<typeof flowOf>): Record<string, unknown> {
  const { node: _node, ...rest } = flow;
  return rest;
}

describe('environment flags', () => {
  test('derived flags and their negations are environment conditions; other flags are not', () => {
    const parsed = parse("const { NODE_ENV } = process.env;\nconst isDev = NODE_ENV !== 'production';\nconst ready = true;\nconst both = !isDev && ready;\nboth");
    const condition = envCondition(parsed, lastExpression(parsed), undefined);
    assert.equal(condition?.text, "NODE_ENV !== 'production'");
    assert.deepEqual(condition?.values, ['production']);
    const other = parse("const ready = process.env.READY === 'yes';\nready");
    assert.equal(envCondition(other, lastExpression(other), undefined), undefined);
  });

  test('an imported flag is judged by the facts of its module, when given', () => {
    const parsed = parse("import { live } from './flags';\nlive");
    assert.equal(envCondition(parsed, lastExpression(parsed), undefined), undefined, 'a name that says nothing, without facts');
    const facts = { './flags': { live: { condition: "NODE_ENV === 'production'", values: ['production'] } } };
    assert.deepEqual(envCondition(parsed, lastExpression(parsed), facts)?.values, ['production']);
    const ref = parse("import cfg from './cfg';\ncfg.mode");
    assert.equal(envRef(ref, lastExpression(ref), { './cfg': { mode: { ref: 'APP_ENV' } } }), 'APP_ENV');
  });

  test('class members: a config service read by the variable\'s name, one-return getters and readonly fields of this class', () => {
    /** The condition of each `if` in the text, in order (`-` when it is no environment condition). */
    const conditions = (text: string) => {
      const parsed = parse(text);
      return parsed.nodesOfKind<TS.IfStatement>(parsed.ts.SyntaxKind.IfStatement).map((s) => envCondition(parsed, s.expression, undefined)?.text ?? '-');
    };
    assert.deepEqual(conditions([
      'class AppService {',
      '  constructor(private readonly configService: ConfigService) {}',
      "  private readonly env = process.env.APP_ENV;",
      '  private mode = process.env.NODE_ENV;',
      '  setup() {',
      "    if (this.configService.get('NODE_ENV') === 'production') a();",
      "    if (this.configService.getOrThrow<string>('STAGE') !== 'dev') a();",
      "    if (this.env === 'staging') a();",
      "    if (this.mode === 'production') a();", // a plain field may be reassigned: not followed
      "    if (this.cache.get('NODE_ENV') === 'production') a();", // not a config service
      "    if (this.configService.get('REGION') === 'prod') a();", // not the environment's name
      "    function inner(this: unknown) { if ((this as any).env === 'staging') a(); }",
      '  }',
      '}',
    ].join('\n')), [
      "NODE_ENV === 'production'", "STAGE !== 'dev'", "APP_ENV === 'staging'", '-', '-', '-', '-',
    ]);
    assert.deepEqual(conditions([
      'export class ApiConfigService {',
      "  get isDevelopment(): boolean { return this.nodeEnv === 'development'; }",
      "  get nodeEnv(): string { return this.getString('NODE_ENV'); }",
      "  get isLive(): boolean { const x = 1; return this.nodeEnv === 'production' && x === 1; }",
      '  private getString(key: string): string { return String(process.env[key]); }',
      '  check() {',
      '    if (this.isDevelopment) a();',
      '    if (this.isLive) a();', // a getter with more than a return is not followed
      '  }',
      '}',
    ].join('\n')), ["this.isDevelopment (NODE_ENV === 'development')", '-']);
  });

  test('a module exports its flags by path: named, destructured, default, module.exports, exports.x', () => {
    const exports = envExportsOf(parse([
      "export const isProd = process.env.NODE_ENV === 'production';",
      'export const { NODE_ENV, PORT } = process.env;',
      "const parsed = schema.parse(process.env);",
      "export const env = { ...parsed, isDevelopment: parsed.NODE_ENV === 'development', port: parsed.PORT };",
      "const mode = process.env.APP_ENV || 'dev';",
      'export { mode as appMode };',
      "export default { environment: process.env.NODE_ENV, name: 'svc' };",
    ].join('\n')));
    assert.deepEqual(exports, {
      isProd: { condition: "NODE_ENV === 'production'", values: ['production'] },
      NODE_ENV: { ref: 'NODE_ENV' },
      'env.isDevelopment': { condition: "NODE_ENV === 'development'", values: ['development'] },
      appMode: { ref: 'APP_ENV' },
      environment: { ref: 'NODE_ENV' },
    });
    const cjs = envExportsOf(parse([
      "const env = process.env.NODE_ENV || 'development';",
      "module.exports = { env, isTest: env === 'test', port: process.env.PORT };",
      "exports.isStaging = process.env.STAGE === 'staging';",
    ].join('\n')));
    assert.deepEqual(cjs, {
      env: { ref: 'NODE_ENV' },
      isTest: { condition: "NODE_ENV === 'test'", values: ['test'] },
      isStaging: { condition: "STAGE === 'staging'", values: ['staging'] },
    });
  });
});

describe('environment flags across modules (project model)', () => {
  const files = [
    { path: 'package.json', text: JSON.stringify({ name: 'svc', main: 'src/server.ts', scripts: { start: 'node src/server.ts' }, dependencies: { express: '4' } }) },
    { path: 'src/config/index.ts', text: "export const settings = { environment: process.env.NODE_ENV, port: Number(process.env.PORT) };\nexport const liveMode = process.env.NODE_ENV === 'production';\n" },
    { path: 'src/plain.ts', text: "export const name = 'svc';\n" },
    { path: 'src/server.ts', text: [
      "import express from 'express';",
      "import { settings, liveMode } from './config';",
      "import { name } from '@/plain';",
      "import { fakePayments } from './payments';",
      'const app = express();',
      "if (settings.environment === 'production') app.use(express.json());",
      'if (!liveMode) app.use(fakePayments());',
      "if (name === 'svc') app.use(fakePayments());",
      'app.listen(Number(process.env.PORT));',
    ].join('\n') },
    { path: 'src/payments.ts', text: 'export const fakePayments = () => (_req: unknown, _res: unknown, next: () => void) => next();\n' },
  ];

  test('the model hands a file the flags of the modules it imports, by specifier', () => {
    const model = buildProjectModel(files);
    assert.deepEqual(projectContextFor(model, 'src/server.ts').envImports, {
      './config': {
        'settings.environment': { ref: 'NODE_ENV' },
        liveMode: { condition: "NODE_ENV === 'production'", values: ['production'] },
      },
    });
    assert.equal(projectContextFor(model, 'src/payments.ts').envImports, undefined, 'no flag module imported');
  });

  test('a branch on an imported flag is reported in the importing file', () => {
    const { findings } = analyzeWorkspace(files, { rules: [rule], workspaceRules: [] });
    assert.deepEqual(findings.map((f) => `${f.path}:${f.range.start.line + 1}`), ['src/server.ts:6', 'src/server.ts:7']);
  });
});

describe('environment flags through tsconfig paths aliases (project model)', () => {
  const flagModule = "export const isDev = process.env.NODE_ENV !== 'production';\n";
  const files = [
    { path: 'tsconfig.base.json', text: '{ "compilerOptions": { "baseUrl": ".", "paths": { "@shared/*": ["shared/*"] } } }' },
    { path: 'shared/flags.ts', text: flagModule },
    // api: its own tsconfig maps `@config` (exact) and `@/*` (wildcard) with baseUrl `src`
    { path: 'api/package.json', text: JSON.stringify({ name: 'api', scripts: { start: 'node src/main.ts' } }) },
    { path: 'api/tsconfig.json', text: '{\n  // JSONC\n  "compilerOptions": { "baseUrl": "src", "paths": { "@config": ["config/env.ts"], "@/*": ["app/*"], }, },\n}' },
    { path: 'api/src/config/env.ts', text: flagModule },
    { path: 'api/src/app/mode.ts', text: flagModule },
    { path: 'api/src/main.ts', text: "import { isDev } from '@config';\nimport { isDev as d } from '@/mode';\nimport { isDev as p } from '@nestjs/config';\nimport { isDev as s } from '@shared/flags';\n" },
    // web: extends the base config (its `paths` apply), and does not see api's `@config`
    { path: 'web/package.json', text: JSON.stringify({ name: 'web', scripts: { start: 'node server.ts' } }) },
    { path: 'web/tsconfig.json', text: '{ "extends": "../tsconfig.base.json" }' },
    { path: 'web/server.ts', text: "import { isDev } from '@config';\nimport { isDev as s } from '@shared/flags';\n" },
  ];
  const flag = { isDev: { condition: "NODE_ENV !== 'production'", values: ['production'] } };

  test('a bare specifier mapped by the nearest tsconfig resolves to the flag module', () => {
    const model = buildProjectModel(files);
    // `@nestjs/config` is mapped by nothing (a package); `@shared/*` is only in the base config api does not extend
    assert.deepEqual(projectContextFor(model, 'api/src/main.ts').envImports, { '@config': flag, '@/mode': flag });
    // web's own config maps nothing but extends the base: `@shared/*` applies, api's `@config` does not
    assert.deepEqual(projectContextFor(model, 'web/server.ts').envImports, { '@shared/flags': flag });
  });
});

describe('environment flags across modules (CLI, as a user runs it)', () => {
  test('the role pre-pass learns the flags of a config module, so the scan follows them, with and without workers', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-envflow-'));
    try {
      writeTree(root, {
        'package.json': JSON.stringify({ name: 'svc', main: 'src/server.js', scripts: { start: 'node src/server.js' }, dependencies: { express: '4' } }),
        'src/flags.js': "const mode = process.env.NODE_ENV || 'development';\nmodule.exports = { liveMode: mode === 'production', name: 'svc' };\n",
        'src/server.js': [
          "const express = require('express');",
          "const flags = require('./flags');",
          'const app = express();',
          "if (!flags.liveMode) app.use(require('./fake-payments')());",
          "if (flags.name === 'svc') app.use(require('./fake-payments')());",
          "process.on('SIGTERM', () => process.exit(0));",
          'app.listen(process.env.PORT);',
        ].join('\n'),
        'src/fake-payments.js': 'module.exports = () => (req, res, next) => next();\n',
      });
      for (const jobs of ['1', '2']) {
        const out = JSON.parse(runCli(root, ['.', '--format', 'json', '--fail-on', 'none', '--jobs', jobs]).stdout) as { findings: Array<{ file: string; line: number; rule: string }> };
        const lines = out.findings.filter((f) => f.rule === 'dev-prod-parity/env-branching').map((f) => `${f.file}:${f.line}`);
        assert.deepEqual(lines, ['src/server.js:4'], `--jobs ${jobs}`);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
