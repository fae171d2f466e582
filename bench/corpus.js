'use strict';
/**
 * The benchmark corpus: real TS/JS sources of the pinned packages in bench/node_modules
 * (declaration files excluded: factorlint does not analyse them), sampled deterministically,
 * plus generated realistic application modules. Texts are read once, before timing.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, 'node_modules');
const EXT = /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/;

function listSources(dir = ROOT, out = []) {
  let entries;
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) listSources(full, out);
    else if (e.isFile() && EXT.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name)) out.push(full);
  }
  return out;
}

/** A realistic Express service module with config, routes, logging and some violations. */
function applicationModule(i) {
  return `import express from 'express';
import session from 'express-session';
import { Pool } from 'pg';
import { logger } from './logger';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();
app.use(express.json());
app.use(session({ secret: process.env.SESSION_SECRET ?? '', resave: false, saveUninitialized: false }));

export interface Order${i} { id: string; total: number; items: Array<{ sku: string; qty: number }> }

app.get('/orders/:id', async (req, res) => {
  const { rows } = await pool.query('select * from orders where id = $1', [req.params.id]);
  if (rows.length === 0) return res.status(404).json({ error: 'not found' });
  logger.info({ id: req.params.id }, 'order read');
  res.json(rows[0] as Order${i});
});

app.post('/orders', async (req, res) => {
  const total = (req.body.items as Order${i}['items']).reduce((sum, it) => sum + it.qty, 0);
  const { rows } = await pool.query('insert into orders(total) values ($1) returning id', [total]);
  console.log('created order', rows[0].id);
  res.status(201).json({ id: rows[0].id, total });
});

app.get('/health', (_req, res) => res.json({ ok: true }));

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(${i % 5 === 0 ? 3000 + i : 'port'}, () => logger.info({ port }, 'listening'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
`;
}

/**
 * Loads `count` files: real sources sampled evenly over the sorted list, and `generated`
 * application modules. Returns [{ path, text, bytes }]; `path` is a virtual app path so that
 * app-only rules run too (the real paths are under node_modules, which is not app code).
 */
function loadCorpus({ count = 3000, generated = 200 } = {}) {
  const all = listSources();
  if (all.length === 0) throw new Error('bench corpus missing: run `npm install --prefix bench` (npm run bench does it)');
  const step = Math.max(1, all.length / count);
  const files = [];
  for (let k = 0; k < count && Math.floor(k * step) < all.length; k++) {
    const real = all[Math.floor(k * step)];
    const text = fs.readFileSync(real, 'utf8');
    const ext = path.extname(real);
    // nested node_modules folders renamed: ESLint ignores them by default and factorlint treats
    // them as dependencies, so either tool would silently skip the file
    const rel = path.relative(ROOT, real).replace(/[^\w./-]/g, '_').replace(/(^|\/)node_modules\//g, '$1node_modules_/').replace(/\.[^.]+$/, '');
    files.push({ path: `/bench/src/${rel}${ext}`, realPath: real, text, bytes: Buffer.byteLength(text) });
  }
  for (let i = 0; i < generated; i++) {
    const text = applicationModule(i);
    files.push({ path: `/bench/src/generated/orders-${i}.ts`, text, bytes: Buffer.byteLength(text) });
  }
  return { files, available: all.length };
}

/** Real Dockerfiles and Compose files of shared/corpus, replicated to `copies` for stable timings. */
function loadContainerCorpus(copies = 20) {
  // shared/corpus next to the checkout (or a worktree's parent checkouts): walk up to find it
  let base = process.env.FACTORLINT_CONTAINER_CORPUS;
  for (let dir = path.resolve(__dirname, '..'); !base; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'shared', 'corpus'))) base = path.join(dir, 'shared', 'corpus');
    else if (path.dirname(dir) === dir) base = path.resolve(__dirname, '../../shared/corpus');
  }
  const { classifyKind } = require('../out/server/src/engine/classify.js');
  const found = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else { const k = classifyKind(full); if (k && (k.kind === 'dockerfile' || k.kind === 'compose')) found.push({ path: full, kind: k.kind, text: fs.readFileSync(full, 'utf8') }); }
    }
  };
  if (fs.existsSync(base)) walk(base);
  const out = [];
  for (let c = 0; c < copies; c++) for (const f of found) out.push({ ...f, bytes: Buffer.byteLength(f.text) });
  return out;
}

module.exports = { loadCorpus, loadContainerCorpus, listSources };
