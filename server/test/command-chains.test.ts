/** Command chains: what a container runs, followed through package.json and entrypoint scripts, and the findings the command rules make of it. */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildProjectModel, type WorkspaceFile } from '../src/workspace/project-model';
import { commandChains, describeChain } from '../src/workspace/command-chains';
import { runWorkspaceRules } from '../src/workspace/workspace-rule';
import { WORKSPACE_RULES } from '../src/workspace/registry';
import { concurrentlyCommands, runAllScripts, scriptRun } from '../src/engine/script-resolver';
import { shellCommands, splitShellWords, withExec } from '../src/parse/shell';

const NODE = 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\n';
const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: 'svc', scripts }, null, 2);
const words = (line: string) => shellCommands(line)[0].words;

function findings(files: WorkspaceFile[], rule?: string) {
  return runWorkspaceRules(buildProjectModel(files), WORKSPACE_RULES).filter((f) => !rule || f.ruleId === rule);
}

describe('command model', () => {
  test('script runners: npm/yarn/pnpm/bun, start and run', () => {
    assert.deepEqual(scriptRun(words('npm run start:prod'))?.script, 'start:prod');
    assert.deepEqual(scriptRun(words('npm start'))?.script, 'start');
    assert.deepEqual(scriptRun(words('yarn dev'))?.script, 'dev');
    assert.deepEqual(scriptRun(words('pnpm --filter api start-docker'))?.script, 'start-docker');
    assert.deepEqual(scriptRun(words('bun run serve'))?.script, 'serve');
    assert.equal(scriptRun(words('bun run src/index.ts')), undefined);
    assert.equal(scriptRun(words('npm ci')), undefined);
  });

  test('npm-run-all, run-s, run-p and concurrently', () => {
    assert.deepEqual(runAllScripts(words('npm-run-all -s build -p api worker')), { scripts: ['build', 'api', 'worker'], parallel: true });
    assert.deepEqual(runAllScripts(words('run-s migrate start')), { scripts: ['migrate', 'start'], parallel: false });
    assert.deepEqual(concurrentlyCommands(words('concurrently -n api,web "npm:api" "node web.js"')), ['npm run api', 'node web.js']);
  });

  test('the lexer serves the word splitter and the exec insertion', () => {
    assert.deepEqual(splitShellWords('node "dist/main.js" --port 3000'), { words: ['node', 'dist/main.js', '--port', '3000'], needsShell: false });
    assert.equal(splitShellWords('node a.js && node b.js').needsShell, true);
    assert.equal(splitShellWords("echo '$HOME'").needsShell, false);
    assert.equal(withExec('npm run migrate &&   node main.js'), 'npm run migrate && exec node main.js');
    assert.equal(withExec('PORT=80 node main.js'), 'PORT=80 exec node main.js');
    assert.equal(withExec('node a.js | tee out'), 'node a.js | tee out');
    assert.equal(withExec('node a.js &'), 'node a.js &');
  });
});

describe('command chains', () => {
  test('CMD npm run start:prod is followed into package.json', () => {
    const model = buildProjectModel([
      { path: 'Dockerfile', text: `${NODE}CMD ["npm", "run", "start:prod"]\n` },
      { path: 'package.json', text: pkg({ 'start:prod': 'prisma migrate deploy && node dist/main' }) },
    ]);
    const [chain] = commandChains(model);
    assert.equal(chain.origin, 'dockerfile');
    assert.deepEqual(chain.texts.map((t) => [t.depth, t.source, t.main]), [[0, 'npm run start:prod', true], [1, 'prisma migrate deploy && node dist/main', true]]);
    assert.equal(describeChain(chain.texts[1], chain.texts[1].commands[0]), 'CMD npm run start:prod → package.json "start:prod" → prisma migrate deploy');
  });

  test('the admin-task finding: at the CMD line, with the package.json line as related location', () => {
    const [finding] = findings([
      { path: 'Dockerfile', text: `${NODE}CMD ["npm", "run", "start:prod"]\n` },
      { path: 'package.json', text: pkg({ build: 'nest build', 'start:prod': 'prisma migrate deploy && node dist/main' }) },
    ], 'admin-processes/admin-task-in-cmd');
    assert.equal(finding.path, 'Dockerfile');
    assert.equal(finding.range.start.line, 3);
    assert.match(finding.message, /^CMD npm run start:prod → package\.json "start:prod" → prisma migrate deploy: /);
    assert.deepEqual(finding.related?.map((r) => [r.path, r.range.start.line, r.message]), [['package.json', 4, 'package.json "start:prod"']]);
  });

  test('ENTRYPOINT and CMD in exec form combine; a script ENTRYPOINT runs CMD through "$@"', () => {
    const combined = findings([
      { path: 'Dockerfile', text: `${NODE}ENTRYPOINT ["npm"]\nCMD ["run", "start:migrate"]\n` },
      { path: 'package.json', text: pkg({ 'start:migrate': 'knex migrate:latest && node server.js' }) },
    ], 'admin-processes/admin-task-in-cmd');
    assert.deepEqual(combined.map((f) => f.range.start.line), [4]);
    const viaScript = findings([
      { path: 'Dockerfile', text: `${NODE}ENTRYPOINT ["./docker-entrypoint.sh"]\nCMD ["npm", "start"]\n` },
      { path: 'docker-entrypoint.sh', text: '#!/bin/sh\nset -e\nnpx prisma migrate deploy\nexec "$@"\n' },
      { path: 'package.json', text: pkg({ start: 'node dist/main.js' }) },
    ], 'admin-processes/admin-task-in-cmd');
    assert.equal(viaScript.length, 1);
    assert.equal(viaScript[0].range.start.line, 3, 'reported at the ENTRYPOINT');
    assert.deepEqual(viaScript[0].related?.map((r) => [r.path, r.range.start.line]), [['docker-entrypoint.sh', 2]]);
  });

  test('Compose command overrides the image CMD; a one-off migrate service is the right way', () => {
    const files = [
      { path: 'Dockerfile', text: `${NODE}CMD ["node", "dist/main.js"]\n` },
      { path: 'package.json', text: pkg({ migrate: 'prisma migrate deploy', 'start:all': 'npm run migrate && node dist/main.js' }) },
      { path: 'compose.yaml', text: 'services:\n  api:\n    build: .\n    command: npm run start:all\n  migrate:\n    build: .\n    command: npm run migrate\n    restart: "no"\n' },
    ];
    const found = findings(files, 'admin-processes/admin-task-in-cmd');
    assert.deepEqual(found.map((f) => [f.path, f.range.start.line + 1]), [['compose.yaml', 4]]);
    assert.match(found[0].message, /^command: npm run start:all → package\.json "start:all" → npm run migrate: /);
  });

  test('a Compose command behind the image\'s tini ENTRYPOINT is named as written', () => {
    const found = findings([
      { path: 'Dockerfile', text: `${NODE}ENTRYPOINT ["tini", "--"]\nCMD ["node", "main.js"]\n` },
      { path: 'compose.yaml', text: 'services:\n  api:\n    build: .\n    command: ["sh", "-c", "pnpm exec prisma migrate deploy && node main.js"]\n' },
    ], 'admin-processes/admin-task-in-cmd');
    assert.deepEqual(found.map((f) => [f.path, f.range.start.line + 1]), [['compose.yaml', 4]]);
    assert.match(found[0].message, /^command: sh -c "pnpm exec prisma migrate deploy && node main\.js" → sh -c → pnpm exec prisma migrate deploy: /);
  });

  test('scripts that call themselves end (no endless chain)', () => {
    const model = buildProjectModel([
      { path: 'Dockerfile', text: `${NODE}CMD ["npm", "start"]\n` },
      { path: 'package.json', text: pkg({ start: 'npm run serve', serve: 'npm start' }) },
    ]);
    assert.ok(commandChains(model)[0].texts.length <= 4);
  });

  test('one finding per problem: what the Dockerfile says itself stays with the single-file rule', () => {
    const files = [
      { path: 'Dockerfile', text: `${NODE}CMD ["npm", "start"]\n` },
      { path: 'package.json', text: pkg({ start: 'node dist/server.js' }) },
    ];
    assert.deepEqual(findings(files).map((f) => f.ruleId), []);
  });
});
