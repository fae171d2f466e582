/**
 * Config that scales (issue #16) and config diagnostics in the config file (issue #18):
 * `extends`, `overrides`, per-rule options, nested configs resolved the same in the CLI and the
 * editor, and errors that name the key, suggest the closest one and say where.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseConfigText } from '../src/engine/config-file';
import { unsafePatternReason } from '../src/engine/rule-options';
import { KNOWN_RULE_IDS, loadConfigFile } from '../src/host/config-loader';
import { runCli, writeTree } from './support/cli-harness';
import { TestClient, waitFor } from './support/lsp-client';

const MONOREPO = path.resolve(__dirname, '../../../server/test/fixtures/monorepo-config');
const FILES = ['packages/api/src/server.ts', 'packages/api/src/legacy/old.ts', 'packages/web/src/server.ts'];
const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-config-'));
}

test('monorepo: nested configs, extends and overrides give the same findings in the CLI and the editor', async () => {
  const cli = runCli(MONOREPO, ['.', '--format', 'json', '--fail-on', 'none']);
  assert.equal(cli.code, 0, cli.stderr);
  const fromCli = (JSON.parse(cli.stdout) as { findings: Array<{ file: string; line: number; rule: string; message: string; severity: string }> }).findings
    .filter((f) => FILES.includes(f.file));
  const byRule = fromCli.map((f) => `${f.file}:${f.line} ${f.rule} ${f.severity}`).sort();
  // root (info) < api: extends factorlint:strict (at least warning) + shared/base.json (no-graceful-shutdown off),
  // overrides turn the port rule off in src/legacy/**; web: its own config says error.
  assert.deepEqual(byRule, [
    'packages/api/src/server.ts:3 port-binding/hardcoded-port warning',
    'packages/web/src/server.ts:3 disposability/no-graceful-shutdown warning',
    'packages/web/src/server.ts:3 port-binding/hardcoded-port error',
  ]);
  const client = await TestClient.start({ folders: [pathToFileURL(MONOREPO).href] });
  try {
    const fromEditor: string[] = [];
    for (const file of FILES) {
      const uri = pathToFileURL(path.join(MONOREPO, file)).href;
      await client.open(uri, 'typescript', fs.readFileSync(path.join(MONOREPO, file), 'utf8'));
      for (const d of await client.diagnosticsFor(uri, 1)) {
        fromEditor.push(`${file}:${d.range.start.line + 1} ${d.message} ${SEVERITY[d.severity ?? 0]}`);
      }
    }
    assert.deepEqual(fromEditor.sort(), fromCli.map((f) => `${f.file}:${f.line} ${f.message} ${f.severity}`).sort());
  } finally {
    await client.dispose();
  }
});

test('unknown rule ids, keys and options are errors that name them and suggest the closest valid one', () => {
  const r = parseConfigText('{\n  "rules": { "config/hardcoded-secrets": "error" },\n  "overide": []\n}', { knownRuleIds: KNOWN_RULE_IDS });
  assert.equal(r.config, undefined);
  assert.deepEqual(r.errors, [
    "line 2, column 14: Unknown rule 'config/hardcoded-secrets' in .factorlintrc.json (did you mean 'config/hardcoded-secret'?)",
    "line 3, column 3: Unknown key 'overide' in .factorlintrc.json (did you mean 'overrides'?)",
  ]);
  const options = parseConfigText('{ "rules": { "config/hardcoded-secret": ["warning", { "allowPattern": ["x"] }], "port-binding/hardcoded-port": ["warning", {}] } }', { knownRuleIds: KNOWN_RULE_IDS });
  assert.match(options.errors.join('\n'), /Unknown option 'allowPattern' for rule 'config\/hardcoded-secret' .*did you mean 'allowPatterns'/);
  assert.match(options.errors.join('\n'), /rule 'port-binding\/hardcoded-port' has no options/);
  // a nested override key too
  assert.match(parseConfigText('{ "overrides": [{ "file": ["a"] }] }').errors.join('\n'), /Unknown key 'overrides\.file' .*did you mean 'files'/);
  // valid: tuple settings, overrides, extends, root
  const ok = parseConfigText('{ "root": true, "extends": "factorlint:strict", "rules": { "logs/console-logging": ["info", { "loggerModules": ["src/log"] }] }, "overrides": [{ "files": ["scripts/**"], "rules": { "logs/console-logging": "off" } }] }', { knownRuleIds: KNOWN_RULE_IDS });
  assert.deepEqual(ok.errors, []);
  assert.ok(ok.config);
});

test('JSON errors give line and column', () => {
  const r = parseConfigText('{\n  "rules": {\n    "logs/console-logging": "off"\n    "x": 1\n  }\n}');
  assert.deepEqual(r.errors, ["line 4, column 5: .factorlintrc.json is not valid JSON: expected ',' or '}' after a property value, found '\"' at line 4, column 5"]);
  assert.equal(r.problems[0].line, 4);
});

test('allow-list patterns are bounded: nested quantifiers, back-references and long patterns are refused', () => {
  assert.match(unsafePatternReason('(a+)+$')!, /nests quantifiers/);
  assert.match(unsafePatternReason('(.*)*')!, /nests quantifiers/);
  assert.match(unsafePatternReason('(a|aa)*')!, /nests quantifiers/);
  assert.match(unsafePatternReason('(x)\\1')!, /back-reference/);
  assert.match(unsafePatternReason('a'.repeat(201))!, /longer than/);
  assert.match(unsafePatternReason('[')!, /not a valid regular expression/);
  assert.equal(unsafePatternReason('test_[a-z0-9]{8,40}'), undefined);
  assert.equal(unsafePatternReason('(?:dev|test)-token-\\d+'), undefined);
  assert.match(parseConfigText('{ "rules": { "config/hardcoded-secret": ["error", { "allowPatterns": ["(a+)+"] }] } }').errors.join(), /refused: it nests quantifiers/);
});

test('extends: presets, relative files, cycles, missing files and paths outside the boundary', () => {
  const dir = tmp();
  try {
    writeTree(dir, {
      'base.json': '{ "rules": { "logs/console-logging": "off" } }',
      'a/.factorlintrc.json': '{ "extends": ["factorlint:strict", "../base.json"] }',
      'cycle1.json': '{ "extends": "./cycle2.json" }',
      'cycle2.json': '{ "extends": "./cycle1.json" }',
      'b/.factorlintrc.json': '{ "extends": "../cycle1.json" }',
      'c/.factorlintrc.json': '{ "extends": ["./missing.json", "factorlint:strictest", "eslint-config-foo"] }',
    });
    const a = loadConfigFile(path.join(dir, 'a/.factorlintrc.json'), undefined, dir);
    assert.deepEqual(a.problems, []);
    const merged = Object.assign({}, ...a.layers.map((l) => l.rules ?? {}));
    assert.equal(merged['logs/console-logging'], 'off');
    assert.equal(merged['config/hardcoded-endpoint'] !== 'info' && merged['config/hardcoded-endpoint'] !== 'hint', true); // strict: at least warning
    const b = loadConfigFile(path.join(dir, 'b/.factorlintrc.json'), undefined, dir);
    assert.match(b.problems.map((p) => p.message).join(), /cycle/);
    const c = loadConfigFile(path.join(dir, 'c/.factorlintrc.json'), undefined, dir);
    const messages = c.problems.map((p) => p.message).join('\n');
    assert.match(messages, /'\.\/missing\.json' .*no such file/);
    assert.match(messages, /Unknown preset 'factorlint:strictest'/);
    assert.match(messages, /'eslint-config-foo' .*must be a preset or a relative path/);
    const outside = loadConfigFile(path.join(dir, 'a/.factorlintrc.json'), undefined, path.join(dir, 'a'));
    assert.match(outside.problems.map((p) => p.message).join(), /points outside/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: config errors exit 2 with file:line:column and the suggestion', () => {
  const dir = tmp();
  try {
    writeTree(dir, {
      'svc/.factorlintrc.json': '{\n  "rules": { "config/hardcoded-secrets": "error" }\n}\n',
      'svc/src/app.ts': "export const port = 3000;\n",
    });
    const r = runCli(dir, ['svc']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /svc[\\/]\.factorlintrc\.json:2:14: error: Unknown rule 'config\/hardcoded-secrets' in \.factorlintrc\.json \(did you mean 'config\/hardcoded-secret'\?\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('per-rule options: a secret allow-list by pattern', () => {
  const dir = tmp();
  try {
    const secret = "export const dbPassword = 'Zx81-kk2-" + "Qp0aa';\n";
    writeTree(dir, { 'src/keys.ts': secret, 'package.json': '{ "name": "x" }' });
    const findSecret = () => (JSON.parse(runCli(dir, ['.', '--format', 'json', '--fail-on', 'none']).stdout) as { findings: Array<{ rule: string }> }).findings.filter((f) => f.rule === 'config/hardcoded-secret').length;
    assert.equal(findSecret(), 1);
    fs.writeFileSync(path.join(dir, '.factorlintrc.json'), '{ "rules": { "config/hardcoded-secret": ["error", { "allowPatterns": ["Zx81-[a-z0-9]{3}-[A-Za-z0-9]{5}"] }] } }');
    assert.equal(findSecret(), 0);
    fs.writeFileSync(path.join(dir, '.factorlintrc.json'), '{ "rules": { "config/hardcoded-secret": ["error", { "allowPatterns": ["Zx81"] }] } }');
    assert.equal(findSecret(), 1, 'a pattern that does not match the whole value allows nothing');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('editor: a broken nested .factorlintrc.json shows the CLI messages in the file itself, at the key', async () => {
  const dir = tmp();
  const rcPath = path.join(dir, 'packages/api/.factorlintrc.json');
  try {
    writeTree(dir, {
      'packages/api/.factorlintrc.json': '{\n  "rules": {\n    "config/hardcoded-secrets": "error"\n  },\n  "ignor": []\n}\n',
      'packages/api/src/server.ts': "import express from 'express';\nconst app = express();\napp.listen(3000);\n",
    });
    const client = await TestClient.start({ folders: [pathToFileURL(dir).href] });
    try {
      const uri = pathToFileURL(path.join(dir, 'packages/api/src/server.ts')).href;
      await client.open(uri, 'typescript', fs.readFileSync(path.join(dir, 'packages/api/src/server.ts'), 'utf8'));
      await client.diagnosticsFor(uri, 1);
      const rc = await waitFor('nested rc diagnostics', () => client.lastPublish(pathToFileURL(rcPath).href));
      const shown = rc.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.message}`);
      assert.deepEqual(shown, [
        "2:4 1 Unknown rule 'config/hardcoded-secrets' in .factorlintrc.json (did you mean 'config/hardcoded-secret'?) (this file is ignored until it is fixed)",
        "4:2 1 Unknown key 'ignor' in .factorlintrc.json (did you mean 'ignore'?) (this file is ignored until it is fixed)",
      ]);
      // the same messages as the CLI
      const cli = runCli(dir, ['packages/api']);
      assert.equal(cli.code, 2);
      assert.match(cli.stderr, /:3:5: error: Unknown rule 'config\/hardcoded-secrets' in \.factorlintrc\.json \(did you mean 'config\/hardcoded-secret'\?\)/);
      assert.match(cli.stderr, /:5:3: error: Unknown key 'ignor' in \.factorlintrc\.json \(did you mean 'ignore'\?\)/);
    } finally {
      await client.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('globs that match no file are warnings, the same in the CLI (stderr, exit unchanged) and in the editor (in the config file)', async () => {
  const dir = tmp();
  try {
    writeTree(dir, {
      '.factorlintrc.json': '{\n  "ignore": ["legacy/**", "src/generated/**"],\n  "overrides": [{ "files": ["scripts/**"], "rules": { "logs/console-logging": "off" } }]\n}\n',
      'src/generated/a.ts': 'export const a = 1;\n',
      'src/app.ts': 'export const b = 2;\n',
    });
    const cli = runCli(dir, ['.', '--fail-on', 'none']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(cli.stderr.split('\n').filter((l) => l.includes('matches no file')), [
      "factorlint: .factorlintrc.json:2:14: warning: Glob 'legacy/**' in .factorlintrc.json matches no file (globs are relative to the folder of .factorlintrc.json)",
      "factorlint: .factorlintrc.json:3:29: warning: Glob 'scripts/**' in .factorlintrc.json matches no file (globs are relative to the folder of .factorlintrc.json)",
    ]);
    const client = await TestClient.start({ folders: [pathToFileURL(dir).href] });
    try {
      const rc = await waitFor('rc warnings', () => client.lastPublish(pathToFileURL(path.join(dir, '.factorlintrc.json')).href));
      assert.deepEqual(rc.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.message}`), [
        "2:14 2 Glob 'legacy/**' in .factorlintrc.json matches no file (globs are relative to the folder of .factorlintrc.json)",
        "3:29 2 Glob 'scripts/**' in .factorlintrc.json matches no file (globs are relative to the folder of .factorlintrc.json)",
      ]);
    } finally {
      await client.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('per-rule options: extra health routes and logger modules', () => {
  const dir = tmp();
  try {
    writeTree(dir, {
      'package.json': '{ "name": "svc", "dependencies": { "express": "4.19.2" } }',
      'src/server.ts': "import express from 'express';\nimport { out } from './lib/out';\nconst app = express();\napp.get('/_status', (_req, res) => res.send('ok'));\napp.get('/users', (_req, res) => res.json([]));\nconst port = Number(process.env.PORT);\napp.listen(port, () => out('listening'));\n",
      'src/lib/out.ts': "export function out(message: string): void {\n  console.log(JSON.stringify({ level: 'info', message }));\n}\n",
    });
    const rulesFound = () => (JSON.parse(runCli(dir, ['.', '--format', 'json', '--fail-on', 'none']).stdout) as { findings: Array<{ rule: string; file: string }> }).findings.map((f) => `${f.file} ${f.rule}`);
    const before = rulesFound();
    assert.ok(before.includes('src/server.ts telemetry/missing-health-endpoint'), before.join('\n'));
    assert.ok(before.includes('src/lib/out.ts logs/console-logging'), before.join('\n'));
    fs.writeFileSync(path.join(dir, '.factorlintrc.json'), JSON.stringify({ rules: {
      'telemetry/missing-health-endpoint': ['warning', { healthRoutes: ['/_Status/'] }],
      'logs/console-logging': ['warning', { loggerModules: ['src/lib/out'] }],
    } }));
    const after = rulesFound();
    assert.ok(!after.includes('src/server.ts telemetry/missing-health-endpoint'), after.join('\n'));
    assert.ok(!after.includes('src/lib/out.ts logs/console-logging'), after.join('\n'));
    // the options change nothing else
    assert.deepEqual(after, before.filter((f) => f !== 'src/server.ts telemetry/missing-health-endpoint' && f !== 'src/lib/out.ts logs/console-logging'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
