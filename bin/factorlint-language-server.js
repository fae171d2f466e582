#!/usr/bin/env node
'use strict';
// factorlint-language-server --stdio | --node-ipc | --socket=<port>
const fs = require('node:fs');
const path = require('node:path');

const bundled = path.join(__dirname, '..', 'dist', 'server.js');
// Without a bundle (a plain `tsc -b` checkout), run the compiled sources.
require(fs.existsSync(bundled) ? bundled : path.join(__dirname, '..', 'out', 'server', 'src', 'server.js'));
