#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: prints a table and writes bench/results/bench-<date>.json.
 * Options: --files N (TS/JS sample size, default 3000), --rounds N (default 3), --no-eslint,
 * --only engine|incremental|latency|scan|startup; --write-docs refreshes docs/performance.md.
 */
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const only = opt('--only', undefined);
const sections = [];

function printSection(s) {
  console.log(`\n## ${s.label} — ${s.files} files, ${s.mb} MB, median of ${s.rounds} rounds`);
  for (const [name, r] of Object.entries(s.results)) console.log(`  ${name.padEnd(22)} ${String(r.ms).padStart(7)} ms  ${String(r.filesPerSec).padStart(7)} files/s  ${String(r.mbPerSec).padStart(6)} MB/s`);
  if (s.ratios) console.log(`  ratios: ${JSON.stringify(s.ratios)}`);
  for (const line of s.notes ?? []) console.log(`  ${line}`);
}

/** The targets of issue 7 against this run's numbers, as a Markdown table. */
function summaryTable(sections) {
  const rows = [];
  const row = (what, target, measured, ok) => rows.push(`| ${what} | ${target} | ${measured} | ${ok === undefined ? '–' : ok ? 'met' : 'not met'} |`);
  const ts = sections.find((s) => s.label === 'TS/JS');
  if (ts) {
    const r = ts.results;
    row(`Engine throughput, all ${ts.rules} rules (${ts.files} files, ${ts.mb} MB)`, '≥ 0.8× TS parse+walk', `${ts.ratios.engineVsFloorThroughput}× (${r['factorlint engine'].filesPerSec} vs ${r['ts parse+walk'].filesPerSec} files/s)`, ts.ratios.engineVsFloorThroughput >= 0.8);
    if (ts.ratios.eslintVsEngineTime) row('Versus the equivalent ESLint 9 setup', '≥ 6× faster', `${ts.ratios.eslintVsEngineTime}× faster (ESLint ${r['eslint equivalent'].filesPerSec} files/s)`, ts.ratios.eslintVsEngineTime >= 6);
  }
  for (const label of ['Dockerfile', 'Compose']) {
    const s = sections.find((x) => x.label === label);
    if (s && s.files > 0) row(`${label} throughput`, 'vs parser alone (no target)', `${s.ratios.engineVsFloorThroughput}× of ${Object.keys(s.results)[0]}`, undefined);
  }
  const lat = sections.find((s) => s.label.startsWith('Editor latency'));
  if (lat && lat.raw) {
    const { floor, factorlint } = lat.raw;
    factorlint.results.forEach((f, i) => {
      const ratio = f.p95 / floor.results[i].p95;
      row(`Editor latency ${f.file} (${f.lines} lines), p50/p95`, 'p95 ≤ 1.2× floor', `${f.p50.toFixed(0)}/${f.p95.toFixed(0)} ms vs floor ${floor.results[i].p50.toFixed(0)}/${floor.results[i].p95.toFixed(0)} ms (${ratio.toFixed(2)}×)`, ratio <= 1.2);
    });
    row('Startup: initialize → first diagnostics', '≤ 500 ms', `${factorlint.firstDiagnosticsMs.toFixed(0)} ms (floor ${floor.firstDiagnosticsMs.toFixed(0)} ms)`, factorlint.firstDiagnosticsMs <= 500);
    row('Server RSS after the edits', '(≤ 250 MB after indexing)', `${factorlint.rssMb} MB (floor ${floor.rssMb} MB)`, undefined);
  }
  const inc = sections.find((s) => s.label.startsWith('Incremental reparse'));
  if (inc) {
    row('Small edit, 5k-line TS file: incremental reparse + index', '< 0.5× full parse', `${inc.ratios.incrementalParseVsFull}× (${inc.results['incremental parse + index'].ms} vs ${inc.results['full parse + index'].ms} ms)`, inc.ratios.incrementalParseVsFull < 0.5);
    row('Same edit: whole re-analysis', '< 0.5× full parse', `${inc.ratios.incrementalAnalysisVsFullParse}× (${inc.results['incremental analysis'].ms} ms; full analysis ${inc.results['full analysis'].ms} ms)`, inc.ratios.incrementalAnalysisVsFullParse < 0.5);
  }
  const scan = sections.find((s) => s.label.startsWith('Workspace scan'));
  if (scan && scan.raw) {
    const { cold, warm } = scan.raw;
    row(`Workspace scan, cold (${cold.files} files, ${cold.workers} workers)`, '≤ 8 s on 2 cores', `${(cold.ms / 1000).toFixed(1)} s, peak RSS ${cold.maxRssMb} MB`, cold.ms <= 8000);
    row('Workspace scan, warm (content-hash cache)', '≤ 1 s', `${(warm.ms / 1000).toFixed(2)} s, peak RSS ${warm.maxRssMb} MB`, warm.ms <= 1000);
  }
  return ['| Measure | Target | Measured | |', '|---|---|---|---|', ...rows].join('\n');
}

/** Replaces the generated table in docs/performance.md (between the markers). */
function writeDocs(table) {
  const file = path.join(__dirname, '..', 'docs', 'performance.md');
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, load average ${os.loadavg()[0].toFixed(1)} at the end of the run; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const body = `<!-- bench:begin -->\nMachine: ${machine}\n\n${table}\n<!-- bench:end -->`;
  fs.writeFileSync(file, text.replace(/<!-- bench:begin -->[\s\S]*<!-- bench:end -->/, body));
}

(async () => {
  console.log(`factorlint bench — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
  if (!only || only === 'engine') {
    const { runEngineBench } = require('./engine');
    for (const s of runEngineBench({ count: Number(opt('--files', 3000)), rounds: Number(opt('--rounds', 3)), withEslint: !args.includes('--no-eslint') })) { sections.push(s); printSection(s); }
  }
  for (const name of ['incremental', 'latency', 'scan', 'startup']) {
    if (only && only !== name) continue;
    const file = path.join(__dirname, `${name}.js`);
    if (!fs.existsSync(file)) continue;
    const result = await require(file).run({ args });
    for (const s of [].concat(result)) { sections.push(s); printSection(s); }
  }
  const table = summaryTable(sections);
  console.log(`\n## Summary vs targets\n\n${table}`);
  if (args.includes('--write-docs')) writeDocs(table);
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, sections }, null, 2));
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
})().catch((e) => { console.error(e); process.exit(1); });
