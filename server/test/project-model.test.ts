/** The project model builder: facts per file kind, locations, ordering, incremental updates. */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildProjectModel, ProjectModelBuilder, joinPath, schemaKind } from '../src/workspace/project-model';
import { parseShortPort, literalValue } from '../src/workspace/extract-compose';
import { installsIn, isPinnedImage } from '../src/workspace/extract-docker';
import { dockerfileOfService, entrypointScript, scriptWord } from '../src/workspace/resolve';

const line = (l: { range: { start: { line: number } } }) => l.range.start.line + 1;

describe('project model: TypeScript facts', () => {
  const model = buildProjectModel([
    { path: 'svc/package.json', text: JSON.stringify({ name: 'svc', main: 'dist/server.js', bin: { svc: 'bin/cli.js' }, scripts: { start: 'node .' }, dependencies: { express: '4', pino: '9' }, engines: { node: '>=20' } }) },
    { path: 'svc/src/server.ts', text: [
      "import express from 'express';",
      'const app = express();',
      'const { DB_URL, REDIS_URL: redis } = process.env;',
      "app.get('/users/:id', (req, res) => res.json({}));",
      "router.post('/orders', validate, createOrder);",
      "axios.get('/external', config);",
      "cache.get('/key');",
      "const port = process.env.PORT ?? '8080';",
      'app.listen(port);',
      "process.on('SIGTERM', () => server.close());",
      "process.env.WRITTEN = 'x';",
      "const k = process.env['API_KEY'];",
      "fastify.route({ method: 'GET', url: '/readyz', handler: ready });",
    ].join('\n') },
    { path: 'svc/src/users.controller.ts', text: [
      "import { Controller, Get, Post } from '@nestjs/common';",
      "@Controller('users')",
      'export class UsersController {',
      "  @Get(':id') find() {}",
      '  @Post() create() {}',
      '}',
    ].join('\n') },
    { path: 'svc/src/listen-object.ts', text: 'app.listen({ port: Number(process.env.APP_PORT || 4000), host: "0.0.0.0" });\nemitter.listen(handler);\nserver.listen(9000);\n' },
    { path: 'svc/bin/cli.js', text: 'console.log(process.env.CLI_ONLY);\n' },
    { path: 'svc/test/server.test.ts', text: "app.get('/test-only', h);\n" },
  ]);

  test('routes: router calls, Nest decorators with controller prefix, fastify.route; not clients', () => {
    assert.deepEqual(model.routes.map((r) => `${r.path}:${line(r.loc)} ${r.method} ${r.route}`), [
      'svc/src/server.ts:4 GET /users/:id',
      'svc/src/server.ts:5 POST /orders',
      'svc/src/server.ts:13 GET /readyz',
      'svc/src/users.controller.ts:4 GET /users/:id',
      'svc/src/users.controller.ts:5 POST /users',
      'svc/test/server.test.ts:1 GET /test-only',
    ]);
  });

  test('process.env reads: member, element and destructuring (property name); writes excluded', () => {
    assert.deepEqual(model.envReads.filter((r) => r.path === 'svc/src/server.ts').map((r) => `${line(r.loc)} ${r.name}`), ['3 DB_URL', '3 REDIS_URL', '8 PORT', '12 API_KEY']);
  });

  test('listen: env var with default through a const, object form, literal; not emitter.listen(handler)', () => {
    assert.deepEqual(model.listens.map((l) => `${l.path}:${line(l.loc)} ${l.envVar ?? '-'} ${l.port ?? '-'}`), [
      'svc/src/listen-object.ts:1 APP_PORT 4000',
      'svc/src/listen-object.ts:3 - 9000',
      'svc/src/server.ts:9 PORT 8080',
    ]);
  });

  test('shutdown evidence and app classification (bin targets and tests are not app code)', () => {
    assert.deepEqual(model.shutdown.map((s) => `${s.path}:${line(s.loc)} ${s.kind}`), ['svc/src/server.ts:10 SIGTERM']);
    assert.equal(model.sourceFile('svc/bin/cli.js')?.isApp, false);
    assert.equal(model.sourceFile('svc/test/server.test.ts')?.isTest, true);
    assert.equal(model.sourceFile('svc/src/server.ts')?.isApp, true);
  });

  test('package.json facts', () => {
    const p = model.packages[0];
    assert.equal(p.dir, 'svc');
    assert.equal(p.name, 'svc');
    assert.equal(p.main, 'dist/server.js');
    assert.deepEqual(p.dependencies, ['express', 'pino']);
    assert.deepEqual(p.engines, { node: '>=20' });
    assert.deepEqual(p.bin, { svc: 'bin/cli.js' });
    assert.equal(p.valid, true);
  });
});

describe('project model: Dockerfile, Compose, env files, schemas, scripts', () => {
  const files = [
    { path: 'Dockerfile', text: [
      'ARG NODE_VERSION=22',
      'FROM node:${NODE_VERSION}-slim AS build',
      'ARG NPM_TOKEN',
      'RUN npm ci && npm run build',
      'FROM build AS runtime',
      'ENV NODE_ENV=production PORT=8080',
      'COPY docker-entrypoint.sh /usr/local/bin/',
      'EXPOSE 8080/tcp 9229',
      'USER node',
      'HEALTHCHECK CMD curl -f http://localhost:8080/healthz || exit 1',
      'ENTRYPOINT ["docker-entrypoint.sh"]',
      'CMD ["node", "dist/server.js"]',
    ].join('\n') },
    { path: 'docker-entrypoint.sh', text: '#!/bin/sh\nexec "$@"\n' },
    { path: 'compose.yaml', text: [
      'x-env: &env',
      '  LOG_LEVEL: debug',
      'services:',
      '  api:',
      '    build:',
      '      context: .',
      '    ports:',
      '      - "127.0.0.1:8080:8080"',
      '      - target: 9229',
      '        published: "9229"',
      '    expose: ["9000"]',
      '    environment:',
      '      <<: *env',
      '      PORT: "${PORT:-8080}"',
      '    env_file: [.env, { path: ./extra.env }]',
      '    depends_on: { db: { condition: service_healthy } }',
      '  db:',
      '    image: postgres:16',
      '    environment:',
      '      - POSTGRES_PASSWORD=${PW}',
      '      - POSTGRES_DB=app',
      '    healthcheck:',
      '      test: ["CMD", "pg_isready"]',
    ].join('\n') },
    { path: '.env.example', text: 'DATABASE_URL=\n# comment\nexport API_KEY=\n' },
    { path: '.env', text: 'DATABASE_URL=postgres://x\n' },
    { path: '.gitignore', text: '.env\n' },
    { path: 'package-lock.json', text: '{}' },
    { path: 'api/openapi.yaml', text: 'openapi: 3.1.0\n' },
    { path: 'docs/contract.json', text: '{ "openapi": "3.0.0" }' },
    { path: 'docs/not-a-contract.yaml', text: 'name: x\n' },
    { path: 'schema.gql', text: 'type Query { a: Int }' },
    { path: 'node_modules/x/package.json', text: '{"name":"x"}' },
  ];
  const model = buildProjectModel(files);

  test('Dockerfile: stages, expose, env/arg names, user, healthcheck, entrypoint/cmd, installs', () => {
    const d = model.dockerfiles[0];
    assert.deepEqual(d.stages.map((s) => `${s.name} ${s.image} ${s.pinned}`), ['build node:22-slim true', 'runtime build true']);
    assert.deepEqual(d.expose.map((e) => `${e.port}/${e.protocol}@${line(e.loc)}`), ['8080/tcp@8', '9229/tcp@8']);
    assert.deepEqual(d.env.map((e) => `${e.name}=${e.value}`), ['NODE_ENV=production', 'PORT=8080']);
    assert.deepEqual(d.args.map((a) => a.name), ['NODE_VERSION', 'NPM_TOKEN']);
    assert.equal(d.user?.value, 'node');
    assert.equal(d.healthcheck?.disabled, false);
    assert.deepEqual(d.entrypoint?.args, ['docker-entrypoint.sh']);
    assert.equal(d.cmd?.form, 'exec');
    assert.deepEqual(d.installs.map((i) => `${i.command} ${i.lockfile}`), ['npm ci true']);
  });

  test('Compose: build context, short and long ports, expose, merged environment, env files, depends_on, healthcheck', () => {
    const [api, db] = model.composeServices;
    assert.equal(api.build?.context, '.');
    assert.deepEqual(api.ports.map((p) => `${p.hostIp ?? ''}|${p.published ?? ''}|${p.target}@${line(p.loc)}`), ['127.0.0.1|8080|8080@8', '|9229|9229@9']);
    assert.deepEqual(api.expose.map((e) => e.port), [9000]);
    assert.deepEqual(api.environment.map((e) => `${e.name}=${e.value}`), ['PORT=8080', 'LOG_LEVEL=debug']);
    assert.deepEqual(api.envFiles.map((e) => e.path), ['.env', './extra.env']);
    assert.deepEqual(api.dependsOn, ['db']);
    assert.equal(db.image?.value, 'postgres:16');
    assert.deepEqual(db.environment.map((e) => `${e.name}=${e.value}`), ['POSTGRES_PASSWORD=undefined', 'POSTGRES_DB=app']);
    assert.equal(db.healthcheck?.disabled, false);
    assert.equal(dockerfileOfService(model, api), model.dockerfiles[0]);
  });

  test('env files, gitignore, lockfiles, schemas by name and content; node_modules ignored', () => {
    assert.deepEqual(model.envFiles.map((f) => `${f.path} ${f.kind} ${f.names.map((n) => n.name).join(',')}`), ['.env env DATABASE_URL', '.env.example template DATABASE_URL,API_KEY']);
    assert.deepEqual(model.gitignores, ['.gitignore']);
    assert.deepEqual(model.lockfiles, ['package-lock.json']);
    assert.deepEqual(model.schemas.map((s) => `${s.path} ${s.kind}`), ['api/openapi.yaml openapi', 'docs/contract.json openapi', 'schema.gql graphql']);
    assert.equal(model.packages.length, 0);
  });

  test('entrypoint script resolved through COPY', () => {
    assert.equal(entrypointScript(model, model.dockerfiles[0])?.script.path, 'docker-entrypoint.sh');
  });

  test('deterministic: input order does not matter', () => {
    const reversed = buildProjectModel([...files].reverse());
    const strip = (m: typeof model) => JSON.stringify({ ...m, sourceFile: undefined });
    assert.equal(strip(reversed), strip(model));
  });
});

describe('project model: no copy of a secret', () => {
  test('ENV and Compose environment values that are secrets are masked in the facts; ports stay readable', () => {
    const model = buildProjectModel([
      { path: 'Dockerfile', text: 'FROM node:22-slim\nENV PORT=8080 DB_PASSWORD=hunter2-Very-Secret-Pass STRIPE=sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK\n' },
      { path: 'compose.yaml', text: 'services:\n  app:\n    build: .\n    environment:\n      PORT: "8080"\n      API_TOKEN: ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5\n      DATABASE_URL: postgres://app:s3cretPassw0rd@db:5432/app\n' },
    ]);
    const json = JSON.stringify(model);
    for (const secret of ['hunter2-Very-Secret-Pass', 'sk_live_51HdQx2Lk7vTQpZr9mWc3YbN8aF4eJ6uK', 'ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5', 's3cretPassw0rd']) assert.ok(!json.includes(secret), secret);
    assert.equal(model.dockerfiles[0].env.find((e) => e.name === 'PORT')?.value, '8080');
    assert.ok(model.dockerfiles[0].env.find((e) => e.name === 'DB_PASSWORD')?.value, 'a masked value still says a value is set');
    assert.equal(model.composeServices[0].environment.find((e) => e.name === 'PORT')?.value, '8080');
    assert.match(model.composeServices[0].environment.find((e) => e.name === 'DATABASE_URL')?.value ?? '', /^postgres:\/\/app:.*@db:5432\/app$/);
  });
});

describe('project model: incremental updates', () => {
  test('update and remove keep the model current', () => {
    const builder = new ProjectModelBuilder();
    builder.update('src/a.ts', 'const x = process.env.A;');
    builder.update('src/b.ts', 'const y = process.env.B;');
    assert.deepEqual(builder.model().envReads.map((r) => r.name), ['A', 'B']);
    const before = builder.model();
    assert.equal(builder.model(), before, 'cached until something changes');
    builder.update('src/a.ts', 'const x = process.env.A2;');
    assert.deepEqual(builder.model().envReads.map((r) => r.name), ['A2', 'B']);
    builder.remove('src/b.ts');
    assert.deepEqual(builder.model().envReads.map((r) => r.name), ['A2']);
    assert.deepEqual(builder.model().files, ['src/a.ts']);
    builder.update('src\\c.ts', 'process.env.C');
    assert.ok(builder.has('src/c.ts'), 'backslashes normalised');
  });

  test('a file the parsers choke on contributes nothing instead of throwing', () => {
    const model = buildProjectModel([
      { path: 'compose.yaml', text: 'services: [unclosed' },
      { path: 'Dockerfile', text: '\u0000\u0001 garbage' },
      { path: 'package.json', text: '{ not json' },
      { path: 'src/x.ts', text: 'app.get(("/' },
    ]);
    assert.equal(model.packages[0].valid, false);
    assert.ok(model.files.length === 4);
  });
});

describe('project model helpers', () => {
  test('parseShortPort', () => {
    assert.deepEqual(parseShortPort('3000'), { target: 3000, published: undefined, hostIp: undefined });
    assert.deepEqual(parseShortPort('8080:3000'), { target: 3000, published: '8080', hostIp: undefined });
    assert.deepEqual(parseShortPort('127.0.0.1:8080:3000/udp'), { target: 3000, published: '8080', hostIp: '127.0.0.1' });
    assert.deepEqual(parseShortPort('3000-3005:3000-3005'), { target: 3000, published: '3000-3005', hostIp: undefined });
    assert.equal(parseShortPort('${PORT}'), undefined);
  });
  test('literalValue', () => {
    assert.equal(literalValue('${PORT:-3000}'), '3000');
    assert.equal(literalValue('${PORT}'), undefined);
    assert.equal(literalValue('x${Y}'), undefined);
    assert.equal(literalValue('8080'), '8080');
  });
  test('installsIn', () => {
    assert.deepEqual(installsIn('npm ci --omit=dev'), [{ command: 'npm ci --omit=dev', lockfile: true }]);
    assert.deepEqual(installsIn('npm install'), [{ command: 'npm install', lockfile: false }]);
    assert.deepEqual(installsIn('npm install -g pnpm@9'), []);
    assert.deepEqual(installsIn('yarn install --frozen-lockfile && pnpm install'), [{ command: 'yarn install --frozen-lockfile', lockfile: true }, { command: 'pnpm install', lockfile: false }]);
  });
  test('isPinnedImage', () => {
    const stages = new Set(['build']);
    for (const [image, pinned] of [['node:22', true], ['node', false], ['node:latest', false], ['scratch', true], ['build', true], ['node@sha256:abc', true], ['registry:5000/app', false], ['registry:5000/app:1.2', true]] as const) {
      assert.equal(isPinnedImage(image, stages), pinned, image);
    }
  });
  test('scriptWord and joinPath', () => {
    const cmd = (args: string[]) => ({ keyword: 'ENTRYPOINT' as const, form: 'exec' as const, args, text: args.join(' '), loc: { path: 'Dockerfile', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } });
    assert.equal(scriptWord(cmd(['./entrypoint.sh'])), './entrypoint.sh');
    assert.equal(scriptWord(cmd(['sh', '/app/start.sh'])), '/app/start.sh');
    assert.equal(scriptWord(cmd(['sh', '-c', 'node a.js'])), undefined);
    assert.equal(scriptWord(cmd(['tini', '--', '/run.sh'])), '/run.sh');
    assert.equal(scriptWord(cmd(['node', 'server.js'])), undefined);
    assert.equal(joinPath('a/b', '../c/./d'), 'a/c/d');
    assert.equal(joinPath('', './x'), 'x');
    assert.equal(joinPath('/abs/dir', '../y'), '/abs/y');
  });
  test('schemaKind', () => {
    assert.equal(schemaKind('swagger.json', '{}'), 'openapi');
    assert.equal(schemaKind('asyncapi.yml', ''), 'asyncapi');
    assert.equal(schemaKind('compose.yaml', 'services: {}'), undefined);
  });
});

describe('project model: limits', () => {
  test('a huge lockfile still counts; a huge or binary source file contributes nothing', () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const model = buildProjectModel([
      { path: 'package-lock.json', text: big },
      { path: 'src/bundle.js', text: `process.env.A;${big}` },
      // binary: many NUL/control bytes (one stray NUL no longer makes a text file binary, see hostile-input.test)
      { path: 'src/bin.ts', text: `process.env.B;${'\u0000\u0001'.repeat(20)}` },
    ]);
    assert.deepEqual(model.lockfiles, ['package-lock.json']);
    assert.deepEqual(model.envReads, []);
  });
});
