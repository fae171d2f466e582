/** The one package.json-script resolver (`engine/script-resolver.ts`) and its three consumers. */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commandStep, launchedArgv, resolveCommandLine, scriptOrder, shellBody } from '../src/engine/script-resolver';
import { shellCommands } from '../src/parse/shell';
import { commandTargets } from '../src/workspace/entry-commands';
import { serverCommand } from '../src/rules/support/server-command';
import { commandChains } from '../src/workspace/command-chains';
import { buildProjectModel } from '../src/workspace/project-model';

const words = (line: string) => shellCommands(line)[0].words;
/** Each program a line reaches: its words, the scripts on the way, and whether it is the main process. */
const reached = (line: string, scripts: Record<string, string> = {}, options = {}) =>
  resolveCommandLine(line, scripts, options).map((c) => `${c.words.map((w) => w.value).join(' ')} [${c.scripts.join(' > ')}]${c.main ? ' main' : ''}`);

describe('script resolver: one hop', () => {
  test('runners: npm/yarn/pnpm/bun run X, npm start, yarn X', () => {
    assert.deepEqual(commandStep(words('npm run start:prod')), { kind: 'scripts', scripts: ['start:prod'], hooks: true, parallel: false, runner: 'npm' });
    assert.deepEqual(commandStep(words('npm start')), { kind: 'scripts', scripts: ['start'], hooks: true, parallel: false, runner: 'npm' });
    assert.deepEqual(commandStep(words('yarn dev')), { kind: 'scripts', scripts: ['dev'], hooks: true, parallel: false, runner: 'yarn' });
    assert.deepEqual(commandStep(words('pnpm run serve')), { kind: 'scripts', scripts: ['serve'], hooks: false, parallel: false, runner: 'pnpm' }, 'pnpm runs no pre/post hooks by default');
    assert.deepEqual(commandStep(words('bun run serve')), { kind: 'scripts', scripts: ['serve'], hooks: false, parallel: false, runner: 'bun' });
    assert.equal(commandStep(words('bun run src/index.ts')), undefined, 'bun as the runtime');
    assert.equal(commandStep(words('npm ci')), undefined);
    assert.equal(commandStep(words('node server.js')), undefined);
  });

  test('sh -c, npm-run-all/run-p/run-s, concurrently', () => {
    assert.deepEqual(commandStep(words('sh -c "node a.js && node b.js"')), { kind: 'shell', label: 'sh -c', body: 'node a.js && node b.js' });
    assert.deepEqual(shellBody(['bash', '-e', '-c', 'node a.js']), { shell: 'bash', body: 'node a.js' }, 'flags before -c');
    assert.deepEqual(shellBody(['/bin/sh', '-ec', 'x']), { shell: 'sh', body: 'x' });
    assert.equal(shellBody(['sh', 'start.sh']), undefined, 'a script, not a command line');
    assert.deepEqual(commandStep(words('run-p api worker')), { kind: 'scripts', scripts: ['api', 'worker'], hooks: true, parallel: true }, 'npm-run-all runs `npm run x`: hooks too');
    assert.deepEqual(commandStep(words('npm-run-all build:* start')), { kind: 'scripts', scripts: ['start'], hooks: true, parallel: false }, 'globs are not followed');
    assert.deepEqual(commandStep(words('npx concurrently "npm:api" "node web.js"')), { kind: 'commands', commands: ['npm run api', 'node web.js'], parallel: true });
  });

  test('pre/post hooks around the named script; the last named script is the main one', () => {
    const step = commandStep(words('npm run start'));
    assert.ok(step?.kind === 'scripts');
    assert.deepEqual(scriptOrder(step), [{ script: 'prestart', main: false }, { script: 'start', main: true }, { script: 'poststart', main: false }]);
  });

  test('launchers that only set the environment are skipped', () => {
    assert.deepEqual(launchedArgv(words('cross-env NODE_ENV=production npm start')).map((w) => w.value), ['npm', 'start']);
    assert.deepEqual(launchedArgv(words('dotenv -e .env.prod -- node a.js')).map((w) => w.value), ['node', 'a.js']);
    assert.deepEqual(launchedArgv(words('nohup node a.js')).map((w) => w.value), ['node', 'a.js']);
  });
});

describe('script resolver: followed through a package', () => {
  const scripts = {
    prestart: 'prisma migrate deploy',
    start: 'npm run start:prod',
    'start:prod': 'cross-env NODE_ENV=production node dist/main.js',
    dev: 'concurrently "npm:watch" "npm:serve"',
    watch: 'tsc -w',
    serve: 'nodemon dist/main.js',
    all: 'run-s build start',
    build: 'tsc',
    loop: 'npm run loop',
  };

  test('npm start → pre hook, start, start:prod; the last foreground program is the main one', () => {
    assert.deepEqual(reached('npm start', scripts), [
      'prisma migrate deploy [prestart]',
      'node dist/main.js [start > start:prod] main',
    ]);
  });

  test('&& and sh -c: every command, the last foreground one main', () => {
    assert.deepEqual(reached('sh -c "npm run build && exec node server.js"', scripts), ['tsc [build]', 'node server.js [] main']);
    assert.deepEqual(reached('node worker.js & node server.js', scripts), ['node worker.js []', 'node server.js [] main']);
  });

  test('concurrently and run-s: side by side is no main process; a sequence ends in one', () => {
    assert.deepEqual(reached('yarn dev', scripts), ['tsc -w [dev > watch]', 'nodemon dist/main.js [dev > serve]']);
    assert.deepEqual(reached('npm run all', scripts), ['tsc [all > build]', 'prisma migrate deploy [all > prestart]', 'node dist/main.js [all > start > start:prod] main']);
  });

  test('a script never enters itself; missing scripts run nothing; npm\'s default start only when asked', () => {
    assert.deepEqual(reached('npm run loop', scripts), []);
    assert.deepEqual(reached('npm run missing', scripts), []);
    assert.deepEqual(reached('npm start', {}), []);
    assert.deepEqual(reached('npm start', {}, { npmDefaultStart: true }), ['node server.js [start] main']);
  });
});

describe('script resolver: its three consumers agree', () => {
  const scripts = { start: 'cross-env NODE_ENV=production npm run serve', serve: 'node dist/main.js' };

  test('file roles (entry-commands), the server test (server-command) and the command chains reach the same program', () => {
    assert.deepEqual(commandTargets('npm start', scripts), [{ file: 'dist/main.js', viaScript: 'serve' }]);
    assert.deepEqual(serverCommand(words('npm start'), { scripts, dependencies: {} } as never), { command: 'node dist/main.js' });
    const model = buildProjectModel([
      { path: 'Dockerfile', text: 'FROM node:22-slim\nCOPY . .\nCMD ["npm", "start"]\n' },
      { path: 'package.json', text: JSON.stringify({ name: 'svc', scripts }) },
    ]);
    const [chain] = commandChains(model);
    assert.deepEqual(chain.texts.map((t) => [t.source, t.main]), [['npm start', true], [scripts.start, true], [scripts.serve, true]]);
  });

  test('no consumer follows scripts, sh -c or concurrently on its own', () => {
    const src = path.resolve(__dirname, '../../../server/src');
    for (const rel of ['workspace/entry-commands.ts', 'workspace/command-chains.ts', 'rules/support/server-command.ts']) {
      const code = fs.readFileSync(path.join(src, rel), 'utf8');
      assert.match(code, /from '(?:\.\.\/)+engine\/script-resolver'/, `${rel} uses the resolver`);
      assert.doesNotMatch(code, /\bscripts?\[`pre\$\{|`pre\$\{name\}`|\bscriptRun\(|\brunAllScripts\(|\bconcurrentlyCommands\(|'-c'\)/, `${rel} resolves no script hop itself`);
    }
  });
});
