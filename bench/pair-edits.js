'use strict';
/**
 * Paired CPU per edit in process (issue 15): two built trees' engines (BEFORE and AFTER, each a
 * checkout with `out/` built) analyse the same edits of `bench/latency.js`' patterns alternately,
 * each edit through `analyze` with the previous version's parse (the editor's path), with the
 * incremental floor (`ts.updateSourceFile` with the edit's range + one full walk) on the same
 * edits. CPU time from `process.cpuUsage`, so other load on the machine moves it little.
 *
 *   BEFORE=/work/wt/before AFTER=. node bench/pair-edits.js <5k|7k|7k-in-string> [edits=200] [both|before|after]
 *
 * Prints, per engine, the median / mean / p95 CPU per edit over the floor's (edits 11 on), and
 * whether the two engines' findings were identical on every edit.
 */
const path = require('node:path');
const os = require('node:os');
const ts = require('typescript');
const L = require('./latency.js');

const BEFORE = process.env.BEFORE;
const AFTER = process.env.AFTER || path.resolve(__dirname, '..');
const which = process.argv[2] || '5k';
const edits = Number(process.argv[3] || 200);
const only = process.argv[4] || 'both';
if (!BEFORE && only !== 'after') throw new Error('bench/pair-edits.js: set BEFORE to a built checkout (or pass "after")');

const load = (root) => ({
  analyze: require(path.join(path.resolve(root), 'out/server/src/engine/run.js')).analyze,
  RULES: require(path.join(path.resolve(root), 'out/server/src/rules/registry.js')).RULES,
});
const engines = { before: only !== 'after' ? load(BEFORE) : undefined, after: only !== 'before' ? load(AFTER) : undefined };

const lines = which.startsWith('5k') ? 5000 : 7000;
const inString = which.endsWith('in-string');
// the LSP bench's paths: server files with ~620-880 findings
const file = `/bench-latency/service-${lines === 5000 ? '5k' : '7k'}${inString ? '-in-string' : ''}.ts`;
let text = L.bigTs(lines);
const fileLines = text.split('\n');
const middle = Math.floor(fileLines.length / 2);
const targets = [];
for (let i = middle; i < fileLines.length && targets.length < 20; i++) {
  const c = fileLines[i].indexOf("console.log('missing");
  if (c >= 0) targets.push({ line: i, character: c + "console.log('missing".length });
}
// the same positions as bench/latency.js' editPositions
const positionOf = (v) => (inString ? { ...targets[v % 20], text: 'x' } : { line: middle + (v % 20), character: 0, text: v % 2 ? ' ' : '/' });
const offsetOf = (t, line, character) => { let o = 0; for (let i = 0; i < line; i++) o = t.indexOf('\n', o) + 1; return o + character; };
function walk(node) { let n = 0; const stack = [node]; while (stack.length) { const cur = stack.pop(); n++; cur.forEachChild((c) => { stack.push(c); }); } return n; }
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

const previous = {};
const spent = { floor: [], before: [], after: [] };
for (const k of Object.keys(engines)) if (engines[k]) previous[k] = engines[k].analyze({ path: file, text }, { rules: engines[k].RULES }).parsed;
let floorTree = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
let same = true;
let findings = 0;
for (let v = 2; v < edits + 2; v++) {
  const edit = positionOf(v);
  const at = offsetOf(text, edit.line, edit.character);
  text = text.slice(0, at) + edit.text + text.slice(at);
  let start = cpuMs();
  floorTree = ts.updateSourceFile(floorTree, text, { span: { start: at, length: 0 }, newLength: edit.text.length });
  walk(floorTree);
  spent.floor.push(cpuMs() - start);
  const out = {};
  for (const k of v % 2 ? ['after', 'before'] : ['before', 'after']) {
    if (!engines[k]) continue;
    start = cpuMs();
    const result = engines[k].analyze({ path: file, text }, { rules: engines[k].RULES, previous: previous[k] });
    spent[k].push(cpuMs() - start);
    previous[k] = result.parsed;
    out[k] = result.findings;
    findings = result.findings.length;
  }
  if (out.before && out.after && JSON.stringify(out.before) !== JSON.stringify(out.after)) same = false;
}

const steady = (a) => a.slice(10);
const median = (a) => { const s = steady(a).sort((x, y) => x - y); return s[s.length >> 1]; };
const mean = (a) => steady(a).reduce((x, y) => x + y, 0) / steady(a).length;
const p95 = (a) => { const s = steady(a).sort((x, y) => x - y); return s[Math.floor(0.95 * s.length)]; };
const parts = [`${which}: ${edits} edits, load ${os.loadavg()[0].toFixed(1)}, floor median ${median(spent.floor).toFixed(1)} ms`];
for (const k of ['before', 'after']) {
  if (!engines[k]) continue;
  const r = (f) => (f(spent[k]) / f(spent.floor)).toFixed(2);
  parts.push(`${k} ${median(spent[k]).toFixed(1)} ms, over the floor: median ${r(median)}x, mean ${r(mean)}x, p95 ${r(p95)}x`);
}
if (engines.before && engines.after) parts.push(`after/before (median) ${(median(spent.after) / median(spent.before)).toFixed(2)}`, same ? 'findings identical on every edit' : 'FINDINGS DIFFER');
parts.push(`${findings} findings`);
console.log(parts.join('\n  '));
