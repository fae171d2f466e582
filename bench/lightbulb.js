'use strict';
/**
 * Typing as VS Code does it: after each edit's publishDiagnostics, a `textDocument/codeAction`
 * request at the edited line with no `only` (the lightbulb asks whenever the cursor or the
 * diagnostics under it move). `bench/latency.js` sends edits only, so it cannot see what the
 * server does for these requests. Two built servers (e.g. a "before" tree's and this one's),
 * alternated per round, on the 5k-line file of the latency bench, debounce 0:
 *
 *   node bench/lightbulb.js --before /path/to/before/dist/server.js [--edits 30] [--rounds 3] [--no-lightbulb]
 *
 * Prints per round and server: server CPU per edit (user + system from /proc, the edit, its
 * publish and the code-action request), didChange → publish p50/p95, the code-action request's
 * p50/p95, bytes the server wrote per edit; then after/before ratios per round, paired.
 * The client advertises what vscode-languageclient does (data and resolve support).
 */
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
const { bigTs, serverPath } = require('./latency');

const CLOCK_TICKS = (() => { try { return Number(cp.execSync('getconf CLK_TCK').toString().trim()) || 100; } catch { return 100; } })();
function cpuMsOf(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
}
const median = (xs) => percentile(xs, 50);

/** VS Code's code-action capabilities, as vscode-languageclient 10 advertises them. */
const CAPABILITIES = {
  textDocument: {
    publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: {
      isPreferredSupport: true, dataSupport: true, resolveSupport: { properties: ['edit', 'command'] },
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'refactor.extract', 'source', 'source.fixAll', 'source.organizeImports'] } },
    },
  },
  workspace: { configuration: false, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
};

async function session(server, { edits, lightbulb }) {
  const child = cp.spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let bytes = 0;
  child.stdout.on('data', (chunk) => { bytes += chunk.length; });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = new Map();
  const waiters = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    published.set(p.version, { at: process.hrtime.bigint(), params: p });
    waiters.get(p.version)?.();
  });
  conn.onRequest(() => null);
  conn.listen();
  const waitFor = (version) => new Promise((resolve, reject) => {
    if (published.has(version)) return resolve(published.get(version));
    const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version}`)), 60_000);
    waiters.set(version, () => { clearTimeout(timer); resolve(published.get(version)); });
  });
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, initializationOptions: { factorlint: { debounceMs: 0 } }, capabilities: CAPABILITIES, workspaceFolders: null });
  conn.sendNotification('initialized', {});
  const uri = 'file:///bench-latency/service-5k.ts';
  const text = bigTs(5000);
  const lines = text.split('\n');
  conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  await waitFor(1);
  const cpuBefore = cpuMsOf(child.pid);
  const bytesBefore = bytes;
  const latency = [];
  const codeAction = [];
  for (let v = 2; v < edits + 2; v++) {
    const line = Math.floor(lines.length / 2) + (v % 20);
    const sent = process.hrtime.bigint();
    conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: v % 2 ? ' ' : '/' }] });
    const { at, params } = await waitFor(v);
    latency.push(Number(at - sent) / 1e6);
    published.delete(v - 1);
    if (!lightbulb) continue;
    // the cursor is where the user typed: the diagnostics on that line, if any, are the context
    const here = params.diagnostics.filter((d) => d.range.start.line <= line && line <= d.range.end.line);
    const range = { start: { line, character: 1 }, end: { line, character: 1 } };
    const asked = process.hrtime.bigint();
    await conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: here, triggerKind: 2 } });
    codeAction.push(Number(process.hrtime.bigint() - asked) / 1e6);
  }
  const result = {
    cpuPerEditMs: (cpuMsOf(child.pid) - cpuBefore) / edits,
    p50: median(latency), p95: percentile(latency, 95),
    codeActionP50: lightbulb ? median(codeAction) : undefined, codeActionP95: lightbulb ? percentile(codeAction, 95) : undefined,
    kbPerEdit: (bytes - bytesBefore) / edits / 1024,
  };
  conn.dispose();
  child.kill();
  return result;
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
  const before = opt('--before', undefined);
  const after = opt('--after', serverPath());
  const edits = Number(opt('--edits', 30));
  const rounds = Number(opt('--rounds', 3));
  const lightbulb = !args.includes('--no-lightbulb');
  const servers = before ? [['before', before], ['after', after]] : [['after', after]];
  const runs = Object.fromEntries(servers.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? servers : [...servers].reverse();
    for (const [name, server] of order) {
      const result = await session(server, { edits, lightbulb });
      runs[name].push(result);
      console.log(JSON.stringify({ round: r + 1, server: name, ...Object.fromEntries(Object.entries(result).map(([k, v]) => [k, v === undefined ? v : +v.toFixed(1)])) }));
    }
  }
  if (before) {
    const ratio = (key) => runs.after.map((a, i) => a[key] / runs.before[i][key]);
    const fmt = (xs) => `${median(xs).toFixed(2)}× (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
    const keys = ['cpuPerEditMs', 'p95', 'kbPerEdit', ...(lightbulb ? ['codeActionP95'] : [])];
    console.log(JSON.stringify({ edits, rounds, lightbulb, afterOverBefore: Object.fromEntries(keys.map((k) => [k, fmt(ratio(k))])), load: os.loadavg().map((x) => x.toFixed(1)).join(' ') }));
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
