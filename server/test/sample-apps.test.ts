/**
 * Precision guard: the realistic sample apps under fixtures/_apps (Express, Fastify, Koa,
 * NestJS, plain http, a React client) are analysed with the rules listed in the manifest, and
 * the findings must equal the reviewed list (every entry there was judged a true positive or an
 * intended hint). A new finding on these apps is a false positive until proven otherwise.
 * The manifest names its files so apps added by others do not change this test.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../src/engine/run';
import { ruleById } from '../src/rules/registry';
import type { Rule } from '../src/engine/types';
import { FIXTURES_DIR } from './support/fixtures';

interface Manifest { rules: string[]; files: string[]; expected: string[] }

const APPS = path.join(FIXTURES_DIR, '_apps');
const manifest = JSON.parse(fs.readFileSync(path.join(APPS, 'manifest.ts-a.json'), 'utf8')) as Manifest;

test('sample apps: findings equal the reviewed list', () => {
  const rules = manifest.rules.map((id) => ruleById(id)).filter((r): r is Rule => !!r);
  assert.equal(rules.length, manifest.rules.length, 'a manifest rule is not registered');
  const actual: string[] = [];
  for (const file of manifest.files) {
    const text = fs.readFileSync(path.join(APPS, file), 'utf8');
    const errors: string[] = [];
    const result = analyze({ path: file, text }, { rules, onRuleError: (id, _p, e) => errors.push(`${id}: ${String(e)}`) });
    assert.deepEqual(errors, [], `a rule threw on ${file}`);
    for (const f of result.findings) actual.push(`${file}:${f.range.start.line + 1} ${f.ruleId} ${f.severity}`);
  }
  assert.deepEqual(actual.sort(), [...manifest.expected].sort());
});
