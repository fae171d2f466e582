/**
 * TEST-ONLY stand-in for the language server, used by the e2e layer while `server/src/server.ts`
 * does not exist on this branch (e2e/bundle-for-e2e.js bundles the real server when it does).
 * Not shipped, not a product: it maps the engine's findings to LSP with the same shapes the real
 * server promises (code = rule id, source = factorlint, data = { version, fixes }, quick fixes,
 * source.fixAll.factorlint, factorlint/status, settings from the `factorlint` section).
 */
'use strict';
const { createConnection, TextDocuments, ProposedFeatures, TextDocumentSyncKind, CodeActionKind, DiagnosticSeverity } = require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');
const { fileURLToPath } = require('node:url');
const { analyze } = require('../out/server/src/engine/run');
const { resolveConfig, DEFAULT_IGNORES } = require('../out/server/src/engine/config');
const { applyFixes } = require('../out/server/src/engine/apply-fixes');

const FIX_ALL = 'source.fixAll.factorlint';
const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const findingsByUri = new Map();

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL] },
  },
  serverInfo: { name: 'factorlint-standin (e2e only)', version: '0.0.0' },
}));

async function settingsFor(uri) {
  try {
    return (await connection.workspace.getConfiguration({ scopeUri: uri, section: 'factorlint' })) || {};
  } catch {
    return {};
  }
}

async function validate(doc) {
  const settings = await settingsFor(doc.uri);
  if (settings.enable === false) { connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] }); return; }
  connection.sendNotification('factorlint/status', { state: 'analyzing', message: doc.uri });
  const config = resolveConfig({ ignore: DEFAULT_IGNORES }, {
    rules: settings.rules && settings.rules.customizations,
    ignore: settings.ignore,
    appOnly: settings.appOnly,
    maxFileSize: settings.maxFileSize,
  });
  const version = doc.version;
  const path = doc.uri.startsWith('file:') ? fileURLToPath(doc.uri) : doc.uri;
  const result = analyze({ path, text: doc.getText(), languageId: doc.languageId }, { config });
  if (documents.get(doc.uri)?.version !== version) return; // stale: a newer version is on its way
  findingsByUri.set(doc.uri, { version, findings: result.findings });
  connection.sendDiagnostics({
    uri: doc.uri,
    version,
    diagnostics: result.findings.map((f) => ({
      range: f.range,
      severity: SEVERITY[f.severity],
      code: f.ruleId,
      source: 'factorlint',
      message: f.message,
      data: { version, fixes: f.fixes.length },
    })),
  });
  connection.sendNotification('factorlint/status', { state: 'idle' });
}

function toEdit(doc, edits) {
  return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText })) }] };
}

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  const entry = findingsByUri.get(params.textDocument.uri);
  if (!doc || !entry || entry.version !== doc.version) return [];
  const only = params.context.only;
  const actions = [];
  if (only && only.some((k) => FIX_ALL === k || FIX_ALL.startsWith(`${k}.`) || k === FIX_ALL.split('.').slice(0, 1).join('.'))) {
    const safe = entry.findings.flatMap((f) => f.fixes.filter((x) => x.kind === 'safe'));
    if (safe.length > 0) {
      const fixed = applyFixes(doc.getText(), safe).text;
      actions.push({ title: 'Fix all safe factorlint problems', kind: FIX_ALL, edit: toEdit(doc, [{ start: 0, end: doc.getText().length, newText: fixed }]) });
    }
    return actions;
  }
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'factorlint') continue;
    const finding = entry.findings.find((f) => f.ruleId === diagnostic.code && f.range.start.line === diagnostic.range.start.line && f.range.start.character === diagnostic.range.start.character);
    for (const fix of finding ? finding.fixes : []) {
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.kind === 'safe', edit: toEdit(doc, fix.edits) });
    }
  }
  return actions;
});

connection.onDidChangeConfiguration(() => { for (const doc of documents.all()) void validate(doc); });
connection.onDidChangeWatchedFiles(() => { for (const doc of documents.all()) void validate(doc); });
documents.onDidChangeContent((e) => { void validate(e.document); });
documents.onDidClose((e) => { findingsByUri.delete(e.document.uri); connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }); });
documents.listen(connection);
connection.listen();
