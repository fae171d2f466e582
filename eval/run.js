#!/usr/bin/env node
'use strict';
/**
 * `npm run eval`: factorlint on real repositories, judged against reviewed verdicts.
 *
 * Runs the built CLI in-process (its `main`, the same code path as `bin/factorlint.js`) over
 * every service in `<corpus>/services/*` and every other entry `<corpus>/*`, each with the
 * entry's root as the analysed path AND the current folder, as a user would run it. Every
 * finding is looked up in `eval/verdicts/<entry>.json` by (file, line, rule) and counted as
 * tp / fp / debatable / unreviewed. Prints precision per rule, per file kind, per corpus and
 * overall; lists unreviewed findings and verdicts whose finding is no longer reported.
 *
 * Exit code: 0 when every finding is reviewed and no precision figure is below
 * `eval/thresholds.json`; 1 otherwise; 2 on usage errors or a missing corpus.
 * See eval/README.md for the options and the review workflow.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
/** The checkout whose built CLI is evaluated: this one, or `--cli-root <dir>` (another branch's worktree, judged with these verdicts). */
let CLI_ROOT = ROOT;
// --verdicts / --thresholds point elsewhere only for the harness's own tests
let VERDICTS_DIR = path.join(__dirname, 'verdicts');
let THRESHOLDS_FILE = path.join(__dirname, 'thresholds.json');
const VERDICTS = new Set(['tp', 'fp', 'debatable']);
/** A rule's precision is gated only when this many findings of it are decided (tp + fp). */
const MIN_FOR_RULE_GATE = 5;
const EPSILON = 1e-9;

// ---------------------------------------------------------------- arguments

function usage(message) {
  process.stderr.write(`eval: ${message}\n` +
    'usage: node eval/run.js [--entry <name>]... [--corpus <dir>] [--json [file]] [--unreviewed]\n' +
    '                        [--write-thresholds] [--merge <filled-skeleton.json>] [--quiet] [--cli-root <checkout>]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { entries: [], corpus: undefined, json: undefined, unreviewed: false, writeThresholds: false, merge: undefined, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
    if (a === '--entry') args.entries.push(value());
    else if (a === '--corpus') args.corpus = value();
    else if (a === '--json') args.json = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : '-';
    else if (a === '--unreviewed') args.unreviewed = true;
    else if (a === '--write-thresholds') args.writeThresholds = true;
    else if (a === '--merge') args.merge = value();
    else if (a === '--quiet') args.quiet = true;
    else if (a === '--cli-root') CLI_ROOT = path.resolve(value());
    else if (a === '--verdicts') VERDICTS_DIR = path.resolve(value());
    else if (a === '--thresholds') THRESHOLDS_FILE = path.resolve(value());
    else if (a === '--help' || a === '-h') usage('help');
    else usage(`unknown argument ${a}`);
  }
  if (args.writeThresholds && args.entries.length > 0) usage('--write-thresholds records whole-corpus figures: do not combine it with --entry');
  return args;
}

// ---------------------------------------------------------------- corpus

/** `--corpus`, $FACTORLINT_CORPUS, or the first `shared/corpus` beside the clone or one of its parents (worktrees sit deeper). */
function findCorpus(explicit) {
  if (explicit) return path.resolve(explicit);
  if (process.env.FACTORLINT_CORPUS) return path.resolve(process.env.FACTORLINT_CORPUS);
  for (let dir = path.dirname(ROOT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'corpus');
    if (fs.existsSync(path.join(candidate, 'services'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function listEntries(corpus) {
  const dirs = (dir) => fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const services = dirs(path.join(corpus, 'services')).map((name) => ({ name, corpus: 'services', root: path.join(corpus, 'services', name) }));
  const containers = dirs(corpus).filter((n) => n !== 'services').map((name) => ({ name, corpus: 'containers', root: path.join(corpus, name) }));
  return [...services, ...containers];
}

// ---------------------------------------------------------------- running the CLI

/** The newer of the bundle and the tsc output, as bin/factorlint.js chooses. */
function loadCli() {
  const candidates = [path.join(CLI_ROOT, 'dist', 'cli.js'), path.join(CLI_ROOT, 'out', 'server', 'src', 'cli.js')];
  const mtime = (f) => { try { return fs.statSync(f).mtimeMs; } catch { return -1; } };
  const entry = candidates.filter((f) => mtime(f) >= 0).sort((a, b) => mtime(b) - mtime(a))[0];
  if (!entry) { process.stderr.write(`eval: factorlint is not built in ${CLI_ROOT} (run \`npm run build\`, or use \`npm run eval\`)\n`); process.exit(2); }
  return require(entry);
}

async function findingsOf(cli, entry) {
  let out = '';
  let err = '';
  // --jobs 1: the entries are small, and starting worker threads for each of 39 runs costs more than it saves (27 s vs 37 s)
  const code = await cli.main(['.', '--format', 'json', '--fail-on', 'none', '--jobs', '1'], {
    cwd: entry.root, env: { ...process.env, NO_COLOR: '1' },
    stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, stdoutIsTTY: false,
  });
  if (code !== 0) throw new Error(`factorlint exited ${code} on ${entry.name}: ${err.trim()}`);
  if (err.trim()) process.stderr.write(`eval: ${entry.name}: ${err.trim()}\n`);
  const json = JSON.parse(out);
  return json.findings.map((f) => ({ file: f.file.split(path.sep).join('/'), line: f.line, rule: f.rule, message: f.message }));
}

// ---------------------------------------------------------------- verdicts

const keyOf = (x) => `${x.file}\u0000${x.line}\u0000${x.rule}`;
const compareVerdicts = (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
const verdictFile = (name) => path.join(VERDICTS_DIR, `${name}.json`);

function loadVerdicts(name) {
  const file = verdictFile(name);
  if (!fs.existsSync(file)) return { entry: name, verdicts: [] };
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (data.entry !== name || !Array.isArray(data.verdicts)) throw new Error(`${path.relative(ROOT, file)}: expected { "entry": "${name}", "verdicts": [...] }`);
  return data;
}

function writeVerdicts(name, verdicts) {
  const clean = verdicts.map((v) => ({ file: v.file, line: v.line, rule: v.rule, verdict: v.verdict, reason: v.reason })).sort(compareVerdicts);
  fs.mkdirSync(VERDICTS_DIR, { recursive: true });
  // one verdict per line: reviews and merges diff line by line
  const lines = clean.map((v) => `  ${JSON.stringify(v)}`).join(',\n');
  fs.writeFileSync(verdictFile(name), `{\n "entry": ${JSON.stringify(name)},\n "verdicts": [\n${lines}\n ]\n}\n`);
}

/** `--merge`: fold a filled `--unreviewed` skeleton (or any { entries: { name: [verdicts] } }) into the verdict files. */
function merge(file) {
  const data = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
  let added = 0;
  const skipped = [];
  for (const [name, list] of Object.entries(data.entries ?? {})) {
    const current = loadVerdicts(name);
    const byKey = new Map(current.verdicts.map((v) => [keyOf(v), v]));
    for (const v of list) {
      if (!VERDICTS.has(v.verdict) || typeof v.reason !== 'string' || !v.reason.trim()) { skipped.push(`${name}: ${v.file}:${v.line} ${v.rule}`); continue; }
      byKey.set(keyOf(v), v);
      added++;
    }
    writeVerdicts(name, [...byKey.values()]);
  }
  process.stdout.write(`eval: merged ${added} verdict${added === 1 ? '' : 's'}` + (skipped.length ? `; ${skipped.length} left without verdict or reason:\n  ${skipped.join('\n  ')}\n` : '\n'));
}

// ---------------------------------------------------------------- counting

function kindOf(file) {
  const base = file.split('/').pop();
  if (/\.(?:[cm]?[jt]sx?)$/i.test(base)) return 'ts';
  if (/dockerfile/i.test(base) || /\.dockerfile$/i.test(base) || /^containerfile/i.test(base)) return 'dockerfile';
  if (/\.ya?ml$/i.test(base)) return 'compose';
  if (/^\.env(?:\..*)?$|\.env$/i.test(base)) return 'dotenv';
  return 'other';
}

const emptyTally = () => ({ tp: 0, fp: 0, debatable: 0, unreviewed: 0 });
function figures(t) {
  const decided = t.tp + t.fp;
  return { ...t, total: t.tp + t.fp + t.debatable + t.unreviewed, precision: decided ? t.tp / decided : null, strict: decided + t.debatable ? t.tp / (decided + t.debatable) : null };
}

function evaluate(results) {
  const byRule = new Map();
  const byKind = new Map();
  const byCorpus = new Map();
  const whole = emptyTally();
  const unreviewed = [];
  const gone = [];
  const bump = (map, key, verdict) => { if (!map.has(key)) map.set(key, emptyTally()); map.get(key)[verdict]++; };
  for (const { entry, findings, verdicts } of results) {
    const byKey = new Map(verdicts.map((v) => [keyOf(v), v]));
    const seen = new Set();
    for (const f of findings) {
      const key = keyOf(f);
      if (seen.has(key)) continue; // one verdict per (file, line, rule): repeats on a line count once
      seen.add(key);
      const v = byKey.get(key);
      const verdict = v && VERDICTS.has(v.verdict) ? v.verdict : 'unreviewed';
      if (verdict === 'unreviewed') unreviewed.push({ entry: entry.name, ...f });
      bump(byRule, f.rule, verdict);
      bump(byKind, kindOf(f.file), verdict);
      bump(byCorpus, entry.corpus, verdict);
      whole[verdict]++;
    }
    for (const v of verdicts) if (!seen.has(keyOf(v))) gone.push({ entry: entry.name, ...v });
  }
  // a finding whose anchor line moved shows up as one verdict gone and one finding unreviewed:
  // point the reviewer at the old verdict when it is the only candidate of that rule in that entry
  for (const u of unreviewed) {
    const candidates = gone.filter((g) => g.entry === u.entry && g.rule === u.rule);
    if (candidates.length === 1) u.movedFrom = candidates[0];
  }
  const table = (map) => Object.fromEntries([...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, t]) => [k, figures(t)]));
  return { overall: figures(whole), corpora: table(byCorpus), kinds: table(byKind), rules: table(byRule), unreviewed, gone };
}

// ---------------------------------------------------------------- thresholds

/** The gated figures: overall, per corpus, per kind, and per rule with enough decided findings. */
function gatedFigures(summary) {
  const out = { overall: summary.overall.precision };
  for (const [k, t] of Object.entries(summary.corpora)) if (t.precision !== null) out[`corpus:${k}`] = t.precision;
  for (const [k, t] of Object.entries(summary.kinds)) if (t.precision !== null) out[`kind:${k}`] = t.precision;
  for (const [k, t] of Object.entries(summary.rules)) if (t.precision !== null && t.tp + t.fp >= MIN_FOR_RULE_GATE) out[`rule:${k}`] = t.precision;
  return out;
}

function thresholdDrops(summary) {
  if (!fs.existsSync(THRESHOLDS_FILE)) return [];
  const recorded = JSON.parse(fs.readFileSync(THRESHOLDS_FILE, 'utf8')).precision ?? {};
  const now = gatedFigures(summary);
  const drops = [];
  for (const [name, floor] of Object.entries(recorded)) {
    const value = now[name];
    if (value === undefined || value === null) continue; // a rule with no decided findings left cannot drop
    if (value < floor - EPSILON) drops.push(`${name}: precision ${fmt(value)} < recorded ${fmt(floor)}`);
  }
  return drops;
}

function writeThresholds(summary) {
  const precision = Object.fromEntries(Object.entries(gatedFigures(summary)).map(([k, v]) => [k, Math.floor(v * 10000) / 10000]));
  fs.writeFileSync(THRESHOLDS_FILE, `${JSON.stringify({ note: 'Recorded by `npm run eval -- --write-thresholds`: precision = tp/(tp+fp) on the reviewed corpus; the eval fails below these.', precision }, null, 2)}\n`);
}

// ---------------------------------------------------------------- printing

const fmt = (x) => (x === null || x === undefined ? '  -  ' : x.toFixed(3));
function printTable(title, rows) {
  const width = Math.max(title.length, ...Object.keys(rows).map((k) => k.length));
  const lines = [`${title.padEnd(width)}    tp    fp   deb  unrev  precision  strict`];
  for (const [k, t] of Object.entries(rows)) {
    lines.push(`${k.padEnd(width)} ${String(t.tp).padStart(5)} ${String(t.fp).padStart(5)} ${String(t.debatable).padStart(5)} ${String(t.unreviewed).padStart(6)}  ${fmt(t.precision).padStart(9)}  ${fmt(t.strict).padStart(6)}`);
  }
  return `${lines.join('\n')}\n\n`;
}

function skeleton(unreviewed) {
  const entries = {};
  for (const u of unreviewed) {
    const hint = u.movedFrom ? { hint: `moved? ${u.movedFrom.file}:${u.movedFrom.line} was ${u.movedFrom.verdict}: ${u.movedFrom.reason}` } : {};
    (entries[u.entry] ??= []).push({ file: u.file, line: u.line, rule: u.rule, verdict: '', reason: '', message: u.message, ...hint });
  }
  return `${JSON.stringify({ note: 'Fill verdict (tp|fp|debatable) and reason, then: node eval/run.js --merge <this file>', entries }, null, 1)}\n`;
}

// ---------------------------------------------------------------- main

async function run() {
  const args = parseArgs(process.argv.slice(2));
  if (args.merge) { merge(args.merge); return 0; }
  const corpus = findCorpus(args.corpus);
  if (!corpus) { process.stderr.write('eval: corpus not found (expected shared/corpus beside the clone; use --corpus or FACTORLINT_CORPUS)\n'); return 2; }
  let entries = listEntries(corpus);
  if (args.entries.length) {
    const unknown = args.entries.filter((n) => !entries.some((e) => e.name === n));
    if (unknown.length) usage(`no corpus entry named ${unknown.join(', ')}`);
    entries = entries.filter((e) => args.entries.includes(e.name));
  }
  const cli = loadCli();
  const started = Date.now();
  const results = [];
  for (const entry of entries) results.push({ entry, findings: await findingsOf(cli, entry), verdicts: loadVerdicts(entry.name).verdicts });
  const summary = evaluate(results);
  // a verdict file nobody reads is a typo in an entry name, or an entry the corpus lost
  const orphans = args.entries.length || !fs.existsSync(VERDICTS_DIR) ? [] : fs.readdirSync(VERDICTS_DIR)
    .filter((f) => f.endsWith('.json') && !entries.some((e) => `${e.name}.json` === f));
  for (const f of orphans) process.stderr.write(`eval: ${path.relative(ROOT, path.join(VERDICTS_DIR, f))} matches no corpus entry\n`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  if (args.unreviewed) { process.stdout.write(skeleton(summary.unreviewed)); return summary.unreviewed.length ? 1 : 0; }
  if (args.writeThresholds) {
    if (summary.unreviewed.length) { process.stderr.write(`eval: ${summary.unreviewed.length} unreviewed findings: review them before recording thresholds\n`); return 1; }
    writeThresholds(summary);
    process.stdout.write(`eval: recorded ${Object.keys(gatedFigures(summary)).length} precision figures in ${path.relative(ROOT, THRESHOLDS_FILE)}\n`);
    return 0;
  }
  // thresholds are whole-corpus figures: a subset (--entry) is compared with nothing
  const drops = args.entries.length ? [] : thresholdDrops(summary);

  if (args.json) {
    const text = `${JSON.stringify({ corpus, entries: entries.map((e) => e.name), seconds: Number(seconds), ...summary, drops }, null, 2)}\n`;
    if (args.json === '-') process.stdout.write(text); else fs.writeFileSync(path.resolve(args.json), text);
  }
  if (args.json !== '-') {
    let out = `factorlint eval: ${entries.length} corpus entries in ${seconds}s (corpus ${corpus})\n`;
    out += 'precision = tp/(tp+fp); strict = tp/(tp+fp+debatable)\n\n';
    if (!args.quiet) out += printTable('rule', summary.rules);
    out += printTable('file kind', summary.kinds);
    out += printTable('corpus', summary.corpora);
    out += printTable('whole', { overall: summary.overall });
    const lost = summary.gone.filter((g) => g.verdict === 'tp');
    const removed = summary.gone.filter((g) => g.verdict !== 'tp');
    if (summary.gone.length) {
      out += `No longer reported: ${lost.length} true finding${lost.length === 1 ? '' : 's'} lost, ${removed.length} fp/debatable removed.\n`;
      for (const g of lost) out += `  LOST tp ${g.entry}/${g.file}:${g.line} ${g.rule} (${g.reason})\n`;
      if (!args.quiet) for (const g of removed) out += `  removed ${g.verdict} ${g.entry}/${g.file}:${g.line} ${g.rule} (${g.reason})\n`;
      out += '\n';
    }
    if (summary.unreviewed.length) {
      out += `${summary.unreviewed.length} unreviewed finding${summary.unreviewed.length === 1 ? '' : 's'} (review with \`npm run eval -- --unreviewed > todo.json\`, then --merge):\n`;
      for (const u of summary.unreviewed) {
        out += `  ${u.entry}/${u.file}:${u.line} ${u.rule} ${u.message}\n`;
        if (u.movedFrom) out += `    (moved? ${u.movedFrom.file}:${u.movedFrom.line} was ${u.movedFrom.verdict}: ${u.movedFrom.reason})\n`;
      }
      out += '\n';
    }
    if (drops.length) out += `Precision below the recorded thresholds (eval/thresholds.json):\n  ${drops.join('\n  ')}\n\n`;
    out += summary.unreviewed.length || drops.length ? 'eval: FAIL\n' : 'eval: ok\n';
    process.stdout.write(out);
  }
  return summary.unreviewed.length || drops.length ? 1 : 0;
}

run().then((code) => { process.exitCode = code; }, (error) => { process.stderr.write(`eval: ${error.stack ?? error}\n`); process.exitCode = 2; });
