'use strict';
/**
 * Incremental reparse (issue 7, part 3; issue 15): one-character edits in the middle of a
 * 5,000-line TS file, each reparsed from the previous version's tree, vs. a full parse; parse +
 * node index alone, and the whole analysis — against the INCREMENTAL floor (`ts.updateSourceFile`
 * with the edit's change range + one full walk, no rules), measured on the same edits, interleaved.
 * p50/p95 of 60 edits (--incremental-edits N); same findings checked.
 */
const ts = require('typescript');
const { parseDocument } = require('../out/server/src/engine/document.js');
const { analyze } = require('../out/server/src/engine/run.js');
const { RULES } = require('../out/server/src/rules/registry.js');
const { classifyFile } = require('../out/server/src/engine/classify.js');
const { bigTs } = require('./latency.js');

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const median = (values) => percentile(values, 50);

function walk(node) {
  let n = 0;
  const stack = [node];
  while (stack.length) { const cur = stack.pop(); n++; cur.forEachChild((c) => { stack.push(c); }); }
  return n;
}

async function run({ args = [] } = {}) {
  const editsArg = args.indexOf('--incremental-edits');
  const edits = editsArg >= 0 ? Number(args[editsArg + 1]) : 60;
  // The LSP bench's path (bench/latency.js opens file:///bench-latency/service-5k.ts): a SERVER
  // file with ~630 findings. The old '/bench/app/src/service.ts' was classified a script ("its
  // folder suggests a script"): server-only rules did not run and it reported 0 findings, so
  // the in-process ratio measured a file the editor never pays for.
  const path = '/bench-latency/service-5k.ts';
  let text = bigTs(5000);
  const file = classifyFile(path, text);
  if (file.role !== 'server') throw new Error(`bench/incremental.js: ${path} is classified ${file.role}, not server`);
  let previousParse = parseDocument(file, text);
  let previousAnalysis = analyze({ path, text }, { rules: RULES }).parsed;
  let floorSf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const t = { fullParse: [], incrementalParse: [], fullAnalysis: [], incrementalAnalysis: [], incrementalFloor: [] };
  const clock = (bucket, fn) => { const s = process.hrtime.bigint(); const r = fn(); bucket.push(Number(process.hrtime.bigint() - s) / 1e6); return r; };
  let same = true;
  let findingsCount = 0;
  for (let v = 0; v < edits; v++) {
    const at = text.indexOf('\n', Math.floor(text.length / 2) + v * 40) + 1;
    text = text.slice(0, at) + (v % 2 ? ' ' : '/') + text.slice(at);
    floorSf = clock(t.incrementalFloor, () => { const sf = ts.updateSourceFile(floorSf, text, { span: { start: at, length: 0 }, newLength: 1 }); walk(sf); return sf; });
    clock(t.fullParse, () => parseDocument(file, text).value.nodesOfKind(1));
    previousParse = clock(t.incrementalParse, () => { const p = parseDocument(file, text, previousParse); p.value.nodesOfKind(1); return p; });
    const full = clock(t.fullAnalysis, () => analyze({ path, text }, { rules: RULES }));
    const inc = clock(t.incrementalAnalysis, () => analyze({ path, text }, { rules: RULES, previous: previousAnalysis }));
    previousAnalysis = inc.parsed;
    findingsCount = inc.findings.length;
    if (JSON.stringify(full.findings) !== JSON.stringify(inc.findings)) same = false;
  }
  const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
  const p95 = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, percentile(v, 95)]));
  // columns: p50 ms, p95 ms, max ms
  const row = (k) => ({ ms: +m[k].toFixed(1), filesPerSec: +p95[k].toFixed(1), mbPerSec: +Math.max(...t[k]).toFixed(1) });
  // per-edit ratios (each edit measured for both, back to back): paired
  const perEdit = t.incrementalAnalysis.map((ms, i) => ms / t.incrementalFloor[i]);
  return [{
    label: `Incremental reparse — 5,000-line TS file, ${edits} one-character edits; columns: p50 ms, p95 ms, max ms`,
    files: 1, mb: +(Buffer.byteLength(text) / 1e6).toFixed(2), rounds: edits,
    results: { 'incremental floor (updateSourceFile + walk)': row('incrementalFloor'), 'full parse + index': row('fullParse'), 'incremental parse + index': row('incrementalParse'), 'full analysis': row('fullAnalysis'), 'incremental analysis': row('incrementalAnalysis') },
    ratios: {
      incrementalParseVsFull: +(m.incrementalParse / m.fullParse).toFixed(2),
      incrementalAnalysisVsFullParse: +(m.incrementalAnalysis / m.fullParse).toFixed(2),
      incrementalAnalysisVsFloorP50: +(m.incrementalAnalysis / m.incrementalFloor).toFixed(2),
      incrementalAnalysisVsFloorP95: +(p95.incrementalAnalysis / p95.incrementalFloor).toFixed(2),
      perEditVsFloor: { min: +Math.min(...perEdit).toFixed(2), median: +median(perEdit).toFixed(2) },
    },
    notes: [`${path} (role ${file.role}): ${findingsCount} findings per analysis`, same ? 'findings identical to full analyses' : 'FINDINGS DIFFER from full analyses', 'perEditVsFloor: incremental analysis / incremental floor of the same edit, {min, median} over the edits'],
  }];
}

module.exports = { run };
