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
 */
import { DEFAULT_CONFIG } from '../engine/config';
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

function sampleConfig(folderUri: string, relativePath: string): DocumentConfig {
  return { settings: DEFAULT_SETTINGS, config: DEFAULT_CONFIG, folderUri: `${folderUri.replace(/\/$/, '')}/`, relativePath };
}

function analyzeSample(analyzer: Analyzer, folderUri: string, relativePath: string, languageId: string, text: string): void {
  const uri = `${folderUri.replace(/\/$/, '')}/${relativePath}`;
  analyzer.analyzeText(uri, text, languageId, sampleConfig(folderUri, relativePath));
}

/** Dockerfile, Compose and .env samples: no compiler needed. */
export function warmUpOtherKinds(analyzer: Analyzer, folderUri: string): void {
  for (const sample of OTHER_SAMPLES) analyzeSample(analyzer, folderUri, sample.name, sample.languageId, sample.text);
}

/** A TS sample (after the compiler is loaded), under `src/` as application code is. */
export function warmUpTypescript(analyzer: Analyzer, folderUri: string): void {
  analyzeSample(analyzer, folderUri, 'src/factorlint-warm-up.ts', 'typescript', TS_SAMPLE);
}
