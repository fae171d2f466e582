/**
 * The editor tells one story (#18), server side: `factorlint.scope` (workspace: closed files'
 * findings published after the index, their total the report's; openFiles: only open files),
 * the log lines a bug report needs (never file contents), and `factorlint/explainFile`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExplainFileRequest, ReportRequest, type ExplainFileResult, type ReportResult, type StatusParams } from '../src/protocol';
import { createEditorProjectProvider } from '../src/host/editor-project-provider';
import { TestClient, waitFor, type ClientOptions } from './support/lsp-client';

const SECRET = 'sk_live_' + 'Zq81TTmnx0Pw4Lk9vC2b';

const APP = {
  'package.json': JSON.stringify({ name: 'svc', version: '1.0.0', main: 'src/server.js', dependencies: { express: '4.21.2' } }, null, 2),
  'src/server.js': "const express = require('express');\nconst app = express();\napp.get('/healthz', (_req, res) => res.send('ok'));\napp.listen(3000);\n",
  'src/keys.js': `module.exports = { stripeKey: '${SECRET}' };\n`,
  'scripts/seed.js': "console.log('seeding', process.env.SEED_COUNT);\n",
  'test/server.test.js': "const assert = require('node:assert');\nassert.ok(true);\n",
  Dockerfile: 'FROM node:22-slim\nEXPOSE 80/tcp\nCMD node src/server.js\n',
  '.env.example': 'SEED_COUNT=\n',
};

function tempWorkspace(files: Record<string, string>): { dir: string; folder: string; uri: (rel: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-story-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return { dir, folder: pathToFileURL(dir).href, uri: (rel) => pathToFileURL(path.join(dir, rel)).href };
}

async function withClient(options: ClientOptions, body: (client: TestClient) => Promise<void>): Promise<void> {
  const client = await TestClient.start({ ...options, server: { workspaceIndex: true, project: (services) => createEditorProjectProvider(services), ...options.server } });
  try {
    await body(client);
  } finally {
    await client.dispose();
  }
}

/** The diagnostics each file holds now (the last publish per URI), as a client's collection would. */
function collection(client: TestClient): Map<string, number> {
  const last = new Map<string, number>();
  for (const p of client.publishes) last.set(p.uri, p.diagnostics.length);
  return last;
}

const published = (client: TestClient) => client.statuses.find((s: StatusParams) => s.workspace?.closedFilesPublished && !s.workspace.indexing);

test('scope workspace (default): after the index, closed files are published and the total is the report\'s', async () => {
  const ws = tempWorkspace(APP);
  await withClient({ folders: [ws.folder] }, async (client) => {
    const status = await waitFor('closed files published', () => published(client));
    assert.equal(status.workspace?.scope, 'workspace');
    const held = collection(client);
    // never opened, still shown: the Dockerfile's shell-form CMD and the secret in src/keys.js
    assert.ok((held.get(ws.uri('Dockerfile')) ?? 0) > 0, JSON.stringify([...held]));
    assert.ok((held.get(ws.uri('src/keys.js')) ?? 0) > 0);
    const total = [...held.values()].reduce((n, c) => n + c, 0);
    const report = await client.conn.sendRequest<ReportResult>(ReportRequest.method, {});
    assert.equal(total, report.report.overall.counts.total, 'the editor shows what the report counts');
    assert.equal(total, report.findings);
  });
});

test('scope openFiles: only open files are published; switching from workspace clears closed files', async () => {
  const ws = tempWorkspace(APP);
  await withClient({ folders: [ws.folder], settings: { scope: 'openFiles' } }, async (client) => {
    await waitFor('the index', () => client.statuses.find((s) => s.workspace && !s.workspace.indexing && s.workspace.scope === 'openFiles'));
    await client.open(ws.uri('src/server.js'), 'javascript', APP['src/server.js']);
    await client.diagnosticsFor(ws.uri('src/server.js'), 1);
    assert.deepEqual([...new Set(client.publishes.map((p) => p.uri))], [ws.uri('src/server.js')]);
  });
  await withClient({ folders: [ws.folder] }, async (client) => {
    await waitFor('closed files published', () => published(client));
    assert.ok((collection(client).get(ws.uri('Dockerfile')) ?? 0) > 0);
    client.settings = { scope: 'openFiles' };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await waitFor('closed files cleared', () => collection(client).get(ws.uri('Dockerfile')) === 0);
    await waitFor('status says openFiles', () => client.statuses.find((s) => s.workspace?.scope === 'openFiles' && !s.workspace.closedFilesPublished));
    assert.equal([...collection(client).values()].reduce((n, c) => n + c, 0), 0);
  });
});

test('scope workspace: a folder added is published, a folder removed leaves no findings behind', async () => {
  const a = tempWorkspace(APP);
  const b = tempWorkspace({ 'other/Dockerfile': 'FROM node:22-slim\nCMD node index.js\n', 'other/package.json': '{ "name": "other", "version": "1.0.0" }\n' });
  await withClient({ folders: [a.folder] }, async (client) => {
    await waitFor('closed files published', () => published(client));
    assert.ok((collection(client).get(a.uri('Dockerfile')) ?? 0) > 0);
    await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: b.folder, name: 'b' }], removed: [{ uri: a.folder, name: 'a' }] } });
    await waitFor('the new folder\'s Dockerfile published', () => (collection(client).get(b.uri('other/Dockerfile')) ?? 0) > 0);
    await waitFor('the removed folder cleared', () => [...collection(client)].every(([uri, n]) => !uri.startsWith(a.folder + '/') || n === 0));
  });
});

test('the log: versions, folders, index timing and roles, config files and their errors; never contents', async () => {
  const ws = tempWorkspace({ ...APP, '.factorlintrc.json': '{ "ignore": ["generated/**"] }\n' });
  await withClient({ folders: [ws.folder] }, async (client) => {
    await waitFor('closed files published', () => published(client));
    const log = client.logs.join('\n');
    assert.match(log, new RegExp(`language server \\d+\\.\\d+\\.\\d+ on Node ${process.version.replace(/\./g, '\\.')}`));
    assert.match(log, new RegExp(`workspace folders: ${ws.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(log, /indexed \d+ files in \d+ ms/);
    assert.match(log, /roles of source files: .*server \d+/);
    assert.match(log, /roles of source files: .*test \d+/);
    assert.match(log, /config: .*\.factorlintrc\.json in effect; 1 warning: line 1: Glob 'generated\/\*\*' .*matches no file/);
    assert.match(log, /workspace findings published: \d+ in \d+ files/);
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await waitFor('the settings re-read', () => client.configurationRequests > 2);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(client.logs.filter((l) => /\.factorlintrc\.json in effect/.test(l)).length, 1, 'a config file is logged once per state, not once per read');
    assert.ok(!log.includes(SECRET) && !log.includes('Zq81'), 'no file content in the log');
    fs.writeFileSync(path.join(ws.dir, '.factorlintrc.json'), '{ "rules": { "port-binding/hardcoded-prot": "off" } }\n');
    await client.watched([{ uri: ws.uri('.factorlintrc.json'), type: 2 }]);
    await waitFor('the broken config in the log', () => client.logs.find((l) => /\.factorlintrc\.json is INVALID and ignored until fixed: line 1, column 14: Unknown rule .*did you mean 'port-binding\/hardcoded-port'/.test(l)));
    fs.writeFileSync(path.join(ws.dir, '.factorlintrc.json'), '{ "rules": { ,\n');
    await client.watched([{ uri: ws.uri('.factorlintrc.json'), type: 2 }]);
    await waitFor('invalid JSON in the log, at its line and column', () => client.logs.find((l) => /INVALID and ignored until fixed: line 1, column \d+/.test(l) && !/Unknown rule/.test(l)));
  });
});

test('factorlint/explainFile: kind, role with evidence, config in effect, the rules that run', async () => {
  const ws = tempWorkspace({ ...APP, '.factorlintrc.json': '{ "rules": { "logs/console-logging": "off" }, "ignore": ["scripts/**"] }\n' });
  await withClient({ folders: [ws.folder] }, async (client) => {
    await waitFor('the index', () => client.statuses.find((s) => s.workspace && !s.workspace.indexing));
    const explain = (rel: string) => client.conn.sendRequest<ExplainFileResult | null>(ExplainFileRequest.method, { uri: ws.uri(rel) });
    const server = (await explain('src/server.js'))!;
    assert.equal(server.path, 'src/server.js');
    assert.equal(server.kind, 'ts');
    assert.equal(server.role, 'server');
    assert.ok(server.reason && server.reason.length > 5, server.reason);
    assert.deepEqual(server.configFiles, [{ path: path.join(ws.dir, '.factorlintrc.json'), errors: 0 }]);
    assert.ok(server.rules.includes('port-binding/hardcoded-port'), server.rules.join(', '));
    assert.ok(!server.rules.includes('logs/console-logging') && server.rulesOff.includes('logs/console-logging'));
    assert.ok(server.workspaceRules > 0);
    const test = (await explain('test/server.test.js'))!;
    assert.equal(test.role, 'test');
    assert.ok(!test.rules.includes('port-binding/hardcoded-port'), 'server-only rules do not run on tests');
    const seed = (await explain('scripts/seed.js'))!;
    assert.match(seed.skipped ?? '', /ignore/);
    assert.deepEqual(seed.rules, []);
    const docker = (await explain('Dockerfile'))!;
    assert.equal(docker.kind, 'dockerfile');
    assert.ok(docker.rules.includes('disposability/shell-form-entrypoint'));
    const readme = tempWorkspace({ 'README.md': '# hi\n' });
    const none = await client.conn.sendRequest<ExplainFileResult | null>(ExplainFileRequest.method, { uri: pathToFileURL(path.join(readme.dir, 'README.md')).href });
    assert.match(none?.skipped ?? '', /does not analyse this kind/);
  });
});
