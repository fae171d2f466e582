import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisCache } from '../src/cache/analysis-cache';
import type { Finding } from '../src/engine/types';

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
