/** `--fix-dry-run --extract-env`: the extract-to-environment refactoring shown as diffs, nothing written, no secret printed. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const CLI = path.resolve(__dirname, '../src/cli.js');
const SECRET = 'sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK';

test('--extract-env shows the refactoring as diffs and writes nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-extract-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"svc","dependencies":{"express":"^4","pg":"^8"}}');
    fs.mkdirSync(path.join(dir, 'src'));
    const source = `import express from 'express';\nimport { Pool } from 'pg';\nconst stripeKey = '${SECRET}';\nconst pool = new Pool({ connectionString: 'postgres://app:hunter2-long-pass@db:5432/app' });\nexpress().listen(Number(process.env.PORT ?? 3000));\nprocess.on('SIGTERM', () => process.exit(0));\nexport { stripeKey, pool };\n`;
    fs.writeFileSync(path.join(dir, 'src', 'server.ts'), source);
    const r = spawnSync(process.execPath, [CLI, '.', '--fix-dry-run', '--extract-env', '--no-git', '--fail-on', 'none'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Extract to environment variable/);
    assert.match(r.stdout, /^\+const stripeKey = process\.env\.STRIPE_KEY;$/m);
    assert.match(r.stdout, /^\+const pool = new Pool\(\{ connectionString: process\.env\.DATABASE_URL \}\);$/m);
    assert.match(r.stdout, /^\+\+\+ b\/\.env\.example$/m);
    assert.match(r.stdout, /^\+DATABASE_URL=postgres:\/\/app:CHANGE_ME@db:5432\/app$/m);
    assert.ok(!r.stdout.includes(SECRET) && !r.stdout.includes('hunter2-long-pass'), 'no secret printed');
    assert.equal(fs.readFileSync(path.join(dir, 'src', 'server.ts'), 'utf8'), source, 'nothing written');
    assert.equal(fs.existsSync(path.join(dir, '.env.example')), false, 'nothing created');
    const usage = spawnSync(process.execPath, [CLI, '.', '--extract-env'], { cwd: dir, encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--extract-env goes with --fix-dry-run/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
