import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { inShard, mergeJsonReports, parseShard, type JsonReport } from '../src/shard';

describe('sharding', () => {
  test('parseShard accepts K/N and rejects nonsense with a readable message', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, total: 4 });
    assert.throws(() => parseShard('0/4'), /between 1 and N/);
    assert.throws(() => parseShard('5/4'), /between 1 and N/);
    assert.throws(() => parseShard('two'), /expects K\/N/);
  });
  test('every file lands in exactly one shard, deterministically, and shards are balanced', () => {
    const files = Array.from({ length: 2000 }, (_, i) => `packages/p${i % 37}/src/module-${i}.ts`);
    const n = 4;
    const counts = [0, 0, 0, 0];
    for (const f of files) {
      const owners = [1, 2, 3, 4].filter((k) => inShard(f, { index: k, total: n }));
      assert.equal(owners.length, 1, f);
      counts[owners[0] - 1]++;
      assert.equal(inShard(f, { index: owners[0], total: n }), true, 'stable');
    }
    for (const c of counts) assert.ok(c > 400 && c < 600, `unbalanced: ${counts}`);
    assert.equal(inShard('a\\b.ts', { index: 1, total: 3 }), inShard('a/b.ts', { index: 1, total: 3 }), 'separator independent');
  });
  test('merge de-duplicates, sorts and recounts', () => {
    const f = (file: string, line: number, severity = 'warning') => ({ file, line, column: 1, rule: 'config/x', severity, message: 'm' });
    const a: JsonReport = { version: 1, findings: [f('b.ts', 2), f('ws.yaml', 1, 'info')], summary: { filesAnalyzed: 3, warning: 1, info: 1 } };
    const b: JsonReport = { version: 1, findings: [f('a.ts', 5, 'error'), f('ws.yaml', 1, 'info')], summary: { filesAnalyzed: 2, error: 1, info: 1 } };
    const merged = mergeJsonReports([a, b]);
    assert.deepEqual(merged.findings.map((x) => x.file), ['a.ts', 'b.ts', 'ws.yaml']);
    assert.equal(merged.summary.filesAnalyzed, 5);
    assert.equal(merged.summary.info, 1);
    assert.equal(merged.summary.error, 1);
    assert.equal(merged.summary.shardsMerged, 2);
    assert.throws(() => mergeJsonReports([{ version: 2 } as unknown as JsonReport]), /not a factorlint JSON report/);
  });
});
