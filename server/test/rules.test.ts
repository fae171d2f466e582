/**
 * One generated suite per registered rule, from its fixtures: the findings must equal the
 * `expect:` markers (a miss and an extra both fail, quoting the line), and every fix is
 * applied and re-analysed: the golden `.fixed` file matches, the file still parses, the
 * fixed findings are gone and nothing new appears.
 */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { analyze } from '../src/engine/run';
import { applyFixes } from '../src/engine/apply-fixes';
import { RULES } from '../src/rules/registry';
import type { Finding, Rule } from '../src/engine/types';
import { fixturesFor, type Fixture } from './support/fixtures';
import { parseErrors } from './support/parse-check';

const TODAY = '2026-11-22';

function run(fixture: Fixture, text: string, rules: readonly Rule[]): Finding[] {
  const errors: string[] = [];
  const result = analyze({ path: fixture.virtualPath, text }, { rules, project: fixture.project, config: fixture.config, today: TODAY, onRuleError: (id, _p, e) => errors.push(`${id}: ${(e as Error).stack}`) });
  assert.deepEqual(errors, [], 'a rule threw');
  return result.findings;
}

function describeLine(lines: string[], line: number): string {
  return `line ${line + 1}: ${lines[line]?.trim() ?? '<eof>'}`;
}

for (const rule of RULES) {
  describe(rule.meta.id, () => {
    const fixtures = fixturesFor(rule.meta.id);
    test('has fixtures', () => assert.ok(fixtures.length > 0, `no fixture for ${rule.meta.id}`));
    for (const fixture of fixtures) {
      const label = fixture.file.split('/fixtures/')[1];
      test(`${label}: findings equal the expect markers`, () => {
        const lines = fixture.text.split(/\r?\n/);
        const findings = run(fixture, fixture.text, [rule]).filter((f) => f.ruleId === rule.meta.id);
        const expected = fixture.expected.filter((e) => e.ruleId === rule.meta.id).map((e) => e.line);
        const actual = findings.map((f) => f.range.start.line);
        const missing = expected.filter((l) => !actual.includes(l));
        const extra = actual.filter((l) => !expected.includes(l));
        assert.ok(missing.length === 0 && extra.length === 0,
          [...missing.map((l) => `missed ${describeLine(lines, l)}`), ...extra.map((l) => `unexpected ${describeLine(lines, l)}: ${findings.find((f) => f.range.start.line === l)?.message}`)].join('\n'));
        for (const f of findings) assert.ok(f.message.length > 0 && !f.message.includes('{{'), `message not filled: ${f.message}`);
      });
      const fixable = () => run(fixture, fixture.text, [rule]).filter((f) => f.ruleId === rule.meta.id && f.fixes.length > 0);
      if (fixture.fixedFile) {
        test(`${label}: fixes give the golden .fixed file, parse, and clear their findings`, () => {
          const before = run(fixture, fixture.text, RULES);
          const targeted = fixable();
          assert.ok(targeted.length > 0, 'a .fixed file exists but no finding offers a fix');
          const { text, skipped } = applyFixes(fixture.text, targeted.map((f) => f.fixes[0]));
          assert.equal(skipped.length, 0, 'fixes overlap');
          assert.equal(text, fs.readFileSync(fixture.fixedFile!, 'utf8'));
          assert.deepEqual(parseErrors(fixture.virtualPath, fixture.text), [], 'fixture itself must parse');
          assert.deepEqual(parseErrors(fixture.virtualPath, text), [], 'fixed text must parse');
          const after = run(fixture, text, RULES);
          const afterRule = after.filter((f) => f.ruleId === rule.meta.id);
          const unfixable = before.filter((f) => f.ruleId === rule.meta.id && f.fixes.length === 0);
          assert.equal(afterRule.length, unfixable.length, `after fixing, ${rule.meta.id} still reports: ${afterRule.map((f) => `${f.range.start.line + 1}: ${f.message}`).join('; ')}`);
          for (const id of new Set(after.map((f) => f.ruleId))) {
            const n = after.filter((f) => f.ruleId === id).length;
            const m = before.filter((f) => f.ruleId === id).length;
            assert.ok(n <= m || id === rule.meta.id, `fixing introduced new ${id} findings`);
          }
        });
      } else if (fixture.otherFilesFile) {
        // fixes that only edit other files (.gitignore, .env.example): compare them to the golden JSON
        test(`${label}: fixes edit only other files, as the golden .other-files.json`, () => {
          const targeted = fixable();
          assert.ok(targeted.length > 0, 'a .other-files.json exists but no finding offers a fix');
          for (const f of targeted) assert.deepEqual(f.fixes[0].edits, [], 'the fix also edits the file: add a .fixed golden file');
          const actual = targeted.map((f) => f.fixes[0].otherFiles ?? []);
          assert.deepEqual(actual, JSON.parse(fs.readFileSync(fixture.otherFilesFile!, 'utf8')));
        });
      } else {
        test(`${label}: no fix is offered without a golden .fixed file`, () => {
          assert.equal(fixable().length, 0, `findings offer fixes: add ${label.replace(/(\.[^.]+)$/, '.fixed$1')}`);
        });
      }
    }
  });
}
