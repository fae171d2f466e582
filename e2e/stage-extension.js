#!/usr/bin/env node
/**
 * Stages the extension the way it ships (the .vscodeignore allowlist's files + the two bundles)
 * into a folder outside the source tree, and packages it as a .vsix. The e2e layer loads this
 * folder (extensionDevelopmentPath) and installs the .vsix, so it tests what users get.
 *
 * Bundles: `scripts/bundle.js` when the project has it; otherwise esbuild here. The server
 * bundle is `server/src/server.ts` when it exists, else the TEST-ONLY e2e/standin-server.js.
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
  const esbuild = require(require.resolve('esbuild', { paths: [ROOT] }));
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, sourcemap: false, logLevel: 'warning', absWorkingDir: ROOT };
  if (fs.existsSync(path.join(ROOT, 'scripts', 'bundle.js'))) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle.js')], { cwd: ROOT, stdio: 'inherit' });
    for (const f of ['client.js', 'server.js']) fs.copyFileSync(path.join(ROOT, 'dist', f), path.join(outDir, 'dist', f));
  } else {
    esbuild.buildSync({ ...common, entryPoints: [path.join(ROOT, 'client/src/extension.ts')], outfile: path.join(outDir, 'dist/client.js'), external: ['vscode'] });
    const realServer = path.join(ROOT, 'server/src/server.ts');
    const entry = fs.existsSync(realServer) ? realServer : path.join(__dirname, 'standin-server.js');
    if (entry !== realServer) process.stderr.write('stage: server/src/server.ts is absent: bundling the TEST-ONLY e2e/standin-server.js as dist/server.js\n');
    esbuild.buildSync({ ...common, entryPoints: [entry], outfile: path.join(outDir, 'dist/server.js') });
  }
  for (const f of ['package.json', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'README.md']) {
    if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(outDir, f));
  }
  if (!fs.existsSync(path.join(outDir, 'README.md'))) fs.writeFileSync(path.join(outDir, 'README.md'), '# factorlint\n\nTwelve-Factor linter (staged for e2e tests).\n');
  for (const d of ['media', 'snippets', 'syntaxes', 'schemas', 'docs']) {
    if (fs.existsSync(path.join(ROOT, d))) fs.cpSync(path.join(ROOT, d), path.join(outDir, d), { recursive: true });
  }
  const vsix = path.join(outDir, '..', 'factorlint.vsix');
  const vsce = require.resolve('@vscode/vsce/vsce', { paths: [ROOT] });
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--baseContentUrl', 'https://example.invalid/factorlint/blob/main', '--baseImagesUrl', 'https://example.invalid/factorlint/raw/main', '-o', vsix], { cwd: outDir, stdio: ['ignore', 'ignore', 'inherit'] });
  return vsix;
}

module.exports = { stage };

if (require.main === module) {
  const out = path.resolve(process.argv[2] || path.join(__dirname, '.run', 'ext'));
  process.stdout.write(stage(out) + '\n');
}
