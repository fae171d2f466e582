/**
 * The language server's workspace index over in-memory streams, on temp workspaces on disk:
 * indexing with work-done progress and cancellation, cross-file findings with related
 * information, refresh of related files on watched-file changes, no ghost diagnostics after a
 * delete, "Analyze Workspace" publishing for files that are not open, the report request
 * (same numbers as `buildReport` over the CLI's pipeline) and "Extract to environment variable".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WorkspaceRule } from '../src/workspace/workspace-rule';
import { ProjectFacts } from '../src/host/project-facts';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, type CodeAction, type CreateFile, type Diagnostic, type TextDocumentEdit } from 'vscode-languageserver/node';
import { AnalyzeWorkspaceRequest, FileRoleRequest, FixAllOfRuleRequest, ReportRequest, type AnalyzeWorkspaceResult, type FileRoleResult, type FixAllOfRuleResult, type ReportResult, type StatusParams } from '../src/protocol';
import { analyzeWorkspace } from '../src/workspace/analyze-workspace';
import { buildReport } from '../src/report/report-model';
import { reportToJson } from '../src/report/report-json';
import { isModelFile } from '../src/features/workspace-index';
import { normalizeSettings } from '../src/features/settings';
import { SAMPLE_DIR } from './support/sample-workspace';
import { readWorkspace } from './support/workspace-fixtures';
import { createEditorProjectProvider } from '../src/host/editor-project-provider';
import { TestClient, waitFor, type ClientOptions } from './support/lsp-client';

const MISMATCH = 'port-binding/port-mismatch';

function tempWorkspace(files: Record<string, string>): { dir: string; uri: (rel: string) => string; folder: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-ws-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return { dir, folder: pathToFileURL(dir).href, uri: (rel) => pathToFileURL(path.join(dir, rel)).href };
}

const PORT_APP = {
  'package.json': JSON.stringify({ name: 'svc', version: '1.0.0', main: 'src/server.js', dependencies: { express: '4.21.2' } }, null, 2),
  'src/server.js': "import express from 'express';\nconst app = express();\napp.get('/healthz', (_req, res) => res.send('ok'));\napp.listen(3000, () => console.log('up'));\n",
  Dockerfile: 'FROM node:22-slim\nEXPOSE 80/tcp\nCMD ["node", "src/server.js"]\n',
};

async function withClient(options: ClientOptions, body: (client: TestClient) => Promise<void>): Promise<void> {
  const client = await TestClient.start({ ...options, server: { workspaceIndex: true, project: (services) => createEditorProjectProvider(services), ...options.server } });
  try {
    await body(client);
  } finally {
    await client.dispose();
  }
}

function indexed(client: TestClient): StatusParams | undefined {
  return client.statuses.find((s) => s.workspace && !s.workspace.indexing);
}

function mismatch(diagnostics: Diagnostic[] | undefined): Diagnostic | undefined {
  return diagnostics?.find((d) => d.code === MISMATCH);
}

test('index: a warm start takes the facts of unchanged files from the persisted cache, edited ones are read again', async () => {
  const ws = tempWorkspace(PORT_APP);
  const past = new Date(Date.now() - 60_000);
  for (const rel of Object.keys(PORT_APP)) fs.utimesSync(path.join(ws.dir, rel), past, past); // settled files
  const factsCacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-facts-cache-'));
  const session = async (check: (client: TestClient, status: StatusParams) => Promise<void>) =>
    withClient({ folders: [ws.folder], server: { workspaceIndex: { factsCacheDir } } }, async (client) => {
      const status = await waitFor('the index', () => indexed(client));
      await check(client, status);
    });
  const expectMismatch = async (client: TestClient) => {
    const dockerfile = ws.uri('Dockerfile');
    await client.open(dockerfile, 'dockerfile', fs.readFileSync(path.join(ws.dir, 'Dockerfile'), 'utf8'));
    return waitFor('port-mismatch on the Dockerfile', () => mismatch(client.lastPublish(dockerfile)?.diagnostics));
  };
  await session(async (client, status) => {
    assert.equal(status.workspace?.filesFromCache, 0, 'cold: nothing cached yet');
    await expectMismatch(client);
  });
  assert.equal(fs.readdirSync(factsCacheDir).length, 1, 'one cache file for the folder');
  await session(async (client, status) => {
    // the analysed kinds come from the cache (server.js, Dockerfile); package.json is always read
    assert.equal(status.workspace?.filesFromCache, 2, JSON.stringify(status.workspace));
    const d = await expectMismatch(client);
    assert.ok(d.relatedInformation?.some((r) => r.location.uri === ws.uri('src/server.js')), 'facts from the cache locate the listen call');
  });
  // an edit (new mtime): read again, and the finding follows the new text
  fs.writeFileSync(path.join(ws.dir, 'src/server.js'), PORT_APP['src/server.js'].replace('app.listen(3000', 'app.listen(80'));
  await session(async (client, status) => {
    assert.equal(status.workspace?.filesFromCache, 1, 'only the Dockerfile is unchanged');
    const dockerfile = ws.uri('Dockerfile');
    await client.open(dockerfile, 'dockerfile', fs.readFileSync(path.join(ws.dir, 'Dockerfile'), 'utf8'));
    // the index has ended (session waits for it): the first publish is analysed with its model
    assert.equal(mismatch(await client.diagnosticsFor(dockerfile, 1)), undefined, 'EXPOSE 80 now matches listen(80)');
  });
});

test('index: work-done progress, then cross-file findings with related information in an open file', async () => {
  const ws = tempWorkspace(PORT_APP);
  // scope openFiles (ESLint-like): closed files stay unpublished until "Analyze Workspace"
  await withClient({ folders: [ws.folder], workDoneProgress: true, settings: { scope: 'openFiles' } }, async (client) => {
    // the status that says the index is complete goes out just before the progress ends (the
    // workspace rules' findings are announced first): wait for both, not for one and assume the other
    await waitFor('the index and the end of its progress', () => indexed(client) && client.progress.some((p) => p.value.kind === 'end'));
    const kinds = client.progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    assert.match(client.progress[0].value.title ?? '', /indexing/);
    assert.ok(client.registrations.includes('workspace/didChangeWatchedFiles'));

    const dockerfile = ws.uri('Dockerfile');
    await client.open(dockerfile, 'dockerfile', fs.readFileSync(path.join(ws.dir, 'Dockerfile'), 'utf8'));
    const d = await waitFor('port-mismatch on the Dockerfile', () => mismatch(client.lastPublish(dockerfile)?.diagnostics));
    assert.equal(d.range.start.line, 1);
    assert.ok(d.relatedInformation?.some((r) => r.location.uri === ws.uri('src/server.js') && r.location.range.start.line === 3), JSON.stringify(d.relatedInformation));
    // not open, no "Analyze Workspace" yet: nothing published for other files
    assert.equal(client.lastPublish(ws.uri('src/server.js')), undefined);
  });
});

test('index: a watched change in another file refreshes the related open file; deletes leave no ghosts', async () => {
  const ws = tempWorkspace(PORT_APP);
  await withClient({ folders: [ws.folder] }, async (client) => {
    await waitFor('the index', () => indexed(client));
    const dockerfile = ws.uri('Dockerfile');
    await client.open(dockerfile, 'dockerfile', PORT_APP.Dockerfile);
    await waitFor('port-mismatch', () => mismatch(client.lastPublish(dockerfile)?.diagnostics));

    // the code now listens on 80: the mismatch goes away in the Dockerfile without touching it
    fs.writeFileSync(path.join(ws.dir, 'src/server.js'), PORT_APP['src/server.js'].replace('3000', '80'));
    await client.watched([{ uri: ws.uri('src/server.js'), type: 2 }]);
    await waitFor('the Dockerfile republished without the mismatch', () => { const p = client.lastPublish(dockerfile); return p && !mismatch(p.diagnostics); });

    // back to 3000, then "Analyze Workspace" publishes the unopened server.js
    fs.writeFileSync(path.join(ws.dir, 'src/server.js'), PORT_APP['src/server.js']);
    await client.watched([{ uri: ws.uri('src/server.js'), type: 2 }]);
    await waitFor('the mismatch is back', () => mismatch(client.lastPublish(dockerfile)?.diagnostics));
    const result = await client.conn.sendRequest<AnalyzeWorkspaceResult>(AnalyzeWorkspaceRequest.method);
    assert.equal(result.files, 2, JSON.stringify(result)); // server.js and the Dockerfile (package.json has no single-file rules)
    const server = ws.uri('src/server.js');
    const published = await waitFor('server.js published', () => client.lastPublish(server));
    assert.ok(published.diagnostics.some((x) => x.code === 'port-binding/hardcoded-port'), published.diagnostics.map((x) => x.code).join());
    assert.ok(client.statuses.some((s) => s.workspace?.counts && s.workspace.counts.warning > 0));

    // delete it: its diagnostics are cleared, and the Dockerfile loses the finding that involved it
    fs.rmSync(path.join(ws.dir, 'src/server.js'));
    await client.watched([{ uri: server, type: 3 }]);
    await waitFor('server.js cleared', () => client.lastPublish(server)?.diagnostics.length === 0);
    await waitFor('the Dockerfile refreshed', () => { const p = client.lastPublish(dockerfile); return p && !mismatch(p.diagnostics); });

    // a file created on disk is indexed and (after the analysis) published though never opened
    fs.writeFileSync(path.join(ws.dir, 'src/main.js'), PORT_APP['src/server.js']);
    await client.watched([{ uri: ws.uri('src/main.js'), type: 1 }]);
    await waitFor('the mismatch again, now from main.js', () => mismatch(client.lastPublish(dockerfile)?.diagnostics)?.relatedInformation?.some((r) => r.location.uri === ws.uri('src/main.js')));
  });
});

test('index: an edit of an open document updates the model (debounced); a client offering pull is pushed to, one diagnostic model', async () => {
  // with the index, closed files' findings are pushed: open documents are pushed too, never pulled
  // (VS Code would hold a push and a pull collection of the same name: "already exists")
  const ws = tempWorkspace(PORT_APP);
  await withClient({ folders: [ws.folder], pull: true }, async (client) => {
    assert.equal(client.initializeResult.capabilities.diagnosticProvider, undefined);
    await waitFor('the index', () => indexed(client));
    const dockerfile = ws.uri('Dockerfile');
    await client.open(dockerfile, 'dockerfile', PORT_APP.Dockerfile);
    assert.ok(mismatch(await client.diagnosticsFor(dockerfile, 1)));
    const server = ws.uri('src/server.js');
    await client.open(server, 'javascript', PORT_APP['src/server.js']);
    await client.change(server, PORT_APP['src/server.js'].replace('3000', '80'));
    await waitFor('the mismatch to go after the edit', () => { const p = client.lastPublish(dockerfile); return p && !mismatch(p.diagnostics); });
    assert.equal(client.refreshes, 0, 'never asked to pull');
  });
});

test('index: cancelling the work-done progress stops the walk; "Analyze Workspace" completes it', async () => {
  const files: Record<string, string> = { ...PORT_APP };
  for (let i = 0; i < 300; i++) files[`src/gen/m${String(i).padStart(3, '0')}.ts`] = `export const v${i} = process.env.V${i};\n`;
  const ws = tempWorkspace(files);
  let cancelled = false;
  await withClient({
    folders: [ws.folder],
    workDoneProgress: true,
    onProgressCreate: (token, client) => {
      if (cancelled) return;
      cancelled = true;
      void client.conn.sendNotification('window/workDoneProgress/cancel', { token });
    },
  }, async (client) => {
    const status = await waitFor('a workspace status', () => client.statuses.find((s) => s.workspace));
    assert.equal(status.workspace!.indexing, true, 'the cancelled index is incomplete');
    assert.ok(status.workspace!.files < 304, `${status.workspace!.files} files`);
    assert.equal(client.progress.filter((p) => p.value.kind === 'end').length, 1);
    const result = await client.conn.sendRequest<AnalyzeWorkspaceResult>(AnalyzeWorkspaceRequest.method);
    assert.equal(result.files, 302);
    await waitFor('a complete index', () => indexed(client));
  });
});

test('files.exclude and .gitignore keep files out of the index', async () => {
  const ws = tempWorkspace({ ...PORT_APP, '.gitignore': 'generated/\n', 'generated/a.ts': 'export const a = 1;\n', 'vendor/b.ts': 'export const b = 1;\n' });
  await withClient({ folders: [ws.folder], settings: { '**/vendor': true } }, async (client) => {
    // the test client answers every configuration item with `settings`, files.exclude included
    const status = await waitFor('the index', () => indexed(client));
    assert.equal(status.workspace!.files, 4, 'package.json, .gitignore, src/server.js, Dockerfile');
  });
});

test('report: the same numbers as buildReport over the CLI pipeline, HTML for the webview', async () => {
  for (const dir of [SAMPLE_DIR, path.resolve(__dirname, '../../../examples/orders-service')]) {
    const folder = pathToFileURL(dir).href;
    await withClient({ folders: [folder] }, async (client) => {
      const result = await client.conn.sendRequest<ReportResult>(ReportRequest.method, { nonce: 'bm9uY2Vub25jZQ==', cspSource: "'self' https://*.vscode-cdn.net" });
      assert.ok(result, client.logs.join('\n'));
      const files = readWorkspace(dir).filter((f) => isModelFile(f.path));
      // the server answers .gitignore questions from disk; the pure analysis gets the same answers from the host
      const ignores = new ProjectFacts(dir, { useGit: false });
      const expected = analyzeWorkspace(files, { reportUnusedSuppressions: true, isGitIgnored: (p) => ignores.isGitIgnored(path.resolve(dir, p)) });
      const json = reportToJson(buildReport(expected));
      assert.deepEqual(result.report, json, dir);
      assert.equal(result.findings, expected.findings.length);
      assert.equal(result.report.factors.length, 15);
      assert.match(result.html ?? '', /nonce-bm9uY2Vub25jZQ==/);
      assert.match(result.html ?? '', /data-action="open"/);
      assert.match(result.html ?? '', /img-src https:\/\/\*\.vscode-cdn\.net data:/, 'the webview cspSource as VS Code gives it');
      assert.equal(result.folderUri, folder.replace(/\/$/, ''));
    });
  }
});

test('fixAllOfRule: safe fixes of one rule across files, versioned for open documents', async () => {
  const ws = tempWorkspace({ ...PORT_APP, 'src/admin.js': "import express from 'express';\nconst admin = express();\nadmin.listen(9000);\n" });
  await withClient({ folders: [ws.folder] }, async (client) => {
    const admin = ws.uri('src/admin.js');
    await client.open(admin, 'javascript', fs.readFileSync(path.join(ws.dir, 'src/admin.js'), 'utf8'));
    const result = await client.conn.sendRequest<FixAllOfRuleResult>(FixAllOfRuleRequest.method, { ruleId: 'port-binding/hardcoded-port' });
    assert.ok(result.files > 0, client.logs.join('\n'));
    assert.equal(result.files, 2);
    const changes = result.edit.documentChanges as TextDocumentEdit[];
    const openEdit = changes.find((c) => c.textDocument.uri === admin)!;
    assert.equal(openEdit.textDocument.version, 1);
    assert.match((openEdit.edits[0] as { newText: string }).newText, /process\.env\.PORT/);
    assert.equal(changes.find((c) => c.textDocument.uri === ws.uri('src/server.js'))!.textDocument.version, null);
  });
});

test('multi-root: the report and its "Fix all" cover the folder asked for; without one, fix all covers every folder', async () => {
  const a = tempWorkspace(PORT_APP);
  const b = tempWorkspace({ ...PORT_APP, 'src/server.js': "import express from 'express';\nconst app = express();\napp.listen(4000);\n" });
  await withClient({ folders: [a.folder, b.folder] }, async (client) => {
    const fixedUris = (result: FixAllOfRuleResult) => (result.edit.documentChanges as TextDocumentEdit[]).map((c) => c.textDocument.uri).sort();
    const onlyB = await client.conn.sendRequest<FixAllOfRuleResult>(FixAllOfRuleRequest.method, { ruleId: 'port-binding/hardcoded-port', folderUri: `${b.folder}/` });
    assert.deepEqual(fixedUris(onlyB), [b.uri('src/server.js')], client.logs.join('\n'));
    const both = await client.conn.sendRequest<FixAllOfRuleResult>(FixAllOfRuleRequest.method, { ruleId: 'port-binding/hardcoded-port' });
    assert.deepEqual(fixedUris(both), [a.uri('src/server.js'), b.uri('src/server.js')].sort());
    const unknown = await client.conn.sendRequest<FixAllOfRuleResult>(FixAllOfRuleRequest.method, { ruleId: 'port-binding/hardcoded-port', folderUri: 'file:///nowhere' });
    assert.equal(unknown.files, 0, 'a folder the server does not index fixes nothing');
    const reportB = await client.conn.sendRequest<ReportResult>(ReportRequest.method, { folderUri: b.folder });
    assert.equal(reportB.folderUri, b.folder.replace(/\/$/, ''));
    const reportFirst = await client.conn.sendRequest<ReportResult>(ReportRequest.method, {});
    assert.equal(reportFirst.folderUri, a.folder.replace(/\/$/, ''));
  });
});

test('Extract to environment variable: literal, .env.example (created) and the compose service in one edit', async () => {
  const ws = tempWorkspace({
    'package.json': JSON.stringify({ name: 'api', version: '1.0.0' }),
    'api/src/db.ts': "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: 'postgres://app:pw@db:5432/orders' });\n",
    'compose.yaml': 'services:\n  api:\n    build: ./api\n    environment:\n      NODE_ENV: production\n  db:\n    image: postgres:16\n',
  });
  await withClient({ folders: [ws.folder] }, async (client) => {
    await waitFor('the index', () => indexed(client));
    const db = ws.uri('api/src/db.ts');
    await client.open(db, 'typescript', fs.readFileSync(path.join(ws.dir, 'api/src/db.ts'), 'utf8'));
    const at = { line: 1, character: 60 };
    const actions = await client.codeActions(db, { start: at, end: at }, [], ['refactor.extract']);
    const extract = actions.find((a: CodeAction) => a.kind === 'refactor.extract');
    assert.ok(extract, actions.map((a) => a.title).join(' | '));
    assert.match(extract.title, /DATABASE_URL/);
    const changes = extract.edit!.documentChanges!;
    const own = changes.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === db)!;
    assert.match((own.edits[0] as { newText: string }).newText, /process\.env\.DATABASE_URL/);
    const envExample = ws.uri('.env.example');
    assert.ok(changes.some((c) => (c as CreateFile).kind === 'create' && (c as CreateFile).uri === envExample), JSON.stringify(changes));
    const envEdit = changes.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === envExample)!;
    assert.match((envEdit.edits[0] as { newText: string }).newText, /^DATABASE_URL=postgres:\/\/app:CHANGE_ME@db:5432\/orders\n$/m);
    const compose = changes.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === ws.uri('compose.yaml'))!;
    assert.ok(compose, 'the compose edit');
    assert.deepEqual(compose.edits[0].range.start, { line: 5, character: 0 });
    assert.equal((compose.edits[0] as { newText: string }).newText, '      DATABASE_URL: ${DATABASE_URL}\n');

    // not on a config literal: no action
    const none = await client.codeActions(db, { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } }, [], ['refactor.extract']);
    assert.equal(none.length, 0);
  });
});

test('Extract to environment variable: a client without resource operations gets no CreateFile', async () => {
  const ws = tempWorkspace({ 'src/client.ts': "export const api = { baseURL: 'https://payments.example.com/v1' };\n" });
  await withClient({ folders: [ws.folder], noResourceOperations: true }, async (client) => {
    const uri = ws.uri('src/client.ts');
    await client.open(uri, 'typescript', fs.readFileSync(path.join(ws.dir, 'src/client.ts'), 'utf8'));
    const at = { line: 0, character: 35 };
    const actions = await client.codeActions(uri, { start: at, end: at }, [], ['refactor']);
    const extract = actions.find((a) => a.kind === 'refactor.extract');
    assert.ok(extract);
    assert.ok(!extract.edit!.documentChanges!.some((c) => 'kind' in c), 'no resource operation');
    assert.match(((extract.edit!.documentChanges![0] as TextDocumentEdit).edits[0] as { newText: string }).newText, /process\.env\.PAYMENTS_URL \?\? 'https:\/\/payments\.example\.com\/v1'/);
  });
});

test('a changed .gitignore re-walks: newly ignored files leave the index', async () => {
  const ws = tempWorkspace({ ...PORT_APP, 'tmp/scratch.ts': 'export const x = 1;\n' });
  await withClient({ folders: [ws.folder] }, async (client) => {
    await waitFor('the index', () => indexed(client));
    const before = await client.conn.sendRequest<AnalyzeWorkspaceResult>(AnalyzeWorkspaceRequest.method);
    assert.equal(before.files, 3);
    await waitFor('scratch.ts published', () => client.lastPublish(ws.uri('tmp/scratch.ts')) ?? true);
    const seen = client.statuses.length;
    fs.writeFileSync(path.join(ws.dir, '.gitignore'), 'tmp/\n');
    await client.watched([{ uri: ws.uri('.gitignore'), type: 1 }]);
    await waitFor('the re-walk', () => client.statuses.slice(seen).find((s) => s.workspace && !s.workspace.indexing));
    const after = await client.conn.sendRequest<AnalyzeWorkspaceResult>(AnalyzeWorkspaceRequest.method);
    assert.equal(after.files, 2, 'tmp/scratch.ts is ignored now');
  });
});

test('settings: VS Code\'s factorlint.rules.customizations reaches the server as rules.customizations', () => {
  const settings = normalizeSettings({ rules: { customizations: { 'port-binding/hardcoded-port': 'off', 'config/hardcoded-secret': 'loud' } } });
  assert.deepEqual(settings.rules, { 'port-binding/hardcoded-port': 'off' });
});

test('analyzeWorkspace is cancellable: it stops part-way and says so', async () => {
  const files: Record<string, string> = { ...PORT_APP };
  for (let i = 0; i < 200; i++) files[`src/gen/m${String(i).padStart(3, '0')}.ts`] = `import http from 'node:http';\nhttp.createServer().listen(${3000 + i});\n`;
  const ws = tempWorkspace(files);
  await withClient({ folders: [ws.folder] }, async (client) => {
    await waitFor('the index', () => indexed(client));
    const source = new CancellationTokenSource();
    const pending = client.conn.sendRequest<AnalyzeWorkspaceResult>(AnalyzeWorkspaceRequest.method, undefined, source.token);
    setImmediate(() => source.cancel());
    const result = await pending;
    assert.equal(result.cancelled, true, JSON.stringify(result));
    assert.ok(result.files < 202, `${result.files} files`);
    const full = await client.conn.sendRequest<AnalyzeWorkspaceResult>(AnalyzeWorkspaceRequest.method);
    assert.equal(full.files, 202);
    assert.equal(full.cancelled, undefined);
  });
});

test('factorlint/fileRole: the role a file is analysed with, and why', async () => {
  const ws = tempWorkspace({
    ...PORT_APP,
    'package.json': JSON.stringify({ name: 'svc', version: '1.0.0', scripts: { start: 'node src/server.js', seed: 'node db/seed.js' }, dependencies: { express: '4.21.2' } }, null, 2),
    'db/seed.js': "console.log('seeding');\n",
    'public/vendor/jquery.min.js': `/*! jQuery v3.7.1 | (c) OpenJS Foundation */\n!function(e){${'var a=1;'.repeat(900)}}(window);\n`,
  });
  await withClient({ folders: [ws.folder] }, async (client) => {
    // the roles' reasons ("start" script) come from the index's model: asked before it is built,
    // the answer is the interim role of a file analysed without the model
    await waitFor('the index', () => indexed(client));
    const role = (rel: string) => client.conn.sendRequest<FileRoleResult | null>(FileRoleRequest.method, { uri: ws.uri(rel) });
    const server = await role('src/server.js');
    assert.equal(server?.role, 'server');
    assert.match(server!.reason, /"start" script/);
    const seed = await role('db/seed.js');
    assert.equal(seed?.role, 'script');
    assert.match(seed!.reason, /"seed"/);
    assert.equal((await role('public/vendor/jquery.min.js'))?.role, 'vendored');
    assert.equal(await role('Dockerfile').then((r) => r?.role), 'server', 'deployment files are the service\'s');
    assert.equal(await role('README.md'), null, 'not a file factorlint analyses');
    // an open buffer is judged by its text: a shebang makes an unknown file a script
    await client.open(ws.uri('misc/tool.js'), 'javascript', '#!/usr/bin/env node\nconsole.log(1);\n');
    assert.equal((await role('misc/tool.js'))?.role, 'script');
  });
});

test('a cross-file rule that fails is a finding in the editor, never a silent pass', async () => {
  const ws = tempWorkspace(PORT_APP);
  const failing: WorkspaceRule = {
    meta: { id: 'config/undeclared-env-var', factor: 'config', severity: 'info', description: 'fails on purpose', rationale: 'test', messages: {}, fix: 'none' },
    checkWorkspace() { throw new RangeError('boom at secret=hunter2-prod'); },
  };
  await withClient({ folders: [ws.folder], server: { workspaceRules: [failing] } }, async (client) => {
    await waitFor('the index', () => indexed(client));
    const dockerfile = ws.uri('Dockerfile');
    await client.open(dockerfile, 'dockerfile', fs.readFileSync(path.join(ws.dir, 'Dockerfile'), 'utf8'));
    const incomplete = await waitFor('an analysis-incomplete diagnostic', () => client.lastPublish(dockerfile)?.diagnostics.find((d) => d.code === 'factorlint/analysis-incomplete'));
    assert.equal(incomplete.severity, 1, 'an error');
    const message = typeof incomplete.message === 'string' ? incomplete.message : incomplete.message.value;
    assert.match(message, /cross-file rule config\/undeclared-env-var failed/);
    assert.doesNotMatch(message, /hunter2/, 'the error text of the input never reaches the message');
  });
});
