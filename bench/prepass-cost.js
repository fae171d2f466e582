'use strict';
/**
 * What the CLI's cold `--jobs 1` run pays beyond a bare parse + walk, split in the whole run:
 * node bench/prepass-cost.js [rounds] [folder...] (default: 3 rounds, the scan workspace's
 * copies of TypeORM, rxjs and NestJS). Per folder, one recording run (bench/prepass-probe.js),
 * then rounds that rotate four fresh processes of bench/scan-child.js:
 * - floor: the bare read + parse + walk of the same files;
 * - cli: the CLI's analysis as the `factorlint` process runs it;
 * - no pre-pass scan: the same with the role pre-pass's `ts.preProcessFile` answered from the
 *   recording (the same answers, so the same roles and findings);
 * - no rules: the CLI with no file rule;
 * - neither: no file rule and the pre-pass's scan answered from the recording: what the rest of
 *   the CLI's work (reads, roles, facts, the node index, the model) costs over the bare parse,
 *   a bound below which no work on the rules or on the import scan can take the run.
 * Prints each one's CPU (all threads) over the floor's of the same round, median (min–max):
 * cli minus each of the other two is what that part costs in the whole run, JIT warm-up
 * included. (The two parts do not add up: with neither, the run saves more than the sum, as
 * V8 then compiles less.) Every variant must analyse the floor's files, and the first two find
 * the same findings.
 */
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CHILD = path.join(__dirname, 'scan-child.js');
const PROBE = path.join(__dirname, 'prepass-probe.js');
const PACKAGES = path.join(__dirname, '.corpus', 'scan', 'packages');

function runChild(folder, variant, recording) {
  const args = variant === 'floor' ? [CHILD, folder, '-', '1', 'floor'] : ['-r', PROBE, CHILD, folder, '-', '1'];
  const env = { ...process.env };
  if (variant === 'record') env.PREPROCESS_RECORD = recording;
  if (variant === 'noscan' || variant === 'neither') env.PREPROCESS_REPLAY = recording;
  if (variant === 'norules' || variant === 'neither') env.SCAN_RULES = 'none';
  const out = cp.execFileSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs) => `${median(xs).toFixed(2)}× (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;

function main() {
  const args = process.argv.slice(2);
  const rounds = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 3;
  const folders = args.length > 0 ? args.map((f) => path.resolve(f)) : ['typeorm', 'rxjs', '@nestjs'].map((name) => path.join(PACKAGES, name));
  const missing = folders.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) throw new Error(`no folder ${missing.join(', ')} (bench/scan.js builds the scan workspace)`);
  const variants = ['floor', 'cli', 'noscan', 'norules', 'neither'];
  for (const folder of folders) {
    const recording = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prepass-cost-')), 'answers.json');
    const recorded = runChild(folder, 'record', recording);
    if (recorded.files === 0) throw new Error(`${folder}: no file to analyse`);
    const ratios = { cli: [], noscan: [], norules: [], neither: [] };
    for (let round = 0; round < rounds; round++) {
      const order = variants.slice(round % variants.length).concat(variants.slice(0, round % variants.length));
      const result = {};
      for (const variant of order) result[variant] = runChild(folder, variant, recording);
      for (const variant of ['cli', 'noscan', 'norules', 'neither']) {
        if (result[variant].files !== result.floor.files) throw new Error(`${variant}: ${result[variant].files} files, the floor ${result.floor.files}`);
        ratios[variant].push(result[variant].cpuMs / result.floor.cpuMs);
      }
      for (const variant of ['cli', 'noscan']) if (result[variant].findings !== recorded.findings) throw new Error(`${variant}: ${result[variant].findings} findings, the recording run ${recorded.findings}`);
      process.stderr.write(`${path.basename(folder)} round ${round + 1}: ${order.map((v) => `${v} ${result[v].cpuMs} ms`).join(', ')}; load ${os.loadavg()[0].toFixed(1)}\n`);
    }
    fs.rmSync(path.dirname(recording), { recursive: true, force: true });
    console.log(`${path.basename(folder)} (${recorded.files} files), CPU over the floor: cli ${summary(ratios.cli)} | no pre-pass scan ${summary(ratios.noscan)} | no rules ${summary(ratios.norules)} | neither ${summary(ratios.neither)}`);
  }
}

main();
