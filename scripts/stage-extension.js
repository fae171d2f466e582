#!/usr/bin/env node
/**
 * Stages the VS Code extension the way it ships (the `.vscodeignore` allowlist's files and
 * bundles) into a folder outside the source tree, and packages it as a .vsix there.
 *
 * Why a staging folder: package.json's `files` is the npm package's allowlist (CLI, language
 * server, docs), `.vscodeignore` the extension's, and vsce refuses a folder that has both. The
 * staged package.json has no `files`, so vsce reads `.vscodeignore` alone.
 *
 * Used by `npm run package` (scripts/package-vsix.js), the e2e layer (e2e/stage-extension.js)
 * and client/test/package.test.ts.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/**
 * @param {string} outDir folder to (re)create with the extension's files
 * @param {{ build?: boolean, vsix?: string | false }} [options] build: run scripts/bundle.js
 *   first (default true); vsix: where to write the package (default `<outDir>/../factorlint.vsix`;
 *   false: stage only)
 * @returns {string | undefined} the .vsix path
 */
function stage(outDir, options = {}) {
  const { build = true } = options;
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(outDir, 'dist'), { recursive: true });
  // the bundles exactly as `npm run build` makes them
  if (build) execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle.js')], { cwd: ROOT, stdio: 'inherit' });
  // the bundles the .vscodeignore allowlist ships (client, server, the TypeScript compiler…)
  const shipped = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => /^!dist\/[\w.-]+\.js$/.test(l)).map((l) => l.slice('!dist/'.length));
  for (const f of shipped) if (fs.existsSync(path.join(ROOT, 'dist', f))) fs.copyFileSync(path.join(ROOT, 'dist', f), path.join(outDir, 'dist', f));
  for (const f of ['LICENSE', 'CHANGELOG.md', '.vscodeignore', 'README.md']) {
    if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(outDir, f));
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  delete manifest.files; // the npm package's allowlist; the extension's is .vscodeignore
  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (!fs.existsSync(path.join(outDir, 'README.md'))) fs.writeFileSync(path.join(outDir, 'README.md'), '# factorlint\n\nTwelve-Factor linter.\n');
  for (const d of ['media', 'snippets', 'syntaxes', 'schemas', 'docs']) {
    if (fs.existsSync(path.join(ROOT, d))) fs.cpSync(path.join(ROOT, d), path.join(outDir, d), { recursive: true });
  }
  if (options.vsix === false) return undefined;
  const vsix = options.vsix ?? path.join(outDir, '..', 'factorlint.vsix');
  execFileSync(process.execPath, [vsce(), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], { cwd: outDir, stdio: ['ignore', 'ignore', 'inherit'] });
  return vsix;
}

/** The vsce CLI of this checkout. */
function vsce() {
  return require.resolve('@vscode/vsce/vsce', { paths: [ROOT] });
}

module.exports = { stage, vsce };
