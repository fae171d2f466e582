#!/usr/bin/env node
'use strict';
// The `factorlint` command: the esbuild bundle (`npm run build`) or the tsc output
// (`npx tsc -b`), whichever is newer, so a checkout works after either build and a stale
// bundle never shadows a fresh compile.
const path = require('node:path');
const fs = require('node:fs');

const candidates = [path.join(__dirname, '..', 'dist', 'cli.js'), path.join(__dirname, '..', 'out', 'server', 'src', 'cli.js')];
const mtime = (file) => { try { return fs.statSync(file).mtimeMs; } catch { return -1; } };
const entry = candidates.filter((file) => mtime(file) >= 0).sort((a, b) => mtime(b) - mtime(a))[0];
if (!entry) {
  process.stderr.write('factorlint: not built yet. Run `npm run build` in ' + path.resolve(__dirname, '..') + '\n');
  process.exit(2);
}
require(entry).runFromProcess();
