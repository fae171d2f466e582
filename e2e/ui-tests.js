/**
 * Playwright UI tests for what the extension API cannot see: the Problems panel rows, the
 * quick-fix menu, and the report webview's rendering. They run against the INSTALLED .vsix
 * (no extensionDevelopmentPath) and save screenshots for a human to look at.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

async function step(results, name, fn) {
  const start = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - start });
    return true;
  } catch (error) {
    results.push({ name, ok: false, ms: Date.now() - start, error: String(error && error.message || error).split('\n').slice(0, 6).join('\n      ') });
    return false;
  }
}

async function quickOpen(page, file) {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(file);
  await page.waitForSelector(`.quick-input-list .monaco-list-row >> text=${path.basename(file)}`, { state: 'visible' });
  await page.keyboard.press('Enter');
}

async function runCommand(page, title) {
  await page.keyboard.press('Control+Shift+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(title);
  await page.waitForSelector(`.quick-input-list .monaco-list-row >> text=${title.split(': ')[1]}`, { state: 'visible' });
  await page.keyboard.press('Enter');
}

async function runUiTests(ctx, { host, workspace, shots }) {
  const results = [];
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`http://${host}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row >> text=compose.yaml', { timeout: 60_000 });

  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'hardcoded port 3000' });
  const problemsOk = await step(results, 'Problems panel lists factorlint findings', async () => {
    await quickOpen(page, 'src/server.ts');
    await page.waitForSelector('.editor-instance .view-lines >> text=app.listen(3000)');
    await page.waitForSelector('.editor-instance .squiggly-warning');
    await page.keyboard.press('Control+Shift+M');
    await row.first().waitFor();
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'hardcoded secret' }).first().waitFor();
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
      try { await item.first().waitFor({ timeout: 3000 }); break; } catch (error) { if (attempt >= 5) throw error; await page.keyboard.press('Escape'); }
    }
    await page.screenshot({ path: path.join(shots, '02-quick-fix-menu.png') });
    await item.first().click();
    await page.waitForSelector('.editor-instance .view-lines >> text=process.env.PORT');
    await row.first().waitFor({ state: 'detached' });
    await page.keyboard.press('Control+S');
  });

  await step(results, 'the factor report renders the fifteen factors and opens a finding', async () => {
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
  return results;
}

module.exports = { runUiTests };
