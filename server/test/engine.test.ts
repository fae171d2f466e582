/** Unit tests of the engine's shared pieces: classification, secrets, suppressions, fixes, config. */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { classifyFile, classifyKind } from '../src/engine/classify';
import { findCredential, isPlaceholder, isSecretName, maskSecret, maskUrlCredentials } from '../src/engine/secrets';
import { analyze, analyzeAsync, META_RULES } from '../src/engine/run';
import { applyEdits, applyFixes, OverlappingEditsError } from '../src/engine/apply-fixes';
import { parseConfigText } from '../src/engine/config-file';
import { resolveConfig } from '../src/engine/config';
import { LineIndex } from '../src/engine/line-index';
import type { Rule } from '../src/engine/types';
import { findingMessage } from '../src/engine/rule-contract';

describe('classification', () => {
  test('file kinds by name', () => {
    const kinds: Array<[string, string | undefined]> = [
      ['Dockerfile', 'dockerfile'], ['Dockerfile.prod', 'dockerfile'], ['api.Dockerfile', 'dockerfile'], ['docker/debian-base.dockerfile', 'dockerfile'],
      ['Containerfile', 'dockerfile'], ['compose.yaml', 'compose'], ['docker-compose.override.yml', 'compose'], ['compose.dev.yml', 'compose'],
      ['docker-stack.yml', 'compose'], ['.env', 'dotenv'], ['.env.production', 'dotenv'], ['.env.example', 'dotenv'], ['app.ts', 'ts'], ['x.mjs', 'ts'],
      ['x.d.ts', undefined], ['values.yaml', undefined], ['README.md', undefined], ['.env.ts', 'ts'],
      // variants named around "Dockerfile" (#14): gateway/Dockerfile-prod, prod.Dockerfile, Dockerfile.dev, Dockerfile_ci
      ['gateway/Dockerfile-prod', 'dockerfile'], ['Dockerfile-dev', 'dockerfile'], ['prod.Dockerfile', 'dockerfile'], ['Dockerfile.dev', 'dockerfile'],
      ['Dockerfile_ci', 'dockerfile'], ['worker-Dockerfile', 'dockerfile'], ['Containerfile-arm64', 'dockerfile'],
      // look-alikes: files about Dockerfiles, in other formats
      ['dockerfile-utils.ts', 'ts'], ['Dockerfile.md', undefined], ['Dockerfile-template.yaml', undefined], ['Dockerfile.j2', undefined], ['dockerfiles', undefined],
    ];
    for (const [name, kind] of kinds) assert.equal(classifyKind(`/w/${name}`)?.kind, kind, name);
  });
  test('application code vs tests, scripts, CLIs, tooling', () => {
    const app = (p: string, text = 'export {}') => classifyFile(p, text, undefined)!.isApp;
    assert.equal(app('/w/src/server.ts'), true);
    assert.equal(app('/w/src/server.test.ts'), false);
    assert.equal(app('/w/src/__tests__/a.ts'), false);
    assert.equal(app('/w/test/helpers.ts'), false);
    assert.equal(app('/w/scripts/seed.ts'), false);
    assert.equal(app('/w/webpack.config.js'), false);
    assert.equal(app('/w/benchmark/run.js'), false);
    assert.equal(app('/w/types/index.test-d.ts'), false);
    assert.equal(app('/w/src/tool.js', '#!/usr/bin/env node\nconsole.log(1)'), false);
    assert.equal(classifyFile('/w/src/cmd.ts', '', undefined, { binTargets: new Set(['/w/src/cmd.ts']) })!.isApp, false);
    assert.equal(classifyFile('/w/scripts/server.ts', '', undefined, { appScope: { include: ['scripts/**'] }, relativePath: 'scripts/server.ts' })!.isApp, true);
    assert.equal(classifyFile('/w/.ci/compose.cypress.yaml', '', undefined)!.isTest, true);
    assert.equal(classifyFile('/w/relational.e2e.Dockerfile', '', undefined)!.isTest, true);
    assert.equal(classifyFile('/w/docker-compose.relational.test.yaml', '', undefined)!.isTest, true);
    assert.equal(classifyFile('/w/docker-compose.yml', '', undefined)!.isTest, false);
    assert.equal(classifyFile('/w/Dockerfile.prod', '', undefined)!.isTest, false);
    assert.equal(classifyFile('/w/src/legacy.ts', '', undefined, { appScope: { exclude: ['src/legacy.ts'] }, relativePath: 'src/legacy.ts' })!.isApp, false);
  });
});

describe('secret knowledge', () => {
  test('secret names', () => {
    for (const n of ['password', 'DB_PASSWORD', 'dbPass', 'stripeApiKey', 'JWT_SECRET', 'clientSecret', 'GITHUB_TOKEN', 'api_key', 'privateKey', 'SECRET_KEY', 'credentials']) assert.ok(isSecretName(n), n);
    for (const n of ['passwordLabel', 'TOKEN_URL', 'SECRET_FILE', 'secretName', 'keyId', 'cacheKey', 'passThrough', 'primaryKey', 'tokenizer', 'passwordMinLength', 'DB_PASSWORD_FILE']) assert.ok(!isSecretName(n), n);
  });
  test('credential formats', () => {
    assert.equal(findCredential('AKIAIOSFODNN7EXAMPLA')?.format, 'AWS access key id');
    assert.equal(findCredential('ghp_' + 'a'.repeat(36))?.format, 'GitHub token');
    assert.equal(findCredential('sk_live_' + 'b'.repeat(24))?.format, 'Stripe secret key');
    assert.equal(findCredential('-----BEGIN RSA PRIVATE KEY-----\nMIIE')?.format, 'private key');
    assert.equal(findCredential('hello world, nothing here'), undefined);
    // one sample per format, inside other text where the format allows: the pre-filter lets each through
    const samples: Record<string, string> = {
      'AWS access key id': 'key=ASIAIOSFODNN7EXAMPLA;',
      'GitHub token': 'github_pat_' + 'A1_'.repeat(21),
      'GitLab token': 'glpat-' + 'x'.repeat(20),
      'Slack token': 'xoxb-1234567890-abcdef',
      'Slack webhook': 'https://hooks.slack.com/services/T0000/B0000/' + 'a'.repeat(24),
      'Stripe secret key': 'rk_live_' + 'c'.repeat(24),
      'Google API key': 'AIza' + 'd'.repeat(35),
      'OpenAI API key': 'sk-proj-' + 'e'.repeat(40),
      'SendGrid API key': 'SG.' + 'f'.repeat(22) + '.' + 'g'.repeat(43),
      'npm token': 'npm_' + 'h'.repeat(36),
      'private key': '-----BEGIN OPENSSH PRIVATE KEY-----',
      'HTTP Authorization credential': 'Bearer ' + 'i'.repeat(32),
      'JSON Web Token': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.abcdefghijklmnop',
    };
    for (const [format, sample] of Object.entries(samples)) assert.equal(findCredential(sample)?.format, format, sample);
  });
  test('placeholders', () => {
    for (const v of ['', 'changeme', 'xxx', '<token>', '${TOKEN}', '{{ secret }}', 'your-api-key-here', '********']) assert.ok(isPlaceholder(v), v);
    for (const v of ['hunter2-prod', 'S3cr3tP@ss']) assert.ok(!isPlaceholder(v), v);
  });
  test('masking never shows the whole value', () => {
    const secret = 'sk_live_abcdefghijklmnopqrstuvwxyz';
    const masked = maskSecret(secret);
    assert.ok(!masked.includes(secret.slice(4, -2)));
    assert.equal(masked, 'sk_l…yz (34 chars)');
    assert.ok(!maskSecret('short').includes('short'));
    assert.equal(maskUrlCredentials('postgres://app:hunter2-long@db:5432/x').includes('hunter2-long'), false);
  });
});

const demoRule: Rule = {
  meta: { id: 'config/demo', factor: 'config', severity: 'warning', description: 'd', rationale: 'r', messages: { m: 'found {{what}}' }, fix: 'safe' },
  check: {
    ts(ctx) {
      for (let i = ctx.text.indexOf('BAD'); i >= 0; i = ctx.text.indexOf('BAD', i + 1)) {
        ctx.report({ messageId: 'm', data: { what: 'BAD' }, start: i, end: i + 3, fixes: [{ title: 'fix', kind: 'safe', edits: [{ start: i, end: i + 3, newText: 'GOOD' }] }] });
      }
    },
    dockerfile(ctx) {
      const i = ctx.text.indexOf('BAD');
      if (i >= 0) ctx.report({ messageId: 'm', data: { what: 'BAD' }, start: i, end: i + 3 });
    },
  },
};

function run(text: string, path = '/w/src/a.ts', today = '2026-11-22') {
  return analyze({ path, text }, { rules: [demoRule], today, reportUnusedSuppressions: true }).findings;
}

describe('suppressions', () => {
  test('next-line, line, file and block forms', () => {
    assert.equal(run('const a = BAD;').length, 1);
    assert.equal(run('// factorlint-disable-next-line config/demo -- legacy\nconst a = BAD;').length, 0);
    assert.equal(run('const a = BAD; // factorlint-disable-line config/demo').length, 0);
    assert.equal(run('/* factorlint-disable-file config/demo */\nconst a = BAD;\nconst b = BAD;').length, 0);
    const block = run('/* factorlint-disable config/demo */\nconst a = BAD;\n/* factorlint-enable config/demo */\nconst b = BAD;');
    assert.deepEqual(block.map((f) => f.range.start.line), [3]);
  });
  test('other rule ids do not suppress; no ids suppress all', () => {
    assert.equal(run('// factorlint-disable-next-line config/other\nconst a = BAD;').filter((f) => f.ruleId === 'config/demo').length, 1);
    assert.equal(run('// factorlint-disable-next-line\nconst a = BAD;').length, 0);
  });
  test('a directive inside a string is not a comment', () => {
    const findings = run('const s = "// factorlint-disable-next-line config/demo";\nconst a = BAD;');
    assert.equal(findings.filter((f) => f.ruleId === 'config/demo').length, 1);
  });
  test('expiry: after the date the suppression stops and says so', () => {
    const text = '// factorlint-disable-next-line config/demo -- until 2026-01-01 migrating\nconst a = BAD;';
    const findings = run(text);
    assert.ok(findings.some((f) => f.ruleId === 'config/demo'));
    assert.ok(findings.some((f) => f.ruleId === META_RULES.expiredSuppression));
    assert.equal(run(text, '/w/src/a.ts', '2025-12-31').filter((f) => f.ruleId === 'config/demo').length, 0);
  });
  test('unused suppressions are reported as hints with a removal fix', () => {
    const text = 'const ok = 1; // factorlint-disable-line config/demo\n';
    const [finding] = run(text);
    assert.equal(finding.ruleId, META_RULES.unusedSuppression);
    assert.equal(finding.severity, 'hint');
    assert.equal(applyFixes(text, finding.fixes).text, 'const ok = 1;\n');
  });
  test('Dockerfile comments and other tools', () => {
    assert.equal(run('FROM x\n# factorlint-disable-next-line config/demo\nRUN BAD', '/w/Dockerfile').length, 0);
    assert.equal(run('FROM x\nRUN BAD', '/w/Dockerfile').length, 1);
  });
});

describe('analyze', () => {
  test('a throwing rule is isolated and reported once', () => {
    const boom: Rule = { meta: { ...demoRule.meta, id: 'config/boom' }, check: { ts() { throw new Error('boom'); } } };
    const errors: string[] = [];
    const { findings } = analyze({ path: '/w/src/a.ts', text: 'BAD' }, { rules: [boom, demoRule], onRuleError: (id, p) => errors.push(`${id} ${p}`) });
    assert.deepEqual(errors, ['config/boom /w/src/a.ts']);
    // the other rule's finding, and the failure as an error finding: a failure never reads as a pass
    assert.deepEqual(findings.map((f) => [f.ruleId, f.severity]).sort(), [['config/demo', demoRule.meta.severity], ['factorlint/analysis-incomplete', 'error']].sort());
  });
  test('configured severity and off', () => {
    const config = resolveConfig({ rules: { 'config/demo': 'error' } });
    assert.equal(analyze({ path: '/w/src/a.ts', text: 'BAD' }, { rules: [demoRule], config }).findings[0].severity, 'error');
    const off = resolveConfig({ rules: { 'config/demo': 'off' } });
    assert.equal(analyze({ path: '/w/src/a.ts', text: 'BAD' }, { rules: [demoRule], config: off }).findings.length, 0);
  });
  test('too large files are skipped with one info finding; binary files are reported incomplete', () => {
    const config = resolveConfig({ maxFileSize: 10 });
    const result = analyze({ path: '/w/src/a.ts', text: 'BAD '.repeat(10) }, { rules: [demoRule], config });
    assert.equal(result.skipped, 'too-large');
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0].severity, 'info');
    // a stray NUL does not make a text file binary: it is analysed
    assert.equal(analyze({ path: '/w/src/a.ts', text: 'BAD\u0000\u0001' }, { rules: [demoRule] }).skipped, undefined);
    const binary = analyze({ path: '/w/src/a.ts', text: 'BAD' + '\u0000\u0001\u0002'.repeat(20) }, { rules: [demoRule] });
    assert.equal(binary.skipped, 'binary');
    assert.deepEqual(binary.findings.map((f) => [f.ruleId, f.severity]), [['factorlint/analysis-incomplete', 'error']]);
  });
  test('ignore globs', () => {
    const config = resolveConfig({ ignore: ['legacy/**'] });
    assert.equal(analyze({ path: 'legacy/a.ts', text: 'BAD' }, { rules: [demoRule], config }).skipped, 'ignored');
  });
});

describe('fixes', () => {
  test('applyEdits applies in order and rejects overlaps', () => {
    assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, newText: 'E' }, { start: 0, end: 1, newText: 'A' }]), 'AbcdEf');
    assert.throws(() => applyEdits('abcdef', [{ start: 0, end: 3, newText: '' }, { start: 2, end: 4, newText: '' }]), OverlappingEditsError);
  });
  test('applyFixes skips a fix overlapping an accepted one', () => {
    const r = applyFixes('abcdef', [
      { title: 'a', kind: 'safe', edits: [{ start: 0, end: 3, newText: 'X' }] },
      { title: 'b', kind: 'safe', edits: [{ start: 2, end: 4, newText: 'Y' }] },
    ]);
    assert.equal(r.text, 'Xdef');
    assert.equal(r.skipped.length, 1);
  });
});

describe('configuration file', () => {
  test('valid JSON with comments', () => {
    const r = parseConfigText('{ // comment\n "$schema": "x", "rules": { "config/hardcoded-secret": "error" }, "ignore": ["a/**"], }');
    assert.deepEqual(r.errors, []);
    assert.equal(r.config?.rules?.['config/hardcoded-secret'], 'error');
  });
  test('invalid severities and unknown keys give readable errors, never throw', () => {
    assert.match(parseConfigText('{ "rules": { "config/hardcoded-secret": "loud" } }').errors.join(), /must be equal to one of the allowed values/);
    // the key is named, with the closest valid one (it used to say "(root) must NOT have additional properties")
    assert.equal(parseConfigText('{ "rulez": {} }').errors.join(), "line 1, column 3: Unknown key 'rulez' in .factorlintrc.json (did you mean 'rules'?)");
    assert.match(parseConfigText('{ nope').errors.join(), /not valid JSON/);
  });
});

describe('line index', () => {
  test('CRLF, CR and LF line breaks', () => {
    const idx = new LineIndex('a\r\nbb\rccc\nd');
    assert.deepEqual(idx.positionAt(3), { line: 1, character: 0 });
    assert.deepEqual(idx.positionAt(6), { line: 2, character: 0 });
    assert.equal(idx.lineText(1), 'bb');
    assert.equal(idx.offsetAt({ line: 3, character: 0 }), 10);
    assert.equal(idx.offsetAt({ line: 9, character: 0 }), 11);
  });
});

describe('analyzeAsync', () => {
  test('gives the same findings as analyze, and yields to the event loop during a long analysis', async () => {

    const slowRule: Rule = {
      meta: { ...demoRule.meta, id: 'config/slow' },
      check: { ts() { const until = Date.now() + 30; while (Date.now() < until) { /* busy */ } } },
    };
    const rules = [slowRule, slowRule, slowRule, demoRule];
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    const result = await analyzeAsync({ path: '/w/src/a.ts', text: 'const a = BAD;' }, { rules, sliceMs: 5 });
    clearInterval(timer);
    assert.deepEqual(result?.findings.map((f) => f.ruleId), analyze({ path: '/w/src/a.ts', text: 'const a = BAD;' }, { rules }).findings.map((f) => f.ruleId));
    assert.ok(ticks >= 2, `the event loop ran ${ticks} times during the analysis`);
  });
  test('stops when cancelled', async () => {

    let calls = 0;
    const counting: Rule = { meta: { ...demoRule.meta, id: 'config/count' }, check: { ts() { calls++; } } };
    let cancelled = false;
    const pending = analyzeAsync({ path: '/w/src/a.ts', text: 'x' }, { rules: [counting, counting, counting, counting], sliceMs: 0, isCancelled: () => cancelled });
    cancelled = true;
    assert.equal(await pending, undefined);
    assert.ok(calls < 4, `ran ${calls} of 4 rules after cancellation`);
  });
});

describe('finding messages', () => {
  test('a message kept by its report data follows the template: another message id or rule gives its own', () => {
    const one = { messages: { a: 'A {{x}} ({{y}})', b: 'B {{x}}' } };
    const other = { messages: { a: 'other rule: {{x}}' } };
    const data = { x: 'postgres://app:s3cretpass@db.internal:5432/app', y: 2 };
    const first = findingMessage(one, 'a', data);
    assert.equal(first, findingMessage(one, 'a', data), 'the same data and template: the same message');
    assert.ok(!first.includes('s3cretpass'), 'masked');
    assert.ok(first.startsWith('A ') && first.endsWith('(2)'));
    assert.ok(findingMessage(one, 'b', data).startsWith('B '), 'another message id of the same data');
    assert.ok(findingMessage(other, 'a', data).startsWith('other rule: '), 'another rule with the same data');
    assert.ok(findingMessage(one, 'a', data).startsWith('A '), 'and back');
    assert.equal(findingMessage(one, 'a', { x: 'q', y: 3 }), 'A q (3)', 'other data');
    assert.equal(findingMessage(one, 'a', undefined), 'A {{x}} ({{y}})', 'no data: the placeholders stay');
  });
});
