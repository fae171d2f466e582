/**
 * A fix whose text holds a secret is withheld, never dropped (a cached run said `"fixable":
 * false` where an uncached run said `true`), and `${NAME:?message}` is not a secret (the
 * masker took the message after `:?` for a password's value and withheld every compose
 * "Require NAME from the environment" fix from the cache).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findingsForStorage, fixIsShowable, maskText } from '../src/engine/mask';
import { isFinding } from '../src/cache/cache-schema';
import { fixFiles } from '../src/cli/fix';
import { formatSarif } from '../src/cli/formats';
import { LineIndex } from '../src/engine/line-index';
import type { Finding, Fix } from '../src/engine/types';
import { runCli, writeTree } from './support/cli-harness';

const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };
const finding = (fixes: Fix[]): Finding => ({ ruleId: 'x/y', factor: 'config', severity: 'warning', message: 'm', start: 0, end: 3, range, fixes });

test('masker: the message of a ${NAME:?message} expansion is shown; a ${NAME:-default} default is still masked', () => {
  const required = '"${MYSQL_ROOT_PASSWORD:?MYSQL_ROOT_PASSWORD is required}"';
  assert.equal(maskText(required), required);
  assert.doesNotMatch(maskText('x: ${DB_PASSWORD:-hunter2hunter2}'), /hunter2hunter2/);
  assert.notEqual(maskText('DB_PASSWORD:?hunter2hunter2'), 'DB_PASSWORD:?hunter2hunter2', 'without `${` it is an assignment');
  assert.ok(fixIsShowable({ title: 'Require MYSQL_ROOT_PASSWORD from the environment', edits: [{ newText: required }] }));
});

test('storage: a secret-bearing fix becomes a withheld marker (title and kind, no edits) the cache schema accepts', () => {
  const secret: Fix = { title: `Use ${TOKEN}`, kind: 'safe', edits: [{ start: 0, end: 3, newText: TOKEN }] };
  const plain: Fix = { title: 'Pin', kind: 'unsafe', edits: [{ start: 0, end: 3, newText: 'node:22-slim' }] };
  const [stored] = findingsForStorage([finding([secret, plain])]);
  assert.doesNotMatch(JSON.stringify(stored), new RegExp(TOKEN));
  assert.deepEqual(stored.fixes, [{ title: `Use ${maskText(TOKEN)}`, kind: 'safe', edits: [], withheld: true }, plain]);
  assert.ok(isFinding(JSON.parse(JSON.stringify(stored))), 'read back from disk');
  assert.ok(!isFinding({ ...stored, fixes: [{ ...stored.fixes[0], withheld: 'yes' }] }));
  const [untouched] = findingsForStorage([finding([plain])]);
  assert.deepEqual(untouched.fixes, [plain]);
});

test('SARIF prints no fix whose text holds a secret', () => {
  const text = 'abc\n';
  const secret: Fix = { title: 'Inline', kind: 'unsafe', edits: [{ start: 0, end: 3, newText: TOKEN }] };
  const plain: Fix = { title: 'Pin', kind: 'unsafe', edits: [{ start: 0, end: 3, newText: 'xyz' }] };
  const result = { files: [{ file: '/w/a.ts', findings: [finding([secret, plain])], lines: new LineIndex(text) }], skipped: [], summary: { error: 0, warning: 1, info: 0, hint: 0, filesAnalyzed: 1, filesSkipped: 0, durationMs: 0 } };
  const log = formatSarif(result as unknown as Parameters<typeof formatSarif>[0], '/w', '0.0.0');
  assert.doesNotMatch(log, new RegExp(TOKEN));
  const fixes = (JSON.parse(log) as { runs: Array<{ results: Array<{ fixes?: Array<{ description: { text: string } }> }> }> }).runs[0].results[0].fixes;
  assert.deepEqual(fixes?.map((f) => f.description.text), ['Pin (unsafe)']);
});

test('--fix: a cached finding whose safe fix was withheld still makes its file a candidate, fixed from a fresh analysis', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fl-withheld-'));
  try {
    const abs = path.join(dir, 'a.txt');
    fs.writeFileSync(abs, 'abc\n');
    const fresh: Fix = { title: 'Replace', kind: 'safe', edits: [{ start: 0, end: 3, newText: 'xyz' }] };
    const [cached] = findingsForStorage([finding([{ ...fresh, edits: [{ start: 0, end: 3, newText: TOKEN }] }])]);
    assert.equal(cached.fixes[0].withheld, true);
    const run = fixFiles([{ abs, label: 'a.txt', findings: [cached] }], {
      dryRun: false, editRoots: [dir], appendRoots: [dir], maxFileSize: 1_000_000, labelOf: (p) => path.basename(p),
      analyze: (_abs, text) => (text.startsWith('abc') ? [finding([fresh])] : []),
    });
    assert.equal(run.fixesApplied, 1);
    assert.equal(fs.readFileSync(abs, 'utf8'), 'xyz\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: a compose secret reads fixable the same with and without the cache', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fl-withheld-cli-'));
  try {
    writeTree(dir, { 'docker-compose.yml': 'services:\n  db:\n    image: mysql:8.0.36\n    environment:\n      MYSQL_ROOT_PASSWORD: rootpassword\n' });
    const cacheFile = path.join(dir, 'cache.json');
    const fixable = (args: string[]) => {
      const out = JSON.parse(runCli(dir, ['.', '--format', 'json', '--fail-on', 'none', ...args]).stdout) as { findings: Array<{ rule: string; fixable: boolean }> };
      return out.findings.filter((f) => f.rule === 'config/hardcoded-secret').map((f) => f.fixable);
    };
    const uncached = fixable([]);
    assert.deepEqual(uncached, [true]);
    assert.deepEqual(fixable(['--cache-location', cacheFile]), uncached, 'cold, writing the cache');
    assert.deepEqual(fixable(['--cache-location', cacheFile]), uncached, 'warm, read from the cache');
    assert.doesNotMatch(fs.readFileSync(cacheFile, 'utf8'), /rootpassword/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
