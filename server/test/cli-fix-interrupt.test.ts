/**
 * No data lost (issue 8): a `factorlint --fix` run killed at arbitrary moments leaves every
 * file either exactly as it was or exactly as fixed, never truncated or half-written, and no
 * temp files behind (the CLI writes a temp file in the same folder and renames it).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

const CLI = path.resolve(__dirname, '../src/cli.js');
const FILES = 300;

function source(i: number): string {
  // a big enough file that a write takes measurable time, with a safe fix (hardcoded port)
  return `import express from 'express';\nconst app = express();\n${'// filler line to make the file larger\n'.repeat(400)}app.listen(${3000 + i});\n`;
}

function makeTree(dir: string): void {
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"svc","dependencies":{"express":"^4"}}');
  fs.mkdirSync(path.join(dir, 'src'));
  for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(dir, 'src', `m${i}.ts`), source(i));
}

test('a --fix run killed mid-way leaves every file old or new, never truncated', { timeout: 180_000 }, async () => {
  // the fully fixed text of one file, from an uninterrupted run on a copy
  const reference = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-fix-ref-'));
  fs.writeFileSync(path.join(reference, 'package.json'), '{"name":"svc","dependencies":{"express":"^4"}}');
  fs.mkdirSync(path.join(reference, 'src'));
  fs.writeFileSync(path.join(reference, 'src', 'm0.ts'), source(0));
  spawnSync(process.execPath, [CLI, reference, '--fix', '--fail-on', 'none', '--no-git'], { encoding: 'utf8' });
  const fixed0 = fs.readFileSync(path.join(reference, 'src', 'm0.ts'), 'utf8');
  assert.notEqual(fixed0, source(0), 'the reference run fixes the file');
  const fixedFor = (i: number) => fixed0.replace('?? 3000', `?? ${3000 + i}`);

  // time an uninterrupted run on a full tree, then kill runs at points spread over its end,
  // where the writes happen (analysis comes first)
  const timing = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-fix-time-'));
  makeTree(timing);
  const started = Date.now();
  spawnSync(process.execPath, [CLI, timing, '--fix', '--fail-on', 'none', '--no-git'], { encoding: 'utf8' });
  const fullMs = Date.now() - started;
  fs.rmSync(timing, { recursive: true, force: true });
  let sawPartialRun = false;
  for (const fraction of [0.5, 0.7, 0.8, 0.88, 0.94, 0.98]) {
    const delayMs = Math.round(fullMs * fraction);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-fix-kill-'));
    makeTree(dir);
    const child = spawn(process.execPath, [CLI, dir, '--fix', '--fail-on', 'none', '--no-git'], { stdio: 'ignore' });
    // listen before waiting: a run may finish before the kill (then the kill is a no-op)
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    child.kill('SIGKILL');
    await exited;
    let changed = 0;
    for (let i = 0; i < FILES; i++) {
      const text = fs.readFileSync(path.join(dir, 'src', `m${i}.ts`), 'utf8');
      assert.ok(text === source(i) || text === fixedFor(i), `m${i}.ts is neither the original nor the fixed text (${text.length} chars) after a kill at ${delayMs} ms`);
      if (text !== source(i)) changed++;
    }
    if (changed > 0 && changed < FILES) sawPartialRun = true;
    const leftovers = fs.readdirSync(path.join(dir, 'src')).filter((f) => !/^m\d+\.ts$/.test(f));
    // a kill between writing the temp file and renaming it may leave one temp file, never a broken target
    assert.ok(leftovers.length <= 1, `temp files left behind: ${leftovers.join(', ')}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.rmSync(reference, { recursive: true, force: true });
  // not an assertion: on a very fast or very slow machine every kill may land before or after the writes
  if (!sawPartialRun) process.stdout.write('# note: no kill landed in the middle of the writes on this machine\n');
});
