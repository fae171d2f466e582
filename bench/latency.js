'use strict';
/**
 * Editor latency (issue 7, part 3) and startup (part 5): drive a language server over stdio
 * through realistic edits and time didChange → publishDiagnostics for that version;
 * factorlint's built server vs. the floor server, in the same run.
 */
const cp = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
const { probeArgs, probeStdio, probeOf } = require('./memory-sampler');

const ROOT = path.resolve(__dirname, '..');

function serverPath() {
  for (const p of ['dist/server.js', 'out/server/src/server.js']) if (fs.existsSync(path.join(ROOT, p))) return path.join(ROOT, p);
  return undefined;
}

/** A realistic large TS module: many handlers, config reads, some findings. */
function bigTs(lines) {
  const out = ["import express from 'express';", 'const app = express();'];
  let i = 0;
  while (out.length < lines - 3) {
    out.push(`export async function handler${i}(req: { params: Record<string, string> }, res: { json(v: unknown): void }) {`);
    out.push(`  const id = req.params.id ?? '${i}';`);
    out.push(`  const url = process.env.SERVICE_${i % 50}_URL ?? 'http://localhost:${3000 + (i % 50)}';`);
    out.push(`  const result = await fetch(\`\${url}/items/\${id}\`).then((r) => r.json());`);
    out.push(`  if (!result) { console.log('missing', id); }`);
    out.push('  res.json({ id, result });');
    out.push('}');
    out.push(`app.get('/items${i}/:id', handler${i} as never);`);
    i++;
  }
  out.push('app.listen(3000);');
  return out.join('\n') + '\n';
}

function bigCompose(lines) {
  const out = ['services:'];
  let i = 0;
  while (out.length < lines) {
    out.push(`  svc${i}:`, `    image: example/svc${i}:1.${i}`, '    environment:', `      LOG_LEVEL: info`, `      API_URL: http://svc${i + 1}:8080`, '    ports:', `      - "${8000 + i}"`, '    healthcheck:', '      test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]');
    i++;
  }
  return out.join('\n') + '\n';
}

/** The files the LSP benches open and type into. */
function benchFiles() {
  return [
    { name: 'service-5k.ts', languageId: 'typescript', text: bigTs(5000) },
    { name: 'service-7k.ts', languageId: 'typescript', text: bigTs(7000) },
    // the same file typed into without breaking its syntax (see editPositions)
    { name: 'service-7k-in-string.ts', languageId: 'typescript', text: bigTs(7000), edit: 'in-string' },
    { name: 'compose.yaml', languageId: 'dockercompose', text: bigCompose(500) },
  ];
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
}

/** user + system CPU of a process so far, in ms (Linux /proc; NaN elsewhere). */
function cpuMsOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = (() => { try { return Number(cp.execSync('getconf CLK_TCK').toString().trim()) || 100; } catch { return 100; } })();

/**
 * Where edit v types, by the file's `edit` pattern:
 * - 'line-start' (the default, this bench's edits since issue 7): ' ' or '/' at column 0 of one of
 *   20 lines in the middle of the file. A '/' there can open a regex or comment that swallows
 *   the rest of the file (the 7k-line file's parse breaks from its 5th edit), so it also
 *   measures typing through broken syntax;
 * - 'in-string': a letter inside the string literal of one of 20 `console.log('missing', …)`
 *   lines in the middle of the file, the file parseable after every edit: typing in a handler.
 */
function editPositions(file, lines) {
  const middle = Math.floor(lines.length / 2);
  if (file.edit !== 'in-string') return (v) => ({ line: middle + (v % 20), character: 0, text: v % 2 ? ' ' : '/' });
  const targets = [];
  for (let i = middle; i < lines.length && targets.length < 20; i++) {
    const col = lines[i].indexOf("console.log('missing");
    if (col >= 0) targets.push({ line: i, character: col + "console.log('missing".length });
  }
  if (targets.length === 0) throw new Error(`${file.name}: no console.log('missing' line to type in`);
  return (v) => ({ ...targets[v % targets.length], text: 'x' });
}

/**
 * An LSP client on a spawned server: `open(file)` and `change(uri, version, edit)` resolve when the
 * server published diagnostics for that version. With `probe`, the server runs with
 * bench/memory-probe.js preloaded (the same for every server) and `probe.sample()` answers with
 * RSS and heap after a full GC.
 */
async function connect(server, initializationOptions, extraArgs = [], { probe = false } = {}) {
  const args = [...(probe ? probeArgs() : []), ...extraArgs, server, '--stdio'];
  const child = cp.spawn(process.execPath, args, { stdio: probe ? probeStdio() : ['pipe', 'pipe', 'ignore'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = new Map();
  const seen = new Map();
  const opened = new Map(); // uri → the diagnostics published for its open (version 1)
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    const key = `${p.uri}#${p.version}`;
    if (p.version === 1) opened.set(p.uri, p.diagnostics);
    seen.set(key, process.hrtime.bigint());
    waiters.get(key)?.();
  });
  conn.onRequest(() => null); // workspace/configuration, registrations, progress: answer with defaults
  conn.listen();
  const waitFor = (uri, version) => new Promise((resolve, reject) => {
    const key = `${uri}#${version}`;
    const done = () => { waiters.delete(key); seen.delete(key); };
    if (seen.has(key)) { const at = seen.get(key); done(); return resolve(at); }
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${key}`)), 30000);
    waiters.set(key, () => { clearTimeout(timer); const at = seen.get(key); done(); resolve(at); });
  });
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, initializationOptions, capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { configuration: false } }, workspaceFolders: null });
  conn.sendNotification('initialized', {});
  const uriOf = (file) => `file:///bench-latency/${file.name}`;
  return {
    child,
    probe: probe ? probeOf(child) : undefined,
    uriOf,
    /** What the server published for a file's open. */
    openDiagnostics: (file) => opened.get(uriOf(file)),
    open(file) {
      const uri = uriOf(file);
      conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: file.languageId, version: 1, text: file.text } });
      return waitFor(uri, 1);
    },
    change(uri, version, { line, character, text }) {
      conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text }] });
      return waitFor(uri, version);
    },
    close() {
      this.probe?.close();
      conn.dispose();
      child.kill();
    },
  };
}

/** RSS of a process as `ps` sees it, in MB (no GC first: it swings with when V8 last collected). */
function psRssMb(pid) {
  try { return Number(cp.execSync(`ps -o rss= -p ${pid}`).toString().trim()) / 1024; } catch { return NaN; }
}

/**
 * One server, the files opened and edited one after the other. `probe`: also the server's memory
 * after a full GC (bench/memory-probe.js) once the first file is open and after the last edit.
 * `pauseMs`: the time between a file's diagnostics and its first edit (0: typed at once; a person
 * reads a file for a second or more before typing, and a server may use that time).
 */
async function session(server, files, edits, initializationOptions, extraArgs = [], { probe = false, pauseMs = 0 } = {}) {
  const start = process.hrtime.bigint();
  const lsp = await connect(server, initializationOptions, extraArgs, { probe });
  const results = [];
  const memory = {};
  let first;
  for (const file of files) {
    const uri = lsp.uriOf(file);
    const opened = process.hrtime.bigint();
    const got = await lsp.open(file);
    first ??= Number(got - start) / 1e6;
    if (lsp.probe && !memory.open) memory.open = await lsp.probe.sample();
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const lines = file.text.split('\n');
    const positionOf = editPositions(file, lines);
    const samples = [];
    // CPU time of the server over the edits: steadier than latency on a loaded machine
    const cpuBefore = cpuMsOf(lsp.child.pid);
    for (let v = 2; v < edits + 2; v++) {
      const sent = process.hrtime.bigint();
      const at = await lsp.change(uri, v, positionOf(v));
      samples.push(Number(at - sent) / 1e6);
    }
    const cpuPerEditMs = (cpuMsOf(lsp.child.pid) - cpuBefore) / edits;
    results.push({ file: file.name, lines: lines.length, openDiagnostics: (lsp.openDiagnostics(file) ?? []).length, cpuPerEditMs, openMs: Number(got - opened) / 1e6, p50: percentile(samples, 50), p95: percentile(samples, 95), max: Math.max(...samples) });
  }
  const rss = psRssMb(lsp.child.pid);
  if (lsp.probe) memory.edited = await lsp.probe.sample();
  lsp.close();
  return { results, firstDiagnosticsMs: first, rssMb: Math.round(rss), ...(lsp.probe ? { memory } : {}) };
}

/**
 * The diagnostics `server` publishes for each file's open, written to a JSON file (uri →
 * diagnostics) for the floor server's `publishLike`: the same number and size per publish.
 */
async function captureOpenDiagnostics(server, files, initializationOptions) {
  const lsp = await connect(server, initializationOptions);
  const byUri = {};
  for (const file of files) {
    await lsp.open(file);
    byUri[lsp.uriOf(file)] = lsp.openDiagnostics(file) ?? [];
  }
  lsp.close();
  const out = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'latency-publish-')), 'open-diagnostics.json');
  fs.writeFileSync(out, JSON.stringify(byUri));
  return { file: out, counts: files.map((f) => byUri[lsp.uriOf(f)].length) };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** min and median of per-round values, rounded. */
function minMed(values, digits = 2) {
  const f = (v) => +v.toFixed(digits);
  return { min: f(Math.min(...values)), median: f(median(values)) };
}

async function run({ args = [] } = {}) {
  const server = serverPath();
  if (!server) return [{ label: 'Editor latency', files: 0, mb: 0, rounds: 0, results: {}, notes: ['skipped: build the server first (npm run build)'] }];
  const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : def; };
  const edits = opt('--edits', 200);
  const rounds = opt('--latency-rounds', 3);
  const pauseMs = opt('--pause-after-open', 0);
  const files = benchFiles();
  // The floor (bench/floor-server.js) reparses incrementally and publishes on every change;
  // factorlint runs with debounceMs 0 (same work per change). Each round runs both, in
  // alternating order, so a ratio is always paired within one round.
  const floorRuns = [];
  const ourRuns = [];
  // --same-publish-floor: a third server per round, the floor publishing what factorlint
  // publishes for each file's open (the same diagnostics on every version), to tell the
  // protocol's cost of hundreds of diagnostics per keystroke from the work beyond it
  const samePublish = args.includes('--same-publish-floor') ? await captureOpenDiagnostics(server, files, { factorlint: { debounceMs: 0 } }) : undefined;
  const samePublishRuns = [];
  for (let r = 0; r < rounds; r++) {
    const floorFirst = r % 2 === 0;
    const a = await session(floorFirst ? path.join(__dirname, 'floor-server.js') : server, files, edits, floorFirst ? undefined : { factorlint: { debounceMs: 0 } }, [], { probe: true, pauseMs });
    const b = await session(floorFirst ? server : path.join(__dirname, 'floor-server.js'), files, edits, floorFirst ? { factorlint: { debounceMs: 0 } } : undefined, [], { probe: true, pauseMs });
    floorRuns.push(floorFirst ? a : b);
    ourRuns.push(floorFirst ? b : a);
    if (samePublish) {
      const run = await session(path.join(__dirname, 'floor-server.js'), files, edits, { publishLike: samePublish.file }, [], { probe: true, pauseMs });
      // a floor that silently published its one diagnostic would make these ratios lie
      run.results.forEach((f, i) => { if (f.openDiagnostics !== samePublish.counts[i]) throw new Error(`the floor published ${f.openDiagnostics} diagnostics for ${f.file}, factorlint ${samePublish.counts[i]}`); });
      samePublishRuns.push(run);
    }
  }
  if (samePublish) fs.rmSync(path.dirname(samePublish.file), { recursive: true, force: true });
  const debouncedEdits = Math.min(edits, 40);
  const debounced = args.includes('--no-debounced') ? undefined : await session(server, files, debouncedEdits);
  const results = {};
  // the median round's values per file (by p95), for the table
  const pick = (runs, i, key) => median(runs.map((run) => run.results[i][key]));
  files.forEach((file, i) => {
    for (const [label, runs] of [['floor', floorRuns], ['factorlint', ourRuns]]) results[`${label} ${file.name}`] = { ms: Math.round(pick(runs, i, 'p50')), filesPerSec: Math.round(pick(runs, i, 'p95')), mbPerSec: Math.round(pick(runs, i, 'max')) };
  });
  if (debounced) for (const f of debounced.results) results[`factorlint 150ms debounce ${f.file}`] = { ms: Math.round(f.p50), filesPerSec: Math.round(f.p95), mbPerSec: Math.round(f.max) };
  const ratios = {};
  const paired = (fn) => minMed(floorRuns.map((floor, r) => fn(floor, ourRuns[r])));
  files.forEach((file, i) => {
    ratios[`p95 ${file.name} vs floor`] = paired((fl, us) => us.results[i].p95 / fl.results[i].p95);
    ratios[`p50 ${file.name} vs floor`] = paired((fl, us) => us.results[i].p50 / fl.results[i].p50);
    ratios[`CPU per edit ${file.name} vs floor`] = paired((fl, us) => us.results[i].cpuPerEditMs / fl.results[i].cpuPerEditMs);
    ratios[`open ${file.name} vs floor`] = paired((fl, us) => us.results[i].openMs / fl.results[i].openMs);
  });
  ratios['first diagnostics vs floor'] = paired((fl, us) => us.firstDiagnosticsMs / fl.firstDiagnosticsMs);
  if (samePublish) {
    const pairedSame = (fn) => minMed(samePublishRuns.map((floor, r) => fn(floor, ourRuns[r])));
    files.forEach((file, i) => {
      ratios[`p95 ${file.name} vs floor publishing the same ${samePublish.counts[i]} diagnostics`] = pairedSame((fl, us) => us.results[i].p95 / fl.results[i].p95);
      ratios[`p50 ${file.name} vs floor publishing the same ${samePublish.counts[i]} diagnostics`] = pairedSame((fl, us) => us.results[i].p50 / fl.results[i].p50);
    });
  }
  // memory after a full GC in each server (bench/memory-probe.js), at the same two points
  for (const [at, what] of [['open', `${files[0].name} open`], ['edited', 'the edits']]) {
    ratios[`RSS after ${what} vs floor`] = paired((fl, us) => us.memory[at].rssMb / fl.memory[at].rssMb);
    ratios[`heap after ${what} vs floor`] = paired((fl, us) => us.memory[at].heapUsedMb / fl.memory[at].heapUsedMb);
  }
  const summary = (runs) => ({
    firstDiagnosticsMs: median(runs.map((x) => x.firstDiagnosticsMs)),
    rssMb: median(runs.map((x) => x.rssMb)),
    memory: Object.fromEntries(['open', 'edited'].map((at) => [at, Object.fromEntries(['rssMb', 'heapUsedMb', 'externalMb'].map((k) => [k, median(runs.map((x) => x.memory[at][k]))]))])),
    results: files.map((_, i) => ({ file: runs[0].results[i].file, lines: runs[0].results[i].lines, p50: pick(runs, i, 'p50'), p95: pick(runs, i, 'p95'), cpuPerEditMs: pick(runs, i, 'cpuPerEditMs'), openMs: pick(runs, i, 'openMs') })),
  });
  const floor = summary(floorRuns);
  const ours = summary(ourRuns);
  return [{
    label: `Editor latency — ${edits} edits per file${pauseMs > 0 ? `, typed ${pauseMs} ms after each open` : ', typed at once after each open'}, ${rounds} paired rounds (debounceMs 0; the debounced run ${debouncedEdits}); floor = incremental reparse + walk + publish; columns: p50 ms, p95 ms, max ms (median round)`,
    files: files.length, mb: 0, rounds, results, ratios,
    notes: [
      `ratios are factorlint/floor per round, paired: {min, median} over ${rounds} rounds`,
      `startup: initialize → first diagnostics ${ours.firstDiagnosticsMs.toFixed(0)} ms (floor ${floor.firstDiagnosticsMs.toFixed(0)} ms); open service-5k.ts → its diagnostics ${ours.results[0].openMs.toFixed(0)} ms (floor ${floor.results[0].openMs.toFixed(0)} ms)`,
      `after a full GC (median round), ${files[0].name} open: RSS ${ours.memory.open.rssMb} MB, heap ${ours.memory.open.heapUsedMb} MB (floor ${floor.memory.open.rssMb} / ${floor.memory.open.heapUsedMb} MB); after the edits: RSS ${ours.memory.edited.rssMb} MB, heap ${ours.memory.edited.heapUsedMb} MB (floor ${floor.memory.edited.rssMb} / ${floor.memory.edited.heapUsedMb} MB)`,
      `RSS after the edits without a GC (ps): factorlint ${ours.rssMb} MB, floor ${floor.rssMb} MB`,
    ],
    raw: { floor, factorlint: ours, debounced, rounds: { floor: floorRuns, factorlint: ourRuns, ...(samePublish ? { floorPublishingTheSame: samePublishRuns } : {}) } },
  }];
}

module.exports = { run, benchFiles, bigTs, bigCompose, session, connect, serverPath, editPositions, median, minMed };
