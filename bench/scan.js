'use strict';
/**
 * Workspace scan (issue 7, part 4): builds a 14k-file workspace under bench/.corpus/scan
 * (the pinned corpus packages, hard-linked, each with its package.json, plus generated
 * application packages with Dockerfiles and Compose files), then scans it in a child process
 * cold (no cache), warm (cache from the cold run), and `--jobs 1` against a bare read + parse +
 * walk of the same files (CPU, paired per round); reports time, CPU, GC share, reads per file and
 * peak RSS (`/usr/bin/time -v` when present, else the child's resourceUsage).
 * Options: --scan-jobs N (default: all cores), --scan-rounds N (default 2).
 */
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { listSources } = require('./corpus');

const ROOT = path.join(__dirname, '.corpus', 'scan');
const SOURCE_ROOT = path.join(__dirname, 'node_modules');
const GENERATED_APPS = 30;
const FILES_PER_APP = 100;
// walkFiles skips these folder names (dependencies, build output): rename them in the copy
const RENAME = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.turbo', '.cache', '.git']);

function place(src, dest) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  try { fs.linkSync(src, dest); } catch { fs.copyFileSync(src, dest); }
}

function appFile(app, i) {
  return `import express from 'express';
import { Pool } from 'pg';
import { logger } from '../logger';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
export const router${i} = express.Router();

export interface Item${i} { id: string; name: string; price: number }

router${i}.get('/items/${i}/:id', async (req, res) => {
  const { rows } = await pool.query('select * from items where id = $1', [req.params.id]);
  if (rows.length === 0) return res.status(404).json({ error: 'not found' });
  logger.info({ id: req.params.id }, 'item read');
  res.json(rows[0] as Item${i});
});

router${i}.post('/items/${i}', async (req, res) => {
  ${i % 7 === 0 ? "console.log('creating item', req.body);" : "logger.debug('creating item');"}
  const { rows } = await pool.query('insert into items(name, price) values ($1, $2) returning id', [req.body.name, req.body.price]);
  res.status(201).json({ id: rows[0].id });
});
${i % 11 === 0 ? `\nconst API_URL = 'https://api.partner-${app}.example.com/v1';\nexport const partner = () => fetch(API_URL);\n` : ''}`;
}

function buildWorkspace() {
  const marker = path.join(ROOT, '.complete');
  if (fs.existsSync(marker)) return;
  fs.rmSync(ROOT, { recursive: true, force: true });
  const sources = listSources();
  if (sources.length === 0) throw new Error('bench corpus missing: run `npm ci --prefix bench`');
  const packageDirs = new Set();
  for (const src of sources) {
    const rel = path.relative(SOURCE_ROOT, src).split(path.sep).map((seg) => (RENAME.has(seg) ? `${seg.replace(/^\./, '')}_` : seg));
    place(src, path.join(ROOT, 'packages', ...rel));
    const top = rel[0].startsWith('@') ? path.join(rel[0], rel[1]) : rel[0];
    packageDirs.add(top);
  }
  for (const top of packageDirs) {
    const real = path.join(SOURCE_ROOT, top, 'package.json');
    const dest = path.join(ROOT, 'packages', top, 'package.json');
    if (fs.existsSync(real)) place(real, dest);
  }
  fs.writeFileSync(path.join(ROOT, 'package.json'), JSON.stringify({ name: 'scan-bench', private: true, workspaces: ['packages/*', 'packages/@*/*', 'apps/*'] }, null, 2));
  for (let a = 0; a < GENERATED_APPS; a++) {
    const dir = path.join(ROOT, 'apps', `service-${a}`);
    fs.mkdirSync(path.join(dir, 'src', 'routes'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `service-${a}`, version: '1.0.0', main: 'dist/index.js', scripts: { start: 'node dist/index.js' }, dependencies: { express: '^5.0.0', pg: '^8.0.0', pino: '^9.0.0' } }, null, 2));
    fs.writeFileSync(path.join(dir, 'src', 'logger.ts'), "import pino from 'pino';\nexport const logger = pino();\n");
    fs.writeFileSync(path.join(dir, 'src', 'index.ts'), `import express from 'express';\nconst app = express();\nconst port = Number(process.env.PORT ?? 3000);\nconst server = app.listen(port);\nprocess.on('SIGTERM', () => server.close());\n`);
    for (let i = 0; i < FILES_PER_APP; i++) fs.writeFileSync(path.join(dir, 'src', 'routes', `items-${i}.ts`), appFile(a, i));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\n${a % 3 === 0 ? 'CMD npm start' : 'USER node\nCMD ["node", "dist/index.js"]'}\n`);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `services:\n  app:\n    build: .\n    ports:\n      - "${3000 + a}:3000"\n    environment:\n      DATABASE_URL: \${DATABASE_URL}\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n`);
    fs.writeFileSync(path.join(dir, '.env.example'), 'DATABASE_URL=\nPORT=3000\n');
  }
  fs.writeFileSync(marker, new Date().toISOString());
}

function runChild(args, nodeArgs = []) {
  const script = path.join(__dirname, 'scan-child.js');
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const res = timeBin
    ? cp.spawnSync(timeBin, ['-v', process.execPath, ...nodeArgs, script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : cp.spawnSync(process.execPath, [...nodeArgs, script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`scan child failed: ${res.stderr}`);
  const out = JSON.parse(res.stdout.trim().split('\n').pop());
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr ?? '');
  if (m) out.maxRssMb = Math.round(Number(m[1]) / 1024);
  return out;
}

async function run({ args = [] } = {}) {
  const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
  const jobs = Number(opt('--scan-jobs', os.cpus().length));
  const t0 = Date.now();
  buildWorkspace();
  const buildMs = Date.now() - t0;
  const cacheFile = path.join(os.tmpdir(), `factorlint-scan-bench-${process.pid}.json`);
  fs.rmSync(cacheFile, { force: true });
  const cold = runChild([ROOT, cacheFile, String(jobs)]);
  const warm = runChild([ROOT, cacheFile, String(jobs)]);
  const cacheBytes = fs.existsSync(cacheFile) ? fs.statSync(cacheFile).size : 0;
  fs.rmSync(cacheFile, { force: true });
  // --jobs 1 (no cache) against the floor — a bare read + parse + walk of the same files — paired
  // per round, alternating order; --scan-rounds N (default 2; 0 skips)
  const rounds = Number(opt('--scan-rounds', 2));
  const singles = [];
  const floors = [];
  for (let r = 0; r < rounds; r++) {
    const pair = r % 2 === 0 ? [() => singles.push(runChild([ROOT, '-', '1'])), () => floors.push(runChild([ROOT, '-', '1', 'floor']))] : [() => floors.push(runChild([ROOT, '-', '1', 'floor'])), () => singles.push(runChild([ROOT, '-', '1']))];
    for (const step of pair) step();
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const pick = (runs) => (runs.length ? runs.find((x) => x.cpuMs === med(runs.map((y) => y.cpuMs))) : undefined);
  const single = pick(singles);
  const floor = pick(floors);
  const results = {
    [`cold, ${cold.workers} workers`]: { ms: cold.ms, filesPerSec: Math.round(cold.files / (cold.ms / 1000)), mbPerSec: cold.maxRssMb },
    [`warm (${warm.cacheHits} cache hits)`]: { ms: warm.ms, filesPerSec: Math.round(warm.files / (warm.ms / 1000)), mbPerSec: warm.maxRssMb },
  };
  if (single) results['cold, --jobs 1'] = { ms: single.ms, filesPerSec: Math.round(single.files / (single.ms / 1000)), mbPerSec: single.maxRssMb };
  if (floor) results['floor: read+parse+walk, 1 thread'] = { ms: floor.ms, filesPerSec: Math.round(floor.files / (floor.ms / 1000)), mbPerSec: floor.maxRssMb };
  const ratios = { warmVsCold: +(warm.ms / cold.ms).toFixed(3) };
  if (single && floor) {
    const cpuRatios = singles.map((s, i) => s.cpuMs / floors[i].cpuMs);
    ratios.singleCpuVsFloorCpu = +med(cpuRatios).toFixed(2);
    ratios.singleCpuVsFloorCpuMin = +Math.min(...cpuRatios).toFixed(2);
    ratios.singleVsParallelWall = +(single.ms / cold.ms).toFixed(2);
  }
  return [{
    label: 'Workspace scan (the CLI\'s runAnalysis) — columns: wall ms, files/s, peak RSS MB',
    files: cold.files, mb: 0, rounds: Math.max(1, rounds), results, ratios,
    notes: [
      `${cold.files} files analysed (${cold.findings} findings, ${cold.ruleErrors} rule errors) under ${path.relative(process.cwd(), ROOT)}; workspace built in ${buildMs} ms`,
      `warm re-scan analysed ${warm.analysed} files; cache file ${(cacheBytes / 1e6).toFixed(1)} MB; findings warm ${warm.findings} (cold ${cold.findings})`,
      ...(single ? [`--jobs 1: CPU ${single.cpuMs} ms, GC ${single.gcMs} ms (${single.gcPct}%), reads per analysed file ${single.readsPerFile} (max ${single.maxReads}), texts kept ${single.keptTexts} of ${single.files}`] : []),
      ...(floor ? [`floor: CPU ${floor.cpuMs} ms, GC ${floor.gcMs} ms (${floor.gcPct}%); CPU ratios per round ${singles.map((s, i) => (s.cpuMs / floors[i].cpuMs).toFixed(2)).join(', ')}`] : []),
    ],
    raw: { cold, warm, single, floor, singles, floors },
  }];
}

module.exports = { run };
