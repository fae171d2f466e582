'use strict';
/**
 * ESLint's CLI against factorlint's CLI, as a user would run each: whole processes on the same
 * folders, ESLint 9 with the equivalent rules (bench/eslint-equivalent.js: espree for JS,
 * typescript-eslint for TS, `.d.ts` ignored as factorlint skips them) against
 * `factorlint <folder> --jobs 1`. Each process's CPU (all threads) and peak RSS come from
 * bench/cpu-at-exit.js; rounds alternate the order. The folders are the scan workspace's copies
 * of three corpus packages (bench/scan.js builds it; ESLint ignores anything under node_modules),
 * linked into a temporary folder outside this repository (whose .gitignore lists bench/.corpus,
 * which factorlint obeys), with ESLint's config at its root (its base path must contain them).
 * The engine-level comparison (the Linter API against the engine, in one process) is in
 * bench/engine.js; this one adds both CLIs' start, file walk and output.
 * Options: --eslint-rounds N (default 3).
 */
const cp = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { place } = require('./scan');

const PACKAGES = ['typeorm', 'rxjs', '@nestjs'];
const CORPUS = path.join(__dirname, '.corpus');
// the package's own bin (its exports map hides it from require.resolve)
const ESLINT = path.join(path.dirname(require.resolve('eslint/package.json', { paths: [__dirname] })), 'bin', 'eslint.js');
const FACTORLINT = path.join(__dirname, '..', 'bin', 'factorlint.js');
const PRELOAD = path.join(__dirname, 'cpu-at-exit.js');

/** Hard-links (or copies) a folder's files into `dest`, as the scan workspace was built. */
function linkTree(src, dest) {
  for (const entry of fs.readdirSync(src, { withFileTypes: true })) {
    const from = path.join(src, entry.name);
    if (entry.isDirectory()) linkTree(from, path.join(dest, entry.name));
    else if (entry.isFile()) place(from, path.join(dest, entry.name));
  }
}

/** ESLint's flat config at the root of the folders. */
function writeConfig(root) {
  const file = path.join(root, 'eslint.config.js');
  fs.writeFileSync(file, `module.exports = [{ ignores: ['**/*.d.ts', '**/*.d.mts', '**/*.d.cts'] }, ...require(${JSON.stringify(path.join(__dirname, 'eslint-equivalent.js'))}).config];\n`);
  return file;
}

/** Runs one CLI process; returns its CPU, peak RSS and parsed JSON output. */
function runProcess(args, tmp, cwd) {
  const cpuFile = path.join(tmp, 'cpu.json');
  const outFile = path.join(tmp, 'out.json');
  fs.rmSync(cpuFile, { force: true });
  fs.rmSync(outFile, { force: true });
  const r = cp.spawnSync(process.execPath, ['--require', PRELOAD, ...args(outFile)], { cwd, env: { ...process.env, CPU_AT_EXIT: cpuFile }, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (!fs.existsSync(cpuFile) || !fs.existsSync(outFile)) throw new Error(`${args(outFile).join(' ')} failed (${r.status}): ${(r.stderr || '').slice(-500)}`);
  return { ...JSON.parse(fs.readFileSync(cpuFile, 'utf8')), output: JSON.parse(fs.readFileSync(outFile, 'utf8')) };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function run({ args = [] } = {}) {
  const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : def; };
  const rounds = opt('--eslint-rounds', 3);
  const sources = PACKAGES.map((name) => ({ name, src: path.join(CORPUS, 'scan', 'packages', name) })).filter((p) => fs.existsSync(p.src));
  if (sources.length === 0) return [{ label: 'ESLint CLI vs factorlint CLI', files: 0, mb: 0, rounds: 0, results: {}, notes: ['no scan workspace: run the scan bench first (bench/.corpus/scan)'] }];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-eslint-cli-'));
  const root = path.join(tmp, 'corpus');
  const packages = sources.map(({ name, src }) => ({ name, dir: path.join(root, name) }));
  sources.forEach(({ src }, i) => linkTree(src, packages[i].dir));
  const config = writeConfig(root);
  const results = {};
  const ratios = {};
  const notes = [];
  try {
    for (const pkg of packages) {
      const eslint = [];
      const ours = [];
      let counts;
      for (let r = 0; r < rounds; r++) {
        // both from the corpus root: ESLint's base path for `-c` is its working folder
        const runEslint = () => runProcess((out) => [ESLINT, '-c', config, pkg.dir, '-f', 'json', '-o', out], tmp, root);
        const runOurs = () => runProcess((out) => [FACTORLINT, pkg.dir, '--jobs', '1', '--format', 'json', '--fail-on', 'none', '-o', out], tmp, root);
        // the order alternates between rounds
        let e;
        let b;
        if (r % 2 === 0) { e = runEslint(); b = runOurs(); } else { b = runOurs(); e = runEslint(); }
        eslint.push(e);
        ours.push(b);
        counts ??= { eslintFiles: e.output.length, eslintFatal: e.output.filter((f) => f.messages.some((m) => m.fatal)).length, factorlintFiles: b.output.summary.filesAnalyzed };
      }
      const pairs = eslint.map((e, i) => e.cpuMs / ours[i].cpuMs);
      ratios[pkg.name] = { min: Number(Math.min(...pairs).toFixed(2)), median: Number(median(pairs).toFixed(2)) };
      results[`eslint ${pkg.name}`] = { ms: Math.round(median(eslint.map((x) => x.cpuMs))), filesPerSec: counts.eslintFiles, mbPerSec: median(eslint.map((x) => x.maxRssMb)) };
      results[`factorlint ${pkg.name}`] = { ms: Math.round(median(ours.map((x) => x.cpuMs))), filesPerSec: counts.factorlintFiles, mbPerSec: median(ours.map((x) => x.maxRssMb)) };
      notes.push(`${pkg.name}: ESLint linted ${counts.eslintFiles} files (${counts.eslintFatal} it could not parse), factorlint analysed ${counts.factorlintFiles}; ESLint CPU over factorlint's ${ratios[pkg.name].median}× (min ${ratios[pkg.name].min}×)`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return [{
    label: 'ESLint CLI vs factorlint CLI --jobs 1 (whole processes; columns: CPU ms, files, peak RSS MB; median over rounds)',
    files: packages.length, mb: 0, rounds, results, ratios, notes,
  }];
}

module.exports = { run };

if (require.main === module) run({ args: process.argv.slice(2) }).then((s) => console.log(JSON.stringify(s, null, 2)));
