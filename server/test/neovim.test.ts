/**
 * Real-editor test: Neovim 0.7 (headless) as the LSP client of the built server over stdio
 * (`server/test/nvim/init.lua` drives it). Skipped, loudly, when `nvim` is not installed;
 * CI installs Debian's `neovim`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const INIT_LUA = path.join(ROOT, 'server/test/nvim/init.lua');

/** The `bin` entry: it runs the bundle when built, else the `tsc` output (tests run without bundling). */
const SERVER_BIN = path.join(ROOT, 'bin/factorlint-language-server.js');

const hasNvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;

test('neovim: diagnostic → code action → port fix applied and written → diagnostic cleared', { skip: hasNvim ? false : 'nvim is not installed (apt-get install -y neovim); the real-editor test is skipped' }, (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-nvim-'));
  try {
    fs.mkdirSync(path.join(dir, 'src'));
    const file = path.join(dir, 'src', 'server.ts');
    const log = path.join(dir, 'nvim.log');
    fs.writeFileSync(file, "import express from 'express';\n\nconst app = express();\napp.listen(3000);\n");
    const started = process.hrtime.bigint();
    const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', INIT_LUA], {
      env: { ...process.env, SERVER: SERVER_BIN, FILE: file, OUT: log, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, XDG_STATE_HOME: dir },
      cwd: dir, timeout: 60_000, encoding: 'utf8',
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const output = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '(no log)';
    assert.equal(r.status, 0, `nvim exited ${r.status} ${r.signal ?? ''}\n${output}\n${r.stderr}`);
    assert.match(output, /PASS/);
    assert.match(output, /diagnostic 4:12 .* \[factorlint port-binding\/hardcoded-port\]/);
    assert.equal(fs.readFileSync(file, 'utf8'), "import express from 'express';\n\nconst app = express();\napp.listen(Number(process.env.PORT ?? 3000));\n");
    t.diagnostic(`nvim wall time ${wallMs.toFixed(0)} ms`);
    for (const line of output.trim().split('\n')) t.diagnostic(line);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
