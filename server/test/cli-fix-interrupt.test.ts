/**
 * No data lost (issue 8): a `factorlint --fix` run killed at arbitrary moments leaves every
 * file either exactly as it was or exactly as fixed, never truncated or half-written, and no
 * temp files behind (the CLI writes a temp file in the same folder and renames it).
 *
 * The kills are aimed, not timed: the test watches the folder and SIGKILLs the run after it
 * has seen the run's k-th rename onto a source file, so every kill lands inside the write
 * phase on any machine, however loaded (the earlier version timed a whole run first and
 * killed at guessed fractions of it: eight runs over 300 files, and on a busy machine its
 * kills could all miss the writes). At least one run must be caught part-way (some files
 * fixed, some not), or the test has not exercised an interruption at all.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

const CLI = path.resolve(__dirname, '../src/cli.js');
const FILES = 120;
/** Kill after this many completed writes: the first, early, and late in the write phase. */
const KILL_AFTER_WRITES = [1, 30, 90];
/** More runs killed at the first write, when no run above was caught part-way (a stalled test process). */
const RETRIES = 2;
/**
 * The runs are bounded (each ends or is killed), so the test's timeout only turns a hung CLI into
 * a failure: it is no speed bound. Four CLI runs over 120 files took over 180 s (the old bound)
 * on a 2-core machine under load, all three kills landing as designed.
 */
const HANG_GUARD_MS = 600_000;

function source(i: number): string {
  // a big enough file that a write takes measurable time, with a safe fix (hardcoded port)
  return `import express from 'express';\nconst app = express();\n${'// filler line to make the file larger\n'.repeat(400)}app.listen(${3000 + i});\n`;
}

function makeTree(dir: string, files: number): void {
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"svc","dependencies":{"express":"^4"}}');
  fs.mkdirSync(path.join(dir, 'src'));
  for (let i = 0; i < files; i++) fs.writeFileSync(path.join(dir, 'src', `m${i}.ts`), source(i));
}

/** Runs `--fix` on `dir` and SIGKILLs it once `writes` source files have been renamed into place. */
async function killAfterWrites(dir: string, writes: number): Promise<void> {
  const src = path.join(dir, 'src');
  let seen = 0;
  const child = spawn(process.execPath, [CLI, dir, '--fix', '--fail-on', 'none', '--no-git'], { stdio: 'ignore' });
  // listen before anything else: a run may finish before the kill (then the kill is a no-op)
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // a rename onto `mN.ts` is one completed write (temp file names start with a dot)
  const watcher = fs.watch(src, (event, name) => {
    if (event === 'rename' && typeof name === 'string' && /^m\d+\.ts$/.test(name) && ++seen === writes) child.kill('SIGKILL');
  });
  try {
    await exited;
  } finally {
    watcher.close();
  }
}

test('a --fix run killed mid-way leaves every file old or new, never truncated', { timeout: HANG_GUARD_MS }, async () => {
  // the fully fixed text of one file, from an uninterrupted run on a one-file copy
  const reference = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-fix-ref-'));
  makeTree(reference, 1);
  spawnSync(process.execPath, [CLI, reference, '--fix', '--fail-on', 'none', '--no-git'], { encoding: 'utf8' });
  const fixed0 = fs.readFileSync(path.join(reference, 'src', 'm0.ts'), 'utf8');
  fs.rmSync(reference, { recursive: true, force: true });
  assert.notEqual(fixed0, source(0), 'the reference run fixes the file');
  const fixedFor = (i: number) => fixed0.replace('?? 3000', `?? ${3000 + i}`);

  const partial: number[] = [];
  const plan = [...KILL_AFTER_WRITES];
  for (let run = 0; run < plan.length; run++) {
    const writes = plan[run];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-fix-kill-'));
    try {
      makeTree(dir, FILES);
      await killAfterWrites(dir, writes);
      let changed = 0;
      for (let i = 0; i < FILES; i++) {
        const text = fs.readFileSync(path.join(dir, 'src', `m${i}.ts`), 'utf8');
        assert.ok(text === source(i) || text === fixedFor(i), `m${i}.ts is neither the original nor the fixed text (${text.length} chars) after a kill at write ${writes}`);
        if (text !== source(i)) changed++;
      }
      assert.ok(changed >= Math.min(writes, FILES), `at least the ${writes} writes seen before the kill are there (${changed} files fixed)`);
      if (changed < FILES) partial.push(changed);
      const leftovers = fs.readdirSync(path.join(dir, 'src')).filter((f) => !/^m\d+\.ts$/.test(f));
      // a kill between writing the temp file and renaming it may leave one temp file, never a broken target
      assert.ok(leftovers.length <= 1, `temp files left behind: ${leftovers.join(', ')}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    if (run === plan.length - 1 && partial.length === 0 && plan.length < KILL_AFTER_WRITES.length + RETRIES) plan.push(1);
  }
  process.stdout.write(`runs killed part-way: ${partial.length} of ${plan.length} (files fixed: ${partial.join(', ')} of ${FILES})\n`);
  assert.ok(partial.length > 0, 'at least one run was killed part-way through its writes');
});
