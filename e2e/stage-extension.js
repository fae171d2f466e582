#!/usr/bin/env node
/**
 * Stages the extension the way it ships (the .vscodeignore allowlist's files and bundles)
 * into a folder outside the source tree, and packages it as a .vsix. The e2e layer loads this
 * folder (extensionDevelopmentPath) and installs the .vsix, so it tests what users get.
 *
 * Bundles: `scripts/bundle.js`, as `npm run build` makes them.
 * Usage: node e2e/stage-extension.js <out-dir>  (prints the .vsix path)
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function stage(outDir) {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(outDir, 'dist'), { recursive: true });
  // the bundles exactly as `npm run build` makes them
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle.js')], { cwd: ROOT, stdio: 'inherit' });
  // the bundles the .vscodeignore allowlist ships (client, server, the TypeScript compiler…)
  const shipped = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => /^!dist\/[\w.-]+\.js$/.test(l)).map((l) => l.slice('!dist/'.length));
  for (const f of shipped) fs.copyFileSync(path.join(ROOT, 'dist', f), path.join(outDir, 'dist', f));
  for (const f of ['package.json', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'README.md']) {
    if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(outDir, f));
  }
  if (!fs.existsSync(path.join(outDir, 'README.md'))) fs.writeFileSync(path.join(outDir, 'README.md'), '# factorlint\n\nTwelve-Factor linter (staged for e2e tests).\n');
  for (const d of ['media', 'snippets', 'syntaxes', 'schemas', 'docs']) {
    if (fs.existsSync(path.join(ROOT, d))) fs.cpSync(path.join(ROOT, d), path.join(outDir, d), { recursive: true });
  }
  const vsix = path.join(outDir, '..', 'factorlint.vsix');
  const vsce = require.resolve('@vscode/vsce/vsce', { paths: [ROOT] });
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], { cwd: outDir, stdio: ['ignore', 'ignore', 'inherit'] });
  return vsix;
}

module.exports = { stage };

if (require.main === module) {
  const out = path.resolve(process.argv[2] || path.join(__dirname, '.run', 'ext'));
  process.stdout.write(stage(out) + '\n');
}
