/**
 * API contract vs routes (`workspace/contract-sync.ts`, `route-paths.ts`, `extract-openapi.ts`):
 * path normalisation, server base paths, full paths through mounts, the packages left out
 * because a path is unknown, and the report's "contract in sync" evidence.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { collectEvidence } from '../src/report/evidence';
import { compareContracts, normalisePath, wildcardPrefix } from '../src/workspace/contract-sync';
import { basePathOf, openApiOperations } from '../src/workspace/extract-openapi';
import { buildProjectModel } from '../src/workspace/project-model';
import { routesByPackage } from '../src/workspace/route-paths';

const PKG = { path: 'package.json', text: '{ "name": "svc", "main": "src/server.js", "dependencies": { "express": "4.21.2" } }' };
const DOC = (paths: string, servers = '') => ({ path: 'openapi.yaml', text: `openapi: 3.0.0\ninfo: { title: t, version: '1' }\n${servers}paths:\n${paths}` });

describe('contract paths', () => {
  test('`:id` and `{id}` are one segment whatever the names; trailing slashes do not count', () => {
    assert.equal(normalisePath('/lists/:listId/items/'), '/lists/{}/items');
    assert.equal(normalisePath('/lists/{id}/items'), '/lists/{}/items');
    assert.equal(normalisePath('/'), '/');
    assert.notEqual(normalisePath('/lists/:id'), normalisePath('/lists'));
  });
  test('catch-all routes answer under their prefix; plain routes are not catch-alls', () => {
    assert.equal(wildcardPrefix('/orders/*'), '/orders');
    assert.equal(wildcardPrefix('*'), '/');
    assert.equal(wildcardPrefix('/users/:id'), undefined);
    assert.equal(wildcardPrefix('/users/:id(\\d+)'), undefined); // a constrained parameter is still one segment
    assert.equal(normalisePath('/users/:id(\\d+)'), '/users/{}');
    assert.equal(wildcardPrefix('/files/:path*'), '/files');
  });
  test('server URLs give base paths; variables make the base unknown', () => {
    assert.equal(basePathOf('https://api.example.com/v1/'), '/v1');
    assert.equal(basePathOf('http://localhost:4000'), '');
    assert.equal(basePathOf('/api'), '/api');
    assert.equal(basePathOf('https://{host}/v1'), '/v1'); // a variable host does not move the paths
    assert.equal(basePathOf('https://api.example.com/{version}'), undefined);
    assert.deepEqual(openApiOperations('o.yaml', 'openapi: 3.0.0\nservers:\n  - url: https://api.example.com/{basePath}\npaths:\n  /a:\n    get: {}\n')?.basePaths, []);
    assert.deepEqual(openApiOperations('s.yaml', "swagger: '2.0'\nbasePath: /v2/\npaths:\n  /a:\n    get: {}\n")?.basePaths, ['/v2']);
  });
  test('operations are read with the line of their path key, methods only (not `parameters`)', () => {
    const ops = openApiOperations('o.yaml', 'openapi: 3.0.0\npaths:\n  /a:\n    parameters: []\n    get: {}\n  /b/{id}:\n    delete: {}\n')!.operations;
    assert.deepEqual(ops.map((o) => [o.method, o.path, o.loc.range.start.line + 1]), [['GET', '/a', 3], ['DELETE', '/b/{id}', 6]]);
  });
});

describe('full route paths', () => {
  test('mount prefixes are joined through same-file routers and relative modules', () => {
    const model = buildProjectModel([PKG,
      { path: 'src/server.js', text: "const app = require('express')();\nconst api = require('express').Router();\nconst users = require('./users');\napi.use('/users', users);\napp.use('/v1', api);\napp.listen(process.env.PORT);\n" },
      { path: 'src/users.js', text: "const r = require('express').Router();\nr.get('/:id', (req, res) => res.end());\nmodule.exports = r;\n" },
    ]);
    const [pkg] = routesByPackage(model);
    assert.equal(pkg.unresolved, undefined);
    assert.deepEqual(pkg.routes.map((r) => `${r.route.method} ${r.fullPath}`), ['GET /v1/users/:id']);
  });
  test('a router that nothing we follow mounts leaves the package unresolved', () => {
    const model = buildProjectModel([PKG,
      { path: 'src/server.js', text: "const app = require('express')();\nconst routes = require('./routes');\nfor (const r of routes) app.use(r.path, r.router);\napp.listen(process.env.PORT);\n" },
      { path: 'src/routes.js', text: "const r = require('express').Router();\nr.get('/users', (req, res) => res.end());\nmodule.exports = [{ path: '/api', router: r }];\n" },
    ]);
    assert.ok(routesByPackage(model)[0].unresolved);
  });
});

describe('contract in sync', () => {
  const server = { path: 'src/server.js', text: "const app = require('express')();\napp.get('/users', (req, res) => res.json([]));\napp.post('/users', (req, res) => res.end());\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(process.env.PORT);\n" };
  test('both ways, with the base path of the servers', () => {
    const [c] = compareContracts(buildProjectModel([PKG, server, DOC('  /users:\n    get: {}\n  /users/{id}:\n    get: {}\n', 'servers:\n  - url: http://localhost:3000/\n')]));
    assert.deepEqual(c.undocumented.map((u) => `${u.route.route.method} ${u.route.fullPath}`), ['POST /users']);
    assert.deepEqual(c.unimplemented.map((u) => `${u.doc.op.method} ${u.doc.op.path}`), ['GET /users/{id}']);
  });
  test('a base path that the routes do not carry makes every operation unimplemented', () => {
    const [c] = compareContracts(buildProjectModel([PKG, server, DOC('  /users:\n    get: {}\n', 'servers:\n  - url: https://x.example.com/api\n')]));
    assert.deepEqual(c.unimplemented.map((u) => u.doc.paths[0]), ['/api/users']);
  });
  test('the report shows a contract in sync as API-first evidence, and not one that drifts', () => {
    const synced = buildProjectModel([PKG, server, DOC('  /users:\n    get: {}\n    post: {}\n')]);
    assert.ok(collectEvidence(synced).some((e) => e.factor === 'api-first' && e.id === 'contract-in-sync'));
    const drifted = buildProjectModel([PKG, server, DOC('  /users:\n    get: {}\n')]);
    assert.ok(!collectEvidence(drifted).some((e) => e.id === 'contract-in-sync'));
  });
});
