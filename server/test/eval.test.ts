/**
 * `npm run eval` as a CI gate, plus the harness's own behaviour on a two-entry fixture corpus.
 *
 * The gate runs eval/run.js over the real corpus beside the clone (../shared/corpus): it fails on
 * any unreviewed finding or a precision figure below eval/thresholds.json. Without the corpus
 * the gate is skipped with a visible reason, except under CI, where a missing corpus must never
 * read as a pass.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '../../..');
const HARNESS = path.join(ROOT, 'eval', 'run.js');
const FIXTURE_CORPUS = path.join(ROOT, 'server', 'test', 'fixtures', '_eval-corpus');

function harness(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [HARNESS, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same lookup as the harness: FACTORLINT_CORPUS, else shared/corpus beside the clone or a parent. */
function realCorpus(): string | undefined {
  if (process.env.FACTORLINT_CORPUS) return process.env.FACTORLINT_CORPUS;
  for (let dir = path.dirname(ROOT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'corpus');
    if (fs.existsSync(path.join(candidate, 'services'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

test('eval gate: every corpus finding is reviewed and no precision figure is below eval/thresholds.json', (t) => {
  const corpus = realCorpus();
  if (!corpus) {
    if (process.env.CI) assert.fail('CI is set but the evaluation corpus (../shared/corpus) is missing: the eval gate cannot pass without it');
    t.skip('evaluation corpus not found beside the clone (../shared/corpus): eval gate NOT run');
    return;
  }
  const r = harness(['--quiet']);
  assert.equal(r.status, 0, `npm run eval failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /eval: ok/);
});

function scratch(): { verdicts: string; thresholds: string; corpus: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-eval-'));
  // a copy outside this repository: under server/test/fixtures/ every container file would be a
  // test-suite file (roles), as a fixture folder of any project's own tests is
  const corpus = path.join(dir, 'corpus');
  fs.cpSync(FIXTURE_CORPUS, corpus, { recursive: true });
  return { verdicts: path.join(dir, 'verdicts'), thresholds: path.join(dir, 'thresholds.json'), corpus };
}

test('harness: unreviewed findings fail the run and come out as a skeleton that --merge folds into verdict files', () => {
  const s = scratch();
  const base = ['--corpus', s.corpus, '--verdicts', s.verdicts, '--thresholds', s.thresholds];
  // a verdict left on a line the finding no longer uses: the skeleton points at it
  fs.mkdirSync(s.verdicts, { recursive: true });
  fs.writeFileSync(path.join(s.verdicts, 'tiny.json'), JSON.stringify({ entry: 'tiny', verdicts: [{ file: 'Dockerfile', line: 2, rule: 'security/runs-as-root', verdict: 'tp', reason: 'old anchor' }] }));
  const first = harness(base);
  assert.equal(first.status, 1, first.stdout + first.stderr);
  assert.match(first.stdout, /tiny\/Dockerfile:1 security\/runs-as-root/);
  assert.match(first.stdout, /containers-one\/docker-compose\.yml:4 concurrency\/container-name/);

  const skeleton = JSON.parse(harness([...base, '--unreviewed']).stdout) as { entries: Record<string, Array<{ rule: string; verdict: string; reason: string; hint?: string }>> };
  assert.deepEqual(Object.keys(skeleton.entries).sort(), ['containers-one', 'tiny']);
  assert.equal(skeleton.entries.tiny.find((v) => v.rule === 'security/runs-as-root')?.hint, 'moved? Dockerfile:2 was tp: old anchor');
  for (const list of Object.values(skeleton.entries)) {
    for (const v of list) { v.verdict = v.rule === 'concurrency/container-name' ? 'fp' : 'tp'; v.reason = 'test verdict'; }
  }
  const filled = path.join(path.dirname(s.verdicts), 'filled.json');
  fs.writeFileSync(filled, JSON.stringify(skeleton));
  assert.equal(harness([...base, '--merge', filled]).status, 0);
  const saved = JSON.parse(fs.readFileSync(path.join(s.verdicts, 'tiny.json'), 'utf8'));
  assert.equal(saved.entry, 'tiny');
  assert.deepEqual(Object.keys(saved.verdicts[0]), ['file', 'line', 'rule', 'verdict', 'reason'], 'the skeleton message is not kept');

  const second = harness([...base, '--json', '-']);
  assert.equal(second.status, 0, second.stdout + second.stderr);
  const summary = JSON.parse(second.stdout);
  assert.equal(summary.overall.unreviewed, 0);
  assert.equal(summary.overall.fp, 1);
  assert.equal(summary.overall.precision, summary.overall.tp / (summary.overall.tp + 1));
  assert.equal(summary.rules['concurrency/container-name'].precision, 0);
  assert.equal(summary.kinds.dockerfile.unreviewed, 0);
});

test('harness: a precision below the recorded threshold fails; a verdict whose finding vanished is listed as lost', () => {
  const s = scratch();
  const base = ['--corpus', s.corpus, '--verdicts', s.verdicts, '--thresholds', s.thresholds];
  const skeleton = JSON.parse(harness([...base, '--unreviewed']).stdout) as { entries: Record<string, Array<{ file: string; line: number; rule: string; verdict: string; reason: string }>> };
  for (const list of Object.values(skeleton.entries)) for (const v of list) { v.verdict = 'tp'; v.reason = 'test verdict'; }
  // a true finding the code no longer reports
  skeleton.entries.tiny.push({ file: 'server.js', line: 3, rule: 'logs/console-logging', verdict: 'tp', reason: 'test: lost' });
  const filled = path.join(path.dirname(s.verdicts), 'filled.json');
  fs.writeFileSync(filled, JSON.stringify(skeleton));
  harness([...base, '--merge', filled]);
  assert.equal(harness([...base, '--write-thresholds']).status, 0);
  const ok = harness(base);
  assert.equal(ok.status, 0, ok.stdout);
  assert.match(ok.stdout, /1 true finding lost/);
  assert.match(ok.stdout, /LOST tp tiny\/server\.js:3 logs\/console-logging/);

  // the same findings judged wrong now: precision 0 < recorded 1
  const verdictFile = path.join(s.verdicts, 'containers-one.json');
  const data = JSON.parse(fs.readFileSync(verdictFile, 'utf8'));
  for (const v of data.verdicts) v.verdict = 'fp';
  fs.writeFileSync(verdictFile, JSON.stringify(data));
  const dropped = harness(base);
  assert.equal(dropped.status, 1);
  assert.match(dropped.stdout, /overall: precision 0\.\d+ < recorded 1\.000/);
  assert.match(dropped.stdout, /kind:compose: precision 0\.000 < recorded 1\.000/);
});
