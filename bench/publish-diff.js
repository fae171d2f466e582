'use strict';
/**
 * Nothing published changes (issue 15's speed work): the `publishDiagnostics` params of every
 * version, byte-compared between two built trees' servers (tsc output) over the same seeded
 * random edits (line-start characters, newlines inserted, a newline replaced by a space at the
 * same length, deletions, snippets) of bench/latency.js' 5k-line file and three corpus files.
 * The trees' own paths (in rule page links) are replaced by `<tree>` before comparing.
 *
 *   node bench/publish-diff.js <treeA> <treeB> [edits=150] [seed=7]
 */
const cp = require('node:child_process'); const path = require('node:path'); const fs = require('node:fs');
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
const lat = require('./latency.js');
const [A, B] = [process.argv[2], process.argv[3]]; const N = Number(process.argv[4] || 150); let seed = Number(process.argv[5] || 7);
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const CORPUS = process.env.CORPUS ?? '/work/shared/corpus/services';
const corpus = [`${CORPUS}/sahat+hackathon-starter/app.js`, `${CORPUS}/actualbudget+actual-server/src/app-sync.js`, `${CORPUS}/actualbudget+actual-server/src/load-config.js`].filter(fs.existsSync);
const files = [{ name: 'service-5k.ts', languageId: 'typescript', text: lat.bigTs(5000) }, ...corpus.map((f) => ({ name: path.basename(path.dirname(f)) + '-' + path.basename(f), languageId: 'javascript', text: fs.readFileSync(f, 'utf8') }))];
// one edit list per file, as LSP changes on the text as it evolves
function plan(text) {
  const out = []; let t = text;
  for (let i = 0; i < N; i++) {
    const lines = t.split('\n'); const r = rnd(); let start, end, newText;
    const line = Math.floor(lines.length * (0.3 + 0.4 * rnd())); const lineStart = lines.slice(0, line).join('\n').length + (line ? 1 : 0);
    if (r < 0.4) { start = end = lineStart; newText = rnd() < 0.5 ? ' ' : '/'; }
    else if (r < 0.55) { start = end = lineStart; newText = '\n'; }
    else if (r < 0.7) { const nl = t.indexOf('\n', lineStart); start = nl; end = nl + 1; newText = rnd() < 0.5 ? ' ' : '\n'; } // newline replaced, same length (or kept)
    else if (r < 0.8) { const at = lineStart + Math.floor(rnd() * (lines[line].length + 1)); start = at; end = Math.min(t.length, at + 1 + Math.floor(rnd() * 3)); newText = ''; }
    else { const at = lineStart + Math.floor(rnd() * (lines[line].length + 1)); start = end = at; newText = ['x', "'", '}', ';', 'console.log(1)', '\n  '][Math.floor(rnd() * 6)]; }
    if (start < 0) { start = end = t.length; }
    const pos = (o) => { const before = t.slice(0, o).split('\n'); return { line: before.length - 1, character: before[before.length - 1].length }; };
    out.push({ range: { start: pos(start), end: pos(end) }, text: newText });
    t = t.slice(0, start) + newText + t.slice(end);
  }
  return out;
}
async function run(tree, plans) {
  const child = cp.spawn(process.execPath, [path.join(tree, 'out/server/src/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const got = new Map(); const waiters = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => { const k = `${p.uri}#${p.version}`; got.set(k, JSON.stringify(p).split(tree).join("<tree>")); waiters.get(k)?.(); });
  conn.onRequest(() => null); conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, initializationOptions: { factorlint: { debounceMs: 0 } }, capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { configuration: false } }, workspaceFolders: null });
  conn.sendNotification('initialized', {});
  const wait = (k) => new Promise((res, rej) => { if (got.has(k)) return res(); const t = setTimeout(() => rej(new Error('timeout ' + k)), 30000); waiters.set(k, () => { clearTimeout(t); res(); }); });
  for (const [i, f] of files.entries()) {
    const uri = `file:///bench-latency/${f.name}`;
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: f.languageId, version: 1, text: f.text } }); await wait(`${uri}#1`);
    for (let v = 2; v < plans[i].length + 2; v++) { conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [plans[i][v - 2]] }); await wait(`${uri}#${v}`); }
  }
  conn.dispose(); child.kill();
  return got;
}
(async () => {
  const plans = files.map((f) => plan(f.text));
  const a = await run(A, plans); const b = await run(B, plans);
  let diff = 0, same = 0, bytes = 0;
  for (const [k, v] of a) { if (b.get(k) === v) { same++; bytes += v.length; } else { diff++; if (diff < 4) console.log('DIFF', k, (v || '').length, (b.get(k) || '').length); } }
  if (a.size !== b.size) { diff++; console.log('count', a.size, b.size); }
  console.log(`${same} publishes identical (${(bytes / 1e6).toFixed(1)} MB), ${diff} different, files ${files.map((f) => f.name).join(' ')}`);
})();
