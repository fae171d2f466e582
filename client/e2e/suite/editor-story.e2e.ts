/**
 * The editor tells one story (#18), in a real VS Code: the status count is the report's total
 * once the index is complete, the output channel has what a bug report needs (and the LSP
 * trace when asked), a broken .factorlintrc.json is shown in the file itself, snippets work in
 * JavaScript (the env snippet declares its variables), and Explain File says why.
 * Runs before factorlint.e2e.ts (files load sorted): the workspace is still as committed.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { FindingCounts } from '../../src/status';
import type { ExplainFileResult, ReportResult } from '../../src/server-protocol';
import { factorlintDiagnostics, fileUri, readText, ruleOf, waitFor } from './helpers';

const EXTENSION_ID = 'factorlint.factorlint';

interface Api {
  lastReport(): ReportResult | undefined;
  statusCounts(): FindingCounts;
  statusText(): { text: string; tooltip: string };
  outputLines(): readonly string[];
  lastExplanation(): ExplainFileResult | undefined;
}

suite('the editor tells one story', () => {
  let api: Api;
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('after the index, the status bar count is the factor report\'s total (scope workspace)', async () => {
    // closed files are published without opening anything
    await waitFor('findings of a file never opened', () => factorlintDiagnostics(fileUri('src/jobs/cleanup.ts')).length > 0, 60_000);
    await waitFor('the status to say it counts the whole workspace', () => /the factor report's total/.test(api.statusText().tooltip), 60_000);
    await vscode.commands.executeCommand('factorlint.showReport');
    const report = await waitFor('the server report', () => api.lastReport());
    const total = report.report.overall.counts.total;
    assert.ok(total > 5, `${total} findings`);
    await waitFor(`status total ${api.statusCounts().total} to equal the report's ${total}`, () => api.statusCounts().total === total && api.lastReport()?.report.overall.counts.total === api.statusCounts().total);
    const { text, tooltip } = api.statusText();
    assert.match(text, new RegExp(`12f ${total}$`));
    assert.match(tooltip, /By factor: .*config \d+/);
    assert.match(tooltip, /command:factorlint\.showReport/);
    const perFactor = api.statusCounts().byFactor.reduce((n, [, c]) => n + c, 0);
    assert.equal(perFactor, total, 'the per-factor numbers add up to the total');
    console.log(`      status "${text}" = report total ${total}; by factor ${api.statusCounts().byFactor.map(([f, n]) => `${f} ${n}`).join(', ')}`);
  });

  test('the output channel has versions, folders, index timing, roles and config files', async () => {
    const lines = await waitFor('the index summary in the log', () => { const l = api.outputLines(); return l.some((x) => /indexed \d+ files in \d+ ms/.test(x)) && l; });
    const log = lines.join('\n');
    assert.match(log, /factorlint extension \d+\.\d+\.\d+ in .* \(extension host: Node v\d+/);
    assert.match(log, /factorlint language server \d+\.\d+\.\d+ on Node v\d+\.\d+\.\d+/);
    assert.match(log, new RegExp(`workspace folders: ${fileUri('').fsPath.replace(/[\\/]$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(log, /roles of source files: .*server \d+/);
    assert.match(log, /workspace findings published: \d+ in \d+ files/);
    assert.ok(!log.includes('keyboard-cat-in-production') && !log.includes('a-very-long-jwt-secret'), 'no file content, no secret');
  });

  test('factorlint.trace.server traces the LSP messages into the same channel', async () => {
    const config = vscode.workspace.getConfiguration('factorlint');
    await config.update('trace.server', 'messages', vscode.ConfigurationTarget.Workspace);
    try {
      const from = api.outputLines().length;
      await vscode.window.showTextDocument(fileUri('src/admin.ts'));
      await waitFor('a traced message', () => api.outputLines().slice(from).find((l) => /\[trace\] (Sending|Received) (notification|request|response) '/.test(l)));
    } finally {
      await config.update('trace.server', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a broken .factorlintrc.json is shown in the file: unknown rule with "did you mean", invalid JSON at its place', async () => {
    const uri = fileUri('.factorlintrc.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('{\n  "rules": {\n    "port-binding/hardcoded-prot": "off"\n  }\n}\n'));
    try {
      await vscode.window.showTextDocument(uri);
      const typo = await waitFor('the unknown-rule diagnostic', () => factorlintDiagnostics(uri).find((d) => /did you mean 'port-binding\/hardcoded-port'/.test(d.message)));
      assert.equal(typo.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(typo.range.start.line, 2);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('{\n  "rules": {\n    "port-binding/hardcoded-port": "off",\n  ,}\n}\n'));
      const json = await waitFor('the JSON error', () => factorlintDiagnostics(uri).find((d) => !/did you mean/.test(d.message)));
      assert.equal(json.range.start.line, 3, json.message);
      const lines = api.outputLines().join('\n');
      assert.match(lines, /\.factorlintrc\.json is INVALID and ignored until fixed: line \d+, column \d+/);
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
    await waitFor('the config diagnostics to go with the file', () => factorlintDiagnostics(uri).length === 0);
  });

  test('snippets in a JavaScript file: a static one, and an env one that declares its variables in .env.example', async () => {
    const uri = fileUri('src/boot.js');
    const editor = await vscode.window.showTextDocument(uri);
    assert.equal(editor.document.languageId, 'javascript');
    const end = () => editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end(), end());
    await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'javascript', name: 'Graceful shutdown' });
    await waitFor('the shutdown snippet (JavaScript body)', () => editor.document.getText().includes('function shutdownOn(server, timeoutMs = 10000) {'));
    await editor.edit((b) => b.insert(end(), '\n12f-con'));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, end());
    const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === '12f-config');
    assert.ok(item, 'the env snippet is offered in JavaScript');
    assert.ok(item.insertText instanceof vscode.SnippetString && item.range instanceof vscode.Range);
    // what accepting the completion does: insert the snippet, then run its command
    await editor.insertSnippet(item.insertText, item.range);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    assert.match(editor.document.getText(), /module\.exports\.config = config;/, 'the CommonJS body in a require() file');
    const example = await waitFor('.env.example with the names', async () => { try { return await readText('.env.example'); } catch { return undefined; } });
    assert.equal(example, 'DATABASE_URL=\nLOG_LEVEL=\n', 'names only, never a value');
    await editor.document.save();
    // server code, so config/undeclared-env-var would report an undeclared read here
    const explained = await vscode.commands.executeCommand<ExplainFileResult>('factorlint.explainFile', uri);
    assert.equal(explained?.role, 'server', explained?.reason);
    assert.ok(explained.rules.length > 0);
    // the index re-runs the cross-file rules 300 ms after an edit: 2 s gives a wrong finding time
    // to show; one that showed before the index saw .env.example must then go, however long a
    // loaded machine takes (asserted at the 2 s mark, a later re-run failed the test)
    await new Promise((r) => setTimeout(r, 2000));
    const undeclared = () => factorlintDiagnostics(uri).filter((d) => ruleOf(d) === 'config/undeclared-env-var').map((d) => d.message);
    await waitFor('no config/undeclared-env-var once the index has read .env.example', () => undeclared().length === 0).catch(() => undefined);
    assert.deepEqual(undeclared(), []);
  });

  test('Explain File: role and evidence, config in effect, the rules that run', async () => {
    await vscode.window.showTextDocument(fileUri('src/server.ts'));
    const result = await vscode.commands.executeCommand<ExplainFileResult>('factorlint.explainFile');
    assert.ok(result);
    assert.equal(result.path, 'src/server.ts');
    assert.equal(result.role, 'server');
    assert.ok((result.reason ?? '').length > 5, result.reason);
    assert.ok(result.rules.includes('port-binding/hardcoded-port') && result.rules.includes('config/hardcoded-secret'), result.rules.join(', '));
    const shown = await waitFor('the explanation beside the file', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'factorlint-explain'));
    const text = shown.document.getText();
    assert.match(text, /- \*\*Role:\*\* server/);
    assert.match(text, /## Rules that run on this file \(\d+\)/);
    assert.match(text, /No `\.factorlintrc\.json` applies/);
    assert.equal(shown.document.languageId, 'markdown');
    assert.equal(shown.document.isDirty, false, 'nothing to save');
    await waitFor('the status tooltip to explain the active file', () => /This file \(src\/server\.ts\): \*\*server\*\*/.test(api.statusText().tooltip));
  });
});
