/**
 * One parse per document version in the language server, with the workspace index on: the
 * index takes an open document's model facts from the analyzer's parse of that version, and
 * republishing workspace findings keeps the parses (the base of the next incremental reparse).
 * Counted at the TS parse adapter (`tsParseCount`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsParseCount } from '../src/parse/typescript';
import { MODEL_DEBOUNCE_MS } from '../src/features/workspace-index';
import { createEditorProjectProvider } from '../src/host/editor-project-provider';
import { TestClient, waitFor } from './support/lsp-client';

const SERVER_SRC = [
  "import express from 'express';",
  'const app = express();',
  "app.get('/healthz', (_req, res) => res.send('ok'));",
  ...Array.from({ length: 200 }, (_v, i) => `export function handler${i}(x: number): number { return x + ${i}; }`),
  'app.listen(3000);',
  '',
].join('\n');

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'svc', version: '1.0.0', main: 'src/server.ts', dependencies: { express: '4.21.2' } }),
  'src/server.ts': SERVER_SRC,
  'src/other.ts': "export const other = process.env.OTHER ?? 'x';\n",
  Dockerfile: 'FROM node:22-slim\nEXPOSE 80\nCMD ["node", "src/server.js"]\n',
};

/** Diagnostics of the document's current version: published (push) or requested (pull). */
async function diagnose(client: TestClient, uri: string, pull: boolean): Promise<void> {
  if (!pull) {
    await client.diagnosticsFor(uri);
    return;
  }
  await client.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
}

const snapshot = () => ({ ...tsParseCount });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const pull of [false, true]) {
  test(`server (${pull ? 'pull' : 'push'} diagnostics, workspace index on): each edit of a TS document is parsed exactly once, incrementally`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-parse-once-'));
    for (const [rel, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    const uri = pathToFileURL(path.join(dir, 'src/server.ts')).href;
    const client = await TestClient.start({ pull, folders: [pathToFileURL(dir).href], server: { workspaceIndex: true, project: (services) => createEditorProjectProvider(services) } });
    try {
      await waitFor('the index', () => client.statuses.find((s) => s.workspace && !s.workspace.indexing));
      await client.open(uri, 'typescript', SERVER_SRC);
      await diagnose(client, uri, pull);
      await sleep(MODEL_DEBOUNCE_MS + 200); // the index has taken the opened version
      const before = snapshot();
      const edits = 5;
      let text = SERVER_SRC;
      for (let i = 1; i <= edits; i++) {
        // each edit changes a workspace fact (the port), so workspace findings are republished too
        text = text.replace(/app\.listen\(\d+\)/, `app.listen(${3000 + i})`);
        await client.change(uri, text);
        await diagnose(client, uri, pull);
        await sleep(MODEL_DEBOUNCE_MS + 200); // the index's debounced update of this version
        if (pull) await diagnose(client, uri, pull); // analysed again after the workspace findings changed
      }
      await sleep(300);
      const after = snapshot();
      assert.deepEqual({ full: after.full - before.full, incremental: after.incremental - before.incremental }, { full: 0, incremental: edits },
        'one incremental parse per version, shared by the rules and the workspace index');
    } finally {
      await client.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
