/**
 * `--fix` and the CLI's writes under attack (issue 13): each test re-creates one break found by
 * the adversarial review — a stale or tampered cache written into code, a symlink that leaks or
 * clobbers a file outside the repository, a read-only or unwritable file, a device or FIFO given
 * as an input or output — and asserts the safe behaviour.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, writeTree } from './support/cli-harness';

const SERVER = "import express from 'express';\nconst app = express();\napp.listen(3000);\n";
const FIXED = SERVER.replace('app.listen(3000)', 'app.listen(Number(process.env.PORT ?? 3000))');

function tmp(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `factorlint-${prefix}-`)));
}

/** A service folder `svc` inside `dir`, plus a private cache folder for the key. */
function service(prefix: string, files: Record<string, string> = {}): { dir: string; svc: string; env: NodeJS.ProcessEnv } {
  const dir = tmp(prefix);
  writeTree(dir, { 'svc/package.json': JSON.stringify({ name: 'svc', dependencies: { express: '4.21.2' } }), 'svc/src/server.ts': SERVER, ...files });
  fs.mkdirSync(path.join(dir, 'cache-home'));
  return { dir, svc: path.join(dir, 'svc'), env: { FACTORLINT_CACHE_DIR: path.join(dir, 'cache-home') } };
}

const past = (file: string) => { const t = new Date(Date.now() - 3600_000); fs.utimesSync(file, t, t); };
const tmpFiles = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith('.tmp'));

describe('--fix fixes the bytes it analysed', () => {
  test('a content change that keeps size and mtime: the stale cached fix is not written (break 1)', () => {
    const { dir, svc, env } = service('stale');
    try {
      const file = path.join(svc, 'src/server.ts');
      past(file);
      const cache = path.join(dir, 'cache.json');
      assert.equal(runCli(dir, ['svc', '--cache-location', cache, '--fail-on', 'none', '--no-git'], env).code, 0);
      // same length, same mtime, the listen call now two lines lower
      const edited = "const app = require('express')();\n\n\napp.listen(3000);\n".padEnd(SERVER.length, ' ');
      assert.equal(edited.length, SERVER.length);
      const { mtime } = fs.statSync(file);
      fs.writeFileSync(file, edited);
      fs.utimesSync(file, mtime, mtime);
      const r = runCli(dir, ['svc', '--fix', '--cache-location', cache, '--fail-on', 'none', '--no-git'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(fs.readFileSync(file, 'utf8'), edited.replace('app.listen(3000)', 'app.listen(Number(process.env.PORT ?? 3000))'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a tampered cache, its checksum recomputed, is discarded: its "fix" never reaches the source (break 6)', () => {
    const { dir, svc, env } = service('tamper');
    try {
      const file = path.join(svc, 'src/server.ts');
      past(file);
      const cache = path.join(dir, 'cache.json');
      runCli(dir, ['svc', '--cache-location', cache, '--fail-on', 'none', '--no-git'], env);
      const raw = fs.readFileSync(cache, 'utf8');
      const body = raw.slice(raw.indexOf('\n') + 1).replace(/Number\(process\.env\.PORT \?\? 3000\)/g, "require('child_process').execSync('id')");
      assert.ok(body.includes('execSync'), 'the cache held the fix');
      // the old scheme's checksum (sha1 of the body) recomputed, as an attacker can
      const sha1 = require('node:crypto').createHash('sha1').update(body).update('\u0000').digest('hex') as string;
      fs.writeFileSync(cache, `${sha1}\n${body}`);
      const r = runCli(dir, ['svc', '--fix', '--cache-location', cache, '--fail-on', 'none', '--no-git'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(fs.readFileSync(file, 'utf8'), FIXED);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an authenticated cache with malformed findings is discarded, not a crash (break 6)', () => {
    const { dir, env } = service('schema');
    try {
      const cache = path.join(dir, 'cache.json');
      runCli(dir, ['svc', '--cache-location', cache, '--fail-on', 'none', '--no-git'], env);
      const key = Buffer.from(fs.readFileSync(path.join(dir, 'cache-home', 'cache-key'), 'utf8'), 'hex');
      assert.equal(fs.statSync(path.join(dir, 'cache-home', 'cache-key')).mode & 0o777, 0o600, 'the key is private');
      const raw = fs.readFileSync(cache, 'utf8');
      const data = JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as { entries: Record<string, { findings: Array<Record<string, unknown>> }> };
      for (const entry of Object.values(data.entries)) for (const f of entry.findings) delete f.range;
      const body = JSON.stringify(data);
      fs.writeFileSync(cache, `${createHmac('sha256', key).update(body).digest('hex')}\n${body}`);
      const r = runCli(dir, ['svc', '--cache-location', cache, '--format', 'json', '--fail-on', 'none', '--no-git'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.ok((JSON.parse(r.stdout) as { findings: Array<{ rule: string }> }).findings.some((f) => f.rule === 'port-binding/hardcoded-port'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--fix and files outside the analysed folder', () => {
  test('a symlinked .env.example pointing outside is never read, appended, replaced or printed (break 2)', () => {
    const outside = tmp('outside');
    const secret = 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';
    fs.writeFileSync(path.join(outside, 'credentials'), secret);
    const { dir, svc, env } = service('exfil', { 'svc/src/queue.ts': 'export const url = process.env.QUEUE_URL;\n', 'svc/Dockerfile': 'FROM node:22.11-slim\nUSER node\nCMD ["node", "src/server.js"]\n' });
    try {
      fs.symlinkSync(path.join(outside, 'credentials'), path.join(svc, '.env.example'));
      const dry = runCli(dir, ['svc', '--fix-dry-run', '--fail-on', 'none', '--no-git'], env);
      assert.match(dry.stderr, /\.env\.example: not fixed: symlink to a file outside the analysed folders/, 'the refused append is reported');
      assert.ok(!dry.stdout.includes('wJalrXUtnFEMI') && !dry.stderr.includes('wJalrXUtnFEMI'), dry.stdout);
      const r = runCli(dir, ['svc', '--fix', '--fail-on', 'none', '--no-git'], env);
      assert.ok(!r.stdout.includes('wJalrXUtnFEMI') && !r.stderr.includes('wJalrXUtnFEMI'));
      assert.equal(fs.readFileSync(path.join(outside, 'credentials'), 'utf8'), secret, 'the outside file is untouched');
      assert.ok(fs.lstatSync(path.join(svc, '.env.example')).isSymbolicLink(), 'the link is still a link');
      assert.equal(fs.readFileSync(path.join(svc, 'src/server.ts'), 'utf8'), FIXED, 'the rest of the run goes on');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('an in-repo symlinked file: the target is fixed and the link kept; mode 444 is skipped and reported; a failing file is one line, the run goes on (break 11)', () => {
    const long = `${'l'.repeat(240)}.ts`; // its temp file name is too long: ENAMETOOLONG on write
    const { dir, svc, env } = service('modes', { 'svc/lib/real.ts': SERVER, 'svc/src/ro.ts': SERVER, [`svc/src/${long}`]: SERVER });
    try {
      fs.symlinkSync('../lib/real.ts', path.join(svc, 'src/link.ts'));
      fs.chmodSync(path.join(svc, 'src/ro.ts'), 0o444);
      const r = runCli(dir, ['svc', '--fix', '--fail-on', 'none', '--no-git'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(fs.lstatSync(path.join(svc, 'src/link.ts')).isSymbolicLink(), 'the link is kept');
      assert.equal(fs.readFileSync(path.join(svc, 'lib/real.ts'), 'utf8'), FIXED, 'the target is fixed');
      assert.equal(fs.readFileSync(path.join(svc, 'src/ro.ts'), 'utf8'), SERVER, 'a read-only file is not rewritten');
      assert.equal(fs.statSync(path.join(svc, 'src/ro.ts')).mode & 0o777, 0o444);
      assert.match(r.stderr, /src\/ro\.ts: not fixed: read-only/);
      assert.match(r.stderr, /l{240}\.ts: not fixed: ENAMETOOLONG/);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, 'no stack trace');
      assert.equal(fs.readFileSync(path.join(svc, 'src/server.ts'), 'utf8'), FIXED, 'the other files are fixed');
      assert.deepEqual(tmpFiles(svc), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('outputs and inputs', () => {
  test('a non-regular --cache-location (a FIFO, like /dev/null) is refused, not replaced (break 7)', () => {
    // a FIFO of our own stands for /dev/null: a regression must not replace the machine's device
    const { dir, env } = service('devnull');
    try {
      const fifo = path.join(dir, 'cache.fifo');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const r = runCli(dir, ['svc', '--cache-location', fifo, '--fail-on', 'none', '--no-git'], env, 20_000);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /refusing --cache-location .*cache\.fifo: not a regular file/);
      assert.ok(fs.lstatSync(fifo).isFIFO(), 'still a FIFO');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a failed cache write exits non-zero with a message, keeps the old cache and leaves no .tmp', () => {
    const { dir, env } = service('cachefail');
    try {
      const cache = path.join(dir, `${'c'.repeat(248)}.json`); // the temp name beside it is too long
      fs.writeFileSync(cache, 'old cache');
      const r = runCli(dir, ['svc', '--cache-location', cache, '--fail-on', 'none', '--no-git'], env);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot write the cache .*ENAMETOOLONG/);
      assert.equal(fs.readFileSync(cache, 'utf8'), 'old cache');
      assert.deepEqual(tmpFiles(dir), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('baseline and -o never write through a symlink to a file outside; a failed -o leaves the old file', () => {
    const outside = tmp('outside-out');
    const victim = path.join(outside, 'victim');
    fs.writeFileSync(victim, 'keep me');
    const { dir, svc, env } = service('outlinks');
    try {
      fs.symlinkSync(victim, path.join(svc, 'report.json'));
      fs.symlinkSync(victim, path.join(svc, '.factorlint-baseline.json'));
      const o = runCli(svc, ['.', '--format', 'json', '-o', 'report.json', '--fail-on', 'none', '--no-git'], env);
      assert.equal(o.code, 2);
      assert.match(o.stderr, /cannot write --output .*outside the analysed folders/);
      const b = runCli(svc, ['.', '--baseline-create', '--no-git'], env);
      assert.equal(b.code, 2);
      assert.match(b.stderr, /cannot write baseline/);
      assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me');
      // a write that fails midway (the temp name is too long) leaves the previous output whole
      const out = path.join(svc, `${'o'.repeat(248)}.json`);
      fs.writeFileSync(out, '{"previous": true}');
      const failed = runCli(svc, ['.', '--format', 'json', '-o', out, '--fail-on', 'none', '--no-git'], env);
      assert.equal(failed.code, 2);
      assert.equal(fs.readFileSync(out, 'utf8'), '{"previous": true}');
      // the same for a baseline that cannot be rewritten (the full-disk case): the old one stays valid
      const baseline = path.join(svc, `${'b'.repeat(248)}.json`);
      fs.writeFileSync(baseline, '{"version":1,"findings":[]}');
      const recreate = runCli(svc, ['.', '--baseline', baseline, '--baseline-create', '--no-git'], env);
      assert.equal(recreate.code, 2, recreate.stderr);
      assert.match(recreate.stderr, /cannot write baseline .*ENAMETOOLONG/);
      assert.equal(fs.readFileSync(baseline, 'utf8'), '{"version":1,"findings":[]}');
      assert.deepEqual(tmpFiles(svc), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('-c /dev/zero and a FIFO as config: exit 2 with a message, no hang', () => {
    const { dir, env } = service('fifo');
    try {
      const zero = runCli(dir, ['svc', '-c', '/dev/zero', '--no-git'], env, 20_000);
      assert.equal(zero.code, 2, zero.stderr);
      assert.match(zero.stderr, /cannot read configuration file \/dev\/zero: not a regular file/);
      const fifo = path.join(dir, 'config.fifo');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const r = runCli(dir, ['svc', '-c', fifo, '--no-git'], env, 20_000);
      assert.equal(r.code, 2, `exit ${r.code}: ${r.stderr}`);
      assert.match(r.stderr, /not a regular file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
