/**
 * Real-editor test: Neovim 0.7 (headless) as the LSP client of the built server over stdio
 * (`server/test/nvim/init.lua` drives it): diagnostic → code action picked in Neovim's own
 * code-action UI (resolved by Neovim when offered without its edit, as fix-all is) → edit
 * applied and written → diagnostic cleared. Skipped, loudly, when `nvim` is not installed; CI installs Debian's `neovim`.
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
const skip = hasNvim ? false : 'nvim is not installed (apt-get install -y neovim); the real-editor tests are skipped';

interface Scenario {
  name: string;
  file: string;
  text: string;
  rule: string;
  action: string;
  expected: string;
  /** The diagnostic line as the driver logs it (1-based line:column). */
  logged: RegExp;
  /** `context.only` of the code-action request. */
  only?: string;
  /** Another line the driver must log. */
  alsoLogged?: RegExp;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'TS hardcoded port → quick fix',
    file: 'src/server.ts',
    text: "import express from 'express';\n\nconst app = express();\napp.listen(3000);\n",
    rule: 'port-binding/hardcoded-port',
    action: 'process.env.PORT',
    expected: "import express from 'express';\n\nconst app = express();\napp.listen(Number(process.env.PORT ?? 3000));\n",
    logged: /diagnostic 4:12 .* \[factorlint port-binding\/hardcoded-port\]/,
  },
  {
    name: 'Dockerfile shell-form CMD → exec form',
    file: 'Dockerfile',
    text: 'FROM node:22-slim\nWORKDIR /app\nCMD node dist/server.js\n',
    rule: 'disposability/shell-form-entrypoint',
    action: 'exec form',
    expected: 'FROM node:22-slim\nWORKDIR /app\nCMD ["node", "dist/server.js"]\n',
    logged: /diagnostic 3:\d+ .* \[factorlint disposability\/shell-form-entrypoint\]/,
  },
  {
    name: 'TS hardcoded port → disable for this line',
    file: 'src/main.ts',
    text: "import express from 'express';\nexport function start() {\n  express().listen(8080);\n}\n",
    rule: 'port-binding/hardcoded-port',
    action: 'Disable port-binding/hardcoded-port for this line',
    expected: "import express from 'express';\nexport function start() {\n  // factorlint-disable-next-line port-binding/hardcoded-port\n  express().listen(8080);\n}\n",
    logged: /diagnostic 3:\d+ /,
  },
  {
    name: 'TS fix-all (source.fixAll) offered without its edit, resolved by Neovim',
    file: 'src/server.ts',
    text: "import express from 'express';\n\nconst app = express();\napp.listen(3000);\n",
    rule: 'port-binding/hardcoded-port',
    only: 'source.fixAll.factorlint',
    action: 'Fix all safe factorlint problems',
    expected: "import express from 'express';\n\nconst app = express();\napp.listen(Number(process.env.PORT ?? 3000));\n",
    logged: /diagnostic 4:12 .* \[factorlint port-binding\/hardcoded-port\]/,
    alsoLogged: /code action: Fix all safe factorlint problems \(source\.fixAll\.factorlint\) edit=no/,
  },
  {
    name: 'Dockerfile fix-all resolved by Neovim',
    file: 'Dockerfile',
    text: 'FROM node:22-slim\nWORKDIR /app\nCMD node dist/server.js\n',
    rule: 'disposability/shell-form-entrypoint',
    only: 'source.fixAll.factorlint',
    action: 'Fix all safe factorlint problems',
    expected: 'FROM node:22-slim\nWORKDIR /app\nCMD ["node", "dist/server.js"]\n',
    logged: /diagnostic 3:\d+ .* \[factorlint disposability\/shell-form-entrypoint\]/,
    alsoLogged: /code action: Fix all safe factorlint problems \(source\.fixAll\.factorlint\) edit=no/,
  },
];

for (const scenario of SCENARIOS) {
  test(`neovim: ${scenario.name}`, { skip }, (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-nvim-'));
    try {
      const file = path.join(dir, scenario.file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const log = path.join(dir, 'nvim.log');
      fs.writeFileSync(file, scenario.text);
      const started = process.hrtime.bigint();
      const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', INIT_LUA], {
        env: { ...process.env, SERVER: SERVER_BIN, FILE: file, OUT: log, RULE: scenario.rule, ACTION: scenario.action, ...(scenario.only ? { ONLY: scenario.only } : {}), XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, XDG_STATE_HOME: dir },
        cwd: dir, timeout: 60_000, encoding: 'utf8',
      });
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const output = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '(no log)';
      assert.equal(r.status, 0, `nvim exited ${r.status} ${r.signal ?? ''}\n${output}\n${r.stderr}`);
      assert.match(output, /PASS/);
      assert.match(output, scenario.logged);
      if (scenario.alsoLogged) assert.match(output, scenario.alsoLogged);
      assert.equal(fs.readFileSync(file, 'utf8'), scenario.expected);
      t.diagnostic(`nvim wall time ${wallMs.toFixed(0)} ms`);
      for (const line of output.trim().split('\n')) t.diagnostic(line);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
