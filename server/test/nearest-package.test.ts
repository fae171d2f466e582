/**
 * The memoised "nearest package" lookups (`firstContaining`, `packageDirOf`) answer exactly what
 * the linear scans they replaced answered, for every path — folders shared by many files, paths
 * above the root, package dirs nested, repeated or equal to a path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { firstContaining, isUnder } from '../src/workspace/paths';
import { packageDirOf } from '../src/workspace/resolve';
import { nearestValidPackage } from '../src/workspace/project-context-for';
import type { PackageFact, ProjectModel } from '../src/workspace/model-types';

const segment = fc.constantFrom('a', 'b', 'src', 'pkg', '..', 'x.ts', 'index.js');
const dirPath = fc.array(segment, { maxLength: 4 }).map((parts) => parts.join('/'));
const filePath = fc.tuple(dirPath, fc.constantFrom('main.ts', 'x.ts', 'index.js', 'a')).map(([dir, name]) => (dir ? `${dir}/${name}` : name));

test('firstContaining(list)(path) is list.find((x) => isUnder(path, x.dir)) for every path', () => {
  fc.assert(fc.property(fc.array(dirPath.map((dir) => ({ dir })), { maxLength: 8 }), fc.array(fc.oneof(filePath, dirPath), { maxLength: 30 }), (dirs, paths) => {
    const items = dirs.map((d, i) => ({ ...d, i }));
    const lookup = firstContaining(items);
    for (const p of paths) assert.equal(lookup(p), items.find((x) => isUnder(p, x.dir)), p);
  }), { numRuns: 2000 });
});

test('packageDirOf is the longest containing package dir, as the scan over every package gave', () => {
  const reference = (packages: readonly PackageFact[], path: string) => {
    let best = '';
    for (const p of packages) if (isUnder(path, p.dir) && p.dir.length >= best.length) best = p.dir;
    return best;
  };
  fc.assert(fc.property(fc.array(dirPath, { maxLength: 8 }), fc.array(fc.oneof(filePath, dirPath), { maxLength: 30 }), (dirs, paths) => {
    const model = { packages: dirs.map((dir) => ({ dir }) as PackageFact) } as unknown as ProjectModel;
    for (const p of paths) assert.equal(packageDirOf(model, p), reference(model.packages, p), p);
  }), { numRuns: 2000 });
});

test('nearestValidPackage(packages)(path) is the deepest valid package containing the path, as the scan over every package gave', () => {
  const packageDir = fc.oneof(dirPath, fc.constantFrom('', '.', 'a/', '/abs', '..'));
  fc.assert(fc.property(fc.array(fc.tuple(packageDir, fc.boolean()), { maxLength: 8 }), fc.array(fc.oneof(filePath, dirPath, fc.constantFrom('../x.ts', '/abs/x.ts', '..')), { maxLength: 30 }), (dirs, paths) => {
    const packages = dirs.map(([dir, valid], i) => ({ dir, valid, path: `${i}` }) as unknown as PackageFact);
    const lookup = nearestValidPackage(packages);
    for (const p of paths) assert.equal(lookup(p), packages.filter((x) => x.valid && isUnder(p, x.dir)).sort((a, b) => b.dir.length - a.dir.length)[0], p);
  }), { numRuns: 3000 });
});
