/**
 * The CI output formats, each checked the way its consumer reads it:
 * - `github`: parsed with the runner's own rules (actions/runner ActionCommand.cs: split at
 *   `::`, properties at `,` and the first `=`, then unescape %0D %0A %3A %2C %25), so a hostile
 *   file name or message can neither inject a second command nor lose a character;
 * - `codeclimate`: validated with ajv against the GitLab/CodeClimate constraints written in
 *   fixtures/_formats/codeclimate-issues.schema.json;
 * - `junit`, `checkstyle`: validated by libxml2 (`xmllint --schema`, what most XML-reading CI
 *   tools build on) against fixtures/_formats/*.xsd, and the attribute values read back equal
 *   the hostile originals. Skipped with a message without xmllint, except in CI.
 */
import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv';
import type { FileResult, RunResult } from '../src/cli/analyze-paths';
import { escapeGithubData, escapeGithubProperty, escapeXml, formatCheckstyle, formatCodeClimate, formatGithub, formatJunit } from '../src/cli/ci-formats';
import type { Finding, Severity } from '../src/engine/types';
import { runCli, writeTree } from './support/cli-harness';
import { FIXTURES_DIR } from './support/fixtures';

const FORMATS_DIR = path.join(FIXTURES_DIR, '_formats');

/** Everything the formats must survive in a message or a path. */
const HOSTILE_MESSAGE = 'a <b> & "c" \'d\' ]]> 100% %0A %25 :: x,y=z\r\n::error::injected\ttab \u0007bell \u001b[31m';
const HOSTILE_FILE = 'src/we<ir>d&"q\'%,:=name.ts';

function finding(line: number, severity: Severity, message: string, ruleId = 'port-binding/hardcoded-port'): Finding {
  return { ruleId, factor: 'port-binding', severity, message, start: 0, end: 1, range: { start: { line, character: 2 }, end: { line, character: 6 } }, fixes: [] };
}

function fileResult(file: string, text: string, findings: Finding[]): FileResult {
  return { abs: `/x/${file}`, file, path: file, analysed: true, text, findings };
}

function runResult(files: FileResult[]): RunResult {
  return {
    files,
    skipped: [],
    summary: { error: 0, warning: 0, info: 0, hint: 0, filesAnalyzed: files.length, filesSkipped: 0, durationMs: 12 },
    ruleErrors: [],
    model: undefined as never,
    modelRoot: '/x',
  };
}

const SAMPLE = runResult([
  fileResult(HOSTILE_FILE, 'app.listen(3000);\nconst k = 1;\napp.listen(3000);\n', [
    finding(0, 'error', HOSTILE_MESSAGE),
    finding(2, 'warning', 'second: same line text, another occurrence'),
    finding(1, 'info', 'info level'),
    finding(1, 'hint', 'hint level', 'logs/console-logging'),
  ]),
  fileResult('src/clean.ts', 'export {};\n', []),
]);

// ---- GitHub workflow commands, read as the runner reads them --------------------------------

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

function parseCommand(line: string): { command: string; properties: Record<string, string>; data: string } | undefined {
  const m = /^::([^ :]+)(?: ([^]*?))?::([^]*)$/.exec(line);
  if (!m) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
  }
  return { command: m[1], properties, data: unescapeData(m[3]) };
}

describe('--format github (workflow commands)', () => {
  test('one command per finding, escaped so the runner reads back exactly the file and message', () => {
    const lines = formatGithub(SAMPLE).split('\n').filter(Boolean);
    assert.equal(lines.length, 4, 'no injected line: CR/LF in the message are escaped');
    const commands = lines.map(parseCommand);
    assert.deepEqual(commands.map((c) => c?.command), ['error', 'warning', 'notice', 'notice']);
    const first = commands[0]!;
    assert.deepEqual(first.properties, { file: HOSTILE_FILE, line: '1', col: '3', endLine: '1', endColumn: '7', title: 'factorlint port-binding/hardcoded-port' });
    assert.equal(first.data, `${HOSTILE_MESSAGE} (port-binding/hardcoded-port)`);
    // the properties part holds no raw separator besides the ones between properties
    const props = lines[0].slice(2, lines[0].indexOf('::', 2));
    assert.equal(props.split(',').length, 6);
  });

  test('the escaping rules themselves: % first, then CR, LF, and in properties : and ,', () => {
    assert.equal(escapeGithubData('100%\r\n'), '100%25%0D%0A');
    assert.equal(escapeGithubData('%0A'), '%250A', 'a literal %0A is not turned into a newline');
    assert.equal(escapeGithubProperty('a:b,c%'), 'a%3Ab%2Cc%25');
  });
});

// ---- GitLab Code Quality ---------------------------------------------------------------------

describe('--format codeclimate (GitLab Code Quality)', () => {
  test('validates against the GitLab/CodeClimate constraints; fingerprints are unique and stable', () => {
    const issues = JSON.parse(formatCodeClimate(SAMPLE)) as Array<Record<string, any>>;
    const schema = JSON.parse(fs.readFileSync(path.join(FORMATS_DIR, 'codeclimate-issues.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    assert.ok(validate(issues), JSON.stringify(validate.errors));
    assert.equal(issues.length, 4);
    assert.deepEqual(issues.map((i) => i.severity), ['critical', 'major', 'minor', 'info']);
    assert.equal(issues[0].description, HOSTILE_MESSAGE);
    assert.deepEqual(issues[0].location, { path: HOSTILE_FILE, lines: { begin: 1, end: 1 } });
    assert.equal(new Set(issues.map((i) => i.fingerprint)).size, 4, 'two findings on identical lines still differ');
    // a line inserted above keeps every fingerprint (GitLab then shows no change)
    const shifted = runResult(SAMPLE.files.map((f) => ({ ...f, text: `// new\n${f.text}`, findings: f.findings.map((x) => ({ ...x, range: { start: { ...x.range.start, line: x.range.start.line + 1 }, end: { ...x.range.end, line: x.range.end.line + 1 } } })) })));
    const again = JSON.parse(formatCodeClimate(shifted)) as Array<Record<string, any>>;
    assert.deepEqual(again.map((i) => i.fingerprint), issues.map((i) => i.fingerprint));
    assert.deepEqual(JSON.parse(formatCodeClimate(runResult([]))), [], 'no findings: an empty array, which GitLab accepts');
  });

  test('the schema rejects what GitLab rejects (a wrong severity, a missing begin line)', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(FORMATS_DIR, 'codeclimate-issues.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    const good = JSON.parse(formatCodeClimate(SAMPLE))[0];
    assert.equal(validate([{ ...good, severity: 'error' }]), false);
    assert.equal(validate([{ ...good, location: { path: 'a.ts', lines: {} } }]), false);
  });
});

// ---- XML: libxml2 against the XSDs -----------------------------------------------------------

const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;
const inCi = !!process.env.CI && process.env.CI !== 'false';
const skipXml = xmllint ? false : inCi ? false : 'xmllint (Debian package libxml2-utils) is not installed';
if (skipXml) process.stderr.write(`ci-formats.test: SKIPPING the XSD validation: ${skipXml}\n`);

function validateXml(xml: string, xsd: string): void {
  assert.ok(xmllint, 'xmllint is required in CI (libxml2-utils in .ci/run)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-xml-'));
  try {
    const file = path.join(dir, 'out.xml');
    fs.writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--schema', path.join(FORMATS_DIR, xsd), file], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${xsd}: ${r.stderr}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Attribute values as libxml2 reads them (xmllint --xpath), to compare with the originals. */
function xpathString(xml: string, expr: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-xml-'));
  try {
    const file = path.join(dir, 'out.xml');
    fs.writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--xpath', `string(${expr})`, file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.replace(/\n$/, ''); // xmllint ends its output with a newline
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What XML can carry of the hostile message: the control characters it forbids become U+FFFD. */
const XML_SAFE_MESSAGE = HOSTILE_MESSAGE.replace(/[\u0007\u001b]/g, '\uFFFD');

describe('--format junit and --format checkstyle', () => {
  test('escapeXml: markup characters, attribute whitespace and characters XML cannot hold', () => {
    assert.equal(escapeXml('<a href="x">&\'</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    assert.equal(escapeXml('a\tb\nc\rd'), 'a&#9;b&#10;c&#13;d');
    assert.equal(escapeXml('\u0000\u0007\uD800x'), '\uFFFD\uFFFD\uFFFDx');
    assert.equal(escapeXml('😀'), '😀', 'a surrogate pair is kept');
  });

  test('JUnit XML validates against the JUnit XSD; hostile names and messages read back intact', { skip: skipXml }, () => {
    const xml = formatJunit(SAMPLE);
    validateXml(xml, 'junit.xsd');
    assert.equal(xpathString(xml, '/testsuites/@failures'), '4');
    assert.equal(xpathString(xml, '/testsuites/testsuite[1]/@name'), HOSTILE_FILE);
    assert.equal(xpathString(xml, '/testsuites/testsuite[1]/testcase[1]/failure/@message'), XML_SAFE_MESSAGE);
    assert.equal(xpathString(xml, 'count(/testsuites/testsuite[2]/testcase)'), '1', 'a clean file is one passing case');
    assert.equal(xpathString(xml, 'count(/testsuites/testsuite[2]//failure)'), '0');
  });

  test('Checkstyle XML validates against the Checkstyle XSD; hostile names and messages read back intact', { skip: skipXml }, () => {
    const xml = formatCheckstyle(SAMPLE, '0.1.0');
    validateXml(xml, 'checkstyle.xsd');
    assert.equal(xpathString(xml, '/checkstyle/file[1]/@name'), HOSTILE_FILE);
    assert.equal(xpathString(xml, '/checkstyle/file[1]/error[1]/@message'), XML_SAFE_MESSAGE);
    assert.equal(xpathString(xml, '/checkstyle/file[1]/error[1]/@severity'), 'error');
    assert.equal(xpathString(xml, '/checkstyle/file[1]/error[4]/@severity'), 'info', 'hint maps to info');
    assert.equal(xpathString(xml, '/checkstyle/file[1]/error[1]/@source'), 'factorlint.port-binding/hardcoded-port');
  });
});

// ---- end to end: the CLI on a project with a hostile file name ------------------------------

describe('the CLI writes each CI format for a real project', () => {
  let project: string;
  before(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-ci-'));
    writeTree(project, {
      'package.json': JSON.stringify({ name: 'svc', dependencies: { express: '4.0.0' } }),
      [HOSTILE_FILE]: "import express from 'express';\nexpress().listen(3000);\n",
      'Dockerfile': 'FROM node:latest\nCMD node server.js\n',
    });
  });
  after(() => fs.rmSync(project, { recursive: true, force: true }));

  test('github, codeclimate, junit and checkstyle agree with the JSON findings', () => {
    const json = JSON.parse(runCli(project, ['.', '--format', 'json', '--fail-on', 'none', '--no-git']).stdout) as { findings: Array<{ file: string; line: number; rule: string }> };
    assert.ok(json.findings.some((f) => f.file === HOSTILE_FILE), 'the hostile file is analysed');
    const github = runCli(project, ['.', '--format', 'github', '--fail-on', 'error', '--no-git']);
    const commands = github.stdout.split('\n').filter(Boolean).map(parseCommand);
    assert.ok(commands.every(Boolean), github.stdout);
    assert.deepEqual(commands.map((c) => `${c!.properties.file}:${c!.properties.line}:${c!.properties.title.replace('factorlint ', '')}`).sort(), json.findings.map((f) => `${f.file}:${f.line}:${f.rule}`).sort());
    const cc = JSON.parse(runCli(project, ['.', '--format', 'codeclimate', '--fail-on', 'none', '--no-git']).stdout) as unknown[];
    assert.equal(cc.length, json.findings.length);
    if (xmllint) {
      validateXml(runCli(project, ['.', '--format', 'junit', '--fail-on', 'none', '--no-git']).stdout, 'junit.xsd');
      validateXml(runCli(project, ['.', '--format', 'checkstyle', '--fail-on', 'none', '--no-git']).stdout, 'checkstyle.xsd');
    }
  });
});
