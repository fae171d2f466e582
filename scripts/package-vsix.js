#!/usr/bin/env node
/**
 * `npm run package`: builds the bundles, stages the extension (scripts/stage-extension.js) in a
 * temporary folder and writes factorlint.vsix here.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { stage } = require('./stage-extension');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-stage-'));
try {
  const vsix = stage(path.join(dir, 'extension'), { vsix: path.join(dir, 'factorlint.vsix') });
  const target = path.resolve(__dirname, '..', 'factorlint.vsix');
  fs.copyFileSync(vsix, target);
  process.stdout.write(`packaged ${path.relative(process.cwd(), target) || target} (${fs.statSync(target).size} bytes)\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
