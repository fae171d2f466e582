#!/usr/bin/env node
'use strict';
/**
 * First diagnostic of the language server alone (issue 15), trees alternated: for each round and
 * each tree, `dist/server.js` over stdio on the generated 14,852-file workspace
 * (`e2e/large-workspace.js`, generated once), a fresh facts cache (a fresh window), the compile
 * cache warmed once per tree; the file is opened `delay` ms after `initialized`; prints the wall
 * time from `didOpen` to the file's first publishDiagnostics and the CPU the server's main
 * thread (the one answering documents) and the whole process used meanwhile (/proc).
 *
 * Usage: node bench/first-diagnostic.js <rounds> <case:ts|dockerfile> <delayMs> <tree>...
 *   env NODE_BIN: the Node to run the server on (default: this one); EDITS=n: then n edits
 *   (debounce 0, one at a time, each until its publish) while the index still runs: typing
 *   latency beside the index, median and p95 per tree. COLD=1: an empty compile cache in every session too.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const { generateLargeWorkspace, TARGETS } = require('../e2e/large-workspace.js');

const TICK_MS = 1000 / 100; // USER_HZ
const EDITS = Number(process.env.EDITS || 0);

function cpuMs(pid, tid) {
  const file = tid ? `/proc/${pid}/task/${tid}/stat` : `/proc/${pid}/stat`;
  const stat = fs.readFileSync(file, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

function frame(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
}

/** One server session: resolves { wall, mainCpu, procCpu } for the opened file. */
function session(tree, workspace, cacheHome, target, delay) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.NODE_BIN || process.execPath, [path.join(tree, 'dist', 'server.js'), '--stdio'], {
      env: { ...process.env, XDG_CACHE_HOME: cacheHome }, stdio: ['pipe', 'pipe', 'ignore'],
    });
    const send = (m) => child.stdin.write(frame(m));
    const uri = pathToFileURL(path.join(workspace, target.path)).href;
    let buffer = Buffer.alloc(0);
    let opened;
    const timeout = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('timeout')); }, 120_000);
    const onMessage = (m) => {
      if (m.id !== undefined && m.method) {
        // requests from the server: configuration (defaults), progress, registrations
        const result = m.method === 'workspace/configuration' ? m.params.items.map((i) => (i.section === 'files.exclude' ? null : { debounceMs: 0 })) : null;
        send({ jsonrpc: '2.0', id: m.id, result });
        return;
      }
      if (m.id === 1) {
        send({ jsonrpc: '2.0', method: 'initialized', params: {} });
        setTimeout(() => {
          opened = { at: performance.now(), main: cpuMs(child.pid, child.pid), proc: cpuMs(child.pid) };
          send({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: target.languageId, version: 1, text: fs.readFileSync(path.join(workspace, target.path), 'utf8') } } });
        }, delay);
        return;
      }
      if (m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && editing) {
        if (m.params.version !== editing.version) return;
        edits.push(performance.now() - editing.at);
        if (edits.length < EDITS) return edit();
        clearTimeout(timeout);
        child.kill('SIGKILL');
        child.on('exit', () => resolve({ ...first, edits }));
        return;
      }
      if (m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && opened && !first) {
        const result = { wall: performance.now() - opened.at, mainCpu: cpuMs(child.pid, child.pid) - opened.main, procCpu: cpuMs(child.pid) - opened.proc, diagnostics: m.params.diagnostics.length };
        first = result;
        if (EDITS > 0) return edit();
        clearTimeout(timeout);
        child.kill('SIGKILL');
        child.on('exit', () => resolve(result));
      }
    };
    let first;
    let editing;
    const edits = [];
    const original = fs.readFileSync(path.join(workspace, target.path), 'utf8');
    const edit = () => {
      const version = edits.length + 2;
      editing = { version, at: performance.now() };
      send({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version }, contentChanges: [{ text: `${original}// edit ${version}\n` }] } });
    };
    child.stdout.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const header = buffer.indexOf('\r\n\r\n');
        if (header < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, header).toString())[1]);
        if (buffer.length < header + 4 + length) return;
        const body = buffer.slice(header + 4, header + 4 + length).toString('utf8');
        buffer = buffer.slice(header + 4 + length);
        onMessage(JSON.parse(body));
      }
    });
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {
      processId: process.pid, rootUri: pathToFileURL(workspace).href, workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'ws' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } }, window: { workDoneProgress: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    } });
  });
}

async function main() {
  const [rounds = '6', kind = 'ts', delay = '0', ...trees] = process.argv.slice(2);
  const target = TARGETS[kind];
  const base = path.join(os.tmpdir(), 'factorlint-first-diag-bench');
  const workspace = path.join(base, 'workspace');
  if (!fs.existsSync(path.join(workspace, target.path))) generateLargeWorkspace(workspace);
  const compileCaches = trees.map((_, i) => path.join(base, `home-${i}`));
  // warm each tree's compile cache once (the e2e's later windows find it written)
  for (const [i, tree] of trees.entries()) await session(tree, workspace, compileCaches[i], TARGETS.ts, 3000);
  const results = trees.map(() => []);
  for (let r = 0; r < Number(rounds); r++) {
    for (const [i, tree] of trees.entries()) {
      // a fresh facts cache per session: only the compile cache is kept
      fs.rmSync(path.join(compileCaches[i], 'factorlint', process.env.COLD ? '' : 'workspace-index'), { recursive: true, force: true });
      const res = await session(tree, workspace, compileCaches[i], target, Number(delay));
      results[i].push(res);
      process.stdout.write(`round ${r + 1} ${path.basename(tree)}: wall ${res.wall.toFixed(0)} ms, main-thread CPU ${res.mainCpu.toFixed(0)} ms, process CPU ${res.procCpu.toFixed(0)} ms (${res.diagnostics} diagnostics) load ${os.loadavg()[0].toFixed(2)}\n`);
    }
  }
  const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  for (const [i, tree] of trees.entries()) {
    const rs = results[i];
    const line = (key) => `${med(rs.map((x) => x[key])).toFixed(0)} (${Math.min(...rs.map((x) => x[key])).toFixed(0)}–${Math.max(...rs.map((x) => x[key])).toFixed(0)})`;
    process.stdout.write(`${kind} +${delay} ms ${tree}: wall ${line('wall')}, main CPU ${line('mainCpu')}, process CPU ${line('procCpu')} ms\n`);
    if (EDITS > 0) {
      const all = rs.flatMap((x) => x.edits).sort((a, b) => a - b);
      const q = (p) => all[Math.min(all.length - 1, Math.floor(p * all.length))].toFixed(1);
      process.stdout.write(`  ${all.length} edits beside the index: median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms\n`);
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
