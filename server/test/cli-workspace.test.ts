/**
 * The CLI's workspace analysis, run as a user runs it (a child `node out/server/src/cli.js`):
 * cross-file findings in every format, the factor report (text, JSON `factors`, Markdown,
 * HTML rendered in headless Chromium), the baseline, `--shard`/`merge`, and where `--fix`
 * may write.
 */
import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FACTORS } from '../src/engine/factors';
import { RULES } from '../src/rules/registry';
import { WORKSPACE_RULES } from '../src/workspace/registry';
import { ProjectModelBuilder } from '../src/workspace/project-model';
import { analyze } from '../src/engine/run';
import type { ParsedDocument } from '../src/engine/document';
import { spawnSync } from 'node:child_process';
import { runCli, writeTree } from './support/cli-harness';
import { assertMatchesSarifSchema } from './support/sarif-schema';

const run = (cwd: string, args: string[]) => runCli(cwd, args);

const REPO = path.resolve(__dirname, '../../..');
const CHROMIUM = '/usr/bin/chromium';

interface JsonFinding { file: string; line: number; column: number; rule: string; factor: string; severity: string; message: string; related?: Array<{ file: string; line: number; column: number; message: string }> }
interface FactorsJson {
  overall: { score: number | null; status: string; counts: Record<string, number> };
  baselined: number;
  factors: Array<{ slug: string; numeral: string; title: string; status: string; score: number | null; counts: Record<string, number>; baselined: number; rules: Array<{ ruleId: string; findings: Array<{ path: string; line: number; column: number }> }> }>;
}
interface JsonOut { version: number; findings: JsonFinding[]; summary: Record<string, number>; factors: FactorsJson }

const json = (cwd: string, args: string[]) => JSON.parse(run(cwd, [...args, '--format', 'json', '--fail-on', 'none']).stdout) as JsonOut;
const key = (f: JsonFinding) => JSON.stringify([f.file, f.line, f.column, f.rule, f.message]);

/** A monorepo: two services and a library, with cross-file slips in several packages. */
function makeMonorepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-mono-'));
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['services/*', 'libs/*'] }),
    'compose.yaml': 'services:\n  api:\n    build: ./services/api\n    ports:\n      - "8080:8080"\n    environment:\n      PORT: "3000"\n  worker:\n    build: ./services/worker\n',
    'libs/config/package.json': JSON.stringify({ name: '@mono/config', main: 'index.js' }),
    'libs/config/index.ts': 'export const region = process.env.AWS_REGION ?? "eu-west-1";\n',
  };
  for (const svc of ['api', 'worker']) {
    files[`services/${svc}/package.json`] = JSON.stringify({ name: `@mono/${svc}`, scripts: { start: 'node dist/main.js' }, dependencies: { express: '^4.19.2' } });
    files[`services/${svc}/Dockerfile`] = 'FROM node:22.11-slim\nWORKDIR /app\nCOPY . .\nUSER node\nEXPOSE 3000\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n';
    files[`services/${svc}/entrypoint.sh`] = '#!/bin/sh\nset -e\nnode dist/main.js\n';
    files[`services/${svc}/.env.example`] = 'PORT=3000\n';
    files[`services/${svc}/src/main.ts`] = [
      "import express from 'express';",
      'const app = express();',
      `app.get('/${svc}/items', (_req, res) => res.json([]));`,
      `const token = process.env.${svc.toUpperCase()}_TOKEN;`,
      "app.get('/whoami', (_req, res) => res.json({ token: Boolean(token) }));",
      'const server = app.listen(Number(process.env.PORT ?? 3000));',
      "process.on('SIGTERM', () => server.close());",
      '',
    ].join('\n');
    for (let i = 0; i < 12; i++) files[`services/${svc}/src/handlers/h${i}.ts`] = `export function h${i}(): string {\n  return process.env.${svc.toUpperCase()}_H${i} ?? 'x';\n}\nconsole.log('loaded h${i}');\n`;
  }
  writeTree(root, files);
  fs.chmodSync(path.join(root, 'services/api/entrypoint.sh'), 0o755);
  return root;
}

let mono: string;
before(() => { mono = makeMonorepo(); });
after(() => { fs.rmSync(mono, { recursive: true, force: true }); });

describe('CLI workspace analysis', () => {
  test('examples/: every cross-file rule reports a true finding, in every format', () => {
    const out = json(REPO, ['examples/']);
    const rules = new Set(out.findings.map((f) => f.rule));
    // the command rules' chain checks extend single-file rules (same id): examples/ shows the cross-file-only rules
    for (const rule of WORKSPACE_RULES.filter((w) => !RULES.some((r) => r.meta.id === w.meta.id))) assert.ok(rules.has(rule.meta.id), `examples/ shows ${rule.meta.id}`);
    const mismatch = out.findings.find((f) => f.rule === 'port-binding/port-mismatch')!;
    assert.equal(mismatch.file, 'examples/webhook-relay/Dockerfile');
    assert.ok(mismatch.related?.some((r) => r.file === 'examples/webhook-relay/src/index.ts' && r.line === 22), 'related: the listen call');
    const script = out.findings.find((f) => f.rule === 'disposability/no-exec-in-entrypoint-script')!;
    assert.deepEqual([script.file, script.line], ['examples/webhook-relay/docker-entrypoint.sh', 8]);
    assert.ok(!out.findings.some((f) => f.rule === 'factorlint/unused-suppression'), 'no suppression reported unused');

    const text = run(REPO, ['examples/', '--fail-on', 'none']).stdout;
    assert.match(text, /^examples\/webhook-relay\/docker-entrypoint\.sh$/m);
    assert.match(text, /^ {2}10:8 +warning +EXPOSE 8080 does not match .*port-binding\/port-mismatch$/m);
    assert.match(text, /^ {2}\d+:\d+ +info +process\.env\.PAYMENT_API_KEY is read here .*config\/undeclared-env-var$/m);

    const sarif = JSON.parse(run(REPO, ['examples/', '--format', 'sarif', '--fail-on', 'none']).stdout);
    assertMatchesSarifSchema(sarif); // cross-file findings' relatedLocations included
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'port-binding/port-mismatch');
    assert.ok(result.relatedLocations.length >= 1);
    assert.equal(result.relatedLocations[0].physicalLocation.artifactLocation.uri, 'examples/webhook-relay/src/index.ts');
    assert.equal(typeof result.relatedLocations[0].message.text, 'string');
    assert.ok(typeof result.ruleIndex === 'number', 'workspace rules are in the driver');
    assert.equal(sarif.runs[0].automationDetails, undefined, 'no automation id without --shard');

    const md = run(REPO, ['examples/', '--format', 'markdown', '--fail-on', 'none']).stdout;
    assert.match(md, /^- \*\*port-binding\/port-mismatch\*\* — /m);
  });

  test('command chains: a CMD followed into package.json and startup.sh, a Procfile line; reported once, with related lines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-chains-'));
    try {
      writeTree(dir, {
        'package.json': JSON.stringify({ name: 'svc', scripts: { 'start-docker': 'sh ./startup.sh', 'migration:run': 'typeorm migration:run' } }, null, 2),
        'Dockerfile': 'FROM node:22.11-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["pnpm", "start-docker"]\n',
        'startup.sh': '#!/bin/sh\nset -e\npnpm migration:run\nexec node dist/main.js\n',
        'Procfile': 'release: npx prisma migrate deploy\nweb: npm run migration:run && node dist/main.js\n',
      });
      const admin = json(dir, ['.']).findings.filter((f) => f.rule === 'admin-processes/admin-task-in-cmd');
      assert.deepEqual(admin.map((f) => [f.file, f.line]), [['Dockerfile', 5], ['Procfile', 2]]);
      assert.match(admin[0].message, /^CMD pnpm start-docker → package\.json "start-docker" → startup\.sh → pnpm migration:run: /);
      assert.deepEqual(admin[0].related?.map((r) => [r.file, r.line]), [['package.json', 4], ['startup.sh', 3]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('npm run report on examples/ shows the factor report with workspace findings', () => {
    const r = run(REPO, ['examples/', '--report', '--fail-on', 'none']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Twelve-Factor report$/m);
    assert.match(r.stdout, /^XIII\. API first +▲ needs attention +\d+ /m);
    assert.match(r.stdout, /telemetry\/missing-health-endpoint$/m);
    assert.match(r.stdout, /^Overall \d+\/100 \((?:fails — [^)]+|needs attention|passes)\) · 15 of 15 factors apply · \d+ findings$/m);
  });

  test('JSON factors: numbers equal the findings', () => {
    for (const [cwd, args] of [[REPO, ['examples/']], [mono, ['.']]] as const) {
      const out = json(cwd, [...args]);
      const real = out.findings.filter((f) => !f.rule.startsWith('factorlint/'));
      assert.equal(out.factors.factors.length, 15);
      for (const factor of FACTORS) {
        const f = out.factors.factors.find((x) => x.numeral === factor.numeral)!;
        const mine = real.filter((x) => x.factor === factor.numeral);
        for (const severity of ['error', 'warning', 'info', 'hint']) assert.equal(f.counts[severity], mine.filter((x) => x.severity === severity).length, `${factor.numeral} ${severity}`);
        assert.equal(f.counts.total, mine.length);
        assert.equal(f.rules.reduce((n, r) => n + r.findings.length, 0), mine.length);
      }
      for (const severity of ['error', 'warning', 'info', 'hint']) assert.equal(out.factors.overall.counts[severity], real.filter((x) => x.severity === severity).length);
    }
  });

  test('--format html: a standalone report that headless Chromium renders with the 15 factors', (t) => {
    const outFile = path.join(mono, 'report.html');
    const r = run(REPO, [path.join(mono), '--format', 'html', '-o', outFile, '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    const html = fs.readFileSync(outFile, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.doesNotMatch(html, /<(?:script|link|img)[^>]+(?:src|href)="https?:/i, 'no external assets');
    if (!fs.existsSync(CHROMIUM)) { t.skip(`${CHROMIUM} not installed: HTML not rendered`); return; }
    const dom = spawnSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${outFile}`], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(dom.status, 0, dom.stderr);
    for (const factor of FACTORS) assert.ok(dom.stdout.includes(factor.title.replace(/&/g, '&amp;')), `rendered DOM shows ${factor.title}`);
    assert.ok(dom.stdout.includes('port-binding/port-mismatch'), 'the cross-file finding is in the page');
    assert.match(dom.stdout, /href="file:\/\/[^"]+\/services\/api\/Dockerfile#L\d+"/, 'locations link to the files');
  });

  test('baseline: create, hide, report the count; unrelated edits keep findings baselined; new ones fail', () => {
    const dir = makeMonorepo();
    try {
      const before = json(dir, ['.']);
      assert.ok(before.findings.length > 10);
      const created = run(dir, ['.', '--baseline-create']);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, new RegExp(`recorded ${before.findings.length} findings in \\.factorlint-baseline\\.json`));
      const baseline = JSON.parse(fs.readFileSync(path.join(dir, '.factorlint-baseline.json'), 'utf8'));
      assert.equal(baseline.version, 1);
      assert.equal(baseline.findings.length, before.findings.length);

      const hidden = json(dir, ['.', '--baseline']);
      assert.equal(hidden.findings.length, 0);
      assert.equal(hidden.summary.baselined, before.findings.length);
      assert.equal(hidden.factors.baselined, before.findings.filter((f) => !f.rule.startsWith('factorlint/')).length);
      const text = run(dir, ['.', '--baseline', '--report', '--fail-on', 'info']);
      assert.equal(text.code, 0, 'baselined findings do not fail the build');
      assert.match(text.stdout, new RegExp(`✔ no problems · ${before.findings.length} baselined`));
      assert.match(text.stdout, /baselined \(hidden\)/);

      // an unrelated edit above findings shifts their lines: still baselined
      const main = path.join(dir, 'services/api/src/main.ts');
      fs.writeFileSync(main, `// the api service\n// (comment added later)\n${fs.readFileSync(main, 'utf8')}`);
      assert.equal(json(dir, ['.', '--baseline']).findings.length, 0);

      // a new finding is shown and fails; --baseline <file> picks another file
      fs.appendFileSync(main, "console.log('new');\n");
      const fresh = run(dir, ['.', '--baseline', '--format', 'json', '--fail-on', 'info']);
      assert.equal(fresh.code, 1);
      assert.deepEqual((JSON.parse(fresh.stdout) as JsonOut).findings.map((f) => f.rule), ['logs/console-logging']);
      fs.renameSync(path.join(dir, '.factorlint-baseline.json'), path.join(dir, 'accepted.json'));
      assert.equal(json(dir, ['.', '--baseline', 'accepted.json']).findings.length, 1);
      const missing = run(dir, ['.', '--baseline']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /cannot read baseline .*\.factorlint-baseline\.json/);
      assert.equal(run(dir, ['.', '--baseline-create', '--baseline', 'custom.json']).code, 0);
      assert.ok(fs.existsSync(path.join(dir, 'custom.json')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--shard K/N: the union of the shards equals the unsharded run; merge combines them', () => {
    for (const [cwd, target] of [[REPO, 'examples/'], [mono, '.']] as const) {
      const whole = json(cwd, [target]);
      const expected = whole.findings.map(key).sort();
      assert.ok(whole.findings.some((f) => WORKSPACE_RULES.some((r) => r.meta.id === f.rule)), 'cross-file findings take part');
      for (const n of [2, 3, 5]) {
        const shards = Array.from({ length: n }, (_x, i) => json(cwd, [target, '--shard', `${i + 1}/${n}`]));
        const union = shards.flatMap((s) => s.findings.map(key));
        assert.equal(new Set(union).size, union.length, `${target} ${n} shards: no finding in two shards`);
        assert.deepEqual(union.sort(), expected, `${target}: the ${n} shards together equal the unsharded run`);
        assert.equal(shards.reduce((s, x) => s + x.summary.filesAnalyzed, 0), whole.summary.filesAnalyzed);

        const files = shards.map((s, i) => { const f = path.join(os.tmpdir(), `factorlint-shard-${process.pid}-${i}.json`); fs.writeFileSync(f, JSON.stringify(s)); return f; });
        try {
          const merged = JSON.parse(run(cwd, ['merge', ...files]).stdout) as JsonOut;
          assert.deepEqual(merged.findings.map(key).sort(), expected);
          for (const k of ['error', 'warning', 'info', 'hint', 'filesAnalyzed']) assert.equal(merged.summary[k], whole.summary[k], `summary.${k}`);
          const strip = (x: FactorsJson) => x.factors.map((f) => ({ numeral: f.numeral, status: f.status, score: f.score, counts: f.counts, rules: f.rules.map((r) => [r.ruleId, r.findings.map((y) => `${y.path}:${y.line}:${y.column}`).sort()]).sort() }));
          assert.deepEqual(strip(merged.factors), strip(whole.factors), 'merged factors equal the unsharded report');
          assert.deepEqual(merged.factors.overall, whole.factors.overall);
          const md = run(cwd, ['merge', '--format', 'markdown', ...files]);
          assert.equal(md.code, 0, md.stderr);
          assert.match(md.stdout, /^\| \| Factor \| Status \| Score /m);
          assert.match(run(cwd, ['merge', '-f', 'text', ...files]).stdout, /^Twelve-Factor report$/m);
        } finally {
          for (const f of files) fs.rmSync(f, { force: true });
        }
      }
    }
    const sarif = JSON.parse(run(mono, ['.', '--shard', '2/3', '--format', 'sarif', '--fail-on', 'none']).stdout);
    assertMatchesSarifSchema(sarif);
    assert.deepEqual(sarif.runs[0].automationDetails, { id: 'factorlint/shard-2-of-3/' });
    for (const [args, message] of [[['--shard', '4/3'], /K must be between 1 and N/], [['--shard', 'x'], /--shard expects K\/N/], [['--shard', '1/2', '--fix'], /cannot be combined with --shard/]] as const) {
      const r = run(mono, [...args]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
    }
    const bad = run(mono, ['merge', 'package.json']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a factorlint JSON report/);
  });

  test('--fix writes other-file appends only inside the analysed folders, once, atomically', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-fixroot-'));
    try {
      writeTree(dir, {
        'svc/package.json': JSON.stringify({ name: 'svc' }),
        'svc/Dockerfile': 'FROM node:22.11-slim\nUSER node\nCMD ["node", "main.js"]\n',
        'svc/.env.example': 'PORT=3000',
        'svc/src/main.ts': 'export const url = process.env.QUEUE_URL;\nexport const name = process.env.QUEUE_NAME;\n',
        'svc/src/other.ts': 'export const again = process.env.QUEUE_URL;\n',
      });
      const example = path.join(dir, 'svc/.env.example');
      // the variable belongs in the root .env.example (the model's root), outside the given folder: never written
      const inner = run(dir, ['svc/src', 'svc/Dockerfile', '--fix', '--fail-on', 'none']);
      assert.match(inner.stderr, /not writing \.env\.example: outside the analysed folders/);
      assert.match(inner.stderr, /applied 0 safe fixes in 0 files/);
      assert.ok(!fs.existsSync(path.join(dir, '.env.example')));
      // a single file: never anything but that file
      run(dir, ['svc/src/main.ts', '--fix', '--fail-on', 'none']);
      assert.equal(fs.readFileSync(example, 'utf8'), 'PORT=3000');
      assert.deepEqual(fs.readdirSync(dir).sort(), ['svc']);

      const dry = run(dir, ['svc', '--fix-dry-run']);
      assert.match(dry.stdout, /^\+QUEUE_URL=$/m);
      assert.equal(fs.readFileSync(example, 'utf8'), 'PORT=3000', 'dry run writes nothing');
      run(dir, ['svc', '--fix', '--fail-on', 'none']);
      assert.equal(fs.readFileSync(example, 'utf8'), 'PORT=3000\nQUEUE_URL=\nQUEUE_NAME=\n', 'each variable once, after a newline');
      assert.ok(!fs.readdirSync(path.join(dir, 'svc')).some((n) => n.endsWith('.tmp')), 'no temp files left');
      const after = json(dir, ['svc']);
      assert.ok(!after.findings.some((f) => f.rule === 'config/undeclared-env-var'));
      run(dir, ['svc', '--fix', '--fail-on', 'none']);
      assert.equal(fs.readFileSync(example, 'utf8'), 'PORT=3000\nQUEUE_URL=\nQUEUE_NAME=\n', 'idempotent');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI model building', () => {
  test('reusing the engine parse gives the same project model as parsing again', () => {
    const text = "import express from 'express';\nconst app = express();\napp.get('/healthz', (_q, r) => r.end());\napp.listen(Number(process.env.PORT ?? 3000));\nprocess.on('SIGTERM', () => process.exit(0));\n";
    const plain = new ProjectModelBuilder();
    plain.update('svc/src/main.ts', text);
    const parsed = analyze({ path: '/abs/svc/src/main.ts', text }, { rules: RULES }).parsed;
    assert.equal(parsed?.kind, 'ts');
    const shared = new ProjectModelBuilder();
    shared.update('svc/src/main.ts', text, (parsed as ParsedDocument<'ts'>).value);
    const facts = (b: InstanceType<typeof ProjectModelBuilder>) => { const m = b.model(); return { routes: m.routes, envReads: m.envReads, listens: m.listens, shutdown: m.shutdown, sourceFiles: m.sourceFiles }; };
    assert.deepEqual(facts(shared), facts(plain));
    assert.ok(facts(plain).routes.length === 1 && facts(plain).listens.length === 1 && facts(plain).shutdown.length === 1);
  });
});
