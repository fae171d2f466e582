'use strict';
/**
 * Engine throughput (issue 7, parts 1 and 2): factorlint's engine with every registered rule
 * vs. TypeScript parse + full walk (the floor) vs. the equivalent ESLint setup, on the same
 * files, interleaved in one run; medians over rounds. Also Dockerfile/Compose vs. their parsers.
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

function runEngine(file) {
  return analyze({ path: file.path, text: file.text }, { rules: RULES }).findings.length;
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
    out[name] = { ms: Math.round(ms), filesPerSec: Math.round(files.length / (ms / 1000)), mbPerSec: +(bytes / 1e6 / (ms / 1000)).toFixed(2) };
  }
  return { label, files: files.length, mb: +(bytes / 1e6).toFixed(1), rounds, results: out };
}

function runEngineBench({ count, rounds, withEslint }) {
  const { files, available } = loadCorpus({ count });
  const contenders = { 'ts parse+walk': parseAndWalk, 'factorlint engine': runEngine };
  if (withEslint) contenders['eslint equivalent'] = createEslintRunner();
  const ts = measure('TS/JS', contenders, files, rounds);
  ts.available = available;
  ts.rules = RULES.length;
  const floor = ts.results['ts parse+walk'].ms;
  ts.ratios = { engineVsFloorThroughput: +(floor / ts.results['factorlint engine'].ms).toFixed(2) };
  if (withEslint) ts.ratios.eslintVsEngineTime = +(ts.results['eslint equivalent'].ms / ts.results['factorlint engine'].ms).toFixed(2);

  const container = loadContainerCorpus(20);
  const dockerfiles = container.filter((f) => f.kind === 'dockerfile').map((f) => ({ ...f, path: '/bench/app/Dockerfile' }));
  const composeFiles = container.filter((f) => f.kind === 'compose').map((f) => ({ ...f, path: '/bench/app/compose.yaml' }));
  const docker = measure('Dockerfile', { 'dockerfile-ast parse': (f) => DockerfileParser.parse(f.text).getInstructions().length, 'factorlint engine': runEngine }, dockerfiles, rounds);
  docker.ratios = { engineVsFloorThroughput: +(docker.results['dockerfile-ast parse'].ms / docker.results['factorlint engine'].ms).toFixed(2) };
  const compose = measure('Compose', { 'yaml parse': (f) => YAML.parseAllDocuments(f.text).length, 'factorlint engine': runEngine }, composeFiles, rounds);
  compose.ratios = { engineVsFloorThroughput: +(compose.results['yaml parse'].ms / compose.results['factorlint engine'].ms).toFixed(2) };
  return [ts, docker, compose];
}

module.exports = { runEngineBench };
