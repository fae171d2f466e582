import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisCache } from '../src/cache/analysis-cache';
import { FactsCache } from '../src/cache/facts-cache';
import { cacheTag } from '../src/cache/cache-key';
import type { Finding } from '../src/engine/types';
import type { RoleInputs } from '../src/workspace/roles';

const finding: Finding = { ruleId: 'config/x', factor: 'config', severity: 'warning', message: 'm', start: 0, end: 1, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, fixes: [] };

describe('analysis cache', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-cache-'));
  const file = path.join(dir, 'cache.json');
  test('round trip: hits for unchanged content, misses for changed content', () => {
    const c = new AnalysisCache(file, 'v1');
    c.set('/a.ts', 'one', [finding]);
    c.save();
    const d = new AnalysisCache(file, 'v1');
    assert.deepEqual(d.get('/a.ts', 'one'), [finding]);
    assert.equal(d.get('/a.ts', 'two'), undefined);
    assert.equal(d.hits, 1);
    assert.equal(d.misses, 1);
  });
  test('a different salt (engine version or config) empties the cache', () => {
    assert.equal(new AnalysisCache(file, 'v2').get('/a.ts', 'one'), undefined);
  });
  test('a corrupted or truncated cache is discarded, never a crash', () => {
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.length / 2));
    assert.equal(new AnalysisCache(file, 'v1').get('/a.ts', 'one'), undefined);
    fs.writeFileSync(file, text.replace('"m"', '"tampered"'));
    assert.equal(new AnalysisCache(file, 'v1').get('/a.ts', 'one'), undefined, 'checksum mismatch');
    fs.writeFileSync(file, '\u0000\u0001binary');
    assert.equal(new AnalysisCache(file, 'v1').get('/a.ts', 'one'), undefined);
  });
});

describe('one result cache for the CLI and the language server', () => {
  const SRC = path.resolve(__dirname, '../../../server/src');
  const code = (rel: string) => fs.readFileSync(path.join(SRC, rel), 'utf8');

  test('the CLI scan, the server\'s facts cache and its workspace results all keep results in AnalysisCache', () => {
    for (const rel of ['host/parallel-analyze.ts', 'cache/facts-cache.ts', 'features/workspace-analysis.ts']) {
      assert.match(code(rel), /new AnalysisCache\(/, `${rel} uses the one result cache`);
    }
    assert.match(code('features/index-scan.ts'), /new FactsCache\(/, 'the workspace index persists facts through it (its scan, in either thread)');
  });

  test('one key scheme: no module outside cache/ hashes on its own, except the write guard and baseline fingerprints', () => {
    const files = (fs.readdirSync(SRC, { recursive: true, encoding: 'utf8' }) as string[]).filter((rel) => rel.endsWith('.ts') && !rel.startsWith('cache/'));
    const hashing = files.filter((rel) => /from 'node:crypto'|require\('node:crypto'\)|from 'crypto'/.test(code(rel))).sort();
    // safe-fs: the hash a write checks the file against (not a cache); baseline: finding fingerprints (a file format)
    assert.deepEqual(hashing, ['host/safe-fs.ts', 'report/baseline.ts']);
  });

  test('the server\'s facts cache is authenticated and schema-checked like the CLI\'s: a tampered file is discarded', () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-facts-')));
    const saved = process.env.FACTORLINT_CACHE_DIR;
    process.env.FACTORLINT_CACHE_DIR = path.join(dir, 'key-home');
    try {
      const source = path.join(dir, 'server.ts');
      fs.writeFileSync(source, 'export const port = 1;\n');
      const past = new Date(Date.now() - 3600_000);
      fs.utimesSync(source, past, past);
      const file = path.join(dir, 'facts.json');
      const facts = { path: 'server.ts', marker: 'facts-of-server' } as never;
      const writer = new FactsCache(file, 1_000_000);
      writer.store(source, 'export const port = 1;\n', facts);
      writer.save([source]);
      const text = fs.readFileSync(file, 'utf8');
      assert.match(text, /^[0-9a-f]{64}\n\{/, 'the HMAC tag of the per-user key, then the JSON');
      assert.equal((fs.statSync(file).mode & 0o077), 0, 'readable by its user only');
      assert.deepEqual(new FactsCache(file, 1_000_000).lookup(source), facts, 'a warm start reads it back');
      fs.writeFileSync(file, text.replace('facts-of-server', 'facts-of-attack'));
      assert.equal(new FactsCache(file, 1_000_000).lookup(source), undefined, 'an edited body fails authentication');
      const body = text.slice(text.indexOf('\n') + 1);
      assert.ok(body.includes('"findings":[]'));
      const misshapen = body.replace('"findings":[]', '"findings":"none"');
      fs.writeFileSync(file, `${cacheTag(misshapen)}\n${misshapen}`);
      assert.equal(new FactsCache(file, 1_000_000).lookup(source), undefined, 'authentic but not of the schema\'s shape: discarded');
      fs.writeFileSync(file, `${cacheTag(body)}\n${body}`);
      assert.deepEqual(new FactsCache(file, 1_000_000).lookup(source), facts, 'the same body, tagged with this user\'s key, is trusted again');
    } finally {
      if (saved === undefined) delete process.env.FACTORLINT_CACHE_DIR; else process.env.FACTORLINT_CACHE_DIR = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('in memory nothing is masked (nothing leaves the process); persisted, a fix holding a secret is withheld (title and kind kept, no edits)', () => {
    const secretFix: Finding = { ...finding, fixes: [{ title: 'inline', kind: 'safe', edits: [{ start: 0, end: 1, newText: 'API_TOKEN=sk_live_abcdefghijklmnopqrstuvwx' }] }] };
    const memory = new AnalysisCache(undefined, 'memory');
    memory.setHashed('/a.ts', 'k', [secretFix], undefined, undefined, undefined, false);
    assert.deepEqual(memory.getResult('/a.ts', 'k'), { findings: [secretFix], counted: false });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-cache-'));
    try {
      const persisted = new AnalysisCache(path.join(dir, 'c.json'), 'disk');
      persisted.setHashed('/a.ts', 'k', [secretFix]);
      assert.deepEqual(persisted.getResult('/a.ts', 'k'), { findings: [{ ...secretFix, fixes: [{ title: 'inline', kind: 'safe', edits: [], withheld: true }] }], counted: true });
      persisted.forget('/a.ts');
      assert.equal(persisted.getResult('/a.ts', 'k'), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('roles kept for their evidence: taken back for the same evidence, never kept with a reason the masker would change', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-cache-'));
    const inputs = (imports: string[]): RoleInputs => ({ sources: new Map([['src/a.ts', { imports }]]), packages: [], dockerfiles: [], procfiles: [], serverless: [], htmlScripts: [], tsconfigs: [] });
    const decided = (reason: string) => { let calls = 0; return { decide: () => { calls++; return new Map([['src/a.ts', { role: 'script' as const, reason }], ['src/b.ts', { role: 'server' as const, reason: 'plain' }]]); }, calls: () => calls }; };
    try {
      const file = path.join(dir, 'c.json');
      const first = decided('run by the package script "seed" of package.json');
      const c = new AnalysisCache(file, 'roles');
      c.rolesOf(inputs(['./b']), first.decide);
      c.save();
      const d = new AnalysisCache(file, 'roles');
      const again = decided('other');
      assert.deepEqual([...d.rolesOf(inputs(['./b']), again.decide)], [...first.decide()], 'the same evidence: the kept roles, in their order');
      assert.equal(again.calls(), 0);
      d.rolesOf(inputs(['./c']), again.decide);
      assert.equal(again.calls(), 1, 'other evidence: decided');
      // a reason holding something the masker hides is not persisted (it would come back masked)
      const secret = decided('run by the package script "deploy" (API_TOKEN=sk_live_abcdefghijklmnopqrstuvwx)');
      const e = new AnalysisCache(path.join(dir, 's.json'), 'roles');
      e.rolesOf(inputs(['./s']), secret.decide);
      e.save();
      assert.ok(!fs.existsSync(path.join(dir, 's.json')) || !fs.readFileSync(path.join(dir, 's.json'), 'utf8').includes('sk_live_'), 'the secret is not written');
      const f = new AnalysisCache(path.join(dir, 's.json'), 'roles');
      const later = decided('x');
      f.rolesOf(inputs(['./s']), later.decide);
      assert.equal(later.calls(), 1, 'not kept: decided again');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a body with non-ASCII text is tagged and read back by its bytes as by its text: the file is what it was (tag of the text, newline, the text)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-cache-'));
    try {
      const file = path.join(dir, 'c.json');
      const wide: Finding = { ...finding, message: 'résumé → “quoted” … 日本 😀' };
      const c = new AnalysisCache(file, 'utf8');
      c.setHashed('/é.ts', 'k', [wide]);
      c.save();
      const raw = fs.readFileSync(file, 'utf8');
      const newline = raw.indexOf('\n');
      assert.equal(raw.slice(0, newline), cacheTag(raw.slice(newline + 1)), 'the tag of the text, as before');
      assert.deepEqual(new AnalysisCache(file, 'utf8').getResult('/é.ts', 'k')?.findings, [wide]);
      // one byte of the body changed: not authentic
      const bytes = fs.readFileSync(file);
      bytes[bytes.length - 3] ^= 1;
      fs.writeFileSync(file, bytes);
      assert.equal(new AnalysisCache(file, 'utf8').getResult('/é.ts', 'k'), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
