#!/usr/bin/env node
'use strict';
/**
 * didChange → publishDiagnostics latency on a 5,000-line TypeScript file, through the real
 * server over in-memory streams (needs `npx tsc -b` first). A quick measurement, not a benchmark:
 * prints median/p95/max for the default debounce and for debounce 0 (analysis + protocol only).
 * Usage: node scripts/measure-lsp-latency.js [lines=5000] [iterations=30]
 */
const path = require('node:path');
const { TestClient, waitFor } = require(path.join(__dirname, '..', 'out', 'server', 'test', 'support', 'lsp-client.js'));

const LINES = Number(process.argv[2] ?? 5000);
const ITERATIONS = Number(process.argv[3] ?? 30);

function sourceOf(lines) {
  const out = ["import express from 'express';", 'const app = express();', ''];
  let i = 0;
  while (out.length < lines - 2) {
    out.push(`export function handler${i}(req: { query: Record<string, string> }, res: { json(v: unknown): void }) {`);
    out.push(`  const limit = Number(req.query.limit ?? ${i % 100});`);
    out.push(`  const items = Array.from({ length: limit }, (_, n) => ({ id: n + ${i}, name: \`item-\${n}\` }));`);
    out.push('  if (items.length > 10) { console.info(`many items: ${items.length}`); }');
    out.push('  res.json({ items, total: items.length });');
    out.push('}');
    out.push(`app.get('/r${i}', handler${i});`);
    i++;
  }
  out.push('app.listen(3000);', '');
  return out.join('\n');
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
}

async function run(settings) {
  const client = await TestClient.start({ folders: ['file:///tmp/bench'], settings });
  const uri = 'file:///tmp/bench/src/big.ts';
  let text = sourceOf(LINES);
  const t0 = performance.now();
  await client.open(uri, 'typescript', text);
  await client.diagnosticsFor(uri, 1, 60000);
  const openMs = performance.now() - t0;
  const samples = [];
  for (let i = 0; i < ITERATIONS; i++) {
    text = text.replace(/Number\(req\.query\.limit \?\? (\d+)\)/, (_m, n) => `Number(req.query.limit ?? ${Number(n) + 1})`);
    const start = performance.now();
    const version = await client.change(uri, text);
    await waitFor('publish', () => client.lastPublish(uri, version), 60000);
    samples.push(performance.now() - start);
  }
  await client.dispose();
  return { openMs, samples };
}

(async () => {
  const lines = sourceOf(LINES).split('\n').length;
  for (const [label, settings] of [['debounce 150 ms (default)', {}], ['debounce 0', { debounceMs: 0 }]]) {
    const { openMs, samples } = await run(settings);
    console.log(`${lines} lines, ${label}: first analysis on open ${openMs.toFixed(0)} ms; didChange→publishDiagnostics over ${samples.length} edits: ${stats(samples)}`);
  }
})().catch((error) => { console.error(error); process.exit(1); });
