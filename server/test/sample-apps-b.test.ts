/**
 * False-positive hunt on realistic sample apps (Express, Fastify, Koa, NestJS, plain http in a
 * monorepo, and a mixed app with workers, React components, tools and a local storage driver) under fixtures/_apps/*-b: the rules of this slice must report exactly the
 * violations planted there (listed below) and nothing else. Other rules are not asserted here.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeSampleApp, APPS_DIR } from './support/sample-apps';

const RULES_UNDER_TEST = new Set([
  'codebase/cross-app-import', 'dependencies/undeclared-dependency', 'disposability/no-graceful-shutdown',
  'logs/console-logging', 'logs/file-logging', 'processes/in-memory-session', 'processes/local-file-state',
]);

const EXPECTED: Record<string, string[]> = {
  'express-b': [
    'src/routes/orders.js:21 logs/console-logging',
  ],
  'fastify-b': [
    'src/routes/products.ts:23 processes/local-file-state',
    'src/routes/products.ts:24 logs/console-logging',
  ],
  'http-b': [
    'services/gateway/src/handler.js:4 codebase/cross-app-import',
    'services/gateway/src/handler.js:6 dependencies/undeclared-dependency',
    'services/gateway/src/handler.js:14 processes/local-file-state',
    'services/gateway/src/index.js:6 disposability/no-graceful-shutdown',
  ],
  'koa-b': [
    'src/lib/logger.js:9 logs/file-logging',
  ],
  'mixed-b': [
    'src/config.ts:13 logs/console-logging',
    'src/storage/local-driver.ts:9 processes/local-file-state',
  ],
  'nest-b': [
    'src/users/users.service.ts:17 logs/console-logging',
  ],
};

for (const [app, expected] of Object.entries(EXPECTED)) {
  test(`sample app ${app}: only the planted findings`, () => {
    const errors: string[] = [];
    const found = analyzeSampleApp(path.join(APPS_DIR, app), (id, file, e) => errors.push(`${id} ${file}: ${String(e)}`))
      .filter((f) => RULES_UNDER_TEST.has(f.ruleId))
      .map((f) => `${f.file}:${f.line} ${f.ruleId}`);
    assert.deepEqual(errors, []);
    assert.deepEqual(found.sort(), [...expected].sort());
  });
}
