/**
 * Realistic Dockerfiles in several styles (multi-stage npm, Yarn on distroless, a pnpm
 * monorepo, Python/Poetry, an nginx SPA, Go on scratch, and two legacy files), analysed with
 * EVERY rule: the findings must equal the `expect:` markers. The well-kept files carry no
 * markers, so any finding in them is a false positive. Every fix is applied too: the result
 * must parse and must not add findings.
 */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../src/engine/run';
import { applyFixes } from '../src/engine/apply-fixes';
import { FIXTURES_DIR, loadFixture } from './support/fixtures';
import { parseErrors } from './support/parse-check';
import { RULES } from '../src/rules/registry';

const DIR = path.join(FIXTURES_DIR, 'styles');

describe('realistic Dockerfiles, all rules', () => {
  for (const name of fs.readdirSync(DIR).filter((f) => f.endsWith('.Dockerfile')).sort()) {
    const fixture = loadFixture('*', path.join(DIR, name));
    const run = (text: string) => analyze({ path: fixture.virtualPath, text }, { rules: RULES, project: fixture.project, today: '2026-11-22', onRuleError: (id, _p, e) => assert.fail(`${id} threw: ${(e as Error).stack}`) }).findings;
    test(`${name}: findings equal the expect markers`, () => {
      const lines = fixture.text.split(/\r?\n/);
      const actual = run(fixture.text).map((f) => `${f.range.start.line + 1} ${f.ruleId}`);
      const expected = fixture.expected.map((e) => `${e.line + 1} ${e.ruleId}`);
      const extra = [...new Set(actual)].filter((a) => !expected.includes(a));
      const missing = expected.filter((e) => !actual.includes(e));
      assert.ok(extra.length === 0 && missing.length === 0, [
        ...extra.map((x) => `unexpected ${x}: ${lines[Number(x.split(' ')[0]) - 1]?.trim()}`),
        ...missing.map((x) => `missed ${x}: ${lines[Number(x.split(' ')[0]) - 1]?.trim()}`),
      ].join('\n'));
    });
    test(`${name}: fixes parse and add no findings`, () => {
      const before = run(fixture.text);
      const { text } = applyFixes(fixture.text, before.filter((f) => f.fixes.length > 0).map((f) => f.fixes[0]));
      assert.deepEqual(parseErrors(fixture.virtualPath, text), []);
      const after = run(text);
      for (const id of new Set(after.map((f) => f.ruleId))) {
        assert.ok(after.filter((f) => f.ruleId === id).length <= before.filter((f) => f.ruleId === id).length, `fixing added ${id} findings`);
      }
    });
  }
});
