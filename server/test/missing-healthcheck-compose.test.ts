/**
 * The Compose check of telemetry/missing-healthcheck, run through the fixture harness logic
 * with a temporary Rule (the lead wires checkComposeHealthcheck into the one rule module at
 * merge; then rules.test.ts covers these fixtures and this file can go).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../src/engine/run';
import { applyFixes } from '../src/engine/apply-fixes';
import type { Rule } from '../src/engine/types';
import { checkComposeHealthcheck, COMPOSE_HEALTHCHECK_MESSAGES } from '../src/rules/telemetry/missing-healthcheck-compose';
import { FIXTURES_DIR, loadFixture } from './support/fixtures';
import { parseErrors } from './support/parse-check';

const rule: Rule = {
  meta: {
    id: 'telemetry/missing-healthcheck', factor: 'telemetry', severity: 'info',
    description: 'Services without a healthcheck.', rationale: 'test', messages: { ...COMPOSE_HEALTHCHECK_MESSAGES }, fix: 'unsafe',
  },
  check: { compose: checkComposeHealthcheck },
};

const file = path.join(FIXTURES_DIR, 'telemetry/missing-healthcheck.compose.yaml');
const fixture = loadFixture(rule.meta.id, file);

function findings(text: string) {
  const errors: unknown[] = [];
  const result = analyze({ path: fixture.virtualPath, text }, { rules: [rule], project: fixture.project, today: '2026-11-22', onRuleError: (_id, _p, e) => errors.push(e) });
  assert.deepEqual(errors, []);
  return result.findings.filter((f) => f.ruleId === rule.meta.id);
}

test('compose missing-healthcheck: findings equal the expect markers', () => {
  const actual = findings(fixture.text).map((f) => f.range.start.line).sort((a, b) => a - b);
  const expected = fixture.expected.map((e) => e.line).sort((a, b) => a - b);
  assert.deepEqual(actual, expected);
});

test('compose missing-healthcheck: warning when another service depends on it, info otherwise', () => {
  const bySeverity = Object.fromEntries(findings(fixture.text).map((f) => [fixture.text.split('\n')[f.range.start.line].trim(), f.severity]));
  assert.deepEqual(bySeverity, { 'db:': 'warning', 'cache:': 'warning', 'api:': 'info', 'worker:': 'info', 'api-next:': 'info', 'legacy-build:': 'info' });
});

test('compose missing-healthcheck: fixes give the golden file, parse, and clear their findings', () => {
  const before = findings(fixture.text);
  const fixable = before.filter((f) => f.fixes.length > 0);
  assert.equal(fixable.length, 3, 'postgres, redis and the app with one known port get a template');
  const { text, skipped } = applyFixes(fixture.text, fixable.map((f) => f.fixes[0]));
  assert.equal(skipped.length, 0);
  assert.equal(text, fs.readFileSync(file.replace(/\.yaml$/, '.fixed.yaml'), 'utf8'));
  assert.deepEqual(parseErrors(fixture.virtualPath, text), []);
  const after = findings(text);
  assert.equal(after.length, before.length - fixable.length);
});
