#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: prints a table and writes bench/results/bench-<date>.json.
 * Options: --files N (TS/JS sample size, default 3000), --rounds N (default 3), --no-eslint,
 * --only engine|latency|scan|startup.
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

(async () => {
  console.log(`factorlint bench — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
  if (!only || only === 'engine') {
    const { runEngineBench } = require('./engine');
    for (const s of runEngineBench({ count: Number(opt('--files', 3000)), rounds: Number(opt('--rounds', 3)), withEslint: !args.includes('--no-eslint') })) { sections.push(s); printSection(s); }
  }
  for (const name of ['latency', 'scan', 'startup']) {
    if (only && only !== name) continue;
    const file = path.join(__dirname, `${name}.js`);
    if (!fs.existsSync(file)) continue;
    const result = await require(file).run({ args });
    for (const s of [].concat(result)) { sections.push(s); printSection(s); }
  }
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, sections }, null, 2));
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
})().catch((e) => { console.error(e); process.exit(1); });
