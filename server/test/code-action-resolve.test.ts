/**
 * `codeAction/resolve`: fix-all and "Extract to environment variable" are offered without their
 * edit to clients that resolve edits (VS Code, Neovim), and computed on resolve for the version
 * they were offered for. Counted, not timed: the lightbulb's request (no `only`) runs no rule
 * once the version is analysed; resolving gives the same edit an old client gets at once; a
 * resolve for a version the document has left gives no edit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node';
import type { Rule } from '../src/engine/types';
import { RULES } from '../src/rules/registry';
import { FIX_ALL_KIND } from '../src/protocol';
import { TestClient, type ClientOptions } from './support/lsp-client';

const WS = pathToFileURL(path.join(os.tmpdir(), 'factorlint-resolve-ws')).href;
const FILE = `${WS}/src/server.ts`;
const SRC = "import express from 'express';\nconst app = express();\nconst password = 'hunter2-correct-horse-battery';\napp.listen(3000);\napp.listen(8080);\n";
const FIXED = SRC.replace('listen(3000)', 'listen(Number(process.env.PORT ?? 3000))').replace('listen(8080)', 'listen(Number(process.env.PORT ?? 8080))');
const AT_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
/** Three characters into the `'hunter2…'` literal (line 2 opens it at character 17): "Extract to environment variable" is offered there. */
const IN_SECRET = { start: { line: 2, character: 20 }, end: { line: 2, character: 20 } };

/** Every rule of the registry, plus one that counts how often the rules run over the file. */
function countingRules(): { rules: Rule[]; runs: () => number } {
  let runs = 0;
  const counter: Rule = {
    meta: { id: 'config/run-counter', factor: 'config', severity: 'hint', description: 'counts runs', rationale: 'test', messages: {}, fix: 'none' },
    check: { ts: () => { runs++; } },
  };
  return { rules: [counter, ...RULES], runs: () => runs };
}

async function withClient(options: ClientOptions, body: (client: TestClient) => Promise<void>): Promise<void> {
  const client = await TestClient.start({ folders: [WS], ...options });
  try {
    await body(client);
  } finally {
    await client.dispose();
  }
}

function byKind(actions: CodeAction[], kind: string): CodeAction {
  const action = actions.find((a) => a.kind === kind);
  assert.ok(action, `no ${kind} among ${JSON.stringify(actions.map((a) => a.title))}`);
  return action;
}

test('the lightbulb request runs no rule: fix-all comes without its edit and resolve computes it', async () => {
  const { rules, runs } = countingRules();
  await withClient({ server: { rules } }, async (client) => {
    await client.open(FILE, 'typescript', SRC);
    const diagnostics = await client.diagnosticsFor(FILE, 1);
    const port = diagnostics.find((d) => d.code === 'port-binding/hardcoded-port')!;
    const analysed = runs();
    assert.ok(analysed >= 1);
    // as VS Code asks when the cursor or the diagnostics under it move: no `only`
    const offered = await client.codeActionsAsOffered(FILE, port.range, [port]);
    assert.equal(runs(), analysed, 'no analysis beyond the one of this version');
    const fixAll = byKind(offered, FIX_ALL_KIND);
    assert.equal(fixAll.edit, undefined);
    assert.deepEqual(fixAll.data, { uri: FILE, version: 1, fixAll: true });
    // quick fixes keep their edits: the analysis already holds them
    assert.ok(offered.filter((a) => a.kind === 'quickfix').every((a) => a.edit), 'quick fixes carry their edits');

    const resolved = await client.resolve(fixAll);
    assert.ok(runs() > analysed, 'resolve runs the fix-all passes');
    await client.apply(resolved.edit!);
    assert.equal(client.text(FILE), FIXED);
  });
});

test('an old client (no resolveSupport) gets every edit at once, and the same edits', async () => {
  const { rules, runs } = countingRules();
  const edits: Record<string, unknown> = {};
  for (const noResolve of [true, false]) {
    await withClient({ noResolve, server: noResolve ? { rules } : {} }, async (client) => {
      await client.open(FILE, 'typescript', SRC);
      const [port] = (await client.diagnosticsFor(FILE, 1)).filter((d) => d.code === 'port-binding/hardcoded-port');
      const before = runs();
      const offered = await client.codeActionsAsOffered(FILE, port.range, [port]);
      if (noResolve) {
        assert.ok(offered.every((a) => a.edit), 'every action carries its edit');
        assert.ok(runs() > before, 'the eager fix-all re-analyses (the cost resolve avoids)');
      }
      const fixAll = byKind(await client.codeActions(FILE, AT_START, [], [FIX_ALL_KIND]), FIX_ALL_KIND);
      const extract = byKind(await client.codeActions(FILE, IN_SECRET, [], ['refactor.extract']), 'refactor.extract');
      edits[String(noResolve)] = { fixAll: fixAll.edit, extract: { title: extract.title, edit: extract.edit } };
    });
  }
  assert.ok((edits.true as { fixAll: unknown }).fixAll);
  assert.deepEqual(edits.false, edits.true);
});

test('resolve for a version the document has left, or a closed document, gives no edit', async () => {
  await withClient({}, async (client) => {
    await client.open(FILE, 'typescript', SRC);
    await client.diagnosticsFor(FILE, 1);
    const fixAll = byKind(await client.codeActionsAsOffered(FILE, AT_START, [], [FIX_ALL_KIND]), FIX_ALL_KIND);
    const extract = byKind(await client.codeActionsAsOffered(FILE, IN_SECRET, [], ['refactor.extract']), 'refactor.extract');
    assert.equal(extract.edit, undefined);
    assert.deepEqual(extract.data, { uri: FILE, version: 1, extractAt: SRC.indexOf("'hunter2") + 3 });
    // still version 1: both resolve
    assert.ok((await client.resolve(fixAll)).edit);
    assert.ok((await client.resolve(extract)).edit);

    // typed a line above: the offsets of version 1 would now land elsewhere
    await client.change(FILE, `// moved\n${SRC}`);
    await client.diagnosticsFor(FILE, 2);
    assert.equal((await client.resolve(fixAll)).edit, undefined);
    assert.equal((await client.resolve(extract)).edit, undefined);

    // offered for version 2, document closed before the resolve
    const again = byKind(await client.codeActionsAsOffered(FILE, AT_START, [], [FIX_ALL_KIND]), FIX_ALL_KIND);
    assert.equal((again.data as { version: number }).version, 2);
    await client.close(FILE);
    assert.equal((await client.resolve(again)).edit, undefined);

    // an action that is not ours to resolve comes back as it was
    const foreign = { title: 'x', kind: 'quickfix', data: { something: 'else' } };
    assert.deepEqual(await client.resolve(foreign), foreign);
  });
});

test('extract on resolve gives no edit unless the literal there plans the refactoring offered', async () => {
  await withClient({}, async (client) => {
    await client.open(FILE, 'typescript', SRC);
    await client.diagnosticsFor(FILE, 1);
    const extract = byKind(await client.codeActionsAsOffered(FILE, IN_SECRET, [], ['refactor.extract']), 'refactor.extract');
    // same version, another title (as if the name were planned under other settings): no edit
    assert.equal((await client.resolve({ ...extract, title: 'Extract to environment variable SOMETHING_ELSE' })).edit, undefined);
  });
});

test('a stale diagnostic (older data.version) gets no quick fix', async () => {
  await withClient({}, async (client) => {
    await client.open(FILE, 'typescript', SRC);
    const [port] = (await client.diagnosticsFor(FILE, 1)).filter((d) => d.code === 'port-binding/hardcoded-port');
    await client.change(FILE, SRC.replace("'hunter2-correct-horse-battery'", 'process.env.PASSWORD'));
    await client.diagnosticsFor(FILE, 2);
    const stale: Diagnostic = { ...port, data: { version: 1 } };
    const actions = await client.codeActionsAsOffered(FILE, port.range, [stale], ['quickfix']);
    assert.deepEqual(actions, []);
  });
});
