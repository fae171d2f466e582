/**
 * The language server over in-memory streams, driven like an editor: capabilities, push and
 * pull diagnostics, versioned code actions, suppression actions, fix-all, stale-version
 * dropping, configuration changes and rule-failure isolation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport, TextDocumentEdit } from 'vscode-languageserver/node';
import { RULES } from '../src/rules/registry';
import type { Rule } from '../src/engine/types';
import { FIX_ALL_KIND, RuleListRequest, type RuleSummary } from '../src/protocol';
import type { DiagnosticData } from '../src/features/diagnostics';
import { dockerfileCommentFitsAt, lineCommentFitsAt, yamlCommentFitsAt } from '../src/features/code-actions';
import { LineIndex } from '../src/engine/line-index';
import { parseCompose } from '../src/parse/compose';
import { parseDockerfile } from '../src/parse/dockerfile';
import { parseTypescript } from '../src/parse/typescript';
import { TestClient, waitFor } from './support/lsp-client';

const PORT_RULE = 'port-binding/hardcoded-port';
const SHELL_FORM_RULE = 'disposability/shell-form-entrypoint';
const SECRET_RULE = 'config/hardcoded-secret';

const WS = pathToFileURL(path.join(os.tmpdir(), 'factorlint-lsp-ws')).href;
const SERVER_TS = `${WS}/src/server.ts`;
const SERVER_SRC = "import express from 'express';\nconst app = express();\napp.listen(3000);\n";

function text(d: Diagnostic | undefined): string {
  return typeof d?.message === 'string' ? d.message : d?.message.value ?? '';
}

function byRule(diagnostics: Diagnostic[], id: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === id);
}

async function withClient(options: Parameters<typeof TestClient.start>[0], body: (client: TestClient) => Promise<void>): Promise<void> {
  const client = await TestClient.start(options);
  try {
    await body(client);
  } finally {
    await client.dispose();
  }
}

test('initialize advertises sync, code actions and (for pull clients only) a diagnostic provider', async () => {
  await withClient({ folders: [WS] }, async (client) => {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix', FIX_ALL_KIND, 'refactor.extract']);
    assert.equal(caps.diagnosticProvider, undefined);
    assert.equal(client.initializeResult.serverInfo?.name, 'factorlint');
    // dynamic registrations: settings and the rc file watcher
    await waitFor('registrations', () => client.registrations.length >= 2);
    assert.deepEqual([...client.registrations].sort(), ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
  });
  await withClient({ pull: true }, async (client) => {
    assert.deepEqual(client.initializeResult.capabilities.diagnosticProvider, { identifier: 'factorlint', interFileDependencies: false, workspaceDiagnostics: false });
  });
});

test('publishDiagnostics: hardcoded port in TS, shell-form CMD in a Dockerfile', async () => {
  await withClient({ folders: [WS] }, async (client) => {
    await client.open(SERVER_TS, 'typescript', SERVER_SRC);
    const diags = byRule(await client.diagnosticsFor(SERVER_TS, 1), PORT_RULE);
    assert.equal(diags.length, 1);
    const d = diags[0];
    assert.equal(d.source, 'factorlint');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range.start, { line: 2, character: 11 });
    assert.equal(d.codeDescription?.href, pathToFileURL(path.resolve(__dirname, '../../../docs/rules', `${PORT_RULE}.md`)).toString(), 'links to the shipped page');
    // `data` carries the version only: the fixes come with the code actions, not with every publish
    assert.deepEqual(d.data, { version: 1 } satisfies DiagnosticData);
    const fix = (await client.codeActions(SERVER_TS, d.range, [d])).find((a) => a.isPreferred);
    assert.equal(fix?.title, 'Read the port from process.env.PORT (default 3000)');
    assert.deepEqual((fix!.edit!.documentChanges![0] as TextDocumentEdit).edits[0].range, { start: { line: 2, character: 11 }, end: { line: 2, character: 15 } });
    assert.equal(d.tags, undefined);

    const dockerfile = `${WS}/Dockerfile`;
    await client.open(dockerfile, 'dockerfile', 'FROM node:22-slim\nWORKDIR /app\nCMD node server.js\n');
    const docker = byRule(await client.diagnosticsFor(dockerfile, 1), SHELL_FORM_RULE);
    assert.equal(docker.length, 1);
    assert.equal(docker[0].range.start.line, 2);
    // status notifications bracket the analyses
    await waitFor('idle status', () => client.statuses.some((s) => s.state === 'idle' && s.uri === dockerfile && s.counts));

    // Compose: by file name, whatever the editor's language id; other YAML is not ours
    const compose = `${WS}/compose.yaml`;
    await client.open(compose, 'yaml', 'services:\n  api:\n    image: example/api:1.0\n    environment:\n      JWT_SECRET: "a-very-long-jwt-secret"\n');
    const composeDiags = byRule(await client.diagnosticsFor(compose, 1), SECRET_RULE);
    assert.equal(composeDiags.length, 1);
    assert.equal(composeDiags[0].range.start.line, 4);
    assert.doesNotMatch(text(composeDiags[0]), /a-very-long-jwt-secret/, 'the secret is masked in the message');
    await client.open(`${WS}/.github/workflows/ci.yaml`, 'yaml', 'env:\n  JWT_SECRET: "a-very-long-jwt-secret"\n');

    // unsupported files get nothing; closing clears what was published
    await client.open(`${WS}/README.md`, 'markdown', '# hi\n');
    await client.close(SERVER_TS);
    await waitFor('cleared on close', () => { const p = client.lastPublish(SERVER_TS); return p && p.diagnostics.length === 0; });
    assert.equal(client.lastPublish(`${WS}/README.md`), undefined);
    assert.equal(client.lastPublish(`${WS}/.github/workflows/ci.yaml`), undefined);
    // dependencies and build outputs are ignored in the editor as in the CLI
    const vendored = `${WS}/node_modules/some-lib/index.ts`;
    await client.open(vendored, 'typescript', SERVER_SRC);
    await waitFor('idle status for the vendored file', () => client.statuses.some((s) => s.state === 'idle' && s.uri === vendored));
    assert.equal(client.lastPublish(vendored), undefined);
  });
});

test('pull diagnostics with result ids; never for a replaced version', async () => {
  await withClient({ pull: true, folders: [WS] }, async (client) => {
    await client.open(SERVER_TS, 'typescript', SERVER_SRC);
    const pull = (previousResultId?: string) => client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: SERVER_TS }, previousResultId });
    const first = await pull();
    assert.equal(first.kind, 'full');
    assert.ok(first.resultId);
    assert.equal(byRule(first.kind === 'full' ? first.items : [], PORT_RULE).length, 1);
    const again = await pull(first.resultId);
    assert.deepEqual(again, { kind: 'unchanged', resultId: first.resultId });
    await client.change(SERVER_TS, SERVER_SRC.replace('3000', 'Number(process.env.PORT ?? 3000)'));
    const third = await pull(first.resultId);
    assert.equal(third.kind, 'full');
    assert.notEqual(third.resultId, first.resultId);
    assert.equal(byRule(third.kind === 'full' ? third.items : [], PORT_RULE).length, 0);
    // a pull client is never pushed to
    assert.equal(client.publishes.filter((p) => p.uri === SERVER_TS).length, 0);
    // settings change: the client is asked to pull again
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await waitFor('diagnostic refresh', () => client.refreshes > 0);
  });
});

function fixAction(actions: CodeAction[], titlePart: string): CodeAction {
  const action = actions.find((a) => a.title.includes(titlePart));
  assert.ok(action, `no action "${titlePart}" in ${JSON.stringify(actions.map((a) => a.title))}`);
  return action;
}

test('quick fix is a versioned edit; the diagnostic goes away after didChange; stale fixes are not offered', async () => {
  await withClient({ folders: [WS] }, async (client) => {
    await client.open(SERVER_TS, 'typescript', SERVER_SRC);
    const [d] = byRule(await client.diagnosticsFor(SERVER_TS, 1), PORT_RULE);
    const actions = await client.codeActions(SERVER_TS, d.range, [d]);
    const fix = fixAction(actions, 'process.env.PORT');
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    const docEdit = fix.edit!.documentChanges![0] as TextDocumentEdit;
    assert.deepEqual(docEdit.textDocument, { uri: SERVER_TS, version: 1 });
    await client.apply(fix.edit!);
    assert.equal(client.text(SERVER_TS), "import express from 'express';\nconst app = express();\napp.listen(Number(process.env.PORT ?? 3000));\n");
    assert.equal(byRule(await client.diagnosticsFor(SERVER_TS, 2), PORT_RULE).length, 0);
    // the old diagnostic (data.version 1) against version 2: nothing to offer
    assert.deepEqual(await client.codeActions(SERVER_TS, d.range, [d]), []);
    // and the client refuses an edit for an older version
    await assert.rejects(client.apply(fix.edit!), /edit for version 1, document is at 2/);
  });
});

test('disable for this line / file insert the right comment at the right place', async () => {
  await withClient({ folders: [WS] }, async (client) => {
    const src = "import express from 'express';\nexport function start() {\n    const app = express();\n    app.listen(3000);\n}\n";
    await client.open(SERVER_TS, 'typescript', src);
    const [d] = byRule(await client.diagnosticsFor(SERVER_TS, 1), PORT_RULE);
    const actions = await client.codeActions(SERVER_TS, d.range, [d]);
    await client.apply(fixAction(actions, `Disable ${PORT_RULE} for this line`).edit!);
    assert.equal(client.text(SERVER_TS), src.replace('    app.listen', `    // factorlint-disable-next-line ${PORT_RULE}\n    app.listen`));
    assert.equal(byRule(await client.diagnosticsFor(SERVER_TS, 2), PORT_RULE).length, 0);

    // Dockerfile, file level: after the parser directives, with `#` comments
    const dockerfile = `${WS}/Dockerfile`;
    const docker = '# syntax=docker/dockerfile:1\n# escape=\\\nFROM node:22-slim\nCMD node server.js\n';
    await client.open(dockerfile, 'dockerfile', docker);
    const [dd] = byRule(await client.diagnosticsFor(dockerfile, 1), SHELL_FORM_RULE);
    const dactions = await client.codeActions(dockerfile, dd.range, [dd]);
    await client.apply(fixAction(dactions, `Disable ${SHELL_FORM_RULE} for this file`).edit!);
    assert.equal(client.text(dockerfile), `# syntax=docker/dockerfile:1\n# escape=\\\n# factorlint-disable-file ${SHELL_FORM_RULE}\nFROM node:22-slim\nCMD node server.js\n`);
    assert.equal(byRule(await client.diagnosticsFor(dockerfile, 2), SHELL_FORM_RULE).length, 0);

    // Dockerfile, line level, CRLF kept
    const crlf = `${WS}/api.Dockerfile`;
    await client.open(crlf, 'dockerfile', 'FROM node:22-slim\r\n  CMD node server.js\r\n');
    const [cd] = byRule(await client.diagnosticsFor(crlf, 1), SHELL_FORM_RULE);
    await client.apply(fixAction(await client.codeActions(crlf, cd.range, [cd]), 'for this line').edit!);
    assert.equal(client.text(crlf), `FROM node:22-slim\r\n  # factorlint-disable-next-line ${SHELL_FORM_RULE}\r\n  CMD node server.js\r\n`);
  });
});

test('source.fixAll.factorlint applies safe fixes only', async () => {
  await withClient({ folders: [WS] }, async (client) => {
    const src = "import express from 'express';\nconst app = express();\nconst password = 'hunter2-correct-horse-battery';\napp.listen(3000);\napp.listen(8080);\n";
    await client.open(SERVER_TS, 'typescript', src);
    const diags = await client.diagnosticsFor(SERVER_TS, 1);
    assert.equal(byRule(diags, PORT_RULE).length, 2);
    assert.equal(byRule(diags, SECRET_RULE).length, 1, JSON.stringify(diags));
    const actions = await client.codeActions(SERVER_TS, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [FIX_ALL_KIND]);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, FIX_ALL_KIND);
    await client.apply(actions[0].edit!);
    const fixed = client.text(SERVER_TS);
    assert.match(fixed, /app\.listen\(Number\(process\.env\.PORT \?\? 3000\)\);\napp\.listen\(Number\(process\.env\.PORT \?\? 8080\)\);/);
    assert.match(fixed, /const password = 'hunter2-correct-horse-battery';/, 'the unsafe secret fix is not applied');
    const after = await client.diagnosticsFor(SERVER_TS, 2);
    assert.equal(byRule(after, PORT_RULE).length, 0);
    assert.equal(byRule(after, SECRET_RULE).length, 1);
    // nothing safe left: no fix-all action
    assert.deepEqual(await client.codeActions(SERVER_TS, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], [FIX_ALL_KIND]), []);
  });
});

test('an edit storm (1,000 didChange) is analysed and published for the latest version only', async (t) => {
  await withClient({ folders: [WS] }, async (client) => {
    await client.open(SERVER_TS, 'typescript', SERVER_SRC);
    await client.diagnosticsFor(SERVER_TS, 1);
    const started = Date.now();
    for (let port = 4001; port <= 5000; port++) await client.change(SERVER_TS, SERVER_SRC.replace('3000', String(port)));
    const last = client.version(SERVER_TS);
    assert.equal(last, 1001);
    const diags = await client.diagnosticsFor(SERVER_TS, last);
    const elapsed = Date.now() - started;
    assert.match(text(byRule(diags, PORT_RULE)[0]), /5000/);
    assert.equal((byRule(diags, PORT_RULE)[0].data as DiagnosticData).version, last);
    // a round trip so stragglers would have arrived
    await client.conn.sendRequest(RuleListRequest.method);
    const publishes = client.publishes.filter((p) => p.uri === SERVER_TS);
    // The debounce collapses the storm; a run may only fire during a pause in the storm,
    // and then only for the version the server has at that moment, never an older one.
    for (let i = 1; i < publishes.length; i++) assert.ok(publishes[i].version! > publishes[i - 1].version!, 'versions only go up');
    for (const p of publishes) assert.match(text(byRule(p.diagnostics, PORT_RULE)[0]), new RegExp(String(p.version === 1 ? 3000 : 4000 + p.version! - 1)));
    assert.ok(publishes.length <= 20, `${publishes.length} publishes for 1,000 edits`);
    assert.equal(publishes[publishes.length - 1].version, last);
    t.diagnostic(`1,000 edits → ${publishes.length - 1} publish(es) after the open, last one ${elapsed} ms after the first edit`);
  });
});

test('settings and .factorlintrc.json changes re-validate open documents', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-lsp-rc-'));
  const folder = pathToFileURL(dir).href;
  const rcUri = pathToFileURL(path.join(dir, '.factorlintrc.json')).href;
  fs.writeFileSync(path.join(dir, '.factorlintrc.json'), '{ "rules": { "port-binding/hardcoded-port": "loud" } }');
  try {
    await withClient({ folders: [folder] }, async (client) => {
      // a broken rc file: a diagnostic on the file itself, defaults meanwhile
      const rc = await waitFor('rc diagnostics', () => client.lastPublish(rcUri));
      assert.equal(rc.diagnostics.length, 1);
      // the CLI's message, at the bad value (line 0, after the key)
      assert.match(text(rc.diagnostics[0]), /^'rules\.port-binding\/hardcoded-port' must be equal to one of the allowed values.* in \.factorlintrc\.json/);
      assert.deepEqual(rc.diagnostics[0].range.start, { line: 0, character: 44 });
      const uri = `${folder}/src/server.ts`;
      await client.open(uri, 'typescript', SERVER_SRC);
      assert.equal(byRule(await client.diagnosticsFor(uri, 1), PORT_RULE)[0].severity, 2);

      // fixed rc file + watched-file notification: severity from the file, rc diagnostics cleared
      fs.writeFileSync(path.join(dir, '.factorlintrc.json'), '{ "rules": { "port-binding/hardcoded-port": "error" } }');
      const before = client.publishes.length;
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: rcUri, type: 2 }] });
      await waitFor('error severity', () => client.publishes.slice(before).some((p) => p.uri === uri && p.diagnostics.some((d) => d.code === PORT_RULE && d.severity === 1)));
      assert.equal(client.lastPublish(rcUri)!.diagnostics.length, 0);

      // editor settings win over the rc file
      client.settings = { rules: { [PORT_RULE]: 'off' } };
      const mark = client.publishes.length;
      await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await waitFor('rule turned off', () => client.publishes.slice(mark).some((p) => p.uri === uri && byRule(p.diagnostics, PORT_RULE).length === 0));

      // disabled entirely
      client.settings = { enable: false };
      const mark2 = client.publishes.length;
      client.settings = { enable: false, rules: {} };
      await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
      client.settings = { enable: true };
      await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await waitFor('back on', () => client.publishes.slice(mark2).some((p) => p.uri === uri && byRule(p.diagnostics, PORT_RULE).length === 1));
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('run: onSave analyses on open and save, not while typing', async () => {
  await withClient({ folders: [WS], settings: { run: 'onSave' } }, async (client) => {
    await client.open(SERVER_TS, 'typescript', SERVER_SRC);
    await client.diagnosticsFor(SERVER_TS, 1);
    await client.change(SERVER_TS, SERVER_SRC.replace('3000', '3001'));
    await client.conn.sendNotification('textDocument/didSave', { textDocument: { uri: SERVER_TS } });
    const diags = await client.diagnosticsFor(SERVER_TS, 2);
    assert.match(text(byRule(diags, PORT_RULE)[0]), /3001/);
  });
});

test('a throwing rule is isolated and logged once, with its id and the file name only', async () => {
  const boom: Rule = {
    meta: { id: 'security/boom', factor: 'security', severity: 'error', description: 'throws', rationale: 'test', messages: {}, fix: 'none' },
    check: { ts: (ctx) => { throw new Error(`boom ${ctx.text}`); } },
  };
  await withClient({ folders: [WS], server: { rules: [boom, ...RULES] } }, async (client) => {
    await client.open(SERVER_TS, 'typescript', SERVER_SRC);
    assert.equal(byRule(await client.diagnosticsFor(SERVER_TS, 1), PORT_RULE).length, 1);
    await client.change(SERVER_TS, SERVER_SRC + '\n');
    await client.diagnosticsFor(SERVER_TS, 2);
    const logged = client.logs.filter((l) => l.includes('security/boom'));
    assert.equal(logged.length, 1, client.logs.join('\n'));
    assert.match(logged[0], /server\.ts/);
    assert.doesNotMatch(logged[0], /express/, 'no file content in the log');
    const rules = await client.conn.sendRequest<RuleSummary[]>(RuleListRequest.method);
    assert.ok(rules.some((r) => r.id === 'security/boom'));
  });
});

test('a long analysis does not block other requests (it yields between rules)', async () => {
  // ten rules that each take 40 ms. A request sent while the first of them runs on an edit is
  // answered after a few of them when the analysis yields between rules, after all ten when it
  // blocks. Counted in rules run, not in milliseconds: on a loaded machine the process is
  // descheduled for longer than any stall bound (a 200 ms bound failed at 266 ms under load).
  const edited = SERVER_SRC + '\n';
  let slowRuns = 0;
  let onFirstSlowRun: (() => void) | undefined;
  const slow: Rule[] = Array.from({ length: 10 }, (_, i) => ({
    meta: { id: `security/slow-${i}`, factor: 'security', severity: 'info', description: 'slow', rationale: 'test', messages: {}, fix: 'none' },
    check: {
      ts: (ctx) => {
        if (ctx.text === edited && ++slowRuns === 1) onFirstSlowRun?.();
        const until = Date.now() + 40;
        while (Date.now() < until) { /* busy */ }
      },
    },
  }));
  await withClient({ folders: [WS], server: { rules: [...slow, ...RULES] } }, async (client) => {
    await client.open(SERVER_TS, 'typescript', SERVER_SRC); // warm up: loading the TypeScript parser is a one-off stall
    await client.diagnosticsFor(SERVER_TS, 1);
    let runsWhenAnswered: number | undefined;
    let answered: Promise<RuleSummary[]> | undefined;
    // server and client share this process: the request goes out from inside the first slow rule
    onFirstSlowRun = () => {
      answered = client.conn.sendRequest<RuleSummary[]>(RuleListRequest.method).then((rules) => { runsWhenAnswered = slowRuns; return rules; });
    };
    await client.change(SERVER_TS, edited);
    await client.diagnosticsFor(SERVER_TS, 2);
    assert.ok(answered, 'the slow rules ran on the edit');
    assert.ok((await answered).length > 10);
    assert.ok(slowRuns >= 10, `${slowRuns} slow rule runs`);
    // answered while the analysis still ran (after 6 of the rules: the request and its answer each
    // take a few event-loop turns through the JSON-RPC queues); a blocking analysis answers after 10
    assert.ok(runsWhenAnswered !== undefined && runsWhenAnswered < 10, `the request was answered after ${runsWhenAnswered} of the 10 slow rules`);
  });
});

test('factorlint/ruleList lists the registry, and nonsense requests do not take the server down', async () => {
  await withClient({}, async (client) => {
    const rules = await client.conn.sendRequest<RuleSummary[]>(RuleListRequest.method);
    assert.deepEqual(rules.map((r) => r.id), RULES.map((r) => r.meta.id).sort());
    assert.ok(rules.every((r) => r.docsUrl.endsWith(`${r.id}.md`)));
    // requests about unknown documents, garbage notifications
    assert.deepEqual(await client.codeActions('file:///nope.ts', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []), []);
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: null });
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nope.ts', version: 3 }, contentChanges: [] });
    const odd = 'file:///tmp/odd.ts';
    await client.open(odd, 'typescript', '\u0000\uFEFF'.repeat(10) + '(((((' + '`${'.repeat(500));
    await client.diagnosticsFor(odd, 1);
    assert.equal((await client.conn.sendRequest<RuleSummary[]>(RuleListRequest.method)).length, rules.length);
  });
});

test('fixes appending to other files use CreateFile only when the client supports it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-lsp-other-'));
  const folder = pathToFileURL(dir).href;
  const uri = `${folder}/src/db.ts`;
  const src = "const dbPassword = 'hunter2-correct-horse-battery';\nexport { dbPassword };\n";
  try {
    for (const noResourceOperations of [false, true]) {
      await withClient({ folders: [folder], noResourceOperations }, async (client) => {
        await client.open(uri, 'typescript', src);
        const [d] = byRule(await client.diagnosticsFor(uri, 1), SECRET_RULE);
        assert.ok(d, 'secret finding');
        // the quick fix that also appends to another file
        const action = fixAction(await client.codeActions(uri, d.range, [d]), 'add DB_PASSWORD to .env.example');
        const changes = action.edit!.documentChanges!;
        const creates = changes.filter((c) => 'kind' in c && c.kind === 'create');
        assert.equal(creates.length, noResourceOperations ? 0 : 1);
        assert.equal((changes[0] as TextDocumentEdit).textDocument.version, 1);
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('disable-next-line is only offered where the inserted line stays a comment (TS, YAML, Dockerfile heredocs)', () => {
  const fits = (text: string, line: number, scriptKind: 'ts' | 'tsx' = 'ts') => {
    const offset = text.split('\n').slice(0, line).join('\n').length + (line > 0 ? 1 : 0);
    return lineCommentFitsAt(parseTypescript(text, { path: `/x.${scriptKind}`, scriptKind }), offset);
  };
  assert.equal(fits('const a = 1;\n  foo(3000);\n', 1), true);
  assert.equal(fits('function f() {\n  return g(\n    3000);\n}\n', 2), true);
  assert.equal(fits('const s = `\n${app.listen(3000)}\n`;\n', 1), false);
  assert.equal(fits("const s = 'a\\\nb';\n", 1), false);
  assert.equal(fits('const x = (\n  <div>\n    <A p={3000} />\n  </div>\n);\n', 2, 'tsx'), false);
  assert.equal(fits('const x = <div>{\n  f(3000)\n}</div>;\n', 1, 'tsx'), true);

  const yamlFits = (text: string, line: number) => yamlCommentFitsAt(parseCompose(text), new LineIndex(text).lineStart(line));
  assert.equal(yamlFits('services:\n  api:\n    environment:\n      TOKEN: abc\n', 3), true);
  assert.equal(yamlFits('services:\n  api:\n    command: |\n      run --token abc\n', 3), false);
  assert.equal(yamlFits('services:\n  api:\n    command: "run\n      --token abc"\n', 3), false);

  const dockerFits = (text: string, line: number) => dockerfileCommentFitsAt(parseDockerfile(text, new LineIndex(text)), line);
  assert.equal(dockerFits('FROM node\nRUN a \\\n  && b\nCMD x\n', 2), true);
  assert.equal(dockerFits('FROM node\nRUN <<EOF\necho hi\nEOF\nCMD x\n', 2), false);
  assert.equal(dockerFits('FROM node\nRUN <<EOF\necho hi\nEOF\nCMD x\n', 4), true);
});

test('without debounce, every publish matches its version and versions only go up; closing mid-analysis leaves no ghosts', async () => {
  await withClient({ folders: [WS], settings: { debounceMs: 0 } }, async (client) => {
    await client.open(SERVER_TS, 'typescript', SERVER_SRC);
    for (let port = 3001; port <= 3030; port++) await client.change(SERVER_TS, SERVER_SRC.replace('3000', String(port)));
    const last = client.version(SERVER_TS);
    await client.diagnosticsFor(SERVER_TS, last);
    const publishes = client.publishes.filter((p) => p.uri === SERVER_TS);
    for (let i = 0; i < publishes.length; i++) {
      const p = publishes[i];
      if (i > 0) assert.ok(p.version! > publishes[i - 1].version!, 'versions only go up');
      const port = 3000 + p.version! - 1;
      assert.match(text(byRule(p.diagnostics, PORT_RULE)[0]), new RegExp(String(port)), `version ${p.version} carries its own text's finding`);
    }

    const other = `${WS}/src/other.ts`;
    await client.open(other, 'typescript', SERVER_SRC);
    await client.close(other);
    // a request round-trip after the close: everything the server did for `other` has arrived
    await client.conn.sendRequest(RuleListRequest.method);
    const afterClose = client.publishes.filter((p) => p.uri === other);
    assert.ok(afterClose.length === 0 || afterClose[afterClose.length - 1].diagnostics.length === 0, 'no diagnostics left for a closed document');
  });
});

test('the project-context provider is asked per document and told about watched project files', async () => {
  const asked: string[] = [];
  const changed: string[] = [];
  const folders: string[][] = [];
  const cliUri = `${WS}/src/tool.ts`;
  const project = () => ({
    projectContextFor: (uri: string) => { asked.push(uri); return {}; },
    // a package.json `bin` target is a CLI, not application code: app-only rules stay silent
    classifyOptionsFor: (uri: string, folderUri: string | undefined) => (uri === cliUri ? { binTargets: new Set([path.join(os.tmpdir(), 'factorlint-lsp-ws/src/tool.ts')]), relativePath: 'src/tool.ts' } : { relativePath: uri.slice((folderUri ?? '').length + 1) }),
    onDidChangeWorkspaceFolders: (uris: readonly string[]) => { folders.push([...uris]); },
    onDidChangeFiles: (uris: readonly string[]) => { changed.push(...uris); },
  });
  await withClient({ folders: [WS], server: { project } }, async (client) => {
    assert.deepEqual(folders, [[WS]]);
    await client.open(cliUri, 'typescript', SERVER_SRC);
    assert.equal(byRule(await client.diagnosticsFor(cliUri, 1), PORT_RULE).length, 0);
    await waitFor('registration', () => client.registrations.includes('workspace/didChangeWatchedFiles'));
    await client.open(SERVER_TS, 'typescript', SERVER_SRC);
    await client.diagnosticsFor(SERVER_TS, 1);
    assert.ok(asked.includes(SERVER_TS));
    const before = client.publishes.length;
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: `${WS}/package.json`, type: 2 }] });
    await waitFor('re-validation after package.json changed', () => client.publishes.slice(before).some((p) => p.uri === SERVER_TS));
    assert.deepEqual(changed, [`${WS}/package.json`]);
  });
});

test('removing a workspace folder clears its rc file diagnostics', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-lsp-folder-'));
  const folder = pathToFileURL(dir).href;
  const rcUri = pathToFileURL(path.join(dir, '.factorlintrc.json')).href;
  fs.writeFileSync(path.join(dir, '.factorlintrc.json'), '{ "rules": ');
  try {
    await withClient({ folders: [folder] }, async (client) => {
      const rc = await waitFor('rc diagnostics', () => client.lastPublish(rcUri));
      assert.equal(rc.diagnostics.length, 1);
      assert.match(text(rc.diagnostics[0]), /not valid JSON/);
      await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: folder, name: 'x' }] } });
      await waitFor('rc diagnostics cleared', () => client.lastPublish(rcUri)!.diagnostics.length === 0);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('clients without workspace/configuration can push settings', async () => {
  await withClient({ folders: [WS], noConfiguration: true, initializationOptions: { factorlint: { rules: { [PORT_RULE]: 'error' } } } }, async (client) => {
    await client.open(SERVER_TS, 'typescript', SERVER_SRC);
    assert.equal(byRule(await client.diagnosticsFor(SERVER_TS, 1), PORT_RULE)[0].severity, 1);
    const mark = client.publishes.length;
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { factorlint: { rules: { [PORT_RULE]: 'off' } } } });
    await waitFor('rule off', () => client.publishes.slice(mark).some((p) => p.uri === SERVER_TS && byRule(p.diagnostics, PORT_RULE).length === 0));
    assert.equal(client.configurationRequests, 0);
  });
});

test('a pull for a version that is replaced while it is computed is cancelled with retrigger', async () => {
  await withClient({ pull: true, folders: [WS] }, async (client) => {
    await client.open(SERVER_TS, 'typescript', SERVER_SRC);
    // cold settings cache: the pull waits for a workspace/configuration round trip, during which the edit lands
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const pending = client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: SERVER_TS } });
    await client.change(SERVER_TS, SERVER_SRC.replace('3000', '3001'));
    await assert.rejects(pending, (error: { code?: number; data?: { retriggerRequest?: boolean } }) => error.code === -32802 && error.data?.retriggerRequest === true);
    const retry = await client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: SERVER_TS } });
    assert.equal(retry.kind, 'full');
    const items = retry.kind === 'full' ? retry.items : [];
    assert.equal((byRule(items, PORT_RULE)[0].data as DiagnosticData).version, 2);
  });
});

test('pull with run: onSave keeps the saved result while typing, re-pulls after save', async () => {
  await withClient({ pull: true, folders: [WS], settings: { run: 'onSave' } }, async (client) => {
    await client.open(SERVER_TS, 'typescript', SERVER_SRC);
    const pull = (previousResultId?: string) => client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: SERVER_TS }, previousResultId });
    const first = await pull();
    assert.equal(first.kind, 'full');
    await client.change(SERVER_TS, SERVER_SRC.replace('3000', '3001'));
    assert.deepEqual(await pull(first.resultId), { kind: 'unchanged', resultId: first.resultId });
    const refreshes = client.refreshes;
    await client.conn.sendNotification('textDocument/didSave', { textDocument: { uri: SERVER_TS } });
    await waitFor('refresh after save', () => client.refreshes > refreshes);
    const saved = await pull(first.resultId);
    assert.equal(saved.kind, 'full');
    assert.match(text(byRule(saved.kind === 'full' ? saved.items : [], PORT_RULE)[0]), /3001/);
  });
});
