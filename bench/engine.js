'use strict';
/**
 * Engine throughput (issue 7, parts 1 and 2): factorlint's engine with every registered rule
 * vs. TypeScript parse + full walk (the floor) vs. the equivalent ESLint setup, on the same
 * files, interleaved in one run; min/median over rounds, ratios paired per round. Also Dockerfile/Compose vs. their parsers.
 */
const ts = require('typescript');
const { DockerfileParser } = require('dockerfile-ast');
const YAML = require('yaml');
const { analyze } = require('../out/server/src/engine/run.js');
const { RULES } = require('../out/server/src/rules/registry.js');
const { loadCorpus, loadContainerCorpus } = require('./corpus');
const { createEslintRunner } = require('./eslint-equivalent');

const KIND = { '.ts': ts.ScriptKind.TS, '.mts': ts.ScriptKind.TS, '.cts': ts.ScriptKind.TS, '.tsx': ts.ScriptKind.TSX, '.js': ts.ScriptKind.JS, '.mjs': ts.ScriptKind.JS, '.cjs': ts.ScriptKind.JS, '.jsx': ts.ScriptKind.JSX };

function parseAndWalk(file) {
  const ext = file.path.slice(file.path.lastIndexOf('.'));
  const sf = ts.createSourceFile(file.path, file.text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, KIND[ext] ?? ts.ScriptKind.TS);
  let n = 0;
  const stack = [sf];
  while (stack.length) { const node = stack.pop(); n++; node.forEachChild((c) => { stack.push(c); }); }
  return n;
}

/** Files the engine did not parse (vendored, minified, generated…), by reason: the floor parses them all. */
const engineSkipped = {};
function runEngine(file) {
  const result = analyze({ path: file.path, text: file.text }, { rules: RULES });
  if (result.skipped && !file.counted) { file.counted = true; engineSkipped[result.skipped] = (engineSkipped[result.skipped] ?? 0) + 1; }
  return result.findings.length;
}

function time(fn, files) {
  const start = process.hrtime.bigint();
  let sink = 0;
  for (const f of files) sink += fn(f);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, sink };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(label, contenders, files, rounds) {
  const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  const names = Object.keys(contenders);
  // warm-up (JIT, lazy module loads) on a slice
  for (const name of names) time(contenders[name], files.slice(0, Math.min(200, files.length)));
  for (let r = 0; r < rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]); // rotate to spread drift
    for (const name of order) results[name].push(time(contenders[name], files).ms);
  }
  const bytes = files.reduce((s, f) => s + f.bytes, 0);
  const out = {};
  for (const name of names) {
    const ms = median(results[name]);
    out[name] = { ms: Math.round(ms), minMs: Math.round(Math.min(...results[name])), filesPerSec: Math.round(files.length / (ms / 1000)), mbPerSec: +(bytes / 1e6 / (ms / 1000)).toFixed(2) };
  }
  return { label, files: files.length, mb: +(bytes / 1e6).toFixed(1), rounds, results: out, perRound: results };
}

/** `a`'s time over `b`'s, paired per round: { min, median } over the rounds. */
function paired(section, a, b) {
  const ratios = section.perRound[a].map((ms, r) => ms / section.perRound[b][r]);
  return { min: +Math.min(...ratios).toFixed(2), median: +median(ratios).toFixed(2) };
}

function runEngineBench({ count, rounds, withEslint }) {
  const { files, available } = loadCorpus({ count });
  const contenders = { 'ts parse+walk': parseAndWalk, 'factorlint engine': runEngine };
  const eslint = withEslint ? createEslintRunner() : undefined;
  if (eslint) contenders['eslint equivalent'] = eslint;
  const ts = measure('TS/JS', contenders, files, rounds);
  ts.available = available;
  ts.rules = RULES.length;
  // time ratios, paired per round: engine / floor (CPU cost over a bare parse + walk), ESLint / engine
  const engineVsFloor = paired(ts, 'factorlint engine', 'ts parse+walk');
  ts.ratios = { engineVsFloorTime: engineVsFloor, engineVsFloorThroughput: +(1 / engineVsFloor.median).toFixed(2) };
  if (withEslint) ts.ratios.eslintVsEngineTime = paired(ts, 'eslint equivalent', 'factorlint engine');
  const js = files.filter((f) => /\.[cm]?jsx?$/.test(f.path)).length;
  ts.notes = [`${js} JS files (ESLint: espree, its default parser), ${files.length - js} TS files (typescript-eslint)`, 'ratios: time over time, paired per round, {min, median} over the rounds'];
  ts.notes.push(`files the engine skips unparsed (the floor and ESLint parse them): ${JSON.stringify(engineSkipped)}`);
  if (eslint) ts.notes.push(`files ESLint's parser rejected (counted as linted, they cost a parse): ${JSON.stringify(eslint.parseErrors)} over ${rounds + 1} passes`);

  const container = loadContainerCorpus(20);
  const dockerfiles = container.filter((f) => f.kind === 'dockerfile').map((f) => ({ ...f, path: '/bench/app/Dockerfile' }));
  const composeFiles = container.filter((f) => f.kind === 'compose').map((f) => ({ ...f, path: '/bench/app/compose.yaml' }));
  const docker = measure('Dockerfile', { 'dockerfile-ast parse': (f) => DockerfileParser.parse(f.text).getInstructions().length, 'factorlint engine': runEngine }, dockerfiles, rounds);
  docker.ratios = { engineVsFloorTime: paired(docker, 'factorlint engine', 'dockerfile-ast parse'), engineVsFloorThroughput: +(docker.results['dockerfile-ast parse'].ms / docker.results['factorlint engine'].ms).toFixed(2) };
  const compose = measure('Compose', { 'yaml parse': (f) => YAML.parseAllDocuments(f.text).length, 'factorlint engine': runEngine }, composeFiles, rounds);
  compose.ratios = { engineVsFloorTime: paired(compose, 'factorlint engine', 'yaml parse'), engineVsFloorThroughput: +(compose.results['yaml parse'].ms / compose.results['factorlint engine'].ms).toFixed(2) };
  return [ts, docker, compose];
}

module.exports = { runEngineBench };
