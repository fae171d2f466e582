#!/usr/bin/env node
'use strict';
/**
 * RSS/heap growth of the language server over many edits of one document (in-memory streams,
 * debounce 0 so every version is analysed and published). Needs `npx tsc -b` first.
 * Usage: node --expose-gc scripts/measure-lsp-memory.js [edits=10000]
 */
const path = require('node:path');
const { TestClient, waitFor } = require(path.join(__dirname, '..', 'out', 'server', 'test', 'support', 'lsp-client.js'));

const EDITS = Number(process.argv[2] ?? 10000);
const SRC = "import express from 'express';\nconst app = express();\napp.get('/', (_req, res) => res.send('ok'));\napp.listen(3000);\n";

function mb(n) { return (n / 1024 / 1024).toFixed(1); }
function sample() { global.gc?.(); const m = process.memoryUsage(); return { rss: m.rss, heap: m.heapUsed }; }

(async () => {
  const client = await TestClient.start({ folders: ['file:///tmp/mem'], settings: { debounceMs: 0 } });
  const uri = 'file:///tmp/mem/src/server.ts';
  await client.open(uri, 'typescript', SRC);
  await client.diagnosticsFor(uri, 1, 60000);
  // warm up, then measure
  for (let i = 0; i < 500; i++) { const v = await client.change(uri, SRC.replace('3000', String(3000 + (i % 50)))); await waitFor('publish', () => client.lastPublish(uri, v), 60000); }
  client.publishes.length = 0;
  const before = sample();
  const t0 = Date.now();
  for (let i = 0; i < EDITS; i++) {
    const v = await client.change(uri, SRC.replace('3000', String(3000 + (i % 50))));
    await waitFor('publish', () => client.lastPublish(uri, v), 60000);
    if (client.publishes.length > 100) { client.publishes.length = 0; client.statuses.length = 0; } // the test client's own logs must not grow
  }
  const after = sample();
  console.log(`${EDITS} edits (each analysed and published) in ${((Date.now() - t0) / 1000).toFixed(1)} s; RSS ${mb(before.rss)} → ${mb(after.rss)} MB, heap used ${mb(before.heap)} → ${mb(after.heap)} MB (client and server in one process)`);
  await client.dispose();
})().catch((error) => { console.error(error); process.exit(1); });
