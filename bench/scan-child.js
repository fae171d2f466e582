'use strict';
/**
 * One workspace scan in a fresh process (bench/scan.js runs it cold, then warm):
 * node bench/scan-child.js <root> <cacheFile|-> <jobs>. Walks the root like the CLI, analyses
 * every file with the worker pool, prints one JSON line: time, counts, peak RSS.
 */
const path = require('node:path');
const { scanFiles } = require('../out/server/src/host/parallel-analyze.js');
const { walkFiles } = require('../out/server/src/host/walk.js');
const { ProjectFacts } = require('../out/server/src/host/project-facts.js');
const { DEFAULT_CONFIG } = require('../out/server/src/engine/config.js');

(async () => {
  const [root, cacheArg, jobsArg] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const facts = new ProjectFacts(root, { maxFileSize: DEFAULT_CONFIG.maxFileSize });
  const stats = new Map();
  const files = walkFiles([root], { root, stats, maxFileSize: DEFAULT_CONFIG.maxFileSize, isIgnored: (abs, isDir) => facts.isGitIgnored(abs, isDir) });
  const walkMs = Number(process.hrtime.bigint() - started) / 1e6;
  const result = await scanFiles({ files, factsRoot: root, config: DEFAULT_CONFIG, stats, jobs: Number(jobsArg) || undefined, cacheFile: cacheArg === '-' ? undefined : path.resolve(cacheArg) });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const findings = result.files.reduce((s, f) => s + f.findings.length, 0);
  const bytes = 0;
  process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), walkMs: Math.round(walkMs), files: files.length, findings, bytes, ruleErrors: result.ruleErrors.length, ...result.stats, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
})().catch((e) => { console.error(e); process.exit(1); });
