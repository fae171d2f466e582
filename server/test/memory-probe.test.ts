/**
 * bench/memory-probe.js, the bench's memory measure (issue 15): preloaded into a process, it
 * answers on fd 3 with the memory after a full GC, so a dropped object no longer counts, and
 * only the main thread answers (the preload runs in worker threads too).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as path from 'node:path';

const BENCH = path.resolve(__dirname, '../../../bench');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { probeArgs, probeStdio, probeOf } = require(path.join(BENCH, 'memory-sampler.js')) as {
  probeArgs(): string[]; probeStdio(): cp.StdioOptions;
  probeOf(child: cp.ChildProcess): { sample(): Promise<{ rssMb: number; heapUsedMb: number }>; close(): void };
};

/** A process holding ~80 MB of heap (and a worker thread with the probe preloaded too) until it reads a line on stdin. */
const HOLDER = `
const { Worker } = require('node:worker_threads');
new Worker('setInterval(() => {}, 1000)', { eval: true });
globalThis.held = Array.from({ length: 400000 }, (_, i) => ({ i, s: 'x'.repeat(40) + i }));
process.stdin.once('data', () => { globalThis.held = undefined; process.stdout.write('dropped\\n'); });
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`;

function line(child: cp.ChildProcess): Promise<string> {
  return new Promise((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
}

test('memory probe: the heap after a full GC drops with a large object, and only the main thread answers', async () => {
  const child = cp.spawn(process.execPath, [...probeArgs(), '-e', HOLDER], { stdio: probeStdio() });
  const probe = probeOf(child);
  try {
    assert.equal(await line(child), 'ready');
    // several samples: with a second reader of fd 3 (the worker) some would be the worker's heap of a few MB
    const held = [];
    for (let i = 0; i < 4; i++) held.push(await probe.sample());
    for (const s of held) assert.ok(s.heapUsedMb > 40, `the main thread's heap holds the object: ${s.heapUsedMb} MB`);
    const dropped = line(child);
    child.stdin!.write('drop\n');
    assert.equal(await dropped, 'dropped');
    const after = await probe.sample();
    assert.ok(after.heapUsedMb < held[0].heapUsedMb - 30, `the heap after a full GC no longer counts it: ${held[0].heapUsedMb} → ${after.heapUsedMb} MB`);
    assert.ok(after.rssMb > 0);
  } finally {
    probe.close();
    child.kill();
  }
});
