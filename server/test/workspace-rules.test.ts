/**
 * One suite per workspace rule, from multi-file fixtures: the rule's findings must equal
 * `expect.json` (a miss and an extra both fail), fixes must give the `__fixed__` goldens and
 * clear their findings without adding new ones; plus registry meta-checks (sorted, id == path,
 * docs page present, messages filled).
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildProjectModel } from '../src/workspace/project-model';
import { WORKSPACE_RULES } from '../src/workspace/registry';
import { runWorkspaceRules, type WorkspaceFinding, type WorkspaceRule } from '../src/workspace/workspace-rule';
import { RULES } from '../src/rules/registry';
import { isFactorSlug } from '../src/engine/factors';
import { applyWorkspaceFixes, casesFor, type WorkspaceCase } from './support/workspace-fixtures';

const REPO = path.resolve(__dirname, '../../..');

function run(files: WorkspaceCase['files'], rules: readonly WorkspaceRule[]): WorkspaceFinding[] {
  const errors: string[] = [];
  const findings = runWorkspaceRules(buildProjectModel(files), rules, { onRuleError: (id, e) => errors.push(`${id}: ${(e as Error).stack}`) });
  assert.deepEqual(errors, [], 'a rule threw');
  return findings;
}

const key = (f: { file: string; line: number }) => `${f.file}:${f.line}`;

describe('workspace rule registry', () => {
  test('is sorted by id, ids are unique and match module paths', () => {
    const ids = WORKSPACE_RULES.map((r) => r.meta.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length);
    for (const rule of WORKSPACE_RULES) {
      const [factor] = rule.meta.id.split('/');
      assert.ok(isFactorSlug(factor), `${rule.meta.id}: unknown factor`);
      assert.equal(rule.meta.factor, factor);
      assert.ok(fs.existsSync(path.join(REPO, 'server/src/rules', `${rule.meta.id}.ts`)), `${rule.meta.id}: module path`);
      assert.ok(fs.existsSync(path.join(REPO, 'docs/rules', `${rule.meta.id}.md`)), `${rule.meta.id}: docs page missing`);
      // a command rule has a file check and a chain check: one module, one meta object, so one id, one severity
      const twin = RULES.find((r) => r.meta.id === rule.meta.id);
      assert.ok(!twin || twin.meta === rule.meta, `${rule.meta.id}: also a single-file rule with another meta`);
    }
  });
});

for (const rule of WORKSPACE_RULES) {
  describe(rule.meta.id, () => {
    const cases = casesFor(rule.meta.id);
    test('has fixtures, with flagged and silent cases', () => {
      assert.ok(cases.some((c) => c.expected.length > 0), 'no case with findings');
      assert.ok(cases.some((c) => c.expected.length === 0), 'no silent look-alike case');
    });
    for (const c of cases) {
      test(`${c.name}: findings equal expect.json`, () => {
        const findings = run(c.files, [rule]);
        const actual = findings.map((f) => ({ file: f.path, line: f.range.start.line + 1, rule: f.ruleId }));
        const expected = c.expected.filter((e) => e.rule === rule.meta.id);
        const text = (file: string, line: number) => c.files.find((f) => f.path === file)?.text.split(/\r?\n/)[line - 1]?.trim() ?? '<none>';
        const missing = expected.filter((e) => !actual.some((a) => key(a) === key(e)));
        const extra = actual.filter((a) => !expected.some((e) => key(a) === key(e)));
        assert.ok(missing.length === 0 && extra.length === 0, [
          ...missing.map((m) => `missed ${key(m)}: ${text(m.file, m.line)}`),
          ...extra.map((x) => `unexpected ${key(x)}: ${text(x.file, x.line)}: ${findings.find((f) => f.path === x.file && f.range.start.line + 1 === x.line)?.message}`),
        ].join('\n'));
        for (const f of findings) {
          assert.ok(f.message.length > 0 && !f.message.includes('{{'), `message not filled: ${f.message}`);
          for (const r of f.related ?? []) assert.ok(c.files.some((x) => x.path === r.path), `related path ${r.path} is not a workspace file`);
        }
      });
      if (c.fixed.size > 0) {
        test(`${c.name}: fixes give the __fixed__ goldens and clear their findings`, () => {
          const before = run(c.files, WORKSPACE_RULES);
          const targeted = before.filter((f) => f.ruleId === rule.meta.id && f.fixes.length > 0);
          assert.ok(targeted.length > 0, '__fixed__ exists but no finding offers a fix');
          const after = applyWorkspaceFixes(c.files, targeted);
          for (const [p, golden] of c.fixed) assert.equal(after.find((f) => f.path === p)?.text, golden, `${p} after fixes`);
          const changed = after.filter((f) => c.files.find((o) => o.path === f.path)?.text !== f.text).map((f) => f.path);
          assert.deepEqual(changed, [...c.fixed.keys()].sort(), 'every changed file has a golden');
          const again = run(after, WORKSPACE_RULES);
          assert.deepEqual(again.filter((f) => f.ruleId === rule.meta.id && f.fixes.length > 0).map((f) => `${f.path}:${f.range.start.line + 1}`), [], 'fixed findings remain');
          for (const id of new Set(again.map((f) => f.ruleId))) {
            assert.ok(again.filter((f) => f.ruleId === id).length <= before.filter((f) => f.ruleId === id).length, `fixing introduced new ${id} findings`);
          }
        });
      } else {
        test(`${c.name}: no fix is offered without __fixed__ goldens`, () => {
          const fixable = run(c.files, [rule]).filter((f) => f.fixes.length > 0);
          assert.equal(fixable.length, 0, `findings offer fixes: add ${c.name}/__fixed__/`);
        });
      }
    }
  });
}
