/**
 * First diagnostics first (issue 15): a document opened while the workspace index is being
 * built is analysed before and independently of it. On a large generated workspace whose index
 * is held at its start (the client does not answer its work-done progress request yet), the
 * opened file's publishDiagnostics arrives all the same — before the index's completion (its
 * progress `end`) — and producing it read none of the workspace's other source files (no walk
 * of the folder in front of the first diagnostic). Once the index is released and built, the
 * document is analysed again with the index's model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEditorProjectProvider } from '../src/host/editor-project-provider';
import { TestClient, waitFor } from './support/lsp-client';
// the module object itself (a namespace import is a read-only view): reads are counted on it
import fsModule = require('node:fs');

const GENERATED = 3000;

function largeWorkspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-first-diag-')));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'big', version: '1.0.0', main: 'src/main.ts', dependencies: { express: '^5.0.0' } }));
  fs.mkdirSync(path.join(dir, 'src', 'gen'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'main.ts'), "import express from 'express';\nconst app = express();\napp.listen(3000);\n");
  for (let i = 0; i < GENERATED; i++) {
    fs.writeFileSync(path.join(dir, 'src', 'gen', `m${i}.ts`), `import { helper } from './m${(i + 1) % GENERATED}';\nexport function f${i}(x: number): number { return helper(x) + ${i}; }\nexport const helper = (x: number) => x * 2;\n`);
  }
  return dir;
}

test('a file opened while the workspace is indexed gets its diagnostics first, without a walk of the folder', async () => {
  const dir = largeWorkspace();
  const folder = pathToFileURL(dir).href;
  const main = pathToFileURL(path.join(dir, 'src', 'main.ts')).href;
  // reads of this workspace only: a server of an earlier test, disposed but still winding down,
  // reads its own copy (the patch sees every read of the process)
  const generatedDir = path.join(dir, 'src', 'gen') + path.sep;
  const generatedReads: string[] = [];
  let firstPublishSeen = false;
  const realRead = fs.readFileSync;
  fsModule.readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (!firstPublishSeen && typeof p === 'string' && p.startsWith(generatedDir)) generatedReads.push(p);
    return (realRead as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof fs.readFileSync;
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  const client = await TestClient.start({ folders: [folder], workDoneProgress: true, holdProgressCreate: () => held, server: { workspaceIndex: true, project: (services) => createEditorProjectProvider(services) } });
  try {
    await client.open(main, 'typescript', fs.readFileSync(path.join(dir, 'src', 'main.ts'), 'utf8'));
    await waitFor('the first diagnostics of src/main.ts', () => client.publishes.some((p) => p.uri === main), 60_000);
    firstPublishSeen = true;
    const publishedAt = client.publishes.length;
    const endedBefore = client.progress.some((p) => p.value.kind === 'end');
    assert.equal(endedBefore, false, 'the index had not finished when the opened file got its diagnostics');
    assert.deepEqual(generatedReads.slice(0, 5), [], 'the first diagnostics read no other source file of the workspace');
    release();
    // the index finishes afterwards, and the open document is analysed again with its model
    await waitFor('the index to finish', () => client.progress.some((p) => p.value.kind === 'end'), 120_000);
    await waitFor('diagnostics of src/main.ts with the index model', () => client.publishes.slice(publishedAt).some((p) => p.uri === main), 60_000);
  } finally {
    release();
    fsModule.readFileSync = realRead;
    await client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the index pauses from a file\'s open to its diagnostics, its settings request included', async () => {
  const dir = largeWorkspace();
  const folder = pathToFileURL(dir).href;
  const main = pathToFileURL(path.join(dir, 'src', 'main.ts')).href;
  // reads of this workspace only: a server of an earlier test, disposed but still winding down,
  // reads its own copy (the patch sees every read of the process)
  const generatedDir = path.join(dir, 'src', 'gen') + path.sep;
  let generatedReads = 0;
  const realRead = fs.readFileSync;
  fsModule.readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (typeof p === 'string' && p.startsWith(generatedDir)) generatedReads++;
    return (realRead as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof fs.readFileSync;
  // the opened file's settings request is answered only when the test says so
  let readsWhenAsked: number | undefined;
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => { answer = resolve; });
  const holdConfiguration = (items: ReadonlyArray<{ scopeUri?: string }>) => {
    if (!items.some((i) => i.scopeUri === main)) return undefined;
    readsWhenAsked ??= generatedReads;
    return answered;
  };
  const client = await TestClient.start({ folders: [folder], holdConfiguration, server: { workspaceIndex: true, project: (services) => createEditorProjectProvider(services) } });
  try {
    // the index is reading the workspace's files when the file is opened
    await waitFor('the index to read files', () => generatedReads > 0, 60_000);
    await client.open(main, 'typescript', fs.readFileSync(path.join(dir, 'src', 'main.ts'), 'utf8'));
    await waitFor('the settings request of src/main.ts', () => readsWhenAsked !== undefined, 60_000);
    // 300 ms without an answer: the index, which reads a file in well under a millisecond, stays paused
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(generatedReads, readsWhenAsked, 'no file was indexed while the opened file waited for its settings');
    assert.equal(client.publishes.some((p) => p.uri === main), false);
    answer();
    await waitFor('the first diagnostics of src/main.ts', () => client.publishes.some((p) => p.uri === main), 60_000);
    // then the index goes on and ends
    await waitFor('the index to end', () => client.statuses.some((s) => s.workspace && !s.workspace.indexing), 120_000);
    assert.ok(generatedReads > readsWhenAsked!, 'the index went on after the diagnostics');
  } finally {
    answer();
    fsModule.readFileSync = realRead;
    await client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
