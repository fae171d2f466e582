#!/usr/bin/env node
/**
 * Stages the extension the way it ships and packages it as a .vsix (scripts/stage-extension.js).
 * The e2e layer loads this folder (extensionDevelopmentPath) and installs the .vsix, so it tests
 * what users get.
 *
 * Usage: node e2e/stage-extension.js <out-dir>  (prints the .vsix path)
 */
'use strict';
const path = require('node:path');
const { stage } = require('../scripts/stage-extension');

module.exports = { stage };

if (require.main === module) {
  const out = path.resolve(process.argv[2] || path.join(__dirname, '.run', 'ext'));
  process.stdout.write(stage(out) + '\n');
}
