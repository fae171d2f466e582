/**
 * The factor report: model (statuses, scores, evidence, determinism), Markdown, JSON and HTML
 * renderers (escaping, CSP, webview mode), and the HTML rendered in headless Chromium.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildReport, failingFactorsText, ruleCost, SEVERITY_COST, type FactorReportModel } from '../src/report/report-model';
import { renderMarkdown } from '../src/report/render-markdown';
import { renderHtml } from '../src/report/render-html';
import { reportToJson } from '../src/report/report-json';
import { escapeMarkdown } from '../src/report/escape';
import { buildProjectModel } from '../src/workspace/project-model';
import type { LocatedFinding } from '../src/workspace/workspace-rule';
import { analyzeSample, loadSample } from './support/sample-workspace';

const EVIL_PATH = 'src/<img src=x onerror=alert(1)>.ts';
const EVIL_MESSAGE = 'Bad <script>alert("x")</script> & <b>bold</b> | pipe [link](javascript:alert(1)) `code`';

function sampleReport(baselined?: number): FactorReportModel {
  const { model, findings, filesAnalysed } = analyzeSample();
  return buildReport({ model, findings, baselined, filesAnalysed });
}

function evilReport(): FactorReportModel {
  const files = [...loadSample(), { path: EVIL_PATH, text: 'export const x = process.env.EVIL_VAR;\n' }];
  const { model, findings, filesAnalysed } = analyzeSample(files);
  const extra: LocatedFinding = {
    ruleId: 'config/hardcoded-secret', factor: 'config', severity: 'error', message: EVIL_MESSAGE, path: EVIL_PATH,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }, fixes: [],
    related: [{ path: EVIL_PATH, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: '<i>related</i>' }],
  };
  return buildReport({ model, findings: [...findings, extra], filesAnalysed });
}

describe('report model', () => {
  const report = sampleReport(2);

  test('the realistic sample: statuses and scores of the fifteen factors', () => {
    const summary = report.factors.map((f) => `${f.numeral} ${f.status} ${f.score}`);
    assert.deepEqual(summary, [
      'I passes 100', 'II passes 100', 'III needs-attention 70', 'IV passes 100', 'V passes 100',
      'VI passes 100', 'VII needs-attention 80', 'VIII passes 100', 'IX needs-attention 60', 'X passes 100',
      'XI passes 100', 'XII needs-attention 80', 'XIII needs-attention 92', 'XIV needs-attention 92', 'XV passes 100',
    ]);
    assert.equal(report.overall.score, 92);
    assert.equal(report.overall.status, 'needs-attention');
    assert.equal(report.overall.counts.total, 9);
    assert.equal(report.baselined, 2);
  });

  test('findings grouped by rule, sorted, with locations; scores explained with the arithmetic', () => {
    const config = report.factors.find((f) => f.slug === 'config')!;
    assert.deepEqual(config.rules.map((r) => `${r.ruleId} ${r.severity} ${r.findings.length} −${r.cost}`), ['config/hardcoded-secret warning 1 −20', 'config/undeclared-env-var info 2 −10']);
    assert.deepEqual(config.rules[1].findings.map((f) => `${f.path}:${f.range.start.line + 1}`), ['src/config.ts:5', 'src/config.ts:6']);
    assert.match(config.howComputed, /100 − 20 for config\/hardcoded-secret \(1 warning\) − 10 for config\/undeclared-env-var \(2 infos\) = 70/);
    assert.match(report.scoring, /Each factor starts at 100/);
  });

  test('evidence of good practice is found with locations', () => {
    const ids = report.factors.flatMap((f) => f.evidence.map((e) => `${f.slug}/${e.id}`));
    for (const id of ['codebase/gitignore', 'dependencies/lockfile', 'dependencies/lockfile-install', 'config/env-template', 'disposability/sigterm-handler',
      'disposability/exec-form', 'security/non-root-user', 'telemetry/healthcheck', 'build-release-run/pinned-base-images', 'logs/structured-logger']) {
      assert.ok(ids.includes(id), `missing evidence ${id}`);
    }
    const sigterm = report.factors.find((f) => f.slug === 'disposability')!.evidence.find((e) => e.id === 'sigterm-handler')!;
    assert.deepEqual(sigterm.locations.map((l) => `${l.path}:${l.range.start.line + 1}`), ['src/server.ts:23']);
  });

  test('migrations at every start through a script chain: Admin processes does not pass', () => {
    const files = [
      { path: 'Dockerfile', text: 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nHEALTHCHECK CMD curl -f http://localhost:3000/health\nCMD ["npm", "run", "start:prod"]\n' },
      { path: 'package.json', text: JSON.stringify({ name: 'svc', scripts: { 'start:prod': 'prisma migrate deploy && node dist/main' } }) },
    ];
    const { model, findings } = analyzeSample(files);
    const admin = buildReport({ model, findings, filesAnalysed: files.length }).factors.find((f) => f.slug === 'admin-processes')!;
    assert.notEqual(admin.status, 'passes');
    assert.ok((admin.score ?? 100) < 100, `score ${admin.score}`);
    assert.deepEqual(admin.rules.map((r) => r.ruleId), ['admin-processes/admin-task-in-cmd']);
  });

  test('stable: shuffled input gives the same report', () => {
    const { model, findings } = analyzeSample();
    const shuffled = [...findings].reverse();
    const files = loadSample().reverse();
    const again = buildReport({ model: buildProjectModel(files), findings: shuffled, baselined: 2, filesAnalysed: report.files });
    assert.equal(JSON.stringify(reportToJson(again)), JSON.stringify(reportToJson(buildReport({ model, findings, baselined: 2, filesAnalysed: report.files }))));
  });

  test('an empty workspace: every factor not applicable, no overall score', () => {
    const empty = buildReport({ model: buildProjectModel([]), findings: [], filesAnalysed: 0 });
    assert.ok(empty.factors.every((f) => f.status === 'not-applicable' && f.score === null));
    assert.equal(empty.overall.score, null);
    assert.equal(empty.overall.status, 'not-applicable');
  });

  test('an error fails its factor; engine findings are not scored; baselined findings counted per factor', () => {
    const { model, findings } = analyzeSample();
    const error: LocatedFinding = { ruleId: 'security/tls-verification-disabled', factor: 'security', severity: 'error', message: 'x', path: 'src/server.ts', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, fixes: [] };
    const meta: LocatedFinding = { ...error, ruleId: 'factorlint/unused-suppression', factor: 'codebase', severity: 'hint' };
    const r = buildReport({ model, findings: [...findings, error, meta], baselined: [error, error], filesAnalysed: 1 });
    const security = r.factors.find((f) => f.slug === 'security')!;
    assert.equal(security.status, 'fails');
    assert.equal(security.score, 60);
    assert.equal(security.baselined, 2);
    assert.equal(r.baselined, 2);
    assert.equal(r.overall.status, 'fails');
    assert.equal(r.factors.find((f) => f.slug === 'codebase')!.counts.total, 0);
  });

  test('a failing factor fails the workspace whatever the average, and the report says which one', () => {
    const { model, findings } = analyzeSample();
    const error: LocatedFinding = { ruleId: 'security/tls-verification-disabled', factor: 'security', severity: 'error', message: 'x', path: 'src/server.ts', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, fixes: [] };
    const failing = buildReport({ model, findings: [...findings, error], filesAnalysed: 1 });
    assert.ok(failing.overall.score! >= 80, `average ${failing.overall.score}`);
    assert.equal(failing.overall.status, 'fails');
    assert.equal(failingFactorsText(failing.factors), 'XV. Authentication & authorization fails');
    assert.match(renderMarkdown(failing), /\*\*Overall: \d+\/100 — ❌ fails\*\* \(XV\. Authentication &amp; authorization fails\)/);
    assert.match(renderHtml(failing, { linkMode: 'file' }), /<span class="badge s-fail">Fails<\/span> <span class="why">\(XV\. Authentication &amp; authorization fails\)<\/span>/);
    const second: LocatedFinding = { ...error, ruleId: 'config/hardcoded-secret', factor: 'config' };
    assert.equal(failingFactorsText(buildReport({ model, findings: [...findings, error, second], filesAnalysed: 1 }).factors), 'III and XV fail');
    // no failing factor: nothing is added after the status
    const passing = sampleReport();
    assert.equal(failingFactorsText(passing.factors), undefined);
    assert.doesNotMatch(renderHtml(passing, { linkMode: 'file' }), /class="why"/);
  });

  test('rule cost: a quarter more per further finding, capped at twice', () => {
    assert.equal(ruleCost('warning', 1), SEVERITY_COST.warning);
    assert.equal(ruleCost('warning', 3), 30);
    assert.equal(ruleCost('warning', 50), 40);
    assert.equal(ruleCost('error', 10), 80);
  });
});

describe('Markdown', () => {
  test('table of fifteen factors, then findings, then the scoring note', () => {
    const md = renderMarkdown(sampleReport(3));
    const rows = md.split('\n').filter((l) => /^\| (?:[IVX]+) \|/.test(l));
    assert.equal(rows.length, 15);
    assert.match(md, /\*\*Overall: 92\/100 — ⚠️ needs attention\*\*/);
    assert.match(md, /3 baselined/);
    assert.match(md, /\| III \| Config \| ⚠️ needs attention \| 70 \| 0 \| 1 \| 2 \| 3 \|/);
    assert.match(md, /docker-entrypoint\.sh:6/);
    assert.match(md, /<details><summary>How scores are computed<\/summary>/);
  });

  test('escapes HTML and Markdown in messages and paths; links are percent-encoded', () => {
    const md = renderMarkdown(evilReport(), { linkBase: 'https://example.com/blob/abc' });
    assert.ok(!md.includes('<img'), 'raw <img> in markdown');
    assert.ok(!md.includes('<script>'), 'raw <script> in markdown');
    assert.ok(!md.includes('<b>'), 'raw <b> in markdown');
    assert.ok(md.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(md.includes('\\[link\\](javascript:alert(1))'));
    assert.ok(md.includes('https://example.com/blob/abc/src/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.ts#L1'));
    const findingLine = md.split('\n').find((l) => l.includes('Bad '))!;
    assert.ok(!/(^|[^\\])\|/.test(findingLine.replace(/^\s*- /, '')), 'unescaped pipe in a finding line');
    assert.equal(escapeMarkdown('a\nb'), 'a b');
    assert.equal(escapeMarkdown('see https://x.io and www.y.io, cc @team, *a* _b_ ~c~ `d` | e'), 'see https\\://x.io and www\\.y.io, cc \\@team, \\*a\\* \\_b\\_ \\~c\\~ \\`d\\` \\| e');
  });

  test('long reports are truncated with a count', () => {
    const md = renderMarkdown(sampleReport(), { maxFindings: 3 });
    assert.match(md, /…and 6 more findings/);
  });
});

describe('JSON', () => {
  test('per-factor section with 1-based locations', () => {
    const json = reportToJson(sampleReport());
    assert.equal(json.factors.length, 15);
    const port = json.factors.find((f) => f.slug === 'port-binding')!;
    assert.equal(port.rules[0].ruleId, 'port-binding/port-mismatch');
    assert.deepEqual({ path: port.rules[0].findings[0].path, line: port.rules[0].findings[0].line, column: port.rules[0].findings[0].column }, { path: 'Dockerfile', line: 16, column: 8 });
    assert.equal(port.rules[0].findings[0].related[0].path, 'src/server.ts');
    assert.ok(JSON.parse(JSON.stringify(json)));
  });
});

describe('HTML', () => {
  test('standalone: chart, fifteen expandable factors, file links, CSP without scripts', () => {
    const html = renderHtml(sampleReport(2), { linkMode: 'file', subtitle: 'orders-service' });
    assert.equal((html.match(/<details class="factor/g) ?? []).length, 15);
    assert.equal((html.match(/<rect class="track"/g) ?? []).length, 15);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;[^"]*script-src &#39;none&#39;;/);
    assert.ok(!html.includes('<script'), 'no script in file mode');
    assert.match(html, /<a class="loc" href="src\/config\.ts#L5">src\/config\.ts:5:14<\/a>/);
    assert.match(html, /2 baselined findings hidden/);
    assert.match(html, /How this score is computed\./);
    assert.match(html, /var\(--vscode-editor-background,var\(--fb-bg\)\)/);
    assert.ok(!/ style="/.test(html), 'no inline style attributes (blocked by the webview CSP)');
  });

  test('webview: nonce on style and script, cspSource allowed, locations post messages, fix-all buttons', () => {
    const html = renderHtml(sampleReport(), { linkMode: 'command', nonce: 'abc123XYZ789', cspSource: 'https://file+.vscode-resource.vscode-cdn.net' });
    assert.match(html, /<style nonce="abc123XYZ789">/);
    assert.match(html, /<script nonce="abc123XYZ789">/);
    assert.match(html, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net &#39;nonce-abc123XYZ789&#39;/);
    assert.match(html, /script-src &#39;nonce-abc123XYZ789&#39;/);
    assert.match(html, /data-action="open" data-path="src\/config\.ts" data-line="4" data-character="13"/);
    assert.match(html, /<button type="button" class="fix-all" data-action="fixAll" data-rule="config\/undeclared-env-var">Fix all safe problems \(2\)<\/button>/);
    assert.match(html, /acquireVsCodeApi\(\)/);
    assert.throws(() => renderHtml(sampleReport(), { linkMode: 'command', nonce: "x' 'unsafe-inline" }));
  });

  test('escapes file names, messages and related messages', () => {
    for (const linkMode of ['file', 'command'] as const) {
      const html = renderHtml(evilReport(), { linkMode, nonce: linkMode === 'command' ? 'abcdefgh12345678' : undefined });
      assert.ok(!html.includes('<img'), `${linkMode}: raw <img>`);
      assert.ok(!html.includes('<b>bold'), `${linkMode}: raw <b>`);
      assert.ok(!html.includes('<i>related'), `${linkMode}: raw <i>`);
      assert.ok(!html.includes('<script>alert'), `${linkMode}: raw script`);
      assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;.ts'));
    }
  });
});

/** Headless Chromium, when installed (Debian package `chromium`). */
function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      const candidate = path.join(dir, name);
      if (dir && fs.existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

describe('HTML in headless Chromium', () => {
  const chromium = findChromium();
  const skip = chromium ? false : 'chromium not found on PATH (apt-get install -y chromium): HTML rendering check skipped';

  test('the browser renders the report: fifteen factors, findings, and the hostile file name as text', { skip, timeout: 90_000 }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-report-'));
    try {
      const file = path.join(dir, 'report.html');
      fs.writeFileSync(file, renderHtml(evilReport(), { linkMode: 'file', subtitle: 'orders-service' }));
      const dom = execFileSync(chromium as string, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', `--user-data-dir=${path.join(dir, 'profile')}`, '--dump-dom', `file://${file}`], { encoding: 'utf8', timeout: 80_000, stdio: ['ignore', 'pipe', 'ignore'] });
      assert.equal((dom.match(/<details class="factor/g) ?? []).length, 15, 'fifteen factor sections in the DOM');
      assert.match(dom, /Twelve-Factor report/);
      assert.match(dom, /port-binding\/port-mismatch/);
      assert.match(dom, /Graceful shutdown on SIGTERM/);
      // the parsed DOM holds no element made from workspace text
      assert.ok(!/<img[\s>]/i.test(dom), 'an <img> element was created from a file name');
      assert.ok(!/<script/i.test(dom), 'a script element exists');
      assert.ok(!/<b>bold/.test(dom), 'markup from a message became an element');
      assert.ok(dom.includes('&lt;img src=x onerror=alert(1)&gt;.ts'), 'the file name is shown as text');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
