/**
 * Issue #14's container-side recall: which image tags float (and the LTS alias reported at info),
 * and which started commands count as a server for the HEALTHCHECK rule.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../src/engine/run';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { RULES } from '../src/rules/registry';
import { floatingTag, officialName, splitImage } from '../src/rules/support/images';
import { serverCommand } from '../src/rules/support/server-command';
import { shellCommands } from '../src/parse/shell';
import { programArgv } from '../src/engine/command-model';
import type { PackageJsonFacts } from '../src/engine/project-context';

function kind(image: string) {
  const { name, tag } = splitImage(image);
  return floatingTag(officialName(name), tag);
}

describe('floatingTag', () => {
  const cases: Array<[string, string | undefined]> = [
    ['node', 'latest'], ['node:latest', 'latest'], ['node:alpine', 'variant'], ['node:slim', 'variant'],
    ['node:bookworm-slim', 'variant'], ['redis:alpine', 'variant'], ['nextcloud:apache', 'variant'],
    ['node:current-slim', 'channel'], ['node:current-alpine3.20', 'channel'], ['nginx:stable-alpine', 'channel'],
    ['nginx:mainline', 'channel'], ['alpine:edge', 'channel'], ['ghcr.io/acme/app:stable', 'channel'],
    ['node:lts', 'lts'], ['node:lts-alpine', 'lts'],
    ['node:20-alpine', undefined], ['redis:7', undefined], ['postgres:16.2-alpine', undefined], ['traefik:v3', undefined],
    ['debian:bookworm-slim', undefined], ['ubuntu:noble', undefined], ['ghcr.io/acme/app:prod', undefined], ['acme/app:alpine', undefined],
  ];
  for (const [image, expected] of cases) test(`${image} → ${expected ?? 'pinned'}`, () => assert.equal(kind(image), expected));
});

describe('unpinned tags: severity', () => {
  const rules = RULES.filter((r) => r.meta.id.startsWith('build-release-run/unpinned'));
  const run = (path: string, text: string) => analyze({ path, text }, { rules, project: {}, config: DEFAULT_CONFIG, today: '2026-11-22' }).findings;
  test('an LTS alias is info, a variant tag keeps the rule default (warning)', () => {
    const found = run('Dockerfile', 'FROM node:lts-alpine AS a\nFROM node:alpine\nCMD ["node", "a.js"]\n');
    assert.deepEqual(found.map((f) => [f.range.start.line, f.severity]), [[0, 'info'], [1, 'warning']]);
  });
  test('the same in Compose', () => {
    const found = run('compose.yaml', 'services:\n  a:\n    image: node:lts\n  b:\n    image: redis:alpine\n');
    assert.deepEqual(found.map((f) => [f.range.start.line, f.severity]), [[2, 'info'], [4, 'warning']]);
  });
});

describe('serverCommand', () => {
  const express: PackageJsonFacts = { dependencies: { express: '^4' }, scripts: { start: 'node .', 'start:prod': 'NODE_ENV=production node dist/main.js', worker: 'node dist/index.js' } };
  const bot: PackageJsonFacts = { dependencies: { 'discord.js': '^14' }, scripts: { start: 'node index.js' } };
  const words = (text: string) => programArgv(shellCommands(text)[0]);
  const server = (text: string, pkg?: PackageJsonFacts) => serverCommand(words(text), pkg)?.command;
  test('names a server', () => {
    assert.equal(server('node dist/main.js'), 'node dist/main.js');
    assert.equal(server('node ./bin/www'), 'node ./bin/www');
    assert.equal(server('next start'), 'next start');
    assert.equal(server('pm2-runtime start dist/main.js'), 'pm2-runtime start dist/main.js');
  });
  test('follows package.json scripts', () => {
    assert.equal(server('npm start', express), 'node .');
    assert.equal(server('npm run start:prod', express), 'node dist/main.js');
  });
  test('workers, bots and unknown entries are not servers', () => {
    assert.equal(server('npm run worker', express), undefined);
    assert.equal(server('npm start', bot), undefined);
    assert.equal(server('node index.js'), undefined);
    assert.equal(server('node dist/worker.js'), undefined);
    assert.equal(server('node dist/queue/main.js'), undefined);
    assert.equal(server('npm start'), undefined);
  });
});
