/**
 * The first analysis of a file pays for code that runs for the first time: V8 compiles the
 * TypeScript parser's and the rules' functions lazily, the secret masker's regular expressions
 * on their first use, and the project facts of the folder (its package.json, the monorepo's
 * package names: one read per workspace package) are read on the first ask. Measured in the
 * real VS Code on the 14,852-file workspace, that was ~0.4 s of the first TS file's path,
 * beside the compiler's load. These steps do that work in the background, before a file is
 * opened: each analyses a small sample as if it were a file of the first workspace folder, with
 * the default configuration, and throws the findings away (nothing is published or cached).
 *
 * The caller runs the steps one at a time and yields to open documents between them (a step
 * is one block of work: an opened file waits at most for the step that is running).
 *
 * The edit path (an editor's open keeping the rules' findings per statement, the incremental
 * reparse, the statement index, the memos) is code an open does not run: in a fresh process the
 * first ten-odd keystrokes paid for V8 compiling it (the 5k-line bench file's first 13 edits:
 * 0.88 s of CPU in a fresh process). A service sample typed into, a keystroke per step, moves
 * part of that before the user's first keystroke. Without a workspace folder (no index, no walk)
 * the same steps run as idle work after the first TS/JS document (`start-server.ts`).
 */
import { DEFAULT_CONFIG } from '../engine/config';
import type { ParsedDocument } from '../engine/document';
import type { Analyzer } from './analysis';
import { DEFAULT_SETTINGS, type DocumentConfig } from './settings';

/** One of each construct the common TS rules look at: imports, env reads, a hardcoded port, a URL, logging. */
const TS_SAMPLE = [
  "import express from 'express';",
  "import { readFileSync } from 'node:fs';",
  'const app = express();',
  "const url = process.env.API_URL ?? 'http://localhost:8080/api';",
  "app.get('/health', (_req, res) => { console.log('health', url); res.json({ ok: true }); });",
  "export const config = JSON.parse(readFileSync('config.json', 'utf8'));",
  'app.listen(3000);',
  '',
].join('\n');

/** The container files a workspace's first open is as likely to be. */
const OTHER_SAMPLES: ReadonlyArray<{ name: string; languageId: string; text: string }> = [
  { name: 'Dockerfile', languageId: 'dockerfile', text: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nEXPOSE 3000\nCMD npm start\n' },
  { name: 'compose.yaml', languageId: 'yaml', text: 'services:\n  api:\n    build: .\n    ports:\n      - "3000:3000"\n    environment:\n      DATABASE_URL: postgres://app@db:5432/app\n' },
  { name: '.env', languageId: 'dotenv', text: 'PORT=3000\nLOG_LEVEL=info\n' },
];

/** A sample's place as if it were a file of the folder: its URI and the settings a file there gets by default. */
function samplePlace(folderUri: string, relativePath: string): { uri: string; cfg: DocumentConfig } {
  const folder = `${folderUri.replace(/\/$/, '')}/`;
  return { uri: `${folder}${relativePath}`, cfg: { settings: DEFAULT_SETTINGS, config: DEFAULT_CONFIG, folderUri: folder, relativePath } };
}

function analyzeSample(analyzer: Analyzer, folderUri: string, relativePath: string, languageId: string, text: string): void {
  const { uri, cfg } = samplePlace(folderUri, relativePath);
  analyzer.analyzeText(uri, text, languageId, cfg);
}

/** A service of ~200 lines (handlers reading env, calling other services, logging): what the edit steps type into. */
function editSample(): string {
  const out = ["import express from 'express';", "import { readFile } from 'node:fs/promises';", 'const app = express();', "const BASE = process.env.API_URL ?? 'http://localhost:8080';"];
  for (let i = 0; i < 24; i++) {
    out.push(
      `export async function handler${i}(req: { params: Record<string, string> }, res: { json(v: unknown): void }) {`,
      `  const id = req.params.id ?? '${i}';`,
      `  const result = await fetch(\`\${BASE}/items${i}/\${id}\`).then((r) => r.json());`,
      `  if (!result) { console.log('missing', id); }`,
      i % 6 === 0 ? `  const template = await readFile('templates/${i}.html', 'utf8');` : `  const count = Number(process.env.LIMIT_${i} ?? 10);`,
      '  res.json({ id, result });',
      '}',
      `app.get('/items${i}/:id', handler${i} as never);`,
    );
  }
  out.push('app.listen(Number(process.env.PORT ?? 3000));');
  return out.join('\n') + '\n';
}

/**
 * Keystroke `n`: a slash or a space at the start of one of a handler's lines (a slash before its
 * `export async function` makes its locals top-level consts for a keystroke, as typing does), then
 * letters in a string.
 */
function keystroke(text: string, n: number): string {
  let at = text.indexOf('export async function handler12(');
  for (let i = 0; i < n % 8; i++) at = text.indexOf('\n', at) + 1;
  if (n >= 14) at = text.indexOf("'missing", at) + 2; // inside the next log message
  const typed = n >= 14 ? 'x' : n % 2 ? ' ' : '/';
  return text.slice(0, at) + typed + text.slice(at);
}

/** Keystrokes the edit steps type: 20 took a 5k-line file's first 13 edits from 831 to 717 ms of CPU, for 0.21 s in the background (7 fresh processes). */
const WARM_UP_KEYSTROKES = 20;

/**
 * The edit path's steps (after the TS sample): an editor's open of the service sample, then one
 * keystroke per step, then the sample's memo dropped. Nothing is published or cached.
 */
export function warmUpTypescriptEdits(analyzer: Analyzer, folderUri: string): Array<() => void> {
  const { uri, cfg } = samplePlace(folderUri, 'src/factorlint-warm-up-edits.ts');
  let text = editSample();
  let previous: ParsedDocument | undefined;
  const steps: Array<() => void> = [() => { previous = analyzer.analyzeText(uri, text, 'typescript', cfg, {}).parsed; }];
  for (let n = 0; n < WARM_UP_KEYSTROKES; n++) {
    steps.push(() => {
      text = keystroke(text, n);
      previous = analyzer.analyzeText(uri, text, 'typescript', cfg, { previous }).parsed;
    });
  }
  steps.push(() => { previous = undefined; analyzer.forget(uri); });
  return steps;
}

/** Dockerfile, Compose and .env samples: no compiler needed. */
export function warmUpOtherKinds(analyzer: Analyzer, folderUri: string): void {
  for (const sample of OTHER_SAMPLES) analyzeSample(analyzer, folderUri, sample.name, sample.languageId, sample.text);
}

/** A TS sample (after the compiler is loaded), under `src/` as application code is. */
export function warmUpTypescript(analyzer: Analyzer, folderUri: string): void {
  analyzeSample(analyzer, folderUri, 'src/factorlint-warm-up.ts', 'typescript', TS_SAMPLE);
}
