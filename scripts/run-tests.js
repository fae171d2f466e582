#!/usr/bin/env node
'use strict';
/**
 * Runs every compiled test file (`out/server/test/**\/*.test.js`, `out/client/test/**\/*.test.js`)
 * with node's test runner. Node 20's `--test` takes no globs, and a folder argument would
 * also run helper modules, so the files are listed here; missing folders are fine (the
 * client tests may not exist yet). Extra arguments are passed to `node --test`.
 */
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const roots = ['out/server/test', 'out/client/test'];

function collect(dir, out) {
  let entries;
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) { if (entry.name !== 'fixtures') collect(abs, out); }
    else if (entry.name.endsWith('.test.js')) out.push(path.relative(root, abs));
  }
  return out;
}

const files = roots.flatMap((r) => collect(path.join(root, r), []));
if (files.length === 0) {
  process.stderr.write('run-tests: no compiled tests found under out/ (run `npx tsc -b` first)\n');
  process.exit(1);
}
const reporter = ['--test-reporter=spec'];
const result = spawnSync(process.execPath, ['--test', ...reporter, ...process.argv.slice(2), ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
