'use strict';
/**
 * Incremental reparse (issue 7, part 3, "below the floor"): one-character edits in the middle
 * of a 5,000-line TS file, each reparsed from the previous version's tree, vs. a full parse;
 * parse + node index alone, and the whole analysis. Medians of 60 edits; same findings checked.
 */
const { parseDocument } = require('../out/server/src/engine/document.js');
const { analyze } = require('../out/server/src/engine/run.js');
const { RULES } = require('../out/server/src/rules/registry.js');
const { classifyFile } = require('../out/server/src/engine/classify.js');
const { bigTs } = require('./latency.js');

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function run() {
  const path = '/bench/app/src/service.ts';
  let text = bigTs(5000);
  const file = classifyFile(path, text);
  let previousParse = parseDocument(file, text);
  let previousAnalysis = analyze({ path, text }, { rules: RULES }).parsed;
  const t = { fullParse: [], incrementalParse: [], fullAnalysis: [], incrementalAnalysis: [] };
  const clock = (bucket, fn) => { const s = process.hrtime.bigint(); const r = fn(); bucket.push(Number(process.hrtime.bigint() - s) / 1e6); return r; };
  let same = true;
  for (let v = 0; v < 60; v++) {
    const at = text.indexOf('\n', Math.floor(text.length / 2) + v * 40) + 1;
    text = text.slice(0, at) + (v % 2 ? ' ' : '/') + text.slice(at);
    clock(t.fullParse, () => parseDocument(file, text).value.nodesOfKind(1));
    previousParse = clock(t.incrementalParse, () => { const p = parseDocument(file, text, previousParse); p.value.nodesOfKind(1); return p; });
    const full = clock(t.fullAnalysis, () => analyze({ path, text }, { rules: RULES }));
    const inc = clock(t.incrementalAnalysis, () => analyze({ path, text }, { rules: RULES, previous: previousAnalysis }));
    previousAnalysis = inc.parsed;
    if (JSON.stringify(full.findings) !== JSON.stringify(inc.findings)) same = false;
  }
  const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
  const row = (ms) => ({ ms: +ms.toFixed(1), filesPerSec: Math.round(1000 / ms), mbPerSec: 0 });
  return [{
    label: 'Incremental reparse — 5,000-line TS file, 60 one-character edits; medians',
    files: 1, mb: +(Buffer.byteLength(text) / 1e6).toFixed(2), rounds: 60,
    results: { 'full parse + index': row(m.fullParse), 'incremental parse + index': row(m.incrementalParse), 'full analysis': row(m.fullAnalysis), 'incremental analysis': row(m.incrementalAnalysis) },
    ratios: { incrementalParseVsFull: +(m.incrementalParse / m.fullParse).toFixed(2), incrementalAnalysisVsFullParse: +(m.incrementalAnalysis / m.fullParse).toFixed(2) },
    notes: [same ? 'findings identical to full analyses' : 'FINDINGS DIFFER from full analyses'],
  }];
}

module.exports = { run };
