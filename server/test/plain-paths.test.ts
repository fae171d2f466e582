/** host/plain-paths.ts gives node:path's answers: every combination of awkward segments, against path.resolve and path.relative. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { relativizerFrom, resolverUnder } from '../src/host/plain-paths';

const SEGMENTS = ['a', 'b', '.', '..', '', '.x', '..x', 'x.', 'x..', '...', 'ab c'];
const DIRS = ['/', '/a', '/a/b', '/a/b/', '/a/./b', '/a/../b', '//a', 'a', 'a/b', '.', '/a/b..', '/ab'];

/** Every path of up to three segments (and a few longer ones), relative and absolute. */
function paths(): string[] {
  const out = new Set<string>(['']);
  for (const x of SEGMENTS) {
    out.add(x);
    for (const y of SEGMENTS) {
      out.add(`${x}/${y}`);
      for (const z of SEGMENTS) out.add(`${x}/${y}/${z}`);
    }
  }
  for (const p of [...out]) { out.add(`/${p}`); out.add(`/a/${p}`); out.add(`/a/b/${p}`); out.add(`/ab/${p}`); }
  return [...out];
}

test('resolverUnder(dir)(rel) is path.resolve(dir, rel), relativizerFrom(dir)(abs) is path.relative(dir, abs)', () => {
  const all = paths();
  let fast = 0;
  for (const dir of DIRS) {
    const resolve = resolverUnder(dir);
    const relative = relativizerFrom(dir);
    for (const p of all) {
      assert.equal(resolve(p), path.resolve(dir, p), `resolve(${JSON.stringify(dir)}, ${JSON.stringify(p)})`);
      const abs = path.resolve('/', p);
      for (const target of [abs, p.startsWith('/') ? p : `/${p}`]) {
        assert.equal(relative(target), path.relative(dir, target), `relative(${JSON.stringify(dir)}, ${JSON.stringify(target)})`);
      }
      if (path.sep === '/' && dir === '/a/b' && resolve(p) === `/a/b/${p}`) fast++;
    }
  }
  if (path.sep === '/') assert.ok(fast > 100, 'the plain paths take the concatenation');
});
