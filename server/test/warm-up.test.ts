/**
 * The index's warm-up (issue 15, first diagnostics first): the compiler load and the sample
 * analyses of features/warm-up.ts run once, at the first build's start in a Node project
 * (before the index reads a single source file, so a TS file opened meanwhile finds them done),
 * never load the compiler in a workspace without TS/JS, fall back to the walk's first TS/JS
 * file when the folder's root has no package.json/tsconfig/jsconfig, publish nothing of their
 * own, and leave an opened file's diagnostics exactly as they are without a warm-up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEditorProjectProvider } from '../src/host/editor-project-provider';
import type { ServerOptions } from '../src/start-server';
import { TestClient, waitFor } from './support/lsp-client';
import { Analyzer, EMPTY_PROJECT_PROVIDER } from '../src/features/analysis';
import { warmUpTypescriptEdits } from '../src/features/warm-up';
import { statementMemoPaths, statementMemoStats } from '../src/engine/statement-memo';
import { tsParseCount } from '../src/parse/typescript';
// the module object itself (a namespace import is a read-only view): reads are counted on it
import fsModule = require('node:fs');

const MAIN = "import express from 'express';\nimport { helper } from '@acme/lib';\nconst app = express();\napp.get('/', (_q, r) => { console.log('hit'); r.json({ url: 'http://localhost:8080/x' }); });\napp.listen(3000);\n";

function workspace(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-wu-')));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function nodeProject(): string {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
    'packages/api/package.json': JSON.stringify({ name: '@acme/api', dependencies: { express: '^5.0.0' } }),
    'packages/api/src/main.ts': MAIN,
    'packages/lib/package.json': JSON.stringify({ name: '@acme/lib' }),
    'packages/api/Dockerfile': 'FROM node:20\nCMD npm start\n',
  };
  for (let i = 0; i < 40; i++) files[`packages/lib/src/gen/m${i}.ts`] = `export const v${i} = ${i};\n`;
  return workspace(files);
}

/** Counts reads of the generated files; `mark()` takes the count at a moment. */
function countGeneratedReads() {
  let reads = 0;
  const realRead = fs.readFileSync;
  fsModule.readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (typeof p === 'string' && p.includes(`${path.sep}gen${path.sep}`)) reads++;
    return (realRead as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof fs.readFileSync;
  return { get reads() { return reads; }, restore: () => { fsModule.readFileSync = realRead; } };
}

async function indexed(folderDir: string, server: ServerOptions, open?: { rel: string; languageId: string }) {
  const folder = pathToFileURL(folderDir).href;
  const client = await TestClient.start({ folders: [folder], server: { project: (services) => createEditorProjectProvider(services), ...server } });
  let opened: string | undefined;
  if (open) {
    opened = pathToFileURL(path.join(folderDir, open.rel)).href;
    await client.open(opened, open.languageId, fs.readFileSync(path.join(folderDir, open.rel), 'utf8'));
  }
  await waitFor('the index to end', () => client.statuses.some((s) => s.workspace && !s.workspace.indexing), 60_000);
  return { client, folder, opened };
}

test('the edit path\'s warm-up types into its sample as an editor does, one keystroke per step, and leaves nothing behind', () => {
  const analyzer = new Analyzer({ project: EMPTY_PROJECT_PROVIDER, onRuleError: (id) => { throw new Error(`${id} failed on the warm-up sample`); } });
  const steps = warmUpTypescriptEdits(analyzer, 'file:///warm-folder');
  const memos = statementMemoPaths().length;
  const parses = { ...tsParseCount };
  const before = { ...statementMemoStats };
  steps[0](); // the open
  const opened = { ...statementMemoStats };
  for (const step of steps.slice(1, -1)) step();
  // a cold parse, then one incremental reparse per keystroke: the path a user's typing takes
  assert.deepEqual({ full: tsParseCount.full - parses.full, incremental: tsParseCount.incremental - parses.incremental }, { full: 1, incremental: steps.length - 2 });
  assert.ok(opened.wholeRuns > before.wholeRuns, 'the open ran the statementwise rules whole');
  const kept = statementMemoStats.kept - opened.kept;
  const checked = statementMemoStats.checked - opened.checked;
  assert.ok(checked > 0 && kept > 5 * checked, `the keystrokes re-checked the statements they made and kept the others (${checked} checked, ${kept} kept)`);
  assert.ok(statementMemoStats.naming > opened.naming, 'a slash before a function made its locals top-level consts that kept statements name');
  assert.ok(statementMemoPaths().includes('/warm-folder/src/factorlint-warm-up-edits.ts'));
  steps[steps.length - 1]();
  assert.equal(statementMemoPaths().length, memos, 'the sample\'s memo is dropped');
  assert.equal(analyzer.peek('file:///warm-folder/src/factorlint-warm-up-edits.ts'), undefined, 'nothing cached');
});

test('in a Node project the compiler is warmed up once, before the index reads a source file; the warm-up publishes nothing', async () => {
  const dir = nodeProject();
  const counter = countGeneratedReads();
  const calls: number[] = [];
  try {
    const { client, opened } = await indexed(dir, { workspaceIndex: { warmUp: () => { calls.push(counter.reads); } } }, { rel: 'packages/api/src/main.ts', languageId: 'typescript' });
    try {
      await waitFor('diagnostics of main.ts', () => client.publishes.some((p) => p.uri === opened && p.diagnostics.length > 0), 60_000);
      assert.deepEqual(calls, [0], 'one warm-up, before any generated file was read');
      assert.ok(counter.reads > 0, 'the index read the generated files afterwards');
      const published = new Set(client.publishes.map((p) => p.uri));
      for (const uri of published) {
        assert.ok(fs.existsSync(new URL(uri)), `only real files get diagnostics, not a warm-up sample: ${uri}`);
      }
      assert.ok(![...published].some((u) => u.includes('factorlint-warm-up')));
    } finally {
      await client.dispose();
    }
  } finally {
    counter.restore();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a workspace without TS/JS never loads the compiler; one without a root package.json loads it at the walk\'s first TS file', async () => {
  const containers = workspace({ 'Dockerfile': 'FROM node:20\nCMD npm start\n', '.env': 'PORT=3000\n', 'compose.yaml': 'services:\n  api:\n    image: api\n' });
  const nested = workspace({ 'Dockerfile': 'FROM node:20\n', 'tools/sub/script.js': "console.log('x');\n" });
  try {
    let containerCalls = 0;
    const a = await indexed(containers, { workspaceIndex: { warmUp: () => { containerCalls++; } } });
    await a.client.dispose();
    assert.equal(containerCalls, 0, 'no TS/JS file: the compiler is not loaded');

    let nestedCalls = 0;
    const b = await indexed(nested, { workspaceIndex: { warmUp: () => { nestedCalls++; } } });
    await b.client.dispose();
    assert.equal(nestedCalls, 1, 'the first TS/JS file of the walk loads it, once');
  } finally {
    fs.rmSync(containers, { recursive: true, force: true });
    fs.rmSync(nested, { recursive: true, force: true });
  }
});

test('an opened file gets the same diagnostics with and without the warm-up', async () => {
  const dir = nodeProject();
  const targets = [{ rel: 'packages/api/src/main.ts', languageId: 'typescript' }, { rel: 'packages/api/Dockerfile', languageId: 'dockerfile' }];
  try {
    for (const target of targets) {
      const runs: unknown[] = [];
      for (const warm of [false, true]) {
        const { client, opened } = await indexed(dir, { workspaceIndex: warm ? { warmUp: () => undefined } : true }, target);
        try {
          // the file analysed with the index's model: a version sent after the index ended (waiting
          // 300 ms for the server's own re-analysis could, on a loaded machine, end first and take
          // the publish made before the model existed, or one still in flight from then)
          const version = await client.change(opened!, client.text(opened!));
          const diagnostics = await client.diagnosticsFor(opened!, version);
          assert.ok(diagnostics.length > 0, `${target.rel} has diagnostics`);
          runs.push(diagnostics.map((d) => ({ code: d.code, range: d.range, message: d.message, severity: d.severity })));
        } finally {
          await client.dispose();
        }
      }
      assert.deepEqual(runs[1], runs[0], `${target.rel}: identical diagnostics`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('after the warm-up, the first analysis of a file does not read the monorepo\'s package names (read once, before the open)', async () => {
  const dir = nodeProject();
  const main = path.join(dir, 'packages/api/src/main.ts');
  const readsOnPath: Record<string, number> = {};
  for (const warm of [false, true]) {
    let counting = false;
    let namesReads = 0;
    // reads of this server's index: those after its warm-up hook ran (a server of the loop's
    // previous round may still be reading when this one starts)
    let readsAfterWarmUp = warm ? -1 : 0;
    const realRead = fs.readFileSync;
    fsModule.readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (typeof p === 'string' && p.includes(`${path.sep}gen${path.sep}`)) {
        if (readsAfterWarmUp >= 0) readsAfterWarmUp++;
      }
      // reads made to list the monorepo's package names (ProjectFacts.workspacePackageNames)
      if (counting && typeof p === 'string' && p.endsWith('package.json') && /workspacePackageNames/.test(new Error().stack ?? '')) namesReads++;
      return (realRead as (...a: unknown[]) => unknown)(p, ...rest);
    }) as typeof fs.readFileSync;
    const client = await TestClient.start({
      folders: [pathToFileURL(dir).href],
      server: { workspaceIndex: warm ? { warmUp: () => { readsAfterWarmUp = 0; } } : true, project: (services) => createEditorProjectProvider(services) },
    });
    try {
      // the index reads source files only after its warm-up (the hook runs first, the TS sample next)
      await waitFor('the index to read files', () => readsAfterWarmUp > 0, 60_000);
      counting = true;
      const uri = pathToFileURL(main).href;
      await client.open(uri, 'typescript', realRead(main, 'utf8'));
      await waitFor('diagnostics of main.ts', () => client.publishes.some((p) => p.uri === uri && p.diagnostics.length > 0), 60_000);
      counting = false;
      readsOnPath[warm ? 'warm' : 'cold'] = namesReads;
    } finally {
      fsModule.readFileSync = realRead;
      await client.dispose();
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  assert.ok(readsOnPath.cold > 0, `without the warm-up the first analysis reads every workspace package's package.json (${readsOnPath.cold})`);
  assert.equal(readsOnPath.warm, 0, 'with it, none: they were read before the open');
});
