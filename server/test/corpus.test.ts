/**
 * Every file of the shared corpus of real Dockerfiles and Compose files is analysed with
 * ALL registered rules: no rule may throw, and the whole run stays within a time bound.
 * The corpus lives beside the clone (`../shared/corpus`); the test is skipped without it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../src/engine/run';
import { RULES } from '../src/rules/registry';
import { cpuMsSince } from './support/cpu-time';

const CANDIDATES = [
  process.env.FACTORLINT_CORPUS,
  path.resolve(__dirname, '../../../../shared/corpus'), // <clone>/out/server/test → <clone>/../shared
  path.resolve(__dirname, '../../../../../shared/corpus'), // a worktree one level deeper (/work/wt/<branch>)
].filter((p): p is string => !!p);

const corpus = CANDIDATES.find((p) => fs.existsSync(p));
const PER_FILE_MS = 3000;
const TOTAL_MS = 30000;

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

test('every corpus file is analysed by every rule without a rule error, in bounded time', { skip: corpus ? false : `corpus folder not found (looked in ${CANDIDATES.join(', ')})` }, () => {
  const files = walk(corpus!).filter((f) => !f.endsWith('.md'));
  assert.ok(files.length > 0, 'empty corpus');
  const errors: string[] = [];
  const slow: string[] = [];
  let analysed = 0;
  const started = process.cpuUsage();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    // Compose files in the corpus do not all follow the naming convention (fleet-compose.yml, ci/base.yaml)
    const languageId = /\.ya?ml$/i.test(file) ? 'dockercompose' : undefined;
    const t0 = process.cpuUsage();
    const result = analyze({ path: file, text, languageId }, { rules: RULES, onRuleError: (id, p, e) => errors.push(`${id} on ${path.relative(corpus!, p)}: ${(e as Error).stack ?? String(e)}`) });
    const elapsed = cpuMsSince(t0);
    if (elapsed > PER_FILE_MS) slow.push(`${path.relative(corpus!, file)}: ${elapsed} ms of CPU`);
    if (!result.skipped) analysed++;
  }
  const total = cpuMsSince(started);
  assert.deepEqual(errors, [], 'rules threw on corpus files');
  assert.deepEqual(slow, [], `files taking more than ${PER_FILE_MS} ms of CPU`);
  assert.ok(total < TOTAL_MS, `corpus took ${total} ms of CPU (bound ${TOTAL_MS} ms)`);
  assert.ok(analysed > 0, 'no corpus file was analysed');
});
