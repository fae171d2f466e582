import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { planExtractToEnv } from '../src/engine/refactor/extract-env';
import { parseTypescript } from '../src/parse/typescript';
import { applyEdits } from '../src/engine/apply-fixes';
import { analyze } from '../src/engine/run';
import { RULES } from '../src/rules/registry';

function extract(source: string, marker: string) {
  const text = source;
  const parsed = parseTypescript(text, { path: '/w/app/src/a.ts', scriptKind: 'ts' });
  const plan = planExtractToEnv(parsed, text.indexOf(marker) + 1, { nearestPackage: { dir: '/w/app', json: {} } });
  return { plan, fixed: plan ? applyEdits(text, plan.fix.edits) : text };
}

describe('extract to environment variable', () => {
  test('connection string keeps a default and documents a masked example', () => {
    const { plan, fixed } = extract("const pool = new Pool({ connectionString: 'postgres://app:hunter2-long@db:5432/orders' });", "'postgres");
    assert.equal(plan?.envName, 'DATABASE_URL');
    // the URL embeds a password: no default, or the password would stay in the code
    assert.equal(fixed, 'const pool = new Pool({ connectionString: process.env.DATABASE_URL });');
    assert.match(plan!.fix.otherFiles![0].append, /^DATABASE_URL=postgres:\/\/app:CHANGE_ME@db:5432\/orders$/m);
    assert.equal(plan?.fix.otherFiles?.[0].path, '/w/app/.env.example');
    assert.ok(!plan?.fix.otherFiles?.[0].append.includes('hunter2-long'), 'the password never reaches .env.example');
  });
  test('secrets get no default', () => {
    const { plan, fixed } = extract("const stripeKey = 'sk_live_abcdefghijklmnopqrstuvwx';", "'sk_");
    assert.equal(plan?.kind, 'secret');
    assert.equal(fixed, 'const stripeKey = process.env.STRIPE_KEY;');
    assert.equal(plan?.fix.otherFiles?.[0].append.includes('abcdefghijklmnop'), false);
  });
  test('ports become Number(process.env.PORT ?? n)', () => {
    const { plan, fixed } = extract('app.listen(8080);', '(8080');
    assert.equal(plan?.envName, 'PORT');
    assert.equal(fixed, 'app.listen(Number(process.env.PORT ?? 8080));');
  });
  test('endpoints are named after the variable or host, and parenthesised inside expressions', () => {
    const a = extract("const paymentsApi = 'https://payments.internal:8443/v1';", "'https");
    assert.equal(a.plan?.envName, 'PAYMENTS_API_URL');
    const b = extract("fetch('https://inventory.internal/v2' + path);", "'https");
    assert.equal(b.plan?.envName, 'INVENTORY_URL');
    assert.equal(b.fixed, "fetch((process.env.INVENTORY_URL ?? 'https://inventory.internal/v2') + path);");
  });
  test('non-config literals offer nothing', () => {
    assert.equal(extract("const greeting = 'hello world';", "'hello").plan, undefined);
    assert.equal(extract('const retries = 3;', '3;').plan, undefined);
  });
  test('the result parses and analyses cleanly', () => {
    const { fixed } = extract("const redisUrl = 'redis://cache:6379';", "'redis");
    assert.equal(fixed, "const redisUrl = process.env.REDIS_URL ?? 'redis://cache:6379';");
    assert.equal(analyze({ path: '/w/app/src/a.ts', text: fixed }, { rules: RULES }).skipped, undefined);
  });
});
