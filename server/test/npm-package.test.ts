/**
 * The npm package as a new user gets it: `npm pack` of this checkout (its `files` allowlist),
 * installed into an empty project with no registry at all (`--offline` and an empty cache: the
 * package must need nothing but its own tarball), then `npx factorlint --version`, a real
 * analysis of a small service, `--explain` from the bundled docs, and
 * `factorlint-language-server --stdio` answering initialize and publishing diagnostics.
 *
 * Needs the bundles (`npm run build`); `npm pack` runs with --ignore-scripts here because the
 * suite has just built them (prepack builds them for a real pack).
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { RULES } from '../src/rules/registry';
import { WORKSPACE_RULES } from '../src/workspace/registry';
import { writeTree } from './support/cli-harness';

const REPO = path.resolve(__dirname, '../../..');
const BUNDLES = ['dist/cli.js', 'dist/server.js', 'dist/scan-worker.js', 'dist/index-worker.js', 'dist/typescript.js'];
const built = BUNDLES.every((f) => fs.existsSync(path.join(REPO, f)));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

let tmp: string;
let project: string;
let env: NodeJS.ProcessEnv;
let packed: string[] = [];

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, env, ...options });
  return { code: r.status ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

before(() => {
  if (!built) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-pack-'));
  project = path.join(tmp, 'project');
  // no registry reachable: an unroutable registry, offline, and a cache that starts empty
  env = {
    ...process.env,
    npm_config_cache: path.join(tmp, 'npm-cache'),
    npm_config_offline: 'true',
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
  };
  const pack = run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: REPO });
  assert.equal(pack.code, 0, pack.stderr);
  const info = JSON.parse(pack.stdout)[0] as { filename: string; files: Array<{ path: string }> };
  packed = info.files.map((f) => f.path);
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const install = run(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(tmp, info.filename)], { cwd: project });
  assert.equal(install.code, 0, `npm install of the tarball alone failed (does the package need a registry?)\n${install.stderr}`);
  writeTree(project, {
    'svc/package.json': JSON.stringify({ name: 'svc', version: '1.0.0', dependencies: { express: '^4.21.0' } }),
    'svc/src/server.js': "const express = require('express');\nconst app = express();\napp.get('/', (_req, res) => res.send('ok'));\napp.listen(8080);\n",
    'svc/Dockerfile': 'FROM node:latest\nWORKDIR /app\nCOPY . .\nCMD node src/server.js\n',
  });
});

after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

test('the tarball holds the CLI, the server, schemas and docs, and nothing from development', { skip: !built && 'bundles not built (npm run build)' }, () => {
  for (const required of ['package.json', 'README.md', 'LICENSE', 'bin/factorlint.js', 'bin/factorlint-language-server.js', ...BUNDLES, 'schemas/factorlintrc.schema.json', 'docs/rules/README.md']) {
    assert.ok(packed.includes(required), `${required} is packed`);
  }
  for (const rule of [...RULES, ...WORKSPACE_RULES]) assert.ok(packed.includes(`docs/rules/${rule.meta.id}.md`), `the page of ${rule.meta.id} is packed`);
  for (const file of packed) assert.doesNotMatch(file, /^(server|client|out|e2e|bench|examples|scripts|images|\.ci)\/|\.ts$|\.map$|tsbuildinfo/, `${file} must not be packed`);
  const manifest = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/factorlint/package.json'), 'utf8')) as { dependencies?: object; scripts?: Record<string, string> };
  assert.equal(manifest.dependencies, undefined, 'no runtime dependency: the bundles inline them');
  assert.deepEqual(fs.readdirSync(path.join(project, 'node_modules')).filter((n) => !n.startsWith('.')), ['factorlint'], 'installing pulls nothing else');
  assert.match(manifest.scripts?.prepack ?? '', /bundle/, 'a real `npm pack` builds the bundles first');
});

test('npx factorlint: --version, a real analysis, --explain', { skip: !built && 'bundles not built (npm run build)' }, () => {
  const version = run(NPX, ['--offline', 'factorlint', '--version'], { cwd: project });
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version);

  const analysis = run(NPX, ['--offline', 'factorlint', 'svc', '--format', 'json', '--fail-on', 'warning'], { cwd: project });
  assert.equal(analysis.code, 1, `findings at warning or above exit 1\n${analysis.stderr}`);
  const out = JSON.parse(analysis.stdout) as { findings: Array<{ file: string; line: number; rule: string }>; summary: { filesAnalyzed: number } };
  const got = new Set(out.findings.map((f) => `${f.file}:${f.line}:${f.rule}`));
  for (const expected of ['svc/src/server.js:4:port-binding/hardcoded-port', 'svc/Dockerfile:1:build-release-run/unpinned-base-image', 'svc/Dockerfile:4:disposability/shell-form-entrypoint']) {
    assert.ok(got.has(expected), `${expected} in ${[...got].join(', ')}`);
  }
  assert.equal(out.summary.filesAnalyzed, 2, 'the Dockerfile and the server (package.json is read as a project fact)');

  const explain = run(NPX, ['--offline', 'factorlint', '--explain', 'port-binding/hardcoded-port'], { cwd: project });
  assert.equal(explain.code, 0, explain.stderr);
  assert.equal(explain.stdout, fs.readFileSync(path.join(REPO, 'docs/rules/port-binding/hardcoded-port.md'), 'utf8'));
});

test('factorlint-language-server --stdio: initialize, then diagnostics for an opened Dockerfile', { skip: !built && 'bundles not built (npm run build)' }, async () => {
  const bin = path.join(project, 'node_modules', '.bin', process.platform === 'win32' ? 'factorlint-language-server.cmd' : 'factorlint-language-server');
  const child = spawn(bin, ['--stdio'], { cwd: project, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => { if (params.diagnostics.length > 0) resolve(params); });
  });
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const rootUri = pathToFileURL(project).href;
    const init = await connection.sendRequest<{ capabilities: Record<string, unknown>; serverInfo?: { name: string } }>('initialize', {
      processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'project' }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
    });
    assert.ok(init.capabilities.textDocumentSync !== undefined, 'the server declares its document sync');
    await connection.sendNotification('initialized', {});
    const uri = pathToFileURL(path.join(project, 'svc', 'Dockerfile')).href;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: fs.readFileSync(path.join(project, 'svc', 'Dockerfile'), 'utf8') } });
    const published = await Promise.race([diagnostics, new Promise<never>((_r, reject) => setTimeout(() => reject(new Error('no diagnostics within 30 s')), 30_000))]);
    assert.equal(published.uri, uri);
    const codes = published.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('disposability/shell-form-entrypoint'), codes.join(', '));
    const link = published.diagnostics[0].codeDescription?.href ?? '';
    assert.ok(link.startsWith('file://') && link.includes('node_modules/factorlint/docs/rules/'), `documentation links open the installed page: ${link}`);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    // the server exits on its own: killed mid-write, it could leave half a message in the reader,
    // whose partial-message timer (vscode-jsonrpc) re-arms forever and keeps this process alive
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  } finally {
    connection.dispose();
    child.kill();
  }
});
