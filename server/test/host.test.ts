/** The host layer over a real temporary folder: project facts and the walker. */
import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ProjectFacts, expandWorkspaceGlobs, sanitizePackageJson } from '../src/host/project-facts';
import { walkFiles, type SkipReason } from '../src/host/walk';

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
}

let root: string;
let outside: string;

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-host-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-outside-'));
  writeTree(root, {
    'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
    'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n  - "!apps/legacy"\n',
    '.gitignore': 'secret-stuff/\n*.log\n!keep.log\n',
    'packages/api/package.json': JSON.stringify({ name: '@mono/api', main: 'dist/index.js', bin: { 'api-admin': './bin/admin.js' }, dependencies: { express: '^4', bad: 42 } }),
    'packages/api/src/index.ts': 'export const x = 1;\n',
    'packages/api/bin/admin.js': 'console.log(1);\n',
    'packages/api/.gitignore': 'generated/\n',
    'packages/api/generated/client.ts': 'export {};\n',
    'packages/broken/package.json': '{ "name": "broken", ',
    'packages/broken/src/a.ts': 'export {};\n',
    'apps/web/package.json': JSON.stringify({ name: 'web' }),
    'apps/web/Dockerfile': 'FROM node:22\n',
    'apps/legacy/package.json': JSON.stringify({ name: 'legacy' }),
    'secret-stuff/x.ts': 'export {};\n',
    'logs/app.log': 'x',
    'keep.log': 'x',
    'z.ts': 'export {};\n',
    'a.ts': 'export {};\n',
    'node_modules/dep/index.js': 'module.exports = 1;\n',
    'dist/bundle.js': 'x',
    'README.md': '# not analysed\n',
    'big.ts': `export const big = '${'x'.repeat(5000)}';\n`,
  });
  writeTree(outside, { 'evil.ts': 'export {};\n', 'dir/inner.ts': 'export {};\n' });
  fs.symlinkSync(path.join(outside, 'evil.ts'), path.join(root, 'link-out.ts'));
  fs.symlinkSync(path.join(outside, 'dir'), path.join(root, 'link-dir'));
  fs.symlinkSync(path.join(root, 'a.ts'), path.join(root, 'link-in.ts'));
});

after(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('ProjectFacts', () => {
  test('nearest package.json, sanitized', () => {
    const facts = new ProjectFacts(root, { useGit: false });
    const pkg = facts.nearestPackage(path.join(root, 'packages/api/src/index.ts'));
    assert.equal(pkg?.dir, path.join(root, 'packages/api').replace(/\\/g, '/'));
    assert.equal(pkg?.json.name, '@mono/api');
    assert.deepEqual(pkg?.json.dependencies, { express: '^4' }, 'non-string versions dropped');
  });

  test('a malformed package.json is skipped, not a crash', () => {
    const facts = new ProjectFacts(root, { useGit: false });
    const pkg = facts.nearestPackage(path.join(root, 'packages/broken/src/a.ts'));
    assert.equal(pkg?.json.name, 'mono', 'falls back to the next package.json up');
    assert.equal(sanitizePackageJson('nope'), undefined);
    assert.equal(sanitizePackageJson([1]), undefined);
  });

  test('packageBesideFile for a Dockerfile', () => {
    const ctx = new ProjectFacts(root, { useGit: false }).contextFor(path.join(root, 'apps/web/Dockerfile'));
    assert.equal(ctx.packageBesideFile?.json.name, 'web');
    const none = new ProjectFacts(root, { useGit: false }).contextFor(path.join(root, 'packages/api/src/index.ts'));
    assert.equal(none.packageBesideFile, undefined);
  });

  test('workspace package names from workspaces and pnpm-workspace.yaml (negations honoured)', () => {
    const names = new ProjectFacts(root, { useGit: false }).workspacePackageNames();
    assert.deepEqual([...names].sort(), ['@mono/api', 'web']);
    assert.deepEqual(expandWorkspaceGlobs(root, []), []);
  });

  test('bin targets are absolute forward-slash paths and feed classification', () => {
    const facts = new ProjectFacts(root, { useGit: false });
    const file = path.join(root, 'packages/api/bin/admin.js');
    const options = facts.classifyOptionsFor(file);
    assert.ok(options.binTargets?.has(file.replace(/\\/g, '/')));
    assert.equal(options.relativePath, 'bin/admin.js', 'relative to the package without a config folder');
    assert.equal(facts.classifyOptionsFor(file, root).relativePath, 'packages/api/bin/admin.js', 'relative to the config folder');
    assert.equal(facts.classifyOptionsFor(path.join(outside, 'evil.ts'), root).relativePath, 'evil.ts', 'outside everything: the base name');
  });

  test('.gitignore matching, nested files and negation', () => {
    const facts = new ProjectFacts(root, { useGit: false });
    assert.equal(facts.isGitIgnored(path.join(root, 'secret-stuff/x.ts')), true);
    assert.equal(facts.isGitIgnored(path.join(root, 'logs/app.log')), true);
    assert.equal(facts.isGitIgnored(path.join(root, 'keep.log')), false);
    assert.equal(facts.isGitIgnored(path.join(root, 'packages/api/generated/client.ts')), true, 'nested .gitignore');
    assert.equal(facts.isGitIgnored(path.join(root, 'generated/client.ts')), false, 'nested .gitignore only applies below its folder');
    assert.equal(facts.isGitIgnored(path.join(outside, 'evil.ts')), false, 'outside the root: never ignored');
    const ctx = facts.contextFor(path.join(root, 'a.ts'));
    assert.equal(ctx.isGitIgnored?.('secret-stuff/x.ts'), true, 'relative to the analysed file');
  });

  test('readWorkspaceFile stays inside the root', () => {
    const ctx = new ProjectFacts(root, { useGit: false }).contextFor(path.join(root, 'packages/api/src/index.ts'));
    assert.equal(ctx.readWorkspaceFile?.('../package.json')?.includes('@mono/api'), true);
    assert.equal(ctx.readWorkspaceFile?.(path.join(outside, 'evil.ts')), undefined);
    assert.equal(ctx.readWorkspaceFile?.('missing.ts'), undefined);
  });

  test('isTracked is unknown without .git; shutdown facts come from the project model', () => {
    const facts = new ProjectFacts(root);
    const ctx = facts.contextFor(path.join(root, 'a.ts'));
    assert.equal(ctx.isTracked, undefined);
    assert.equal(ctx.packageHasShutdownHandler, false, 'no module of the package handles SIGTERM');
    // the behaviour fixed: shutdown handling through exit-hook in another file counts here as in Analyze Workspace
    const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-exit-hook-'));
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'svc', dependencies: { 'exit-hook': '^4.0.0', express: '^4' } }));
    fs.mkdirSync(path.join(pkg, 'src'));
    fs.writeFileSync(path.join(pkg, 'src/server.ts'), "import express from 'express';\nimport './shutdown';\nexpress().listen(3000);\n");
    fs.writeFileSync(path.join(pkg, 'src/shutdown.ts'), "import exitHook from 'exit-hook';\nexitHook(() => console.log('bye'));\n");
    const c2 = new ProjectFacts(pkg, { useGit: false }).contextFor(path.join(pkg, 'src/server.ts'));
    assert.equal(c2.packageHasShutdownHandler, true);
    assert.deepEqual(c2.shutdownHandlerFiles, [path.join(pkg, 'src/shutdown.ts').replace(/\\/g, '/')]);
  });
});

test('isTracked from git ls-files when a .git exists', (t) => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-git-'));
  try {
    writeTree(repo, { 'tracked.ts': 'export {};\n', 'new.ts': 'export {};\n', '.env': 'A=1\n' });
    const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
    if (git('init', '-q').status !== 0) { t.skip('git is not available'); return; }
    git('add', 'tracked.ts', '.env');
    const facts = new ProjectFacts(repo, { useGit: true });
    assert.equal(facts.contextFor(path.join(repo, 'tracked.ts')).isTracked, true);
    assert.equal(facts.contextFor(path.join(repo, '.env')).isTracked, true);
    assert.equal(facts.contextFor(path.join(repo, 'new.ts')).isTracked, false);
    assert.equal(new ProjectFacts(repo).contextFor(path.join(repo, 'tracked.ts')).isTracked, undefined, 'off by default');
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
});

describe('walkFiles', () => {
  test('sorted, analysable files only; skips dependency/build folders, ignored, large, outside symlinks', () => {
    const facts = new ProjectFacts(root, { useGit: false });
    const skipped: Array<[string, SkipReason]> = [];
    const files = walkFiles([root], {
      root, maxFileSize: 4000, isIgnored: (p, d) => facts.isGitIgnored(p, d),
      onSkip: (p, r) => skipped.push([path.relative(root, p).replace(/\\/g, '/'), r]),
    }).map((f) => path.relative(root, f).replace(/\\/g, '/'));
    assert.deepEqual(files, [
      'a.ts',
      'apps/web/Dockerfile',
      'link-in.ts',
      'packages/api/bin/admin.js',
      'packages/api/src/index.ts',
      'packages/broken/src/a.ts',
      'z.ts',
    ]);
    assert.deepEqual(skipped.sort(), [
      ['big.ts', 'too-large'],
      ['link-out.ts', 'symlink-outside-root'],
    ]);
    assert.deepEqual(walkFiles([root], { root, maxFileSize: 4000 }), walkFiles([root], { root, maxFileSize: 4000 }), 'deterministic');
  });

  test('an explicitly named file is analysed even if ignored; unsupported files are reported', () => {
    const skipped: string[] = [];
    const files = walkFiles([path.join(root, 'secret-stuff/x.ts'), path.join(root, 'README.md')], {
      root, maxFileSize: 1e6, isIgnored: () => true, onSkip: (_p, r) => skipped.push(r),
    });
    assert.equal(files.length, 1);
    assert.deepEqual(skipped, ['unsupported']);
  });
});

test('readWorkspaceFile never follows a symlink inside the root to a file outside it', () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-outside-'));
  fs.writeFileSync(path.join(outside, 'credentials'), 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-root-'));
  fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "svc" }');
  fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM node:22\n');
  fs.symlinkSync(path.join(outside, 'credentials'), path.join(root, 'Dockerfile.prod'));
  fs.writeFileSync(path.join(root, 'compose.yaml'), 'services: {}\n');
  const context = new ProjectFacts(root).contextFor(path.join(root, 'compose.yaml'));
  assert.equal(context.readWorkspaceFile?.('Dockerfile'), 'FROM node:22\n', 'a file inside is read');
  assert.equal(context.readWorkspaceFile?.('Dockerfile.prod'), undefined, 'the link to the outside file is not');
  assert.equal(context.readWorkspaceFile?.(path.join(outside, 'credentials')), undefined, 'nor the outside path itself');
});

test('.gitignore answers for paths inside, at and outside the root, and folders named "..x", as path.relative placed them', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-gi-')));
  try {
    fs.writeFileSync(path.join(root, '.gitignore'), '*.log\nbuild/\n');
    const facts = new ProjectFacts(root);
    const at = (...parts: string[]) => path.join(root, ...parts);
    assert.equal(facts.isGitIgnored(at('a.log')), true);
    assert.equal(facts.isGitIgnored(at('src', 'b.log')), true);
    assert.equal(facts.isGitIgnored(at('build', 'x.js')), true, 'below an ignored folder');
    assert.equal(facts.isGitIgnored(at('src', 'x.js')), false);
    assert.equal(facts.isGitIgnored(root, true), false, 'the root itself');
    assert.equal(facts.isGitIgnored(`${root}x${path.sep}a.log`), false, 'a sibling whose name starts with the root\'s');
    assert.equal(facts.isGitIgnored(path.join(path.dirname(root), 'a.log')), false, 'outside the root');
    // path.relative gives "..x/a.log" for a folder named "..x": such paths were never matched
    assert.equal(facts.isGitIgnored(at('..x', 'a.log')), false, 'as path.relative placed it');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
