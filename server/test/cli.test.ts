/**
 * The built CLI, run as a user runs it (a child `node out/server/src/cli.js` in a temporary
 * project): every output format, exit codes, --list-rules, --fix, .gitignore, masking.
 */
import { FACTORS } from '../src/engine/factors';
import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES } from '../src/rules/registry';
import { WORKSPACE_RULES } from '../src/workspace/registry';
import { writeAtomically, unifiedDiff } from '../src/cli/fix';
import { spawnSync } from 'node:child_process';
import { runCli, writeTree } from './support/cli-harness';
import { assertMatchesSarifSchema } from './support/sarif-schema';
import { TestClient } from './support/lsp-client';
import { pathToFileURL } from 'node:url';

const run = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) => runCli(cwd, args, env, 60_000);

const SECRET = 'sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK';
const DOCKER_SECRET = 'hunter2-Very-Secret-Pass';

const SERVER_TS = [
  "import express from 'express';",
  'const app = express();',
  `const stripeApiKey = '${SECRET}';`,
  'app.get("/", (_req, res) => res.send(String(Boolean(stripeApiKey))));',
  'app.listen(3000);',
  '',
].join('\n');

/** Secrets planted by the "never appear whole" test: cloud keys, tokens, URL credentials, private keys, DB URLs. */
const PLANTED = {
  aws: 'AKIAZ7Q3XK2M9PLW4RTB',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ3xK2m9Pl',
  github: 'ghp_R8x2Lq9ZtK4mV7wN3pB6yH1cF5dJ0sA2eG8u',
  slack: 'xoxb-918273645012-564738291034-Qw8Er7Ty6Ui5Op4As3Df2Gh',
  stripe: 'sk_live_51PlantedQx2Lk7vTQpZr9mWc3YbN8aF4eJ',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbi1wbGFudGVkIn0.Zk3q9PlAnTeDsIgNaTuRe0xYz1Ab2Cd3Ef4Gh5',
  urlPassword: 'Adm1n-Url-Passw0rd-77',
  dbPassword: 'Db-Passw0rd-Planted-42',
  curlPassword: 'Curl-Passw0rd-Planted-9',
  composePassword: 'Compose-Passw0rd-Planted-5',
  keyBody: 'MIIEowIBAAKCAQEAplantedKeyBody7Qx2Lk7vTQpZr9mWc3YbN8aF4eJ6uKzz',
};
const PLANTED_SECRETS = Object.values(PLANTED);
const PLANTED_TREE: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'planted', dependencies: { express: '4', pg: '8' } }),
  'src/server.ts': [
    "import express from 'express';",
    "import { Pool } from 'pg';",
    `const awsAccessKeyId = '${PLANTED.aws}';`,
    `const awsSecretAccessKey = '${PLANTED.awsSecret}';`,
    `const githubToken = '${PLANTED.github}';`,
    `const slackToken = '${PLANTED.slack}';`,
    `const stripeKey = '${PLANTED.stripe}';`,
    `const serviceJwt = '${PLANTED.jwt}';`,
    `const adminApi = 'https://admin:${PLANTED.urlPassword}@api.acme-internal.io/v1';`,
    `const pool = new Pool({ connectionString: 'postgres://app:${PLANTED.dbPassword}@db.internal:5432/app' });`,
    `const privateKey = '-----BEGIN RSA PRIVATE KEY-----\\n${PLANTED.keyBody}\\n-----END RSA PRIVATE KEY-----';`,
    'const app = express();',
    "app.get('/health', (_q, res) => res.send('ok'));",
    'export { awsAccessKeyId, awsSecretAccessKey, githubToken, slackToken, stripeKey, serviceJwt, adminApi, pool, privateKey };',
    'app.listen(3000);',
    '',
  ].join('\n'),
  'Dockerfile': [
    'FROM node:22-slim',
    `ENV GITHUB_TOKEN=${PLANTED.github}`,
    `ENV DATABASE_URL=postgres://app:${PLANTED.dbPassword}@db.internal:5432/app`,
    `RUN curl -u deploy:${PLANTED.curlPassword} https://files.acme.io/tool.tgz -o /tmp/tool.tgz`,
    `ADD https://deploy:${PLANTED.urlPassword}@files.acme.io/app.tgz /app/`,
    'CMD node server.js',
    '',
  ].join('\n'),
  'compose.yaml': [
    'services:',
    '  api:',
    '    build: .',
    '    environment:',
    `      STRIPE_SECRET_KEY: ${PLANTED.stripe}`,
    `      DB_PASSWORD: ${PLANTED.composePassword}`,
    `      DATABASE_URL: postgres://app:${PLANTED.dbPassword}@db:5432/app`,
    `      AWS_ACCESS_KEY_ID: ${PLANTED.aws}`,
    '',
  ].join('\n'),
  '.env': [
    `AWS_ACCESS_KEY_ID=${PLANTED.aws}`,
    `AWS_SECRET_ACCESS_KEY=${PLANTED.awsSecret}`,
    `SLACK_TOKEN=${PLANTED.slack}`,
    `ADMIN_URL=https://admin:${PLANTED.urlPassword}@api.acme-internal.io`,
    `JWT=${PLANTED.jwt}`,
    '',
  ].join('\n'),
  '.env.example': 'PORT=3000\n',
};
const PLANTED_OPEN: Array<[string, string]> = [['src/server.ts', 'typescript'], ['Dockerfile', 'dockerfile'], ['compose.yaml', 'dockercompose'], ['.env', 'dotenv']];

let project: string;

function makeProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-cli-'));
  writeTree(root, {
    'app/package.json': JSON.stringify({ name: 'app', bin: { serve: './serve.js' } }),
    'app/src/server.ts': SERVER_TS,
    'app/src/clean.ts': 'export const port = Number(process.env.PORT ?? 3000);\n',
    // a package.json bin target is a CLI, not application code: app-only rules stay silent
    'app/serve.js': "require('http').createServer(() => {}).listen(1234);\n",
    'app/Dockerfile': `FROM node:22-slim\nENV DB_PASSWORD=${DOCKER_SECRET}\nCMD node server.js\n`,
    'app/.gitignore': 'ignored/\n',
    'app/ignored/server.ts': 'require("http").createServer().listen(4000);\n',
    'app/node_modules/dep/index.js': 'require("http").createServer().listen(5000);\n',
    'app/dist/server.js': 'require("http").createServer().listen(6000);\n',
  });
  return root;
}

before(() => { project = makeProject(); });
after(() => { fs.rmSync(project, { recursive: true, force: true }); });

interface JsonOut {
  version: number;
  findings: Array<Record<string, unknown>>;
  summary: Record<string, number>;
}

describe('factorlint CLI', () => {
  test('text: grouped by file, summary line, no colours when not a TTY', () => {
    const r = run(project, ['app']);
    assert.equal(r.code, 1, `an error finding (Dockerfile ENV secret) exits 1\n${r.stderr}`);
    assert.match(r.stdout, /^app\/Dockerfile$/m);
    assert.match(r.stdout, /^app\/src\/server\.ts$/m);
    assert.match(r.stdout, /^ {2}5:\d+ +warning +.*port-binding\/hardcoded-port$/m);
    assert.match(r.stdout, /✖ \d+ problems \(1 error, \d+ warnings, \d+ info, 0 hints\) · \d+ files analysed/);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no ANSI escapes when piped');
    assert.match(run(project, ['app', '--color']).stdout, /\u001b\[/, '--color forces colours');
  });

  test('json: the version 1 contract', () => {
    const r = run(project, ['app', '--format', 'json']);
    const out = JSON.parse(r.stdout) as JsonOut;
    assert.deepEqual(Object.keys(out), ['version', 'findings', 'summary', 'factors', 'files'], 'the contract keys first, then the per-factor section and the file roles');
    const files = (out as unknown as { files: Array<{ file: string; role: string; reason: string }> }).files;
    assert.equal(files.length, out.summary.filesAnalyzed, 'one role per analysed file');
    for (const f of files) assert.ok(['server', 'browser', 'script', 'test', 'tooling'].includes(f.role) && f.reason.length > 0, `${f.file}: ${f.role}`);
    assert.equal(out.version, 1);
    assert.ok(out.findings.length >= 4);
    for (const f of out.findings) {
      const keys = ['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'factor', 'severity', 'message', 'fixable'];
      assert.deepEqual(Object.keys(f), f.related === undefined ? keys : [...keys, 'related'], 'cross-file findings add related locations');
      assert.match(f.file as string, /^app\/[^\\]+$/, 'relative to cwd, forward slashes');
      for (const k of ['line', 'column', 'endLine', 'endColumn']) assert.ok(Number.isInteger(f[k]) && (f[k] as number) >= 1, `${k} is 1-based`);
      assert.match(f.factor as string, /^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV)$/);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity as string));
      assert.equal(typeof f.fixable, 'boolean');
    }
    const port = out.findings.find((f) => f.rule === 'port-binding/hardcoded-port');
    assert.deepEqual({ file: port?.file, line: port?.line, column: port?.column, factor: port?.factor, fixable: port?.fixable }, { file: 'app/src/server.ts', line: 5, column: 12, factor: 'VII', fixable: true });
    const cmd = out.findings.find((f) => f.rule === 'disposability/shell-form-entrypoint');
    assert.equal(cmd?.line, 3);
    assert.equal(cmd?.column, 1);
    for (const key of ['error', 'warning', 'info', 'hint', 'filesAnalyzed', 'filesSkipped', 'durationMs']) assert.equal(typeof out.summary[key], 'number', `summary.${key}`);
    assert.equal(out.summary.error, out.findings.filter((f) => f.severity === 'error').length);
    assert.equal(out.summary.filesAnalyzed, 4, 'server.ts, clean.ts, serve.js, Dockerfile');
  });

  test('--jobs and --cache: the same output on worker threads and from the cache; bad --jobs is a usage error', () => {
    // a tree big enough for two workers (64 files each), with findings spread over it
    const big = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-jobs-'));
    const files: Record<string, string> = { 'package.json': JSON.stringify({ name: 'svc', dependencies: { express: '5.0.0' } }), 'src/server.ts': SERVER_TS };
    for (let i = 0; i < 150; i++) files[`src/mod${i}.ts`] = i % 10 === 0 ? `export const url = 'https://api.vendor${i}.example.com/v1';\nconsole.log(url);\n` : `export const n${i} = ${i};\n`;
    writeTree(big, files);
    const json = (args: string[]) => {
      const r = run(big, ['.', '--format', 'json', '--fail-on', 'none', ...args]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as JsonOut & { factors: unknown };
      return { findings: out.findings, factors: out.factors, files: out.summary.filesAnalyzed };
    };
    const single = json(['--jobs', '1']);
    assert.ok(single.findings.length >= 15, `findings in many files (${single.findings.length})`);
    assert.deepEqual(json(['--jobs', '2']), single, 'two workers');
    const cacheFile = path.join(big, 'node_modules', '.cache', 'factorlint', 'analysis-cache.json');
    assert.deepEqual(json(['--cache']), single, 'cold cache');
    assert.ok(fs.existsSync(cacheFile), 'the cache is kept under node_modules/.cache/factorlint');
    assert.deepEqual(json(['--cache']), single, 'warm cache');
    fs.appendFileSync(path.join(big, 'src/mod1.ts'), "console.log('changed');\n");
    const changed = json(['--cache']);
    assert.ok(changed.findings.some((f) => f.file === 'src/mod1.ts'), 'an edited file is analysed again');
    assert.deepEqual(changed, json(['--jobs', '1']), 'after an edit, cached and fresh runs agree');
    for (const bad of ['0', 'two', '-1']) {
      const r = run(big, ['.', `--jobs=${bad}`]);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--jobs expects a whole number/);
    }
    fs.rmSync(big, { recursive: true, force: true });
  });

  test('.gitignored files, node_modules and build outputs are skipped; bin targets are not app code', () => {
    const out = JSON.parse(run(project, ['app', '--format', 'json']).stdout) as JsonOut;
    const files = new Set(out.findings.map((f) => f.file));
    for (const skipped of ['app/ignored/server.ts', 'app/node_modules/dep/index.js', 'app/dist/server.js', 'app/serve.js']) assert.ok(!files.has(skipped), `${skipped} must not be reported`);
  });

  test('sarif: a valid SARIF 2.1.0 log', () => {
    const r = run(project, ['app', '--format', 'sarif']);
    const log = JSON.parse(r.stdout);
    assertValidSarif(log);
    const results = log.runs[0].results as Array<{ ruleId: string; fixes?: unknown[] }>;
    assert.ok(results.some((x) => x.ruleId === 'port-binding/hardcoded-port' && x.fixes?.length), 'fixes carried for fixable findings');
    const ids = (log.runs[0].tool.driver.rules as Array<{ id: string }>).map((x) => x.id);
    for (const rule of RULES) assert.ok(ids.includes(rule.meta.id), `driver lists ${rule.meta.id}`);
  });

  test('markdown: factor table with status and counts, then findings', () => {
    const r = run(project, ['app', '--format', 'markdown']);
    assert.match(r.stdout, /^\| \| Factor \| Status \| Score \| Errors \| Warnings \| Info \| Evidence \|$/m);
    assert.match(r.stdout, /^\| VII \| Port binding \| ⚠️ needs attention \| \d+ \| 0 \| 1 \| 0 \| \d+ \|$/m);
    assert.match(r.stdout, /^- \*\*port-binding\/hardcoded-port\*\* — /m);
    assert.match(r.stdout, /^ {2}- warning: listen\(\) binds the hardcoded port 3000.* — app\/src\/server\.ts:5$/m);
    assert.match(r.stdout, /^_✖ \d+ problems/m, 'the summary line closes the comment');
  });

  test('--report prints the factor report, in agreement with the JSON factors section', () => {
    const r = run(project, ['app', '--report']);
    const json = JSON.parse(run(project, ['app', '--format', 'json']).stdout) as JsonOut & { factors: { factors: Array<{ numeral: string; title: string; status: string; score: number | null; counts: Record<string, number>; evidence: unknown[] }> } };
    const status: Record<string, string> = { passes: '✔ passes', 'needs-attention': '▲ needs attention', fails: '✖ fails', 'not-applicable': '– n/a' };
    const cell = (n: number) => (n === 0 ? '·' : String(n));
    for (const factor of FACTORS) {
      const f = json.factors.factors.find((x) => x.numeral === factor.numeral)!;
      const of = (severity: string) => json.findings.filter((x) => x.factor === factor.numeral && x.severity === severity && !String(x.rule).startsWith('factorlint/')).length;
      assert.deepEqual([f.counts.error, f.counts.warning, f.counts.info + f.counts.hint], [of('error'), of('warning'), of('info') + of('hint')], `factor ${factor.numeral} counts equal the findings`);
      const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const row = new RegExp(`^${factor.numeral}\\. ${esc(factor.title)} +${esc(status[f.status])} +${f.score ?? '—'} +${cell(of('error'))} +${cell(of('warning'))} +${cell(of('info') + of('hint'))} +${cell(f.evidence.length)}$`, 'm');
      assert.match(r.stdout, row);
    }
    assert.match(r.stdout, /^III\. Config +✖ fails +\d+ +1 /m, 'the planted Dockerfile secret is an error');
    assert.match(r.stdout, /^Overall \d+\/100 \(fails — (?:[IVX]+\. [^)]+ fails|[IVX, ]+ and [IVX]+ fail)\) · \d+ of 15 factors apply · \d+ findings$/m);
  });

  test('a secret never appears unmasked, in any format', () => {
    for (const args of [[], ['--format', 'json'], ['--format', 'sarif'], ['--format', 'markdown'], ['--report'], ['--fix-dry-run']]) {
      const r = run(project, ['app', ...args]);
      for (const secret of [SECRET, DOCKER_SECRET]) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${args.join(' ') || 'text'} leaks a secret`);
      }
    }
    // the --cache file holds findings (and their fixes): masked there too
    const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-secret-cache-')), 'cache.json');
    assert.equal(run(project, ['app', '--cache-location', cacheFile]).code, 1);
    const cached = fs.readFileSync(cacheFile, 'utf8');
    assert.match(cached, /hardcoded-secret/);
    for (const secret of [SECRET, DOCKER_SECRET]) assert.ok(!cached.includes(secret), 'the cache file leaks a secret');
  });

  test('planted secrets in every file kind never appear whole: every format, dry-run diffs, .env.example, baseline, cache, the server', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-planted-'));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-planted-out-'));
    try {
      writeTree(root, PLANTED_TREE);
      const outputs: Array<[string, string]> = [];
      const capture = (label: string, args: string[]) => {
        const r = run(root, ['.', '--fail-on', 'none', ...args]);
        assert.equal(r.code, 0, `${label}: ${r.stderr}`);
        outputs.push([label, r.stdout], [`${label} (stderr)`, r.stderr]);
        return r;
      };
      capture('text', []);
      capture('json', ['--format', 'json']);
      capture('sarif', ['--format', 'sarif']);
      capture('markdown', ['--format', 'markdown']);
      capture('report', ['--report']);
      capture('fix-dry-run --extract-env', ['--fix-dry-run', '--extract-env']);
      const html = path.join(tmp, 'report.html');
      capture('html', ['--format', 'html', '-o', html]);
      outputs.push(['html file', fs.readFileSync(html, 'utf8')]);
      const baseline = path.join(tmp, 'baseline.json');
      capture('baseline-create', ['--baseline-create', '--baseline', baseline]);
      outputs.push(['baseline file', fs.readFileSync(baseline, 'utf8')]);
      const cacheFile = path.join(tmp, 'cache.json');
      capture('cache', ['--cache-location', cacheFile]);
      outputs.push(['cache file', fs.readFileSync(cacheFile, 'utf8')]);
      // the findings are there (the test would pass vacuously otherwise)
      const json = JSON.parse(outputs.find(([l]) => l === 'json')![1]) as JsonOut;
      const rules = new Set(json.findings.map((f) => f.rule));
      for (const id of ['config/hardcoded-secret', 'config/hardcoded-connection-string', 'build-release-run/add-remote-url', 'config/committed-env-file']) assert.ok(rules.has(id), `${id} fires on the planted tree: ${[...rules].join(', ')}`);
      const dryRun = outputs.find(([l]) => l === 'fix-dry-run --extract-env')![1];
      assert.match(dryRun, /\.env\.example/, 'the extract refactoring shows its .env.example lines');

      // the language server: diagnostics (message, related) and code-action titles
      const client = await TestClient.start({ folders: [root] });
      try {
        for (const [rel, languageId] of PLANTED_OPEN) {
          const uri = pathToFileURL(path.join(root, rel)).toString();
          await client.open(uri, languageId, PLANTED_TREE[rel]);
          const diagnostics = await client.diagnosticsFor(uri, 1);
          if (rel !== '.env') assert.ok(diagnostics.length > 0, `${rel}: diagnostics`);
          outputs.push([`server diagnostics ${rel}`, JSON.stringify(diagnostics.map((d) => [d.message, d.relatedInformation]))]);
          for (const d of diagnostics) {
            const actions = await client.codeActions(uri, d.range, [d]);
            outputs.push([`server code actions ${rel}`, JSON.stringify(actions.map((a) => a.title))]);
          }
        }
      } finally {
        await client.dispose();
      }

      for (const [label, text] of outputs) {
        for (const secret of PLANTED_SECRETS) assert.ok(!text.includes(secret), `${label} shows ${secret.slice(0, 6)}… whole`);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('exit codes: 0 clean, 1 at or above --fail-on, 2 usage and config errors', () => {
    const clean = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-clean-'));
    try {
      writeTree(clean, { 'src/index.ts': 'export const port = Number(process.env.PORT ?? 3000);\n' });
      assert.equal(run(clean, []).code, 0);
      assert.equal(run(project, ['app/src', '--fail-on', 'error']).code, 0, 'warnings only');
      assert.equal(run(project, ['app/src', '--fail-on', 'warning']).code, 1);
      assert.equal(run(project, ['app', '--fail-on', 'none']).code, 0);
      assert.equal(run(project, ['app/src', '--rule', 'port-binding/hardcoded-port=error']).code, 1);
      const usage: Array<[string[], RegExp]> = [
        [['--frmat', 'json'], /Unknown option '--frmat'/],
        [['--format', 'xml'], /--format must be one of text, json, sarif, markdown, html, github, codeclimate, junit, checkstyle; got "xml"/],
        [['--fail-on', 'fatal'], /--fail-on must be one of/],
        [['does-not-exist'], /cannot read path "does-not-exist"/],
        [['--rule', 'nope/nothing=error'], /unknown rule "nope\/nothing"/],
        [['--rule', 'port-binding/hardcoded-port=loud'], /must be one of off, hint, info, warning, error/],
        [['--max-file-size', 'big'], /--max-file-size expects/],
        [['--config', 'missing.json'], /cannot read configuration file/],
      ];
      for (const [args, message] of usage) {
        const r = run(clean, args);
        assert.equal(r.code, 2, `${args.join(' ')} exits 2`);
        assert.match(r.stderr, message);
      }
      fs.writeFileSync(path.join(clean, '.factorlintrc.json'), '{ "rules": { "port-binding/hardcoded-port": "loud" } }');
      const bad = run(clean, []);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /invalid configuration in .*\.factorlintrc\.json/);
      fs.writeFileSync(path.join(clean, '.factorlintrc.json'), '{ not json');
      assert.match(run(clean, []).stderr, /not valid JSON/);
    } finally {
      fs.rmSync(clean, { recursive: true, force: true });
    }
  });

  test('.factorlintrc.json is honoured: rules off and ignore globs', () => {
    const dir = makeProject();
    try {
      fs.writeFileSync(path.join(dir, 'app/.factorlintrc.json'), JSON.stringify({ $schema: '../schemas/factorlintrc.schema.json', rules: { 'config/hardcoded-secret': 'off' }, ignore: ['Dockerfile'] }));
      const out = JSON.parse(run(dir, ['app', '--format', 'json']).stdout) as JsonOut;
      assert.ok(!out.findings.some((f) => f.rule === 'config/hardcoded-secret'));
      assert.ok(!out.findings.some((f) => f.file === 'app/Dockerfile'));
      assert.ok(out.findings.some((f) => f.rule === 'port-binding/hardcoded-port'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('folders above the project (…/tools/cli/) do not make its files tooling', () => {
    const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-outer-'));
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-cwd-'));
    try {
      const dir = path.join(outer, 'tools', 'cli', 'svc');
      writeTree(dir, { 'package.json': '{"name":"svc"}', 'src/server.ts': 'app.listen(3000);\n' });
      for (const [cwd, target] of [[elsewhere, dir], [outer, 'tools/cli/svc']]) {
        const out = JSON.parse(run(cwd, [target, '--format', 'json']).stdout) as JsonOut;
        // app-only rules run: the file is application code wherever the CLI is started from
        assert.ok(out.findings.some((f) => f.rule === 'port-binding/hardcoded-port'), `from ${cwd}`);
      }
    } finally {
      fs.rmSync(outer, { recursive: true, force: true });
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('--list-rules: a table in text, an array in json', () => {
    const text = run(project, ['--list-rules']);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^RULE +FACTOR +SEVERITY +FIX +DESCRIPTION$/m);
    assert.match(text.stdout, /^port-binding\/hardcoded-port +VII +warning +safe +A server listens/m);
    const json = JSON.parse(run(project, ['--list-rules', '--format', 'json']).stdout) as Array<Record<string, string>>;
    // a command rule has a file check and a chain check under one id: listed once
    assert.deepEqual(json.map((r) => r.id), [...RULES, ...WORKSPACE_RULES.filter((w) => !RULES.some((r) => r.meta.id === w.meta.id))].map((r) => r.meta.id));
    assert.equal(new Set(json.map((r) => r.id)).size, json.length, 'each id once');
    assert.deepEqual(Object.keys(json[0]), ['id', 'factor', 'severity', 'fix', 'description']);
  });

  test('a reader that closes the pipe early (| head) ends the run quietly, no EPIPE crash', () => {
    const errFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-epipe-')), 'stderr.txt');
    const cli = path.resolve(__dirname, '../src/cli.js');
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" app --format sarif 2>"${errFile}" | head -c 10 >/dev/null`], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(errFile, 'utf8'), '', 'nothing on stderr');
  });

  test('--help and --version', () => {
    assert.match(run(project, ['--help']).stdout, /Usage: factorlint/);
    assert.match(run(project, ['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
  });

  test('--output writes the file', () => {
    const r = run(project, ['app', '--format', 'json', '--output', 'out.json']);
    assert.equal(r.stdout, '');
    assert.equal((JSON.parse(fs.readFileSync(path.join(project, 'out.json'), 'utf8')) as JsonOut).version, 1);
  });

  test('--fix applies safe fixes atomically, keeping mode and CRLF line endings; --fix-dry-run writes nothing', () => {
    const dir = makeProject();
    try {
      const server = path.join(dir, 'app/src/server.ts');
      const docker = path.join(dir, 'app/Dockerfile');
      fs.writeFileSync(docker, `FROM node:22-slim\r\nCMD node server.js\r\n`);
      fs.chmodSync(server, 0o640);
      const dry = run(dir, ['app', '--fix-dry-run']);
      assert.match(dry.stdout, /^--- a\/app\/src\/server\.ts$/m);
      assert.match(dry.stdout, /^-app\.listen\(3000\);$/m);
      assert.match(dry.stdout, /^\+app\.listen\(Number\(process\.env\.PORT \?\? 3000\)\);$/m);
      assert.match(dry.stdout, /2 safe fixes would be applied in 2 files/);
      assert.equal(fs.readFileSync(server, 'utf8'), SERVER_TS, 'dry run writes nothing');

      const r = run(dir, ['app', '--fix', '--format', 'json']);
      const out = JSON.parse(r.stdout) as JsonOut;
      assert.ok(!out.findings.some((f) => f.rule === 'port-binding/hardcoded-port' || f.rule === 'disposability/shell-form-entrypoint'), 'fixed findings are gone');
      assert.ok(out.findings.some((f) => f.rule === 'config/hardcoded-secret'), 'unsafe fixes are not applied');
      assert.equal(fs.readFileSync(server, 'utf8'), SERVER_TS.replace('app.listen(3000);', 'app.listen(Number(process.env.PORT ?? 3000));'));
      assert.equal(fs.statSync(server).mode & 0o777, 0o640, 'mode preserved');
      assert.equal(fs.readFileSync(docker, 'utf8'), 'FROM node:22-slim\r\nCMD ["node", "server.js"]\r\n', 'CRLF preserved');
      assert.deepEqual(fs.readdirSync(path.join(dir, 'app/src')).filter((f) => f.includes('.tmp')), [], 'no temp files left');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('writeAtomically never overwrites a file changed since it was read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-atomic-'));
    try {
      const file = path.join(dir, 'a.ts');
      fs.writeFileSync(file, 'original');
      fs.writeFileSync(file, 'edited by the user');
      assert.equal(writeAtomically(file, 'fixed', 'original'), false);
      assert.equal(fs.readFileSync(file, 'utf8'), 'edited by the user');
      assert.equal(writeAtomically(file, 'fixed', 'edited by the user'), true);
      assert.equal(fs.readFileSync(file, 'utf8'), 'fixed');
      assert.deepEqual(fs.readdirSync(dir), ['a.ts']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('unifiedDiff: hunks with context, masking applied', () => {
    const lines = ['a', 'b', 'c', 'password = "abcdefgh123"', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'x', 'm'];
    const before = lines.join('\n');
    const after = lines.map((l) => (l === 'x' ? 'y' : l === 'd' ? 'D' : l)).join('\n');
    const diff = unifiedDiff('f.ts', before, after, (l) => l.replace('abcdefgh123', '***'));
    assert.match(diff, /^@@ -2,7 \+2,7 @@\n b\n c\n password = "\*\*\*"\n-d\n\+D\n e\n/m);
    assert.match(diff, /^@@ -11,5 \+11,5 @@$/m);
    assert.ok(!diff.includes('abcdefgh123'));
  });
});

/**
 * The official SARIF 2.1.0 schema, then the parts code scanning relies on that the schema
 * leaves optional (rule metadata, locations, fixes).
 */
function assertValidSarif(log: any): void {
  assertMatchesSarifSchema(log);
  assert.equal(log.version, '2.1.0');
  assert.equal(typeof log.$schema, 'string');
  assert.ok(Array.isArray(log.runs) && log.runs.length === 1);
  const run = log.runs[0];
  const driver = run.tool?.driver;
  assert.equal(driver.name, 'factorlint');
  assert.match(driver.version, /^\d+\.\d+\.\d+/);
  assert.ok(Array.isArray(driver.rules) && driver.rules.length > 0);
  const ruleIds = new Set<string>();
  for (const rule of driver.rules) {
    assert.equal(typeof rule.id, 'string');
    assert.ok(!ruleIds.has(rule.id), `duplicate rule ${rule.id}`);
    ruleIds.add(rule.id);
    assert.match(rule.name, /^[A-Za-z0-9]+$/, 'name is an identifier-like string');
    for (const key of ['shortDescription', 'fullDescription']) assert.ok(rule[key]?.text?.length > 0, `${rule.id}.${key}.text`);
    // the help travels in the log (the bundled page), not as a link to a site that does not exist
    assert.equal(rule.helpUri, undefined);
    assert.ok(rule.help.text.length > 0 && rule.help.markdown.length > 0);
    if (!rule.id.startsWith('factorlint/')) assert.equal(rule.help.markdown, fs.readFileSync(path.join(__dirname, '../../../docs/rules', `${rule.id}.md`), 'utf8'), `${rule.id}: help.markdown is its page`);
    assert.ok(['none', 'note', 'warning', 'error'].includes(rule.defaultConfiguration.level));
    assert.ok(Array.isArray(rule.properties.tags) && rule.properties.tags.every((t: unknown) => typeof t === 'string'));
  }
  assert.match(run.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/\/.*\/$/, 'SRCROOT is an absolute file URI ending in /');
  assert.ok(Array.isArray(run.results));
  for (const result of run.results) {
    assert.ok(ruleIds.has(result.ruleId));
    assert.equal(driver.rules[result.ruleIndex].id, result.ruleId, 'ruleIndex points at the rule');
    assert.ok(['none', 'note', 'warning', 'error'].includes(result.level));
    assert.ok(result.message.text.length > 0);
    assert.ok(Array.isArray(result.locations) && result.locations.length === 1);
    const loc = result.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.doesNotMatch(loc.artifactLocation.uri, /^\/|^[a-z]+:|\\/, 'relative URI reference');
    assertRegion(loc.region);
    for (const fix of result.fixes ?? []) {
      assert.ok(fix.description.text.length > 0);
      assert.ok(fix.artifactChanges.length > 0);
      for (const change of fix.artifactChanges) {
        assert.equal(change.artifactLocation.uriBaseId, '%SRCROOT%');
        assert.ok(change.replacements.length > 0);
        for (const rep of change.replacements) {
          assertRegion(rep.deletedRegion);
          assert.equal(typeof rep.insertedContent.text, 'string');
        }
      }
    }
  }
}

function assertRegion(region: any): void {
  for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn']) assert.ok(Number.isInteger(region[key]) && region[key] >= 1, `region.${key} is 1-based`);
  assert.ok(region.endLine > region.startLine || (region.endLine === region.startLine && region.endColumn >= region.startColumn), 'region ends after it starts');
}
