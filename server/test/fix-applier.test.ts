/**
 * The one fix applier (issue 11): the engine's `applyFindingFixes` / `applyAppends` on CRLF
 * files, guarded appends and multi-file fixes, and the same behaviour through its four callers —
 * an editor quick fix, `source.fixAll`, the report's "Fix all" and `factorlint --fix`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, CreateFile, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyAppends, applyFindingFixes } from '../src/engine/apply-fixes';
import type { Finding } from '../src/engine/types';
import { FIX_ALL_KIND, FixAllOfRuleRequest, type FixAllOfRuleResult, type StatusParams } from '../src/protocol';
import { createEditorProjectProvider } from '../src/host/editor-project-provider';
import { runCli, writeTree } from './support/cli-harness';
import { TestClient, waitFor } from './support/lsp-client';

function finding(ruleId: string, fixes: Finding['fixes']): Finding {
  const zero = { line: 0, character: 0 };
  return { ruleId, factor: 'config', severity: 'warning', message: 'm', start: 0, end: 0, range: { start: zero, end: zero }, fixes };
}

describe('engine: the one fix applier', () => {
  test('inserted text takes the file\'s CRLF line endings; every safe fix of a finding is applied', () => {
    const text = 'FROM node:22\r\nCMD node a.js\r\n';
    const f = finding('r/one', [
      { title: 'insert', kind: 'safe', edits: [{ start: 14, end: 14, newText: 'USER node\n' }] },
      { title: 'also', kind: 'safe', edits: [{ start: 0, end: 4, newText: 'from' }] },
      { title: 'not safe', kind: 'unsafe', edits: [{ start: 5, end: 9, newText: 'XXXX' }] },
    ]);
    const out = applyFindingFixes(text, [f]);
    assert.equal(out.text, 'from node:22\r\nUSER node\r\nCMD node a.js\r\n');
    assert.deepEqual(out.applied.map((a) => a.title), ['insert', 'also']);
    assert.deepEqual(out.skipped, []);
  });

  test('an overlapping fix is skipped with its reason', () => {
    const out = applyFindingFixes('abcdef', [
      finding('r/a', [{ title: 'first', kind: 'safe', edits: [{ start: 1, end: 3, newText: 'X' }] }]),
      finding('r/b', [{ title: 'second', kind: 'safe', edits: [{ start: 2, end: 4, newText: 'Y' }] }]),
    ]);
    assert.equal(out.text, 'aXdef');
    assert.deepEqual(out.skipped, [{ ruleId: 'r/b', title: 'second', reason: 'overlaps another fix' }]);
  });

  test('appends honour unlessLineStartsWith and unlessLineEquals, within one batch too, in the file\'s line endings', () => {
    const req = (append: string, guard: { unlessLineStartsWith?: string; unlessLineEquals?: string }) => ({ ruleId: 'r', title: append.trim(), append: { path: '.env.example', append, ...guard } });
    const out = applyAppends('PORT=3000\r\nQUEUE_NAME=x', [
      req('QUEUE_NAME=\n', { unlessLineStartsWith: 'QUEUE_NAME=' }),
      req('QUEUE_URL=\n', { unlessLineStartsWith: 'QUEUE_URL=' }),
      req('QUEUE_URL=\n', { unlessLineStartsWith: 'QUEUE_URL=' }),
      req('PORT=3000\n', { unlessLineEquals: ' PORT=3000 ' }),
    ]);
    assert.equal(out.text, 'PORT=3000\r\nQUEUE_NAME=x\r\nQUEUE_URL=\r\n');
    assert.deepEqual(out.applied.map((a) => a.title), ['QUEUE_URL=']);
    assert.deepEqual(out.skipped.map((s) => [s.title, s.reason]), [['QUEUE_NAME=', 'already present'], ['QUEUE_URL=', 'already present'], ['PORT=3000', 'already present']]);
    assert.equal(applyAppends(undefined, [req('A=\n', {})]).text, 'A=\n', 'an absent file is created');
    assert.equal(applyAppends('A=\n', [req('A=\n', { unlessLineStartsWith: 'A=' })]).text, undefined, 'nothing to change');
  });

  test('a multi-file fix reports its appends once, even when re-analysis finds it again', () => {
    const appendOnly = finding('config/undeclared-env-var', [{ title: 'Add X', kind: 'safe', edits: [], otherFiles: [{ path: '.env.example', append: 'X=\n', unlessLineStartsWith: 'X=' }] }]);
    const edit = finding('r/edit', [{ title: 'edit', kind: 'safe', edits: [{ start: 0, end: 1, newText: 'B' }] }]);
    const out = applyFindingFixes('a', [appendOnly, edit], { reanalyse: () => [appendOnly] });
    assert.equal(out.text, 'B');
    assert.equal(out.appends.length, 1);
    assert.deepEqual(out.applied.map((a) => [a.title, !!a.appendOnly]), [['Add X', true], ['edit', false]]);
  });
});

// ---- the four callers, on one project: a CRLF Dockerfile, a CRLF .env.example with a declared variable

const PROJECT = {
  'package.json': JSON.stringify({ name: 'svc', version: '1.0.0', dependencies: { express: '4.21.2' } }),
  Dockerfile: 'FROM node:22.11-slim\r\nWORKDIR /app\r\nCMD node src/main.js\r\n',
  '.env.example': 'PORT=3000\r\nQUEUE_NAME=\r\n',
  'src/main.ts': "export const url = process.env.QUEUE_URL;\nexport const name = process.env.QUEUE_NAME;\n",
  'src/other.ts': "export const again = process.env.QUEUE_URL;\nconst apiKey = 'sk_live_51HXzTq2eZvKYlo2CABCDEFGH';\nexport { apiKey };\n",
};

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-applier-'));
  writeTree(dir, PROJECT);
  return dir;
}

/** Applies an LSP WorkspaceEdit to the files on disk (what a client does). */
function applyToDisk(edit: WorkspaceEdit | FixAllOfRuleResult['edit']): void {
  for (const change of (edit.documentChanges ?? []) as Array<TextDocumentEdit | CreateFile>) {
    if ('kind' in change) { if (change.kind === 'create' && !fs.existsSync(fileURLToPath(change.uri))) fs.writeFileSync(fileURLToPath(change.uri), ''); continue; }
    const file = fileURLToPath(change.textDocument.uri);
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, TextDocument.applyEdits(TextDocument.create(change.textDocument.uri, 'x', 0, before), change.edits as Array<{ range: TextDocumentEdit['edits'][0]['range']; newText: string }>));
  }
}

async function withServer(dir: string, body: (client: TestClient) => Promise<void>): Promise<void> {
  const client = await TestClient.start({ folders: [pathToFileURL(dir).href], server: { workspaceIndex: true, project: (services) => createEditorProjectProvider(services) } });
  try {
    await waitFor('the index', () => client.statuses.find((s: StatusParams) => s.workspace && !s.workspace.indexing));
    await body(client);
  } finally {
    await client.dispose();
  }
}

const uri = (dir: string, rel: string) => pathToFileURL(path.join(dir, rel)).href;
const crlfOnly = (text: string) => !/(^|[^\r])\n/.test(text);

describe('the one fix applier through its four callers', () => {
  test('editor quick fix: inserted lines and .env.example appends keep CRLF; a guarded append is left out', async () => {
    const dir = project();
    try {
      await withServer(dir, async (client) => {
        const docker = uri(dir, 'Dockerfile');
        await client.open(docker, 'dockerfile', PROJECT.Dockerfile);
        const diags = await client.diagnosticsFor(docker, 1);
        const root = diags.find((d) => d.code === 'security/runs-as-root');
        assert.ok(root, diags.map((d) => d.code).join(' '));
        const actions = await client.codeActions(docker, root.range, [root]);
        const user = actions.find((a: CodeAction) => /USER node/.test(a.title));
        assert.ok(user, actions.map((a) => a.title).join(' | '));
        applyToDisk(user.edit!);
        const fixed = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
        assert.match(fixed, /USER node\r\n/);
        assert.ok(crlfOnly(fixed), JSON.stringify(fixed));

        const other = uri(dir, 'src/other.ts');
        await client.open(other, 'typescript', PROJECT['src/other.ts']);
        const secret = (await client.diagnosticsFor(other, 1)).find((d) => d.code === 'config/hardcoded-secret');
        assert.ok(secret);
        const read = (await client.codeActions(other, secret.range, [secret])).find((a: CodeAction) => /process\.env/.test(a.title));
        assert.ok(read);
        applyToDisk(read.edit!);
        const example = fs.readFileSync(path.join(dir, '.env.example'), 'utf8');
        assert.match(example, /^PORT=3000\r\nQUEUE_NAME=\r\n[A-Z_]+=\r\n$/);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('source.fixAll: every safe fix, CRLF kept', async () => {
    const dir = project();
    try {
      await withServer(dir, async (client) => {
        const docker = uri(dir, 'Dockerfile');
        await client.open(docker, 'dockerfile', PROJECT.Dockerfile);
        await client.diagnosticsFor(docker, 1);
        const actions = await client.codeActions(docker, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [FIX_ALL_KIND]);
        assert.equal(actions.length, 1);
        applyToDisk(actions[0].edit!);
        assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), 'FROM node:22.11-slim\r\nWORKDIR /app\r\nCMD ["node", "src/main.js"]\r\n');
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('report "Fix all": appends to other files (otherFiles) in CRLF, guards honoured, honest counts', async () => {
    const dir = project();
    try {
      await withServer(dir, async (client) => {
        const result = await client.conn.sendRequest<FixAllOfRuleResult>(FixAllOfRuleRequest.method, { ruleId: 'config/undeclared-env-var' });
        applyToDisk(result.edit);
        assert.equal(fs.readFileSync(path.join(dir, '.env.example'), 'utf8'), 'PORT=3000\r\nQUEUE_NAME=\r\nQUEUE_URL=\r\n');
        assert.equal(result.files, 1, 'only .env.example changes');
        assert.equal(result.fixes, 1, 'one append applied');
        // the second read of QUEUE_URL asks for the same line: left out as already present
        assert.deepEqual(result.skipped?.map((s) => s.reason), ['already present']);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--fix: the same result as the editor, and the count says what changed', () => {
    const dir = project();
    try {
      const r = runCli(dir, ['.', '--fix', '--fail-on', 'none', '--no-git']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(fs.readFileSync(path.join(dir, '.env.example'), 'utf8'), 'PORT=3000\r\nQUEUE_NAME=\r\nQUEUE_URL=\r\n');
      assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), 'FROM node:22.11-slim\r\nWORKDIR /app\r\nCMD ["node", "src/main.js"]\r\n');
      assert.match(r.stderr, /applied 2 safe fixes in 2 files/);
      const again = runCli(dir, ['.', '--fix', '--fail-on', 'none', '--no-git']);
      assert.match(again.stderr, /applied 0 safe fixes in 0 files/, 'nothing left: nothing claimed');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
