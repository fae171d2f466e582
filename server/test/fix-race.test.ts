/**
 * `--fix` racing another writer (issue 13, break 1): on a few hundred files, the real CLI runs
 * `--fix` while another process rewrites random files (in place or by rename, at random moments).
 * Every file must end as untouched, correctly fixed, or the other process's version (fixed or
 * not) — never a fix computed from one version written into another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { CLI, runCli } from './support/cli-harness';

const FILES = 300;
const WINDOW_MS = 12_000;

function original(i: number): string {
  return `import express from 'express';\nconst app = express();\n${'// filler line\n'.repeat(10 + (i % 7))}app.listen(${3000 + i});\n`;
}
/** The other process's version: a line added on top, so every offset moves. */
function edited(i: number): string {
  return `// edited by the other process ${i}\n${original(i).replace('const app = express();', 'const app = express(); // tuned')}`;
}
const fixed = (text: string, i: number) => text.replace(`app.listen(${3000 + i})`, `app.listen(Number(process.env.PORT ?? ${3000 + i}))`);

function makeTree(dir: string): void {
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"svc","dependencies":{"express":"^4"}}');
  fs.mkdirSync(path.join(dir, 'src'));
  for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(dir, 'src', `m${i}.ts`), original(i));
}

/** The other process: writes each scheduled file's edited version at its moment. */
const EDITOR = `
const fs = require('node:fs');
const [dir, json] = process.argv.slice(1);
const started = Date.now();
for (const e of JSON.parse(json).sort((a, b) => a.at - b.at)) {
  while (Date.now() - started < e.at) { const w = Math.min(20, e.at - (Date.now() - started)); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(w, 1)); }
  const file = dir + '/src/m' + e.file + '.ts';
  if (e.rename) { fs.writeFileSync(file + '.editor', e.text); fs.renameSync(file + '.editor', file); }
  else fs.writeFileSync(file, e.text);
}
`;

function exit(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
}

test('the expected fixed texts are what --fix writes when nobody else writes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-race-ref-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"svc","dependencies":{"express":"^4"}}');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'm1.ts'), original(1));
    fs.writeFileSync(path.join(dir, 'src', 'm2.ts'), edited(2));
    runCli(dir, ['.', '--fix', '--fail-on', 'none', '--no-git']);
    assert.equal(fs.readFileSync(path.join(dir, 'src', 'm1.ts'), 'utf8'), fixed(original(1), 1));
    assert.equal(fs.readFileSync(path.join(dir, 'src', 'm2.ts'), 'utf8'), fixed(edited(2), 2));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// the timeout only turns a hung CLI into a failure (two bounded runs, each ≥ the editor's 12 s
// window): no speed bound, so a loaded 2-core CI machine does not fail it
test('--fix racing another writer: every file is untouched, fixed, or the other version — never a mix', { timeout: 600_000 }, async () => {
  const schedule = fc.uniqueArray(
    fc.record({ file: fc.integer({ min: 0, max: FILES - 1 }), at: fc.integer({ min: 0, max: WINDOW_MS }), rename: fc.boolean() }),
    { minLength: 60, maxLength: 90, selector: (e) => e.file },
  );
  await fc.assert(fc.asyncProperty(schedule, async (edits) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-race-'));
    try {
      makeTree(dir);
      const fixer = spawn(process.execPath, [CLI, dir, '--fix', '--fail-on', 'none', '--no-git'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      fixer.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      const editor = spawn(process.execPath, ['-e', EDITOR, dir, JSON.stringify(edits.map((e) => ({ ...e, text: edited(e.file) })))], { stdio: 'ignore' });
      const [fixerCode, editorCode] = await Promise.all([exit(fixer), exit(editor)]);
      assert.equal(editorCode, 0);
      assert.equal(fixerCode, 0, stderr);
      assert.doesNotMatch(stderr, /internal error/);
      let fixedCount = 0;
      for (let i = 0; i < FILES; i++) {
        const text = fs.readFileSync(path.join(dir, 'src', `m${i}.ts`), 'utf8');
        const allowed = [original(i), fixed(original(i), i), edited(i), fixed(edited(i), i)];
        assert.ok(allowed.includes(text), `m${i}.ts is a mix:\n${text}`);
        if (text === fixed(original(i), i) || text === fixed(edited(i), i)) fixedCount++;
      }
      assert.ok(fixedCount >= FILES - edits.length, `files nobody else touched are fixed (${fixedCount})`);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'src')).filter((n) => !/^m\d+\.ts$/.test(n)), [], 'no temp files left');
    } catch (error) {
      // fast-check reports the counterexample; say what broke too
      process.stderr.write(`fix-race: ${(error as Error).message.slice(0, 2000)}\n`);
      throw error;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }), { numRuns: 2, endOnFailure: true }); // no shrinking: each run costs seconds
});
