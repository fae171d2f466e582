'use strict';
/**
 * The floor for editor latency: an INCREMENTAL language server that does what any server
 * keeping a syntax tree must do per edit and nothing more — `ts.updateSourceFile` with the
 * edit's text change range (Compose: a yaml parse), one full walk of the tree, and one publish
 * per version. No rules. factorlint's server is compared against it in the same run.
 *
 * With `initializationOptions.publishLike` (a JSON file: uri → diagnostics), it publishes those
 * diagnostics for the uri on every version instead of one: the floor that also pays the
 * protocol's cost of what factorlint publishes (`bench/latency.js --same-publish-floor`), the
 * JSON of hundreds of diagnostics per keystroke, so that a ratio against it counts only the work
 * beyond it.
 *
 * It takes the raw `didChange` events (not `TextDocuments`) because the change range is what
 * makes a reparse incremental; the text is updated with the same TextDocument algorithm.
 */
const { createConnection, TextDocumentSyncKind } = require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const connection = createConnection(process.stdin, process.stdout);
/** uri → { doc, sf } */
const open = new Map();
let ts;
let YAML;
/** uri → the diagnostics to publish (`publishLike`); empty: one diagnostic. */
let publishLike = {};

function isYaml(uri) { return uri.endsWith('.yaml') || uri.endsWith('.yml'); }

function walk(node) {
  let n = 0;
  const stack = [node];
  while (stack.length) { const cur = stack.pop(); n++; cur.forEachChild((c) => { stack.push(c); }); }
  return n;
}

function parse(uri, text, previous, changeRange) {
  if (isYaml(uri)) {
    YAML ??= require('yaml');
    YAML.parseAllDocuments(text);
    return undefined;
  }
  ts ??= require('typescript');
  const sf = previous && changeRange
    ? ts.updateSourceFile(previous, text, changeRange)
    : ts.createSourceFile(uri, text, ts.ScriptTarget.Latest, true);
  walk(sf);
  return sf;
}

function publish(uri, version) {
  connection.sendDiagnostics({ uri, version, diagnostics: publishLike[uri] ?? [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'floor', severity: 3 }] });
}

connection.onInitialize((params) => {
  const file = params.initializationOptions?.publishLike;
  if (file) publishLike = JSON.parse(require('node:fs').readFileSync(file, 'utf8'));
  return { capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } };
});
connection.onDidOpenTextDocument(({ textDocument: t }) => {
  const doc = TextDocument.create(t.uri, t.languageId, t.version, t.text);
  open.set(t.uri, { doc, sf: parse(t.uri, t.text) });
  publish(t.uri, t.version);
});
connection.onDidChangeTextDocument(({ textDocument: t, contentChanges }) => {
  const entry = open.get(t.uri);
  if (!entry) return;
  let { doc, sf } = entry;
  for (const change of contentChanges) {
    if (!('range' in change) || !change.range) {
      doc = TextDocument.create(t.uri, doc.languageId, t.version, change.text);
      sf = parse(t.uri, change.text);
      continue;
    }
    const start = doc.offsetAt(change.range.start);
    const end = doc.offsetAt(change.range.end);
    doc = TextDocument.update(doc, [change], t.version);
    sf = parse(t.uri, doc.getText(), sf, { span: { start, length: end - start }, newLength: change.text.length });
  }
  open.set(t.uri, { doc, sf });
  publish(t.uri, t.version);
});
connection.onDidCloseTextDocument(({ textDocument: t }) => { open.delete(t.uri); });
connection.listen();
