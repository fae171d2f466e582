/**
 * config/hardcoded-secret: quick fixes are preferred only on high-confidence findings (a
 * credential format or a credential slot), and a literal that is compared against is never
 * rewritten, however secret it looks.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze as analyzeWith } from '../src/engine/run';
/** The engine with the whole rule catalogue unless a test names its rules. */
const analyze = (input: Parameters<typeof analyzeWith>[0], options: Partial<Parameters<typeof analyzeWith>[1]> = {}) => analyzeWith(input, { rules: RULES, ...options });
import { RULES } from '../src/rules/registry';

const rule = RULES.find((r) => r.meta.id === 'config/hardcoded-secret')!;
const findings = (text: string) => analyze({ path: 'app/src/auth.ts', text }, { rules: [rule], today: '2026-11-22' }).findings;

test('slot and format findings offer a preferred fix; a name-only finding does not', () => {
  const text = [
    "import session from 'express-session';",
    "import jwt from 'jsonwebtoken';",
    "export const a = session({ secret: 'keyboard cat' });",
    "export const b = (p: object) => jwt.sign(p, 'shhhhh');",
    "export const c = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';",
    "export const dbPassword = 'hunter2-prod-9f8e';",
    '',
  ].join('\n');
  const byLine = new Map(findings(text).map((f) => [f.range.start.line + 1, f.fixes[0]?.preferred === true]));
  assert.deepEqual([...byLine].sort(([x], [y]) => x - y), [[3, true], [4, true], [5, true], [6, false]]);
});

test('comparisons are never findings and never fixed: value === "changeme" stays as written', () => {
  const text = [
    "const WEAK = ['changeme', 'keyboard cat', 'S3cr3t!'];",
    'export function check(value: string, secret: string): void {',
    "  if (value === 'changeme' || secret !== 'hunter2-prod-9f8e' || WEAK.includes(value)) throw new Error('placeholder secret');",
    "  switch (secret) { case 'Passw0rd!': throw new Error('weak'); }",
    '}',
    '',
  ].join('\n');
  assert.deepEqual(findings(text), []);
});

test('a real credential format compared against is still reported, but without a fix', () => {
  const text = "export const leaked = (t: string) => t === 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';\n";
  const found = findings(text);
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].fixes, []);
  assert.ok(!found[0].message.includes('ghp_abcdefghijklmnopqrstuvwxyz0123456789'), 'the secret is masked');
});
