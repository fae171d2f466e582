'use strict';
/**
 * Workspace scan (issue 7, part 4): builds a 14k-file workspace under bench/.corpus/scan
 * (the pinned corpus packages, hard-linked, each with its package.json, plus generated
 * application packages with Dockerfiles and Compose files), then scans it in a child process
 * cold (no cache), warm (cache from the cold run), and in paired rounds `--jobs 1` against a
 * bare read + parse + walk of the same files on one thread (CPU), and `--jobs N` against the same
 * floor split over N worker threads (wall time: does N threads' gain reach the floor's?);
 * reports time, CPU (per thread where Node or /proc can tell), GC share, reads per file and
 * peak RSS (`/usr/bin/time -v` when present, else the child's resourceUsage).
 * Options: --scan-jobs N (default: all cores), --scan-rounds N (default 2),
 * --scan-path <folder> (the paired rounds on a part of the workspace, e.g. packages/typeorm:
 * the cold and warm runs still scan it whole), --scan-node <node binary> (the children's Node,
 * e.g. Node 24 for its compile cache and `process.threadCpuUsage`).
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

/** Hard-links `src` to `dest` (a copy across file systems), making `dest`'s folder. */
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

let childNode = process.execPath;

function runChild(args, nodeArgs = []) {
  const script = path.join(__dirname, 'scan-child.js');
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const res = timeBin
    ? cp.spawnSync(timeBin, ['-v', childNode, ...nodeArgs, script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : cp.spawnSync(childNode, [...nodeArgs, script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`scan child failed: ${res.stderr}`);
  const out = JSON.parse(res.stdout.trim().split('\n').pop());
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(res.stderr ?? '');
  if (m) out.maxRssMb = Math.round(Number(m[1]) / 1024);
  return out;
}

async function run({ args = [] } = {}) {
  const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
  const jobs = Number(opt('--scan-jobs', os.cpus().length));
  childNode = opt('--scan-node', process.execPath);
  const t0 = Date.now();
  buildWorkspace();
  const buildMs = Date.now() - t0;
  const pairedRoot = path.resolve(ROOT, opt('--scan-path', '.'));
  const cacheFile = path.join(os.tmpdir(), `factorlint-scan-bench-${process.pid}.json`);
  fs.rmSync(cacheFile, { force: true });
  const cold = runChild([ROOT, cacheFile, String(jobs)]);
  const warm = runChild([ROOT, cacheFile, String(jobs)]);
  const cacheBytes = fs.existsSync(cacheFile) ? fs.statSync(cacheFile).size : 0;
  fs.rmSync(cacheFile, { force: true });
  // Paired rounds, no cache, the four contenders in a rotated order (the machine's load moves
  // between runs): --jobs 1 and the floor on one thread (CPU ratio), --jobs N and the floor on
  // N workers (wall ratios: the floor's own gain from N threads is the condition of --jobs N's
  // target). --scan-rounds N (default 2; 0 skips).
  const rounds = Number(opt('--scan-rounds', 2));
  const contenders = {
    single: () => runChild([pairedRoot, '-', '1']),
    floor: () => runChild([pairedRoot, '-', '1', 'floor']),
    ...(jobs > 1 ? { parallel: () => runChild([pairedRoot, '-', String(jobs)]), parallelFloor: () => runChild([pairedRoot, '-', String(jobs), 'floor']) } : {}),
  };
  const names = Object.keys(contenders);
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  const loads = [];
  for (let r = 0; r < rounds; r++) {
    loads.push(os.loadavg()[0]);
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length];
      runs[name].push(contenders[name]());
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const pick = (list) => (list.length ? list.find((x) => x.cpuMs === med(list.map((y) => y.cpuMs))) : undefined);
  const perRound = (f) => runs.single.map((_, i) => f(i));
  const mm = (xs) => ({ median: +med(xs).toFixed(2), min: +Math.min(...xs).toFixed(2), max: +Math.max(...xs).toFixed(2) });
  const single = pick(runs.single);
  const floor = pick(runs.floor);
  const parallel = runs.parallel && pick(runs.parallel);
  const parallelFloor = runs.parallelFloor && pick(runs.parallelFloor);
  const results = {
    [`cold, ${cold.workers} workers`]: { ms: cold.ms, filesPerSec: Math.round(cold.files / (cold.ms / 1000)), mbPerSec: cold.maxRssMb },
    [`warm (${warm.cacheHits} cache hits)`]: { ms: warm.ms, filesPerSec: Math.round(warm.files / (warm.ms / 1000)), mbPerSec: warm.maxRssMb },
  };
  const where = pairedRoot === ROOT ? '' : ` (${path.relative(ROOT, pairedRoot)})`;
  if (single) results[`cold, --jobs 1${where}`] = { ms: single.ms, filesPerSec: Math.round(single.files / (single.ms / 1000)), mbPerSec: single.maxRssMb };
  if (floor) results['floor: read+parse+walk, 1 thread'] = { ms: floor.ms, filesPerSec: Math.round(floor.files / (floor.ms / 1000)), mbPerSec: floor.maxRssMb };
  if (parallel) results[`cold, --jobs ${jobs}${where}`] = { ms: parallel.ms, filesPerSec: Math.round(parallel.files / (parallel.ms / 1000)), mbPerSec: parallel.maxRssMb };
  if (parallelFloor) results[`floor on ${jobs} workers`] = { ms: parallelFloor.ms, filesPerSec: Math.round(parallelFloor.files / (parallelFloor.ms / 1000)), mbPerSec: parallelFloor.maxRssMb };
  const ratios = { warmVsCold: +(warm.ms / cold.ms).toFixed(3) };
  const threadsOf = (x) => (x.threads ? ` [threads: main ${x.threads.main}${x.threads.workers ? `, workers ${x.threads.workers.join(' / ')}` : ''} ms CPU]` : '');
  const notes = [];
  if (single && floor) {
    const cpuRatios = perRound((i) => runs.single[i].cpuMs / runs.floor[i].cpuMs);
    ratios.singleCpuVsFloorCpu = +med(cpuRatios).toFixed(2);
    ratios.singleCpuVsFloorCpuMin = +Math.min(...cpuRatios).toFixed(2);
    notes.push(`--jobs 1: CPU ${single.cpuMs} ms${threadsOf(single)}, GC ${single.gcMs} ms (${single.gcPct}%), reads per analysed file ${single.readsPerFile} (max ${single.maxReads}), texts kept ${single.keptTexts} of ${single.files}`);
    notes.push(`floor: CPU ${floor.cpuMs} ms${threadsOf(floor)}, GC ${floor.gcMs} ms (${floor.gcPct}%); CPU ratios per round ${cpuRatios.map((x) => x.toFixed(2)).join(', ')}`);
  }
  if (parallel && parallelFloor) {
    // the issue's condition and target, per round: wall of 1 thread over wall of N
    const floorGain = perRound((i) => runs.floor[i].ms / runs.parallelFloor[i].ms);
    const jobsGain = perRound((i) => runs.single[i].ms / runs.parallel[i].ms);
    ratios.floorGainFromWorkers = mm(floorGain);
    ratios.jobsGainFromWorkers = mm(jobsGain);
    ratios.parallelCpuVsSingleCpu = mm(perRound((i) => runs.parallel[i].cpuMs / runs.single[i].cpuMs));
    notes.push(`--jobs ${jobs}: CPU ${parallel.cpuMs} ms${threadsOf(parallel)}; floor on ${jobs} workers: CPU ${parallelFloor.cpuMs} ms${threadsOf(parallelFloor)}`);
    notes.push(`wall gain of ${jobs} threads per round: floor ${floorGain.map((x) => x.toFixed(2)).join(', ')}; factorlint ${jobsGain.map((x) => x.toFixed(2)).join(', ')} (target ≥ 1.4× where the floor gains ≥ 1.6×); load average ${loads.map((l) => l.toFixed(1)).join(', ')} at the rounds' start`);
  }
  if (single && parallel) ratios.singleVsParallelWall = +(single.ms / parallel.ms).toFixed(2);
  return [{
    label: 'Workspace scan (the CLI\'s runAnalysis) — columns: wall ms, files/s, peak RSS MB',
    files: cold.files, mb: 0, rounds: Math.max(1, rounds), results, ratios,
    notes: [
      `${cold.files} files analysed (${cold.findings} findings, ${cold.ruleErrors} rule errors) under ${path.relative(process.cwd(), ROOT)}; workspace built in ${buildMs} ms${where ? `; paired rounds on ${path.relative(ROOT, pairedRoot)} (${single?.files ?? 0} files)` : ''}`,
      `warm re-scan analysed ${warm.analysed} files; cache file ${(cacheBytes / 1e6).toFixed(1)} MB; findings warm ${warm.findings} (cold ${cold.findings})`,
      ...notes,
    ],
    raw: { cold, warm, single, floor, parallel, parallelFloor, runs },
  }];
}

module.exports = { run, place };
