/**
 * Playwright UI tests for what the extension API cannot see: the Problems panel rows, the
 * quick-fix menu, and the report webview's rendering. They run against the INSTALLED .vsix
 * (no extensionDevelopmentPath) and save screenshots for a human to look at.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The window of the runner in progress, for a screenshot of a failed step: { page, shots }. */
let failureScreen;

async function step(results, name, fn) {
  const start = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - start });
    return true;
  } catch (error) {
    // what the window showed when the step gave up: a timeout says what was missing, not what was there
    const shot = failureScreen && path.join(failureScreen.shots, `failed-${name.replace(/[^\w]+/g, '-').slice(0, 60)}.png`);
    if (shot) await failureScreen.page.screenshot({ path: shot }).catch(() => undefined);
    results.push({ name, ok: false, ms: Date.now() - start, error: String(error && error.message || error).split('\n').slice(0, 6).join('\n      ') + (shot ? `\n      (screenshot ${path.basename(shot)})` : '') });
    return false;
  }
}

async function quickOpen(page, file) {
  // a file written a moment ago reaches Quick Open's file search only after the watcher sees it:
  // ask again (a fresh query) instead of waiting on a result list that will not change
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(file);
    try {
      await page.waitForSelector(`.quick-input-list .monaco-list-row >> text=${path.basename(file)}`, { state: 'visible', timeout: attempt < 6 ? 5000 : 30000 });
      break;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (attempt >= 6) throw error;
    }
  }
  await page.keyboard.press('Enter');
}

async function runCommand(page, title) {
  await page.keyboard.press('Control+Shift+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(title);
  await page.waitForSelector(`.quick-input-list .monaco-list-row >> text=${title.split(': ')[1]}`, { state: 'visible' });
  await page.keyboard.press('Enter');
}

/** Opens a file by clicking its (visible) row in the Explorer: no keyboard focus needed. */
async function openFromExplorer(page, name) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.tab.active', { hasText: name }).first().waitFor();
}

/**
 * Shows the Problems panel with `text` in its filter. Each step waits for the workbench: keys
 * sent blind (Ctrl+Shift+M, Ctrl+F, Ctrl+A, Backspace) reach whatever has the focus when the
 * panel is slow to open on a loaded machine, e.g. the editor, whose text they then select and
 * delete; and Ctrl+Shift+M closes the panel when the Problems view already has the focus.
 */
async function showProblems(page, text) {
  await runCommand(page, 'View: Focus on Problems View');
  await page.locator('.markers-panel').first().waitFor();
  await page.locator('.part.panel .viewpane-filter-container input:visible').first().fill(text);
}

async function clearProblemsFilter(page) {
  await showProblems(page, '');
}

/** Waits for a hover (the workbench's or the editor's) holding `text`. */
function hoverWith(page, text) {
  return page.locator('.workbench-hover, .monaco-hover', { hasText: text }).first();
}

async function runUiTests(ctx, { host, workspace, shots }) {
  const results = [];
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(30_000);
  failureScreen = { page, shots };
  await page.goto(`http://${host}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row >> text=compose.yaml', { timeout: 60_000 });

  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'hardcoded port 3000' });
  const problemsOk = await step(results, 'Problems panel lists factorlint findings', async () => {
    await quickOpen(page, 'src/server.ts');
    await page.waitForSelector('.editor-instance .view-lines >> text=app.listen(3000)');
    await page.waitForSelector('.editor-instance .squiggly-warning');
    await showProblems(page, '');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'hardcoded secret' }).first().waitFor();
    // scope workspace lists every file's findings: filter to the port 3000 row (it may be scrolled out of view)
    await showProblems(page, '3000');
    await row.first().waitFor();
    const text = await row.first().innerText();
    if (!/factorlint/.test(text) || !/port-binding\/hardcoded-port/.test(text)) throw new Error(`unexpected row: ${text}`);
    await page.screenshot({ path: path.join(shots, '01-problems-panel.png') });
  });

  await step(results, 'quick-fix menu offers and applies the fix', async () => {
    if (!problemsOk) throw new Error('skipped: the Problems panel test failed');
    await row.first().dblclick();
    await page.locator('.statusbar-item', { hasText: /Ln 11, Col \d+/ }).first().waitFor({ timeout: 10_000 }); // app.listen(3000) in src/server.ts
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Read the port from process.env.PORT' });
    for (let attempt = 1; ; attempt++) { // Ctrl+. can be swallowed while focus moves: retry
      await page.keyboard.press('Control+Period');
      try { await item.first().waitFor({ timeout: 8000 }); break; } catch (error) { if (attempt >= 5) throw error; await page.keyboard.press('Escape'); }
    }
    await page.screenshot({ path: path.join(shots, '02-quick-fix-menu.png') });
    await item.first().click();
    await page.waitForSelector('.editor-instance .view-lines >> text=process.env.PORT');
    await row.first().waitFor({ state: 'detached' });
    await page.keyboard.press('Control+S');
  });

  await step(results, 'the factor report renders the fifteen factors and opens a finding', async () => {
    await clearProblemsFilter(page);
    await quickOpen(page, 'compose.yaml');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'JWT_SECRET' }).first().waitFor();
    await runCommand(page, 'factorlint: Show Factor Report');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('h1', { hasText: 'Factor report' }).waitFor();
    const sections = await frame.locator('details.factor').count();
    if (sections !== 15) throw new Error(`${sections} factor sections`);
    const configSection = frame.locator('details#factor-config');
    await configSection.locator('li.finding', { hasText: 'compose.yaml' }).first().waitFor();
    await page.screenshot({ path: path.join(shots, '03-factor-report.png') });
    await configSection.locator('li.finding a', { hasText: 'compose.yaml' }).first().click();
    await page.locator('.tab.active', { hasText: 'compose.yaml' }).first().waitFor();
    await page.locator('.statusbar-item', { hasText: /Ln 6, Col \d+/ }).first().waitFor({ timeout: 10_000 });
  });
  await step(results, 'the report\'s "Fix all safe problems" fixes one rule in every file', async () => {
    await runCommand(page, 'factorlint: Show Factor Report');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const portSection = frame.locator('details#factor-port-binding');
    const button = portSection.locator('button.fix-all');
    await button.first().waitFor();
    await button.first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, '05-report-fix-all.png') });
    await button.first().click();
    // the files are fixed and saved; the report re-renders without the rule's findings
    await portSection.locator('.rule-id', { hasText: 'port-binding/hardcoded-port' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    const admin = fs.readFileSync(path.join(workspace, 'src', 'admin.ts'), 'utf8');
    if (!/process\.env\.PORT/.test(admin)) throw new Error(`src/admin.ts not fixed on disk:\n${admin}`);
    await page.screenshot({ path: path.join(shots, '06-report-after-fix-all.png') });
  });
  await step(results, 'the getting-started walkthrough is contributed', async () => {
    await page.keyboard.press('Control+Shift+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type('Welcome: Open Walkthrough');
    await page.waitForSelector('.quick-input-list .monaco-list-row >> text=Open Walkthrough', { state: 'visible' });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-list .monaco-list-row >> text=Get started with factorlint', { state: 'visible' });
    await page.keyboard.type('factorlint');
    await page.keyboard.press('Enter');
    await page.locator('.gettingStartedContainer', { hasText: 'What factorlint checks' }).first().waitFor();
    await page.locator('.gettingStartedContainer', { hasText: 'Open the factor report' }).first().waitFor();
    await page.screenshot({ path: path.join(shots, '04-walkthrough.png') });
  });
  await step(results, 'Explain File shows the role, the evidence, the config and the rules', async () => {
    await openFromExplorer(page, 'server.ts'); // the walkthrough may hold the keyboard focus
    await runCommand(page, 'factorlint: Explain File');
    await page.locator('.editor-instance .view-lines', { hasText: 'Rules that run on this file' }).first().waitFor();
    await page.screenshot({ path: path.join(shots, '08-explain-file.png') });
  });
  await step(results, 'the status bar count says what it counts: tooltip with per-factor numbers, the file\'s role, report link', async () => {
    await openFromExplorer(page, 'server.ts');
    const item = page.locator('.statusbar-item', { hasText: /12f \d+/ }).first();
    await item.waitFor();
    for (let attempt = 1; ; attempt++) { // the hover needs the pointer to rest; re-hover if it did not show
      await page.mouse.move(700, 300);
      await item.hover();
      try { await hoverWith(page, 'By factor').waitFor({ timeout: 4000 }); break; } catch (error) { if (attempt >= 4) throw error; }
    }
    const tip = await hoverWith(page, 'By factor').innerText();
    if (!/the factor report's total/.test(tip) || !/This file \(src\/server\.ts\): server/.test(tip)) throw new Error(`tooltip: ${tip}`);
    await page.screenshot({ path: path.join(shots, '07-status-tooltip.png') });
    await page.mouse.move(700, 300);
  });
  await step(results, 'the output channel shows the server log', async () => {
    await runCommand(page, 'factorlint: Show Output Channel');
    const output = page.locator('.part.panel .view-lines').first();
    await output.waitFor();
    await output.click();
    await page.keyboard.press('Control+Home'); // the first lines: versions and folders
    await page.locator('.part.panel .view-lines', { hasText: 'language server' }).first().waitFor();
    await page.locator('.part.panel .view-lines', { hasText: 'workspace folders' }).first().waitFor();
    await page.screenshot({ path: path.join(shots, '09-output-channel.png') });
  });
  await step(results, 'a broken .factorlintrc.json is underlined where the mistake is', async () => {
    const rc = path.join(workspace, '.factorlintrc.json');
    fs.writeFileSync(rc, '{\n  "rules": {\n    "port-binding/hardcoded-prot": "off"\n  },\n  "ignore": ["generated/**"]\n}\n');
    try {
      await quickOpen(page, '.factorlintrc.json');
      await page.waitForSelector('.editor-instance .squiggly-error');
      await showProblems(page, 'factorlintrc');
      await page.locator('.markers-panel .monaco-list-row', { hasText: "did you mean 'port-binding/hardcoded-port'" }).first().waitFor();
      await page.screenshot({ path: path.join(shots, '10-config-error.png') });
    } finally {
      await clearProblemsFilter(page);
      fs.rmSync(rc, { force: true });
    }
  });
  await step(results, 'a JavaScript file offers the env snippet; accepting it declares the names in .env.example', async () => {
    await quickOpen(page, 'src/boot.js');
    await page.waitForSelector('.editor-instance .view-lines >> text=server.listen');
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('12f-con');
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: '12f-config' }).first();
    try { await suggestion.waitFor({ timeout: 5000 }); } catch { await page.keyboard.press('Control+Space'); await suggestion.waitFor(); }
    await page.screenshot({ path: path.join(shots, '11-js-snippet-completion.png') });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.editor-instance .view-lines >> text=module.exports.config = config;');
    const example = path.join(workspace, '.env.example');
    for (let i = 0; i < 100 && !fs.existsSync(example); i++) await page.waitForTimeout(100);
    const text = fs.existsSync(example) ? fs.readFileSync(example, 'utf8') : '(missing)';
    if (text !== 'DATABASE_URL=\nLOG_LEVEL=\n') throw new Error(`.env.example: ${JSON.stringify(text)}`);
    await page.keyboard.press('Escape');
    // the index re-reads .env.example (watched) and the edited file: the undeclared finding, if it showed, goes
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'LOG_LEVEL is read here' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    await page.screenshot({ path: path.join(shots, '12-js-snippet-inserted.png') });
  });
  return results;
}

/** Two service folders and a `.code-workspace` naming them; each has a hardcoded port. */
function writeTwoFolderWorkspace(dir) {
  const service = (name, port) => ({
    'package.json': JSON.stringify({ name, version: '1.0.0', main: 'src/server.js', dependencies: { express: '4.21.2' } }),
    'src/server.js': `import express from 'express';\nconst app = express();\napp.listen(${port});\n`,
  });
  const files = { orders: service('orders', 3000), billing: { ...service('billing', 4000), Dockerfile: 'FROM node\nCMD npm start\n' } };
  for (const [folder, entries] of Object.entries(files)) {
    for (const [rel, text] of Object.entries(entries)) {
      fs.mkdirSync(path.dirname(path.join(dir, folder, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, folder, rel), text);
    }
  }
  const workspaceFile = path.join(dir, 'two.code-workspace');
  fs.writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'orders' }, { path: 'billing' }] }));
  return workspaceFile;
}

/**
 * Multi-root: the factor report is the active file's folder's (not always the first folder's),
 * its tab names that folder, and its "Fix all" fixes only that folder.
 */
async function runMultiRootTests(ctx, { host, dir, shots }) {
  const results = [];
  const workspaceFile = writeTwoFolderWorkspace(dir);
  const page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
  failureScreen = { page, shots };
  try {
    await page.goto(`http://${host}/?workspace=${encodeURIComponent(workspaceFile)}`);
    try {
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await page.waitForSelector('.explorer-folders-view .monaco-list-row >> text=billing', { timeout: 60_000 });
    } catch (error) {
      // once in a CI run the window never listed its folders: keep what it showed instead
      const shot = path.join(shots, '13-multiroot-not-loaded.png');
      await page.screenshot({ path: shot }).catch(() => undefined);
      throw new Error(`the two-folder window did not list its folders (screenshot ${shot}): ${error && error.message}`);
    }
    await step(results, 'multi-root: the report shows the active file\'s folder and "Fix all" fixes only that folder', async () => {
      await quickOpen(page, 'Dockerfile'); // only billing has one
      await page.locator('.tab.active', { hasText: 'Dockerfile' }).first().waitFor();
      // as a user would: the file's problems are underlined before the report is asked for
      await page.locator('.editor-instance .squiggly-warning, .editor-instance .squiggly-info').first().waitFor();
      await runCommand(page, 'factorlint: Show Factor Report');
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await frame.locator('h1', { hasText: 'Factor report' }).waitFor();
      await page.locator('.tab.active', { hasText: 'Factor Report (billing)' }).first().waitFor();
      const port = frame.locator('details#factor-port-binding');
      // billing's own finding (port 4000) is listed, orders' (port 3000) is not
      await port.locator('li.finding', { hasText: 'hardcoded port 4000' }).first().waitFor();
      const ordersRows = await port.locator('li.finding', { hasText: 'hardcoded port 3000' }).count();
      if (ordersRows !== 0) throw new Error(`the billing report lists ${ordersRows} finding(s) of orders`);
      await page.screenshot({ path: path.join(shots, '13-multiroot-report.png') });
      await port.locator('button.fix-all').first().click();
      await port.locator('.rule-id', { hasText: 'port-binding/hardcoded-port' }).first().waitFor({ state: 'detached', timeout: 30_000 });
      const read = (folder) => fs.readFileSync(path.join(dir, folder, 'src', 'server.js'), 'utf8');
      for (let i = 0; i < 50 && !/process\.env\.PORT/.test(read('billing')); i++) await page.waitForTimeout(100);
      if (!/process\.env\.PORT/.test(read('billing'))) throw new Error(`billing/src/server.js not fixed:\n${read('billing')}`);
      if (read('orders') !== "import express from 'express';\nconst app = express();\napp.listen(3000);\n") throw new Error(`orders/src/server.js changed:\n${read('orders')}`);
    });
  } finally {
    await page.close();
  }
  return results;
}

module.exports = { runUiTests, runMultiRootTests };
