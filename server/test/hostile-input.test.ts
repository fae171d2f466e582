/**
 * Hostile input (issue #13): a failure never reads as a pass, YAML merge keys and aliases
 * stay bounded, one masker for every output, configuration globs and strings are checked,
 * super-linear paths are linear, control characters never reach a terminal raw. Each test
 * names the break it guards; every one fails on the code before the fix.
 */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze as analyzeWith, META_RULES } from '../src/engine/run';
/** The engine with the whole rule catalogue unless a test names its rules. */
const analyze = (input: Parameters<typeof analyzeWith>[0], options: Partial<Parameters<typeof analyzeWith>[1]> = {}) => analyzeWith(input, { rules: RULES, ...options });
import { RULES } from '../src/rules/registry';
import { findingsForStorage, maskText, maskDeep } from '../src/engine/mask';
import { parseConfigText } from '../src/engine/config-file';
import { resolveConfig } from '../src/engine/config';
import { compiledGlobs, globProblem } from '../src/engine/glob';
import { parseCompose, MERGE_PAIR_BUDGET } from '../src/parse/compose';
import { escapeControl } from '../src/report/escape';
import { unifiedDiff } from '../src/cli/fix';
import type { Rule } from '../src/engine/types';
import { buildProjectModel } from '../src/workspace/project-model';
import { runWorkspaceRules } from '../src/workspace/workspace-rule';
import { WORKSPACE_RULES } from '../src/workspace/registry';
import { buildReport } from '../src/report/report-model';
import { extractDockerfile } from '../src/workspace/extract-docker';
import { runCli, writeTree } from './support/cli-harness';
import { cpuMsSince } from './support/cpu-time';

const INCOMPLETE = META_RULES.analysisIncomplete;

describe('a failure never reads as a pass (#3, #8)', () => {
  test('a rule that throws becomes an analysis-incomplete error, the other findings stay', () => {
    const throwing: Rule = { ...RULES.find((r) => r.check.ts)!, meta: { ...RULES.find((r) => r.check.ts)!.meta, id: 'test/throws' }, check: { ts: () => { throw new Error('boom with content sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK'); } } };
    const port = RULES.find((r) => r.meta.id === 'port-binding/hardcoded-port')!;
    const result = analyze({ path: '/p/src/server.ts', text: "import express from 'express';\nconst app = express();\napp.listen(3000);\n" }, { rules: [throwing, port] });
    const incomplete = result.findings.filter((f) => f.ruleId === INCOMPLETE);
    assert.equal(incomplete.length, 1);
    assert.equal(incomplete[0].severity, 'error');
    assert.match(incomplete[0].message, /test\/throws failed/);
    assert.doesNotMatch(incomplete[0].message, /boom|sk_live/, 'the reason, never the content');
    assert.ok(result.findings.some((f) => f.ruleId === 'port-binding/hardcoded-port'));
  });

  test('12k nested parentheses: an error finding, not one info line', () => {
    const text = `const password = 'sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK';\nconst x = ${'('.repeat(12_000)}1${')'.repeat(12_000)};\n`;
    const result = analyze({ path: '/p/src/deep.ts', text });
    assert.ok(result.findings.some((f) => f.ruleId === INCOMPLETE && f.severity === 'error'), JSON.stringify(result.findings.map((f) => [f.ruleId, f.severity])));
  });

  test('one NUL byte in a comment does not skip a text file', () => {
    const text = "// a \u0000 byte\nconst stripeKey = 'sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK';\n";
    const result = analyze({ path: '/p/src/nul.ts', text });
    assert.equal(result.skipped, undefined);
    assert.ok(result.findings.some((f) => f.ruleId === 'config/hardcoded-secret'));
  });

  test('binary content in a source file is reported, not passed', () => {
    const text = Buffer.from(Array.from({ length: 2000 }, (_v, i) => (i * 7) % 32)).toString('latin1');
    const result = analyze({ path: '/p/src/blob.js', text });
    assert.ok(result.findings.some((f) => f.ruleId === INCOMPLETE && f.severity === 'error'));
  });

  test('CLI: the deep file exits 1 with the finding in json and sarif', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-hostile-'));
    try {
      writeTree(root, { 'src/deep.ts': `export const x = ${'('.repeat(12_000)}1${')'.repeat(12_000)};\n` });
      const json = runCli(root, ['.', '--format', 'json', '--report', '--fail-on', 'error'], {}, 60_000);
      assert.equal(json.code, 1, json.stderr);
      const out = JSON.parse(json.stdout);
      assert.ok(out.findings.some((f: { rule: string; severity: string }) => f.rule === INCOMPLETE && f.severity === 'error'));
      assert.equal(out.factors.overall.incomplete, 1, 'the report counts it');
      assert.equal(out.factors.overall.status, 'fails', 'and does not read as a pass');
      const sarif = runCli(root, ['.', '--format', 'sarif'], {}, 60_000);
      assert.match(sarif.stdout, /factorlint\/analysis-incomplete/);
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });
});

describe('YAML merge keys and aliases are bounded (#3, #9)', () => {
  test('the 3.5 KB `<<` fan-out (400×400) finishes fast and still reports', () => {
    const keys = Array.from({ length: 400 }, (_v, i) => `  k${i}: v`).join('\n');
    const text = `x-a: &a\n${keys}\nx-b: &b\n  <<: [${Array(400).fill('*a').join(', ')}]\nservices:\n  web:\n    image: node:20\n    privileged: true\n    <<: [${Array(400).fill('*b').join(', ')}]\n`;
    const started = process.cpuUsage();
    const result = analyze({ path: '/p/compose.yaml', text });
    assert.ok(cpuMsSince(started) < 5_000, `took ${cpuMsSince(started)} ms of CPU`);
    assert.ok(result.findings.some((f) => f.ruleId === 'security/privileged'), 'the privileged service is reported');
    assert.ok(!result.findings.some((f) => f.ruleId === INCOMPLETE), 'shared, not copied: within the budget');
  });

  test('beyond the merge budget the file is reported incomplete, not passed', () => {
    // 600 distinct maps, each merging one 400-key base and adding a key of its own, all merged into one service: 240,600 pairs
    const base = `x-base: &base\n${Array.from({ length: 400 }, (_v, k) => `  k${k}: v`).join('\n')}`;
    const anchors = Array.from({ length: 600 }, (_v, m) => `x-m${m}: &m${m}\n  <<: *base\n  own${m}: v`).join('\n');
    const text = `${base}\n${anchors}\nservices:\n  web:\n    image: node:20\n    privileged: true\n    <<: [${Array.from({ length: 600 }, (_v, m) => `*m${m}`).join(', ')}]\n`;
    assert.ok(600 * 400 > MERGE_PAIR_BUDGET);
    const started = process.cpuUsage();
    const result = analyze({ path: '/p/compose.yaml', text });
    assert.ok(cpuMsSince(started) < 20_000, `took ${cpuMsSince(started)} ms of CPU`);
    const incomplete = result.findings.find((f) => f.ruleId === INCOMPLETE);
    assert.ok(incomplete && incomplete.severity === 'error' && /merge keys/.test(incomplete.message));
    assert.ok(result.findings.some((f) => f.ruleId === 'security/privileged'));
  });

  test('a large Compose file reusing one anchor (10× the 178 KB report) stays linear', () => {
    const defaults = `x-defaults: &defaults\n  restart: unless-stopped\n  logging:\n    driver: json-file\n  environment:\n${Array.from({ length: 30 }, (_v, i) => `    VAR_${i}: value-${i}`).join('\n')}\n`;
    const services = Array.from({ length: 20_000 }, (_v, i) => `  svc${i}:\n    <<: *defaults\n    image: registry.local/app:${i}`).join('\n');
    const text = `${defaults}services:\n${services}\n`;
    assert.ok(text.length > 1_000_000);
    const started = process.cpuUsage();
    const parsed = parseCompose(text);
    const took = cpuMsSince(started);
    assert.equal(parsed.services.length, 20_000);
    assert.equal(parsed.services[19_999].get('restart')?.toString(), 'unless-stopped');
    assert.ok(took < 30_000, `took ${took} ms of CPU`);
  });
});

describe('one masker (#4)', () => {
  const cases: Array<[string, string]> = [
    ['https://admin:Pa55w0rd-Really@example.com/x', 'Pa55w0rd-Really'],
    ['curl -u admin:hunter2hunter2 https://x', 'hunter2hunter2'],
    ['curl --user=admin:hunter2hunter2 https://x', 'hunter2hunter2'],
    ['echo ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['key sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK', 'sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK'],
    ['AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    ['xoxb-123456789012-abcdefghijkl', 'xoxb-123456789012-abcdefghijkl'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ['postgres://app:s3cretpass@db/app?sslmode=require', 's3cretpass'],
    ['DB_PASSWORD=correct-horse-battery', 'correct-horse-battery'],
  ];
  for (const [text, secret] of cases) {
    test(`masks ${text.slice(0, 30)}`, () => {
      const masked = maskText(text);
      assert.ok(!masked.includes(secret), masked);
      assert.equal(maskText(masked), masked, 'idempotent');
    });
  }
  test('a URL keeps its user; a private-key block loses its body, line count kept', () => {
    assert.match(maskText('https://admin:Pa55w0rd-Really@example.com'), /^https:\/\/admin:Pa55…ly \(15 chars\)@example\.com$/);
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----\nafter';
    const masked = maskText(key);
    assert.equal(masked.split('\n').length, key.split('\n').length);
    assert.doesNotMatch(masked, /MIIEow|VTLw7o/);
    assert.match(masked, /after$/);
  });
  test('ordinary text is left alone', () => {
    for (const text of ['listen() binds the hardcoded port 8080', 'https://example.com/path?q=1', 'docker run -u 1000:1000 app', 'process.env.DB_PASSWORD is read']) assert.equal(maskText(text), text);
  });
  test('maskDeep masks nested strings (what the cache writes)', () => {
    const value = { fixes: [{ edits: [{ newText: "process.env.X ?? 'sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK'" }] }], n: 3 };
    assert.doesNotMatch(JSON.stringify(maskDeep(value)), /sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK/);
  });
  test('diff context lines are masked too (-u user:pw, tokens, key lines)', () => {
    const before = "RUN curl -u admin:hunter2hunter2 https://x\nRUN echo ghp_abcdefghijklmnopqrstuvwxyz0123456789\n-----BEGIN PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END PRIVATE KEY-----\nCMD node a.js\n";
    const diff = unifiedDiff('Dockerfile', before, before.replace('CMD node a.js', 'CMD ["node", "a.js"]'));
    for (const secret of ['hunter2hunter2', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'MIIEowIBAAKCAQEAu1SU1L']) assert.ok(!diff.includes(secret), diff);
  });
  test('hardcoded-endpoint and add-remote-url messages never show a URL password', () => {
    const ts = analyze({ path: '/p/src/client.ts', text: "export const adminUrl = 'https://admin:Pa55w0rd-Really@api.acme-internal.io/v1';\n" });
    const docker = analyze({ path: '/p/Dockerfile', text: 'FROM node:22-slim\nADD https://deploy:Pa55w0rd-Really@files.acme.io/app.tgz /app/\nCMD ["node", "a.js"]\n' });
    const all = [...ts.findings, ...docker.findings];
    assert.ok(all.some((f) => f.ruleId === 'config/hardcoded-endpoint' || f.ruleId === 'build-release-run/add-remote-url'), JSON.stringify(all.map((f) => f.ruleId)));
    for (const f of all) assert.ok(!f.message.includes('Pa55w0rd-Really'), f.message);
  });
});

describe('configuration inputs (#5, #10)', () => {
  test('a backtracking ignore glob is a configuration error naming it', () => {
    const glob = `**/*${'a*'.repeat(16)}c.ts`;
    assert.ok(globProblem(glob));
    const parsed = parseConfigText(JSON.stringify({ ignore: [glob] }));
    assert.equal(parsed.config, undefined);
    assert.ok(parsed.errors.some((e) => e.includes('/ignore') && e.includes('a*a*')), parsed.errors.join('\n'));
    assert.ok(parseConfigText(JSON.stringify({ appOnly: { include: [glob] } })).errors.length > 0);
    // an editor setting that slips through is never compiled
    const started = process.cpuUsage();
    assert.equal(compiledGlobs([glob])(`src/${'a'.repeat(60)}b.ts`), false);
    assert.ok(cpuMsSince(started) < 1_000, `${cpuMsSince(started)} ms of CPU`);
    for (const fine of ['legacy/**', '**/*.generated.ts', 'src/**/*.test.*', '**/fixtures/**']) assert.equal(globProblem(fine), undefined, fine);
  });

  test('3,000 ignore globs are compiled once, not per file', () => {
    const ignore = Array.from({ length: 3_000 }, (_v, i) => `legacy${i}/**`);
    const config = resolveConfig({ ignore });
    const plain = resolveConfig({});
    const text = 'export const x = 1;\n';
    const timeRun = (c: typeof config) => {
      const started = process.cpuUsage();
      for (let i = 0; i < 300; i++) analyze({ path: `/p/src/f${i}.ts`, text }, { config: c, classify: { relativePath: `src/f${i}.ts` } });
      return cpuMsSince(started);
    };
    timeRun(plain); // warm-up
    const baseline = timeRun(plain);
    const withGlobs = timeRun(config);
    // recompiled per file this was 40× slower; compiled once it is about the same
    assert.ok(withGlobs < 3 * baseline + 500, `3,000 globs: ${withGlobs} ms vs ${baseline} ms without`);
    assert.equal(analyze({ path: '/p/legacy7/a.ts', text }, { config, classify: { relativePath: 'legacy7/a.ts' } }).skipped, 'ignored');
  });

  test('logger.module must be a module specifier; the quick fix never pastes anything else', () => {
    const evil = "./log';\nrequire('child_process').execSync('id');//";
    const parsed = parseConfigText(JSON.stringify({ logger: { module: evil } }));
    assert.ok(parsed.errors.some((e) => e.includes('/logger/module')), parsed.errors.join('\n'));
    const config = resolveConfig({ logger: { module: evil } });
    assert.equal(config.loggerModule, undefined);
    const result = analyze({ path: '/p/src/app.ts', text: "console.log('hello');\n" }, { config });
    for (const f of result.findings) for (const fix of f.fixes) for (const e of fix.edits) assert.ok(!e.newText.includes('child_process'), e.newText);
    assert.equal(resolveConfig({ logger: { module: './src/logger' } }).loggerModule, './src/logger');
    assert.equal(resolveConfig({ logger: { module: '@acme/log' } }).loggerModule, '@acme/log');
  });
});

describe('control characters (escaping)', () => {
  test('ESC/OSC in a Compose service name and a file name reach text output escaped', () => {
    assert.equal(escapeControl('a\u001b]0;pwned\u0007b\u009bc'), 'a\\x1B]0;pwned\\x07b\\x9Bc');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-ctl-'));
    try {
      writeTree(root, { 'compose.yaml': 'services:\n  "web\u001b[31mRED\u001b]0;title\u0007":\n    image: node\n    privileged: true\n' });
      for (const format of ['text', 'markdown']) {
        const r = runCli(root, ['.', '--format', format, '--fail-on', 'none'], {}, 60_000);
        assert.match(r.stdout, /privileged/);
        assert.doesNotMatch(r.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, `${format}: raw control characters`);
      }
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });
});

describe('linear bounds at 10× real-world sizes (#9)', () => {
  test('20,000 routes and 20,000 env reads: cross-file rules and the report stay linear', () => {
    const routes = Array.from({ length: 20_000 }, (_v, i) => `app.get('/r${i}', (_q, res) => res.send(process.env.VAR_${i} ?? 'x'));`);
    const model = buildProjectModel([
      { path: 'package.json', text: JSON.stringify({ name: 'big', dependencies: { express: '4' } }) },
      { path: 'Dockerfile', text: 'FROM node:22-slim\nCMD ["node", "src/server.js"]\n' },
      { path: 'src/server.ts', text: `import express from 'express';\nconst app = express();\n${routes.join('\n')}\napp.listen(Number(process.env.PORT ?? 3000));\n` },
    ]);
    assert.equal(model.routes.length, 20_000);
    const started = process.cpuUsage();
    const findings = runWorkspaceRules(model, WORKSPACE_RULES);
    const report = buildReport({ model, findings, filesAnalysed: 3 });
    const elapsed = cpuMsSince(started);
    assert.ok(elapsed < 15_000, `rules + report took ${elapsed} ms of CPU`);
    assert.equal(findings.filter((f) => f.ruleId === 'config/undeclared-env-var').length, 20_000);
    const health = findings.filter((f) => f.ruleId === 'telemetry/missing-health-endpoint');
    assert.equal(health.length, 1);
    assert.match(health[0].message, /20000 route/);
    assert.ok(report.factors.some((f) => f.rules.some((r) => r.ruleId === 'config/undeclared-env-var' && r.findings.length === 20_000)));
  });

  for (const count of [4_000, 20_000]) {
    test(`${count.toLocaleString('en-US')} chained Dockerfile stages: inheritance memoised`, () => {
      const lines = ['FROM node:22-slim AS s0', 'EXPOSE 3000'];
      for (let i = 1; i < count; i++) lines.push(`FROM s${i - 1} AS s${i}`, `ENV V${i}=x`);
      lines.push('CMD node server.js');
      const text = `${lines.join('\n')}\n`;
      const started = process.cpuUsage();
      const fact = extractDockerfile('Dockerfile', text);
      const result = analyze({ path: '/p/Dockerfile', text });
      const elapsed = cpuMsSince(started);
      assert.ok(elapsed < (count > 5_000 ? 40_000 : 10_000), `took ${elapsed} ms of CPU`);
      assert.equal(fact.stages.length, count);
      assert.deepEqual(fact.expose.map((p) => p.port), [3000], 'the final stage inherits EXPOSE from the root');
      assert.ok(result.findings.some((f) => f.ruleId === 'disposability/shell-form-cmd' || f.ruleId === 'disposability/shell-form-entrypoint' || f.ruleId.startsWith('disposability/')), JSON.stringify(result.findings.map((f) => f.ruleId)));
      assert.ok(!result.findings.some((f) => f.ruleId === INCOMPLETE));
    });
  }
});

describe('the cache keeps no secret (#4)', () => {
  test('a fix holding a secret is withheld from what is stored (a marker without edits), other fixes and messages are kept', () => {
    const secretFix = { title: 'Use exec form', kind: 'safe' as const, edits: [{ start: 0, end: 3, newText: 'CMD ["node", "a.js", "--token", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"]' }] };
    const plainFix = { title: 'Pin', kind: 'safe' as const, edits: [{ start: 0, end: 3, newText: 'node:22-slim' }] };
    const stored = findingsForStorage([
      { ruleId: 'a', message: 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789 here', fixes: [secretFix, plainFix] },
      { ruleId: 'b', message: 'plain', fixes: [plainFix] },
    ]);
    assert.doesNotMatch(JSON.stringify(stored), /ghp_abcdefghijklmnopqrstuvwxyz0123456789/);
    assert.deepEqual(stored[0].fixes, [{ title: 'Use exec form', kind: 'safe', edits: [], withheld: true }, plainFix]);
    assert.deepEqual(stored[1].fixes, [plainFix]);
  });
});
