/**
 * The pre-commit hook (.pre-commit-hooks.yaml), driven by the real `pre-commit` tool (Debian
 * package `pre-commit`) in a temporary git repository:
 * - `pre-commit validate-manifest` accepts the manifest;
 * - the hook, declared as a `repo: local` hook with the manifest's own fields (only `language`
 *   becomes `system` and `entry` points at this checkout's CLI, so nothing is downloaded),
 *   analyses the whole repository: a clean staged file still fails the commit when another,
 *   committed file has an error, and fixing that file lets the commit through.
 * Skipped with a message when `pre-commit` is missing, except in CI, where it is required.
 */
import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse, stringify } from 'yaml';
import { writeTree } from './support/cli-harness';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'bin', 'factorlint.js');
const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
const hasGit = spawnSync('git', ['--version'], { encoding: 'utf8' }).status === 0;
const inCi = !!process.env.CI && process.env.CI !== 'false';

if (!hasPreCommit && !inCi) process.stderr.write('pre-commit.test: SKIPPING: `pre-commit` is not installed (Debian package pre-commit; CI requires it)\n');

interface Hook { id: string; name: string; entry: string; args?: string[]; language: string; pass_filenames?: boolean; files?: string; require_serial?: boolean }

const manifest = parse(fs.readFileSync(path.join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

test('the manifest declares one hook that analyses the repository (pass_filenames: false)', () => {
  assert.equal(manifest.length, 1);
  const hook = manifest[0];
  assert.equal(hook.id, 'factorlint');
  assert.equal(hook.pass_filenames, false, 'cross-file rules need the whole project, not the staged files');
  assert.match(hook.entry, /^factorlint\b/);
  assert.deepEqual(hook.args, ['--fail-on', 'error']);
  assert.equal(hook.language, 'node');
  const files = new RegExp(hook.files ?? '');
  for (const f of ['src/server.ts', 'lib/a.mjs', 'Dockerfile', 'docker/api.Dockerfile', 'compose.yaml', '.env', 'pkg/package.json', '.factorlintrc.json']) assert.match(f, files, `${f} triggers the hook`);
  for (const f of ['README.md', 'docs/logo.png', 'Makefile']) assert.doesNotMatch(f, files, `${f} does not`);
});

describe('the hook under the real pre-commit', { skip: !hasPreCommit && !inCi ? 'pre-commit is not installed' : !hasGit && 'git is not installed' }, () => {
  let repo: string;
  let env: NodeJS.ProcessEnv;
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: repo, env, encoding: 'utf8' });
    assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  };
  const preCommit = (...args: string[]) => {
    const r = spawnSync('pre-commit', args, { cwd: repo, env, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
  };

  before(() => {
    assert.ok(hasPreCommit, 'pre-commit is required in CI (Debian package pre-commit, in .ci/run)');
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-pre-commit-'));
    env = {
      ...process.env,
      PRE_COMMIT_HOME: path.join(repo, '.pre-commit-cache'),
      GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@localhost', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@localhost',
      GIT_CONFIG_NOSYSTEM: '1', HOME: repo, NO_COLOR: '1',
    };
    const hook = manifest[0];
    const local = { ...hook, language: 'system', entry: hook.entry.replace(/^factorlint/, `${process.execPath} ${CLI}`) };
    writeTree(repo, {
      '.pre-commit-config.yaml': stringify({ repos: [{ repo: 'local', hooks: [local] }] }),
      '.gitignore': '.pre-commit-cache/\n',
      'package.json': JSON.stringify({ name: 'svc', version: '1.0.0', dependencies: { express: '^4.21.0' } }),
      'src/server.js': "const express = require('express');\nexpress().listen(Number(process.env.PORT ?? 3000));\n",
      // an error-level finding in a file the commit below does not touch
      'Dockerfile': 'FROM node:22-slim\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nUSER node\nCMD ["node", "src/server.js"]\n',
    });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '--no-verify', '-m', 'initial');
  });
  after(() => { if (repo) fs.rmSync(repo, { recursive: true, force: true }); });

  test('pre-commit validate-manifest accepts .pre-commit-hooks.yaml', () => {
    const r = preCommit('validate-manifest', path.join(REPO, '.pre-commit-hooks.yaml'));
    assert.equal(r.code, 0, r.out);
  });

  test('a clean staged file does not hide an error elsewhere in the repository; fixing it passes', () => {
    const install = preCommit('install');
    assert.equal(install.code, 0, install.out);
    fs.writeFileSync(path.join(repo, 'src/health.js'), 'module.exports = (_req, res) => res.send("ok");\n');
    git('add', 'src/health.js');
    const commit = spawnSync('git', ['commit', '-m', 'add health'], { cwd: repo, env, encoding: 'utf8', timeout: 120_000 });
    const out = `${commit.stdout}${commit.stderr}`;
    assert.notEqual(commit.status, 0, `the commit must be refused:\n${out}`);
    assert.match(out, /factorlint \(Twelve-Factor review\)\.+Failed/);
    assert.match(out, /Dockerfile/, 'the finding in the untouched Dockerfile is reported');
    assert.match(out, /security\/tls-verification-disabled/);

    // the warning left (none at error level) does not block: --fail-on error
    fs.writeFileSync(path.join(repo, 'Dockerfile'), 'FROM node:22-slim\nUSER node\nCMD ["node", "src/server.js"]\n');
    git('add', 'Dockerfile');
    const retry = spawnSync('git', ['commit', '-m', 'add health'], { cwd: repo, env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(retry.status, 0, `${retry.stdout}${retry.stderr}`);
    assert.match(`${retry.stdout}${retry.stderr}`, /factorlint \(Twelve-Factor review\)\.+Passed/);
  });

  test('a README-only commit does not run the hook (files filter)', () => {
    fs.writeFileSync(path.join(repo, 'README.md'), '# svc\n');
    git('add', 'README.md');
    const r = preCommit('run');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /factorlint \(Twelve-Factor review\)\.+\(no files to check\)Skipped/);
  });
});
