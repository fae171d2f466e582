#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: prints a table and writes bench/results/bench-<date>.json.
 * Options: --files N (TS/JS sample size, default 3000), --rounds N (default 3), --no-eslint,
 * --edits N and --latency-rounds N (LSP bench; default 200, 3), --pause-after-open MS (default 0:
 *   typed at once), --no-debounced, --same-publish-floor (a third server per round: the floor
 *   publishing what factorlint publishes for each open, on every version),
 * --incremental-edits N (default 60), --memory-edits N and --memory-rounds N (server memory after
 * a full GC; default 2000, 2: the target is at --memory-edits 10000), --scan-jobs N, --scan-rounds N (default 2),
 * --only engine|incremental|latency|memory|scan|startup; --write-docs refreshes docs/performance.md.
 * Every ratio is paired within a round; the machine's load average is printed with the run.
 */
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const only = opt('--only', undefined);
const sections = [];

function printSection(s) {
  console.log(`\n## ${s.label} — ${s.files} files, ${s.mb} MB, ${s.rounds} rounds (median; min in parentheses)`);
  for (const [name, r] of Object.entries(s.results)) console.log(`  ${name.padEnd(22)} ${String(r.ms).padStart(7)}${r.minMs !== undefined ? ` (${r.minMs})` : ''}  ${String(r.filesPerSec).padStart(7)}  ${String(r.mbPerSec).padStart(6)}`);
  if (s.ratios) console.log(`  ratios: ${JSON.stringify(s.ratios)}`);
  for (const line of s.notes ?? []) console.log(`  ${line}`);
}

const mm = (r) => (r && typeof r === 'object' ? `${r.median}× (min ${r.min}×)` : `${r}×`);

/** The targets of issues 7 and 15 against this run's numbers, as a Markdown table (ratios paired, median and min over rounds). */
function summaryTable(sections) {
  const rows = [];
  const row = (what, target, measured, ok) => rows.push(`| ${what} | ${target} | ${measured} | ${ok === undefined ? '–' : ok ? 'met' : 'not met'} |`);
  const ts = sections.find((s) => s.label === 'TS/JS');
  if (ts) {
    const r = ts.results;
    row(`Engine CPU time over TS parse+walk, all ${ts.rules} rules (${ts.files} files, ${ts.mb} MB)`, '≤ 1.25× (≥ 0.8× throughput)', `${mm(ts.ratios.engineVsFloorTime)} (${r['factorlint engine'].filesPerSec} vs ${r['ts parse+walk'].filesPerSec} files/s)`, ts.ratios.engineVsFloorTime.median <= 1.25);
    if (ts.ratios.eslintVsEngineTime) row('ESLint 9 (espree for JS, typescript-eslint for TS), equivalent rules, over the engine (in one process; the engine skips vendored/minified files ESLint parses)', '≥ 6× slower', `${mm(ts.ratios.eslintVsEngineTime)} (ESLint ${r['eslint equivalent'].filesPerSec} files/s)`, ts.ratios.eslintVsEngineTime.median >= 6);
  }
  const cliVsEslint = sections.find((s) => s.label.startsWith('ESLint CLI vs factorlint CLI'));
  if (cliVsEslint && cliVsEslint.ratios) {
    const entries = Object.entries(cliVsEslint.ratios);
    if (entries.length > 0) row('ESLint 9 CLI, equivalent rules, CPU over the factorlint CLI --jobs 1 (whole processes, same folders)', '≥ 6× slower', entries.map(([name, r]) => `${name} ${mm(r)}`).join(', '), entries.every(([, r]) => r.median >= 6));
  }
  for (const label of ['Dockerfile', 'Compose']) {
    const s = sections.find((x) => x.label === label);
    if (s && s.files > 0) row(`${label}: engine time over ${Object.keys(s.results)[0]}`, '(no target)', mm(s.ratios.engineVsFloorTime), undefined);
  }
  const lat = sections.find((s) => s.label.startsWith('Editor latency'));
  if (lat && lat.raw) {
    const { floor, factorlint } = lat.raw;
    factorlint.results.forEach((f, i) => {
      const ratio = lat.ratios[`p95 ${f.file} vs floor`];
      row(`Edit latency ${f.file} (${f.lines} lines), p50/p95, debounce 0`, 'p95 ≤ 1.5× incremental floor', `${f.p50.toFixed(0)}/${f.p95.toFixed(0)} ms vs floor ${floor.results[i].p50.toFixed(0)}/${floor.results[i].p95.toFixed(0)} ms: ${mm(ratio)}`, ratio.median <= 1.5);
      // --same-publish-floor: the same p95 against the floor that also publishes factorlint's diagnostics (no target: what the protocol's payload leaves)
      const same = Object.keys(lat.ratios).find((k) => k.startsWith(`p95 ${f.file} vs floor publishing the same `));
      if (same) row(`  same, against the floor publishing the same ${same.match(/the same (\d+)/)[1]} diagnostics per edit`, '(no target)', mm(lat.ratios[same]), undefined);
    });
    const open5k = lat.ratios['open service-5k.ts vs floor'];
    row('Open 5k-line file → its first diagnostics', '≤ 1.5× incremental floor', `${factorlint.results[0].openMs.toFixed(0)} ms vs floor ${floor.results[0].openMs.toFixed(0)} ms: ${mm(open5k)}`, open5k.median <= 1.5);
    row('Startup: initialize → first diagnostics', '≤ 500 ms', `${factorlint.firstDiagnosticsMs.toFixed(0)} ms (floor ${floor.firstDiagnosticsMs.toFixed(0)} ms)`, factorlint.firstDiagnosticsMs <= 500);
  }
  const mem = sections.find((s) => s.label.startsWith('Server memory'));
  if (mem && mem.ratios) {
    const r = mem.results;
    const rss = mem.ratios['RSS edited vs floor'];
    row(`Server RSS after ${mem.edits} edits over ${mem.files} open files, after a full GC in each server${mem.edits < 10000 ? ' (the target is at 10,000: --memory-edits 10000)' : ''}`, '≤ 1.3× floor', `${r['factorlint edited'].ms} MB (floor ${r['floor edited'].ms} MB): ${mm(rss)}; heap ${r['factorlint edited'].filesPerSec} vs ${r['floor edited'].filesPerSec} MB: ${mm(mem.ratios['heap edited vs floor'])}`, mem.edits >= 10000 ? rss.median <= 1.3 : undefined);
  }
  const inc = sections.find((s) => s.label.startsWith('Incremental reparse'));
  if (inc) {
    const r = inc.results;
    row('Small edit, 5k-line TS file: incremental reparse + index', '< 0.5× full parse', `${inc.ratios.incrementalParseVsFull}× (${r['incremental parse + index'].ms} vs ${r['full parse + index'].ms} ms)`, inc.ratios.incrementalParseVsFull < 0.5);
    row('Same edit: whole re-analysis over the incremental floor, p50/p95', 'p95 ≤ 1.5×', `${inc.ratios.incrementalAnalysisVsFloorP50}×/${inc.ratios.incrementalAnalysisVsFloorP95}× (${r['incremental analysis'].ms}/${r['incremental analysis'].filesPerSec} vs ${r['incremental floor (updateSourceFile + walk)'].ms}/${r['incremental floor (updateSourceFile + walk)'].filesPerSec} ms)`, inc.ratios.incrementalAnalysisVsFloorP95 <= 1.5);
  }
  const scan = sections.find((s) => s.label.startsWith('Workspace scan'));
  if (scan && scan.raw) {
    const { cold, warm, single, floor } = scan.raw;
    row(`Workspace scan, cold (${cold.files} files, ${cold.workers} workers)`, '≤ 8 s on 2 cores', `${(cold.ms / 1000).toFixed(1)} s, peak RSS ${cold.maxRssMb} MB`, cold.ms <= 8000);
    row('Workspace scan, warm (content-hash cache)', '≤ 1 s', `${(warm.ms / 1000).toFixed(2)} s, peak RSS ${warm.maxRssMb} MB`, warm.ms <= 1000);
    if (single && floor) {
      row('CLI cold --jobs 1 CPU over a bare read + parse + walk of the same files', '≤ 1.6×', `${scan.ratios.singleCpuVsFloorCpu}× (${(single.cpuMs / 1000).toFixed(1)} vs ${(floor.cpuMs / 1000).toFixed(1)} s CPU)`, scan.ratios.singleCpuVsFloorCpu <= 1.6);
      const { floorGainFromWorkers: floorGain, jobsGainFromWorkers: jobsGain } = scan.ratios;
      if (floorGain && jobsGain) {
        const applies = floorGain.median >= 1.6;
        row(`--jobs ${scan.raw.parallel.workers} wall time over --jobs 1 (paired; the floor's own gain on ${scan.raw.parallel.workers} workers)`, '≥ 1.4× faster where the floor gains ≥ 1.6×', `${mm(jobsGain)} faster; floor ${mm(floorGain)}${applies ? '' : ': the floor gains < 1.6× here, the target does not apply'}`, applies ? jobsGain.median >= 1.4 : undefined);
      }
      if (single.gcPct !== undefined) row('GC share of the CPU, --jobs 1 vs the floor', 'within 5 points', `${single.gcPct}% vs ${floor.gcPct}%`, Math.abs(single.gcPct - floor.gcPct) <= 5);
    }
  }
  return ['| Measure | Target | Measured (machine shared: see the load) | |', '|---|---|---|---|', ...rows].join('\n');
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
  console.log(`factorlint bench — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (a shared machine: compare the paired ratios, not the absolute times)`);
  if (!only || only === 'engine') {
    const { runEngineBench } = require('./engine');
    for (const s of runEngineBench({ count: Number(opt('--files', 3000)), rounds: Number(opt('--rounds', 3)), withEslint: !args.includes('--no-eslint') })) { sections.push(s); printSection(s); }
  }
  // eslint-cli after scan: it uses the scan workspace's copies of the corpus packages
  for (const name of ['incremental', 'latency', 'memory', 'scan', 'eslint-cli', 'startup']) {
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
  fs.writeFileSync(out, JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() }, sections }, null, 2));
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
})().catch((e) => { console.error(e); process.exit(1); });
