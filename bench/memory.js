'use strict';
/**
 * Server memory over many edits (issue 15: "RSS after 10,000 edits within 1.3× of the floor's").
 * factorlint's server (debounce 0: every version analysed and published) and the incremental
 * floor (bench/floor-server.js) are spawned the same way, with bench/memory-probe.js preloaded,
 * and sampled at the same points after a full GC: all of the LSP bench's files open, then after
 * every quarter of the edits, which go round-robin over the files (each file's own edit pattern,
 * bench/latency.js `editPositions`). Rounds alternate which server runs first; ratios are paired
 * within a round, {min, median} over rounds.
 *
 * Options: --memory-edits N (default 2000; the target is stated at 10000), --memory-rounds N
 * (default 2), --progress (each session's samples on stderr as it ends), --memory-server FILE (another build's
 * dist/server.js, e.g. a before tree's).
 */
const os = require('node:os');
const path = require('node:path');
const { connect, benchFiles, editPositions, serverPath, median, minMed } = require('./latency');

const FLOOR = path.join(__dirname, 'floor-server.js');
const AT = ['open', 'q1', 'q2', 'q3', 'edited'];

/** One server: open every file, then `edits` edits round-robin; memory after a full GC at each point of AT. */
async function memorySession(server, files, edits, initializationOptions) {
  const lsp = await connect(server, initializationOptions, [], { probe: true });
  try {
    for (const file of files) await lsp.open(file);
    const samples = { open: await lsp.probe.sample() };
    const typing = files.map((file) => ({ uri: lsp.uriOf(file), positionOf: editPositions(file, file.text.split('\n')), version: 1 }));
    const quarters = [1, 2, 3].map((q) => Math.round((edits * q) / 4));
    for (let e = 1; e <= edits; e++) {
      const doc = typing[(e - 1) % typing.length];
      doc.version++;
      await lsp.change(doc.uri, doc.version, doc.positionOf(doc.version));
      const q = quarters.indexOf(e);
      if (q >= 0) samples[`q${q + 1}`] = await lsp.probe.sample();
    }
    samples.edited = await lsp.probe.sample();
    return samples;
  } finally {
    lsp.close();
  }
}

async function run({ args = [] } = {}) {
  const opt0 = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const server = opt0('--memory-server') ?? serverPath();
  if (!server) return [{ label: 'Server memory', files: 0, mb: 0, rounds: 0, results: {}, notes: ['skipped: build the server first (npm run build)'] }];
  const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
  const edits = Number(opt('--memory-edits', 2000));
  const rounds = Number(opt('--memory-rounds', 2));
  const progress = args.includes('--progress');
  const files = benchFiles();
  const ours = { debounceMs: 0 };
  const floorRuns = [];
  const ourRuns = [];
  for (let r = 0; r < rounds; r++) {
    const runFloor = () => memorySession(FLOOR, files, edits, undefined);
    const runOurs = () => memorySession(server, files, edits, { factorlint: ours });
    const order = r % 2 === 0 ? [['floor', runFloor, floorRuns], ['factorlint', runOurs, ourRuns]] : [['factorlint', runOurs, ourRuns], ['floor', runFloor, floorRuns]];
    for (const [who, runOne, into] of order) {
      const t0 = Date.now();
      into.push(await runOne());
      if (progress) process.stderr.write(`memory: round ${r + 1} ${who} done in ${Math.round((Date.now() - t0) / 1000)} s, load ${os.loadavg()[0].toFixed(1)}: ${JSON.stringify(into[into.length - 1])}\n`);
    }
  }
  const results = {};
  for (const at of AT) {
    // columns: RSS MB, heap used MB, external MB (median round)
    for (const [label, runs] of [['floor', floorRuns], ['factorlint', ourRuns]]) {
      results[`${label} ${at}`] = { ms: median(runs.map((x) => x[at].rssMb)), filesPerSec: median(runs.map((x) => x[at].heapUsedMb)), mbPerSec: median(runs.map((x) => x[at].externalMb)) };
    }
  }
  const paired = (fn) => minMed(floorRuns.map((floor, r) => fn(floor, ourRuns[r])));
  const ratios = {};
  for (const at of AT) {
    ratios[`RSS ${at} vs floor`] = paired((fl, us) => us[at].rssMb / fl[at].rssMb);
    ratios[`heap ${at} vs floor`] = paired((fl, us) => us[at].heapUsedMb / fl[at].heapUsedMb);
  }
  return [{
    label: `Server memory — ${files.length} files open, ${edits} edits round-robin (debounceMs 0), ${rounds} paired rounds; after a full GC in each server (bench/memory-probe.js); rows: open, after each quarter of the edits; columns: RSS MB, heap used MB, external MB (median round)`,
    files: files.length, mb: 0, rounds, results, ratios, edits,
    notes: [`ratios are factorlint/floor per round, paired: {min, median} over ${rounds} rounds`],
    raw: { floor: floorRuns, factorlint: ourRuns },
  }];
}

module.exports = { run, memorySession };

if (require.main === module) {
  run({ args: [...process.argv.slice(2), '--progress'] }).then((sections) => console.log(JSON.stringify(sections[0], (k, v) => (k === 'raw' ? undefined : v), 2)), (e) => { console.error(e); process.exit(1); });
}
