#!/usr/bin/env node
'use strict';
// The `factorlint` command: the esbuild bundle when built (`npm run build`), else the tsc
// output (`npx tsc -b`), so a checkout works after either build.
const path = require('node:path');
const fs = require('node:fs');

const candidates = [path.join(__dirname, '..', 'dist', 'cli.js'), path.join(__dirname, '..', 'out', 'server', 'src', 'cli.js')];
const entry = candidates.find((file) => fs.existsSync(file));
if (!entry) {
  process.stderr.write('factorlint: not built yet. Run `npm run build` in ' + path.resolve(__dirname, '..') + '\n');
  process.exit(2);
}
require(entry).runFromProcess();
