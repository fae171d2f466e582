'use strict';
/**
 * One workspace scan in a fresh process (bench/scan.js runs it cold, then warm):
 * node bench/scan-child.js <root> <cacheFile|-> <jobs> [floor]. Runs the CLI's whole analysis
 * (`runAnalysis`: walk, role pre-pass, scan, model, workspace rules) and prints one JSON line:
 * wall time, process CPU (all threads), GC time of the main thread, files opened for reading,
 * counts, peak RSS.
 *
 * `floor`: the same walk, then a bare read + parse + walk of the same analysable files (TS/JS
 * with `ts.createSourceFile` + `forEachChild`, Dockerfiles with dockerfile-ast, Compose with
 * yaml), one thread: what the CLI's `--jobs 1` CPU is compared with.
 */
const fs = require('node:fs');
const path = require('node:path');
const { PerformanceObserver } = require('node:perf_hooks');

// count opens for reading (the CLI's reads go through fs.openSync/readFileSync)
const opened = new Map();
const countOpen = (p, flags) => { if (typeof p === 'string' && (flags === undefined || typeof flags === 'number' ? ((flags ?? 0) & 3) === 0 : flags === 'r')) opened.set(p, (opened.get(p) ?? 0) + 1); };
const openSync = fs.openSync;
fs.openSync = function (p, flags, ...rest) { countOpen(p, flags); return openSync.call(this, p, flags, ...rest); };
const readFileSync = fs.readFileSync;
fs.readFileSync = function (p, ...rest) { if (typeof p === 'string') countOpen(p); return readFileSync.call(this, p, ...rest); };

let gcMs = 0;
new PerformanceObserver((list) => { for (const e of list.getEntries()) gcMs += e.duration; }).observe({ entryTypes: ['gc'] });

const { walkFiles } = require('../out/server/src/host/walk.js');
const { ProjectFacts } = require('../out/server/src/host/project-facts.js');
const { DEFAULT_CONFIG } = require('../out/server/src/engine/config.js');
const { classifyKind } = require('../out/server/src/engine/classify.js');
const { isModelFile } = require('../out/server/src/workspace/project-model.js');

function floorScan(root) {
  const ts = require('typescript');
  const { DockerfileParser } = require('dockerfile-ast');
  const YAML = require('yaml');
  const facts = new ProjectFacts(root, { maxFileSize: DEFAULT_CONFIG.maxFileSize });
  const files = walkFiles([root], { root, maxFileSize: DEFAULT_CONFIG.maxFileSize, isIgnored: (abs, isDir) => facts.isGitIgnored(abs, isDir), accepts: isModelFile });
  const KIND = { js: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX, tsx: ts.ScriptKind.TSX, ts: ts.ScriptKind.TS };
  let nodes = 0;
  let analysed = 0;
  for (const abs of files) {
    const kind = classifyKind(abs);
    if (!kind) continue;
    analysed++;
    let text;
    try { text = fs.readFileSync(abs, 'utf8'); } catch { continue; }
    if (kind.kind === 'ts') {
      const sf = ts.createSourceFile(abs, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, KIND[kind.scriptKind ?? 'ts'] ?? ts.ScriptKind.TS);
      const stack = [sf];
      while (stack.length) { const node = stack.pop(); nodes++; node.forEachChild((c) => { stack.push(c); }); }
    } else if (kind.kind === 'dockerfile') nodes += DockerfileParser.parse(text).getInstructions().length;
    else if (kind.kind === 'compose') nodes += YAML.parseAllDocuments(text).length;
  }
  return { files: analysed, findings: 0, nodes, workers: 0 };
}

(async () => {
  const [root, cacheArg, jobsArg, mode] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let out;
  if (mode === 'floor') {
    out = floorScan(root);
  } else {
    const { runAnalysis } = require('../out/server/src/cli/analyze-paths.js');
    const result = await runAnalysis({ paths: [root], cwd: root, config: DEFAULT_CONFIG, factsRoot: root, useGit: false, jobs: Number(jobsArg) || undefined, cacheFile: cacheArg === '-' ? undefined : path.resolve(cacheArg) });
    const scan = result.scanStats ?? {};
    out = { files: result.summary.filesAnalyzed, findings: result.files.reduce((s, f) => s + f.findings.length, 0), ruleErrors: result.ruleErrors.length, keptTexts: result.files.filter((f) => typeof f.text === 'string').length, ...scan };
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries arrive asynchronously
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const reads = [...opened.entries()].filter(([p]) => classifyKind(p));
  const maxReads = reads.reduce((m, [, n]) => Math.max(m, n), 0);
  const readsPerFile = reads.length ? +(reads.reduce((s, [, n]) => s + n, 0) / reads.length).toFixed(2) : 0;
  process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), cpuMs: Math.round(cpuMs), gcMs: Math.round(gcMs), gcPct: +((100 * gcMs) / cpuMs).toFixed(1), readsPerFile, maxReads, ...out, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
})().catch((e) => { console.error(e); process.exit(1); });
