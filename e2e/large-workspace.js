/**
 * A generated ~15,000-file workspace for the first-diagnostic measurement (issue 15): CI has no
 * bench corpus, so it is written from a few templates, in a couple of seconds. Shaped like a
 * monorepo: 300 library packages (package.json + 40 TS/JS modules each, 1–6 KB, importing each
 * other) and 30 services (package.json, Dockerfile, compose.yaml, .env.example, 80 route
 * modules and an Express entry point each). Every file is distinct text, so the workspace
 * index reads and parses each one as it would a real repository.
 *
 * One service carries the findings the measurement waits for:
 * `services/svc-07/src/main.ts` (`app.listen(3000)`: port-binding/hardcoded-port) and
 * `services/svc-07/Dockerfile` (`CMD npm start`, shell form: disposability/shell-form-entrypoint).
 *
 * Usage: node e2e/large-workspace.js <dir>  (prints the file count)
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const LIBRARIES = 300;
const MODULES_PER_LIBRARY = 40;
const SERVICES = 30;
const ROUTES_PER_SERVICE = 80;

/** The files the measurement opens, and the rule each must show first. */
const TARGETS = {
  ts: { path: 'services/svc-07/src/main.ts', rule: 'port-binding/hardcoded-port', languageId: 'typescript' },
  dockerfile: { path: 'services/svc-07/Dockerfile', rule: 'disposability/shell-form-entrypoint', languageId: 'dockerfile' },
};

function libraryModule(lib, i) {
  const next = `./m${(i + 1) % MODULES_PER_LIBRARY}`;
  const body = [];
  // 1–6 repetitions: module sizes of ~1 to ~6 KB, like real sources
  for (let r = 0; r <= (lib * 7 + i) % 6; r++) {
    body.push(`
/** Normalises a record of kind ${r} for package ${lib}. */
export function normalise${r}(input: Record<string, unknown>, depth = ${r}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    out[key.trim().toLowerCase()] = typeof value === 'string' ? value.trim() : value;
  }
  if (depth > ${r + 3}) throw new Error('too deep: ' + depth);
  return out;
}

export class Cache${r}<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();
  constructor(private readonly ttlMs = ${1000 * (r + 1)}) {}
  get(key: string): T | undefined {
    const hit = this.entries.get(key);
    return hit && Date.now() - hit.at < this.ttlMs ? hit.value : undefined;
  }
  set(key: string, value: T): void { this.entries.set(key, { value, at: Date.now() }); }
}
`);
  }
  return `import { helper${(i + 1) % MODULES_PER_LIBRARY} } from '${next}';\n\nexport const helper${i} = (x: number): number => helper${(i + 1) % MODULES_PER_LIBRARY}(x) + ${lib * 100 + i};\n${body.join('')}`;
}

function routeModule(svc, i) {
  return `import { Router } from 'express';
import { normalise0 } from '@acme/lib-${String((svc * 10 + i) % LIBRARIES).padStart(3, '0')}/src/m${i % MODULES_PER_LIBRARY}';

export const route${i} = Router();

route${i}.get('/items-${i}', async (req, res) => {
  const limit = Number(req.query.limit ?? 20);
  const items = Array.from({ length: Math.min(limit, 100) }, (_, n) => normalise0({ id: n, name: ' item ' + n }));
  res.json({ items, service: ${svc} });
});

route${i}.post('/items-${i}', async (req, res) => {
  const body = normalise0(req.body ?? {});
  if (!body.name) { res.status(400).json({ error: 'name is required' }); return; }
  res.status(201).json(body);
});
`;
}

function serviceMain(svc) {
  const routes = Array.from({ length: 5 }, (_, i) => `import { route${i} } from './routes/r${i}';`).join('\n');
  return `import express from 'express';
${routes}

const app = express();
app.use(express.json());
${Array.from({ length: 5 }, (_, i) => `app.use(route${i});`).join('\n')}

app.get('/healthz', (_req, res) => { res.json({ ok: true, service: ${svc} }); });

app.listen(3000);
`;
}

const DOCKERFILE = `FROM node:22-slim
WORKDIR /app
COPY package.json ./
RUN npm install --omit=dev
COPY . .
USER node
CMD npm start
`;

function write(root, rel, text, count) {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  count.n++;
}

/** Writes the workspace into `root` (created); returns the number of files written. */
function generateLargeWorkspace(root) {
  const count = { n: 0 };
  fs.mkdirSync(root, { recursive: true });
  write(root, 'package.json', JSON.stringify({ name: 'acme-monorepo', private: true, workspaces: ['packages/*', 'services/*'] }, null, 2) + '\n', count);
  write(root, '.gitignore', 'node_modules/\ndist/\ncoverage/\n', count);
  for (let lib = 0; lib < LIBRARIES; lib++) {
    const name = `lib-${String(lib).padStart(3, '0')}`;
    write(root, `packages/${name}/package.json`, JSON.stringify({ name: `@acme/${name}`, version: '1.0.0', main: 'src/index.ts' }, null, 2) + '\n', count);
    write(root, `packages/${name}/src/index.ts`, Array.from({ length: 5 }, (_, i) => `export * from './m${i}';`).join('\n') + '\n', count);
    for (let i = 0; i < MODULES_PER_LIBRARY - 1; i++) {
      // one module in eight is plain JavaScript (CommonJS), as in mixed repositories
      if (i % 8 === 7) write(root, `packages/${name}/src/m${i}.js`, `'use strict';\nconst { helper${(i + 1) % MODULES_PER_LIBRARY} } = require('./m${(i + 1) % MODULES_PER_LIBRARY}');\nmodule.exports.helper${i} = (x) => helper${(i + 1) % MODULES_PER_LIBRARY}(x) + ${i};\n`, count);
      else write(root, `packages/${name}/src/m${i}.ts`, libraryModule(lib, i), count);
    }
  }
  for (let svc = 0; svc < SERVICES; svc++) {
    const dir = `services/svc-${String(svc).padStart(2, '0')}`;
    write(root, `${dir}/package.json`, JSON.stringify({ name: `svc-${svc}`, version: '1.0.0', private: true, main: 'src/main.ts', scripts: { start: 'node dist/main.js' }, dependencies: { express: '^4.21.0' } }, null, 2) + '\n', count);
    write(root, `${dir}/Dockerfile`, DOCKERFILE, count);
    write(root, `${dir}/compose.yaml`, `services:\n  svc-${svc}:\n    build: .\n    ports:\n      - "${8000 + svc}:3000"\n    environment:\n      - LOG_LEVEL=info\n`, count);
    write(root, `${dir}/.env.example`, 'LOG_LEVEL=info\nPORT=3000\n', count);
    write(root, `${dir}/src/main.ts`, serviceMain(svc), count);
    for (let i = 0; i < ROUTES_PER_SERVICE; i++) write(root, `${dir}/src/routes/r${i}.ts`, routeModule(svc, i), count);
  }
  return count.n;
}

module.exports = { generateLargeWorkspace, TARGETS };

if (require.main === module) {
  const dir = path.resolve(process.argv[2] || 'large-workspace');
  const started = Date.now();
  const n = generateLargeWorkspace(dir);
  process.stdout.write(`${n} files in ${dir} (${Date.now() - started} ms)\n`);
}
