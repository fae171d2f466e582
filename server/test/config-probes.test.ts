/**
 * The CLI's nested config lookup (`.factorlintrc.json` per analysed folder) learns from the walk's
 * listings which folders have none: it opens only the config files that exist (it used to try one
 * per analysed folder and fail, on every run), and a nested one still applies to its folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { main } from '../src/cli';
// the module object itself (a namespace import is a read-only view): opens are counted on it
import fsModule = require('node:fs');

const SERVER = "const express = require('express');\nconst app = express();\napp.get('/', (_req, res) => res.send('ok'));\napp.listen(8080);\n";
const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'shop', version: '1.0.0', dependencies: { express: '^5.0.0' } }),
  'svc/a/server.js': SERVER,
  'svc/a/.factorlintrc.json': JSON.stringify({ rules: { 'port-binding/hardcoded-port': 'off' } }),
  'svc/b/server.js': SERVER,
  'svc/b/deep/er/server.js': SERVER,
};

test('the config lookup opens only the .factorlintrc.json files the walk listed, and a nested one still applies', async (t) => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-config-probes-')));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const opened: string[] = [];
  const note = (p: unknown) => { if (typeof p === 'string' && p.endsWith('.factorlintrc.json')) opened.push(path.relative(root, p)); };
  const realOpen = fs.openSync;
  const realRead = fs.readFileSync;
  fsModule.openSync = ((p: fs.PathLike, ...rest: unknown[]) => { note(p); return (realOpen as (...a: unknown[]) => number)(p, ...rest); }) as typeof fs.openSync;
  fsModule.readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => { note(p); return (realRead as (...a: unknown[]) => unknown)(p, ...rest); }) as typeof fs.readFileSync;
  let out = '';
  try {
    assert.equal(await main(['.', '--format', 'json', '--fail-on', 'none', '--jobs', '1', '--no-git'], { cwd: root, env: {}, stdout: (x) => { out += x; }, stderr: () => {}, stdoutIsTTY: false }), 0);
  } finally {
    fsModule.openSync = realOpen;
    fsModule.readFileSync = realRead;
  }
  // the root's is looked for before the walk (the run's own config); every other folder's only if listed
  assert.deepEqual([...new Set(opened)].sort(), ['.factorlintrc.json', path.join('svc', 'a', '.factorlintrc.json')].sort());
  const ports = (JSON.parse(out) as { findings: Array<{ rule: string; file: string }> }).findings.filter((f) => f.rule === 'port-binding/hardcoded-port').map((f) => f.file.split(path.sep).join('/')).sort();
  assert.deepEqual(ports, ['svc/b/deep/er/server.js', 'svc/b/server.js'], 'svc/a turned the rule off, the others did not');
});

test('ajv (the config schema validator) is loaded with the first config file validated, not with the CLI', () => {
  const cli = path.resolve(__dirname, '../src/cli.js');
  const configFile = path.resolve(__dirname, '../src/engine/config-file.js');
  const script = `require(${JSON.stringify(cli)});
const loaded = () => Object.keys(require.cache).some((k) => k.includes('/node_modules/ajv/'));
const before = loaded();
require(${JSON.stringify(configFile)}).parseConfigText('{"rules": {}}', {});
process.stdout.write(JSON.stringify([before, loaded()]));`;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), [false, true]);
});
