#!/usr/bin/env node
'use strict';
/**
 * Bundles the entry points with esbuild (CommonJS, Node target, minified, one file each):
 * dist/client.js (the VS Code extension, `vscode` external), dist/server.js (the language
 * server), dist/cli.js (the CLI), dist/scan-worker.js (the CLI's scan workers) and
 * dist/index-worker.js (the language server's workspace index). The
 * TypeScript compiler is its own file, dist/typescript.js, shared by the three that parse:
 * it is most of their size, and kept apart it is compiled only when a TS/JS file is first
 * parsed (a session on Dockerfiles and Compose files never pays for it, and `initialize`
 * answers sooner). Entries whose source does not exist yet are skipped with a note. JSON
 * imports (the configuration schema) are inlined by esbuild.
 */
const path = require('node:path');
const fs = require('node:fs');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const production = process.env.FACTORLINT_BUNDLE_DEV !== '1';

/** `require('typescript')` in a bundle loads `./typescript.js` beside it at run time. */
const typescriptBeside = {
  name: 'typescript-beside',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: './typescript.js', external: true }));
  },
};

const entries = [
  { name: 'client', entry: 'client/src/extension.ts', external: ['vscode'] },
  { name: 'server', entry: 'server/src/server.ts', external: [], plugins: [typescriptBeside] },
  { name: 'cli', entry: 'server/src/cli.ts', external: [], plugins: [typescriptBeside] },
  // worker-thread entry of the parallel workspace scan (server/src/host/parallel-analyze.ts)
  { name: 'scan-worker', entry: 'server/src/host/scan-worker.ts', external: [], plugins: [typescriptBeside] },
  // worker-thread entry of the language server's workspace index (server/src/features/index-worker.ts)
  { name: 'index-worker', entry: 'server/src/features/index-worker.ts', external: [], plugins: [typescriptBeside] },
  // the compiler itself, minified once for the three above
  { name: 'typescript', entry: path.relative(root, require.resolve('typescript')), external: [] },
];

async function main() {
  const built = [];
  for (const { name, entry, external, plugins = [] } of entries) {
    const source = path.join(root, entry);
    if (!fs.existsSync(source)) {
      process.stderr.write(`bundle: skipping dist/${name}.js (${entry} does not exist yet)\n`);
      continue;
    }
    await esbuild.build({
      entryPoints: [source],
      outfile: path.join(root, 'dist', `${name}.js`),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external,
      plugins,
      minify: production,
      sourcemap: production ? false : 'inline',
      // typescript's compiler API probes optional modules it does not need at run time.
      logOverride: { 'require-resolve-not-external': 'silent', 'empty-import-meta': 'silent' },
      logLevel: 'warning',
      legalComments: 'none',
      // the CLI's --version and SARIF tool version, even when the bundle is copied alone
      define: { 'process.env.FACTORLINT_VERSION': JSON.stringify(require(path.join(root, 'package.json')).version) },
    });
    built.push(`dist/${name}.js`);
  }
  if (process.env.npm_config_loglevel !== 'silent') process.stderr.write(`bundle: built ${built.join(', ') || 'nothing'}\n`);
}

main().catch((error) => {
  process.stderr.write(`bundle: ${error && error.message ? error.message : error}\n`);
  process.exit(1);
});
