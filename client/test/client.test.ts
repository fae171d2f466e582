/** Unit tests of the client's pure parts: crash policy, server path, report HTML, config template. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfigText } from '../../server/src/engine/config-file';
import { configTemplate } from '../src/config-template';
import { RestartBudget, serverModulePath } from '../src/server-launch';

const ROOT = join(__dirname, '..', '..', '..');

test('restart budget: 4 restarts within 3 minutes, then none; old crashes age out', () => {
  const budget = new RestartBudget(4, 180_000);
  const t = 1_000_000;
  assert.deepEqual([0, 1, 2, 3].map((i) => budget.allow(t + i * 1000)), [true, true, true, true]);
  assert.equal(budget.allow(t + 5000), false, 'fifth crash in the window');
  const later = new RestartBudget(4, 180_000);
  for (let i = 0; i < 4; i++) later.allow(t + i);
  assert.equal(later.allow(t + 181_000), true, 'crashes older than the window are forgotten');
});

test('server module: the bundle first, then the tsc output', () => {
  assert.equal(serverModulePath('/ext', (p) => p === join('/ext', 'dist/server.js')), join('/ext', 'dist/server.js'));
  assert.equal(serverModulePath('/ext', (p) => p === join('/ext', 'out/server/src/server.js')), join('/ext', 'out/server/src/server.js'));
  assert.equal(serverModulePath('/ext', () => false), join('/ext', 'dist/server.js'));
});

test('config template: parses and validates against the shipped schema', () => {
  const text = configTemplate('file:///ext/schemas/factorlintrc.schema.json');
  const result = parseConfigText(text);
  assert.deepEqual(result.errors, []);
  assert.equal(result.config?.maxFileSize, 2 * 1024 * 1024);
  assert.match(text, /\/\/ /, 'commented');
});

test('manifest: every command is in the factorlint category and every setting is described', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { commands: Array<{ command: string; category: string; title: string }>; configuration: { properties: Record<string, { description?: string; markdownDescription?: string; enum?: string[]; type: string }> } };
    activationEvents: string[]; main: string; capabilities: { untrustedWorkspaces: { supported: boolean } };
  };
  const ids = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(ids, ['factorlint.analyzeWorkspace', 'factorlint.createConfig', 'factorlint.explainFile', 'factorlint.fixAll', 'factorlint.restartServer', 'factorlint.showOutputChannel', 'factorlint.showReport', 'factorlint.showRuleDocs']);
  for (const c of pkg.contributes.commands) assert.equal(c.category, 'factorlint');
  for (const [key, prop] of Object.entries(pkg.contributes.configuration.properties)) {
    assert.ok((prop.description ?? prop.markdownDescription ?? '').length > 20, `${key} is described`);
  }
  assert.deepEqual(pkg.contributes.configuration.properties['factorlint.run'].enum, ['onType', 'onSave']);
  assert.deepEqual(pkg.contributes.configuration.properties['factorlint.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.deepEqual(pkg.contributes.configuration.properties['factorlint.scope'].enum, ['workspace', 'openFiles']);
  assert.equal(pkg.main, './dist/client.js');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
  // the extension reads the commands' source: every contributed command is registered in commands.ts
  const source = readFileSync(join(ROOT, 'client/src/commands.ts'), 'utf8');
  for (const id of ids) assert.ok(source.includes(`'${id}'`), `${id} registered`);
});
