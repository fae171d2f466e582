/**
 * Whole-workspace analysis: single-file + workspace findings together, suppression comments
 * for workspace findings, and the editor's refresh path (model update → re-run → republish
 * exactly the files whose workspace findings changed).
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyzeWorkspace } from '../src/workspace/analyze-workspace';
import { ProjectModelBuilder } from '../src/workspace/project-model';
import { WORKSPACE_RULES } from '../src/workspace/registry';
import { pathsInvolved, pathsToRefresh, runWorkspaceRules } from '../src/workspace/workspace-rule';
import { shellComments } from '../src/workspace/suppress';
import { CORE_RULES } from './support/sample-workspace';
import { execAfterAssignments, lastCommand, startsAppWithoutExec } from '../src/rules/disposability/no-exec-in-entrypoint-script';

const TODAY = '2026-11-22';

const FILES = [
  { path: 'package.json', text: '{"name":"svc","dependencies":{"express":"4.21.2"}}' },
  { path: '.env.example', text: 'DATABASE_URL=\n' },
  { path: 'openapi.yaml', text: 'openapi: 3.1.0\ninfo: { title: svc, version: "1" }\npaths: {}\n' },
  { path: 'Dockerfile', text: 'FROM node:22-slim\nCOPY entrypoint.sh /entrypoint.sh\nEXPOSE 3000\nUSER node\nENTRYPOINT ["/entrypoint.sh"]\n' },
  { path: 'entrypoint.sh', text: '#!/bin/sh\n# factorlint-disable-next-line disposability/no-exec-in-entrypoint-script -- the wrapper forwards signals itself\nnode server.js\n' },
  { path: 'src/server.ts', text: [
    "import express from 'express';",
    'const app = express();',
    "app.get('/healthz', (_req, res) => res.send('ok'));",
    '// factorlint-disable-next-line config/undeclared-env-var -- set by the platform',
    'const region = process.env.REGION_OVERRIDE;',
    'const key = process.env.STRIPE_KEY;',
    'app.listen(3000);',
    '',
  ].join('\n') },
];

describe('analyzeWorkspace', () => {
  test('single-file and workspace findings, workspace suppressions honoured, no false "unused suppression"', () => {
    const { findings } = analyzeWorkspace(FILES, { today: TODAY, rules: CORE_RULES, reportUnusedSuppressions: true });
    assert.deepEqual(findings.map((f) => `${f.path}:${f.range.start.line + 1} ${f.ruleId}`), [
      'src/server.ts:6 config/undeclared-env-var',
      'src/server.ts:7 port-binding/hardcoded-port',
    ]);
  });

  test('an unrelated workspace suppression comment still counts as unused when nothing matches', () => {
    const files = FILES.map((f) => f.path === 'src/server.ts' ? { ...f, text: f.text.replace('// factorlint-disable-next-line config/undeclared-env-var', '// factorlint-disable-next-line port-binding/hardcoded-port') } : f);
    const { findings } = analyzeWorkspace(files, { today: TODAY, rules: CORE_RULES, reportUnusedSuppressions: true });
    assert.ok(findings.some((f) => f.ruleId === 'factorlint/unused-suppression' && f.path === 'src/server.ts'));
    assert.ok(findings.some((f) => f.ruleId === 'config/undeclared-env-var' && f.range.start.line === 4));
  });

  test('shell comments: shebang skipped, quotes respected', () => {
    assert.deepEqual(shellComments('#!/bin/sh\necho "a # b" # real\n  # own\n').map((c) => `${c.line}:${c.ownLine}:${c.text}`), ['1:false:real', '2:true:own']);
  });
});

describe('refresh path (file watch / open-document edits)', () => {
  test('updating one file republishes exactly the files whose workspace findings changed', () => {
    const builder = new ProjectModelBuilder();
    for (const f of FILES) builder.update(f.path, f.text);
    builder.update('compose.yaml', 'services:\n  api:\n    build: .\n    ports:\n      - "3000:3000"\n');
    const run = () => runWorkspaceRules(builder.model(), WORKSPACE_RULES);
    const first = run();
    assert.deepEqual(first.filter((f) => f.ruleId === 'port-binding/port-mismatch'), []);

    // the Dockerfile changes its EXPOSE: the Dockerfile gets a finding; compose.yaml is unaffected (its target matches the app)
    builder.update('Dockerfile', 'FROM node:22-slim\nCOPY entrypoint.sh /entrypoint.sh\nEXPOSE 8080\nUSER node\nENTRYPOINT ["/entrypoint.sh"]\n');
    const second = run();
    assert.deepEqual(pathsToRefresh(first, second), ['Dockerfile']);
    const mismatch = second.find((f) => f.ruleId === 'port-binding/port-mismatch')!;
    assert.deepEqual(pathsInvolved(mismatch), ['Dockerfile', 'src/server.ts']);

    // the code changes its port: now the compose mapping disagrees too, and the Dockerfile's message changes
    builder.update('src/server.ts', FILES.find((f) => f.path === 'src/server.ts')!.text.replace('app.listen(3000);', 'app.listen(8080);'));
    const third = run();
    assert.deepEqual(pathsToRefresh(second, third), ['Dockerfile', 'compose.yaml']);
    assert.ok(third.some((f) => f.ruleId === 'port-binding/port-mismatch' && f.path === 'compose.yaml'));
    assert.ok(!third.some((f) => f.ruleId === 'port-binding/port-mismatch' && f.path === 'Dockerfile'));

    // declaring the variable in .env.example clears the finding in the code file
    builder.update('.env.example', 'DATABASE_URL=\nSTRIPE_KEY=\n');
    const fourth = run();
    assert.ok(pathsToRefresh(third, fourth).includes('src/server.ts'));
    assert.ok(!fourth.some((f) => f.ruleId === 'config/undeclared-env-var' && f.message.includes('STRIPE_KEY')));

    // deleting the env template brings it back
    builder.remove('.env.example');
    assert.ok(run().some((f) => f.ruleId === 'config/undeclared-env-var' && f.message.includes('STRIPE_KEY')));
    assert.deepEqual(pathsToRefresh(fourth, fourth), []);
  });
});

describe('entrypoint script analysis', () => {
  test('startsAppWithoutExec', () => {
    const yes = ['node server.js', '"$@"', 'npm run start:prod', 'cd /app && node a.js', 'NODE_ENV=production node a.js', './bin/server --port 80', 'gosu node node a.js', 'python3.12 app.py', '[ -f .env ] && node a.js'];
    const no = ['exec node a.js', 'NODE_ENV=x exec node a.js', 'node a.js &', 'node a.js | tee /dev/stderr', 'fi', 'done', '}', ')', 'esac', 'wait', 'exit 0', 'echo done', 'main "$@"', './other.sh', 'trap cleanup TERM', 'cd /app'];
    for (const line of yes) assert.equal(startsAppWithoutExec(line), true, line);
    for (const line of no) assert.equal(startsAppWithoutExec(line), false, line);
  });
  test('lastCommand skips comments and blank lines and joins continuations', () => {
    const text = '#!/bin/sh\nnode \\\n  a.js\n\n# trailing comment\n';
    const last = lastCommand(text)!;
    assert.equal(last.line, 1);
    assert.equal(last.text, 'node \\\n  a.js');
    assert.equal(lastCommand('# only comments\n\n'), undefined);
  });
  test('execAfterAssignments keeps assignments before exec', () => {
    assert.equal(execAfterAssignments('A=1 B="x y" npm start', 'exec A=1 B="x y" npm start'), 'A=1 B="x y" exec npm start');
    assert.equal(execAfterAssignments('node a.js', 'exec node a.js'), 'exec node a.js');
  });
});
