/**
 * The container and .env checks of issue #17 beyond their rule fixtures: the dotenv grammar
 * (multi-line values, invalid lines with reasons), .dockerignore matching, and Compose
 * `command:`/`entrypoint:` scripts judged like a Dockerfile ENTRYPOINT script.
 */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDotenv } from '../src/parse/dotenv';
import { parseDockerIgnore } from '../src/parse/dockerignore';
import { buildProjectModel, type WorkspaceFile } from '../src/workspace/project-model';
import { runWorkspaceRules } from '../src/workspace/workspace-rule';
import { WORKSPACE_RULES } from '../src/workspace/registry';
import { applyFixes } from '../src/engine/apply-fixes';

describe('dotenv grammar', () => {
  test('a double-quoted value spans lines up to its closing quote; the next key is read after it', () => {
    const text = 'A=1\nKEY="-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"\nB=2\n';
    const parsed = parseDotenv(text);
    assert.deepEqual(parsed.entries.map((e) => [e.key, e.line]), [['A', 0], ['KEY', 1], ['B', 4]]);
    assert.equal(parsed.entries[1].value, '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----');
    assert.equal(text.slice(parsed.entries[1].valueStart, parsed.entries[1].valueEnd).split('\n').length, 3);
    assert.deepEqual(parsed.invalid, []);
  });

  test('single and backtick quotes span lines too; an escaped quote does not close', () => {
    const parsed = parseDotenv("S='a\nb'\nT=`x\ny`\nD=\"say \\\"hi\\\"\nthere\"\n");
    assert.deepEqual(parsed.entries.map((e) => [e.key, e.value]), [['S', 'a\nb'], ['T', 'x\ny'], ['D', 'say \\"hi\\"\nthere']]);
  });

  test('CRLF files: values and offsets without the carriage return', () => {
    const parsed = parseDotenv('A=1\r\nB="x\r\ny"\r\nC=3\r\n');
    assert.deepEqual(parsed.entries.map((e) => [e.key, e.line]), [['A', 0], ['B', 1], ['C', 3]]);
    assert.equal(parsed.entries[0].value, '1');
    assert.equal(parsed.entries[2].value, '3');
  });

  test('invalid lines are returned with their reason, never dropped silently', () => {
    const parsed = parseDotenv('=x\nMY KEY=1\nhello there\nN="a" b\nQ="never closed\n');
    assert.deepEqual(parsed.invalid.map((i) => [i.line, i.problem]), [[0, 'noKey'], [1, 'badKey'], [2, 'notAssignment'], [3, 'textAfterQuote'], [4, 'unclosedQuote']]);
    assert.deepEqual(parsed.invalidLines, [0, 1, 2, 3, 4]);
  });

  test('bare names, `KEY: value`, export and comments', () => {
    const parsed = parseDotenv('export A=1\nB: two\nBARE\n# C=3\nD=4 # note\nE=#fff\n');
    assert.deepEqual(parsed.entries.map((e) => [e.key, e.value]), [['A', '1'], ['B', 'two'], ['D', '4'], ['E', '#fff']]);
    assert.deepEqual(parsed.bareNames.map((b) => b.key), ['BARE']);
    assert.deepEqual(parsed.invalid, []);
  });
});

describe('.dockerignore matching', () => {
  test('patterns from the context root, ** anywhere, folders exclude their contents, ! re-includes, last match wins', () => {
    const ignore = parseDockerIgnore('# comment\n.env\n**/*.key\nsecrets/\n!secrets/public.pem\n/build\n');
    assert.equal(ignore.excludes('.env'), true);
    assert.equal(ignore.excludes('app/.env'), false, 'a pattern without ** matches at the root only');
    assert.equal(ignore.excludes('certs/server.key'), true);
    assert.equal(ignore.excludes('server.key'), true);
    assert.equal(ignore.excludes('secrets/db.txt'), true);
    assert.equal(ignore.excludes('secrets/public.pem'), false);
    assert.equal(ignore.excludes('./build/out.js'), true);
    assert.equal(ignore.excludes('src/index.js'), false);
  });
});

describe('Compose command: and entrypoint: scripts', () => {
  const files = (compose: string, script = '#!/bin/sh\nset -e\nnpx prisma migrate deploy\nnode dist/main.js\n'): WorkspaceFile[] => [
    { path: 'compose.yaml', text: compose },
    { path: 'start.sh', text: script },
    { path: 'package.json', text: JSON.stringify({ name: 'svc', scripts: { start: 'node dist/main.js' } }) },
  ];
  const noExec = (list: WorkspaceFile[]) => runWorkspaceRules(buildProjectModel(list), WORKSPACE_RULES).filter((f) => f.ruleId === 'disposability/no-exec-in-entrypoint-script');

  test('a script run by `command:` that starts the app without exec is reported on its last line, with the Compose line related, and fixed with exec', () => {
    const list = files('services:\n  api:\n    build: .\n    command: ./start.sh\n');
    const [finding, ...rest] = noExec(list);
    assert.equal(rest.length, 0);
    assert.equal(finding.path, 'start.sh');
    assert.equal(finding.range.start.line, 3);
    assert.match(finding.message, /run by the Compose command of service "api"/);
    assert.deepEqual(finding.related?.map((r) => [r.path, r.range.start.line]), [['compose.yaml', 3]]);
    const fixed = applyFixes(list[1].text, [finding.fixes[0]]).text;
    assert.equal(fixed, '#!/bin/sh\nset -e\nnpx prisma migrate deploy\nexec node dist/main.js\n');
    assert.deepEqual(noExec([list[0], { path: 'start.sh', text: fixed }, list[2]]), []);
  });

  test('`entrypoint:` in list form is followed the same way', () => {
    assert.equal(noExec(files('services:\n  api:\n    build: .\n    entrypoint: ["sh", "./start.sh"]\n')).length, 1);
  });

  test('look-alikes: a script that execs, a one-off job, an init in front, a script that is not the last step', () => {
    assert.deepEqual(noExec(files('services:\n  api:\n    build: .\n    command: ./start.sh\n', '#!/bin/sh\nexec node dist/main.js\n')), []);
    assert.deepEqual(noExec(files('services:\n  migrate:\n    build: .\n    command: ./start.sh\n    restart: "no"\n    profiles: [tools]\n')), []);
    assert.deepEqual(noExec(files('services:\n  api:\n    build: .\n    entrypoint: ["tini", "--", "./start.sh"]\n')), []);
    assert.deepEqual(noExec(files('services:\n  api:\n    build: .\n    command: sh -c "./start.sh && node other.js"\n')), []);
  });
});

describe('declared env names', () => {
  test('a bare `KEY` line of .env.example declares KEY (config/undeclared-env-var stays silent)', () => {
    const undeclared = (example: string) => runWorkspaceRules(buildProjectModel([
      { path: 'package.json', text: JSON.stringify({ name: 'svc', main: 'server.js', scripts: { start: 'node server.js' } }) },
      { path: 'server.js', text: "const url = process.env.QUEUE_URL;\nrequire('http').createServer().listen(process.env.PORT);\n" },
      { path: '.env.example', text: example },
    ]), WORKSPACE_RULES).filter((f) => f.ruleId === 'config/undeclared-env-var').map((f) => f.message);
    assert.ok(undeclared('PORT=\n').some((m) => m.includes('QUEUE_URL')), 'undeclared without the bare name');
    assert.deepEqual(undeclared('PORT=\nQUEUE_URL\n').filter((m) => m.includes('QUEUE_URL')), []);
  });
});
