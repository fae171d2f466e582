'use strict';
/**
 * Bench-only preload for a server whose memory the bench compares (issue 15):
 *
 *   node --expose-gc -r bench/memory-probe.js <server> --stdio      (spawned with a pipe on fd 3)
 *
 * It answers on fd 3, a side channel that does not go through the server's LSP code, so the
 * product needs no hook and factorlint's server and the floor are measured the same way. One
 * request per line:
 * - `sample`: a full GC (twice: finalizers and weak maps freed by the first are collected by
 *   the second), RSS once V8 has returned the freed pages (`settledRss`), then one JSON line
 *   `{ rssMb, heapUsedMb, heapTotalMb, externalMb, arrayBuffersMb }`;
 *   one RSS sample without a GC first swings by ~150 MB with when V8 last collected.
 * The probe is `unref`ed (it never keeps a server alive that would otherwise exit) and runs on the
 * main thread only: `-r` preloads into worker threads too (factorlint's index worker), and a second
 * reader of fd 3 would take the bench's requests and answer with its own isolate's heap. RSS is the
 * whole process's; the heap figures are the main thread's (where the floor's whole heap is).
 */
const net = require('node:net');
const readline = require('node:readline');
const { isMainThread } = require('node:worker_threads');

const MB = 1024 * 1024;
const round = (bytes) => Math.round((bytes / MB) * 10) / 10;

function fullGc() {
  if (typeof global.gc !== 'function') throw new Error('memory-probe: run node with --expose-gc');
  global.gc();
  global.gc();
}

/**
 * V8 hands the pages a GC freed back to the system from background threads, some milliseconds
 * after `gc()` returns: RSS is read when two readings 50 ms apart differ by under 1 MB (at most 2 s).
 */
async function settledRss() {
  let last = process.memoryUsage.rss();
  for (let waited = 0; waited < 2000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = process.memoryUsage.rss();
    if (Math.abs(now - last) < MB) return now;
    last = now;
  }
  return last;
}

async function sample() {
  fullGc();
  const rss = await settledRss();
  const m = process.memoryUsage();
  return { rssMb: round(rss), heapUsedMb: round(m.heapUsed), heapTotalMb: round(m.heapTotal), externalMb: round(m.external), arrayBuffersMb: round(m.arrayBuffers) };
}

async function answer(line) {
  const command = line.trim();
  try {
    if (command === 'sample') return await sample();
    return { error: `unknown request ${command}` };
  } catch (error) {
    return { error: String(error?.message ?? error) };
  }
}

let channel;
if (isMainThread) try {
  channel = new net.Socket({ fd: 3, readable: true, writable: true });
} catch {
  channel = undefined; // no fd 3 (not spawned by the bench): the probe stays silent
}
if (channel) {
  channel.on('error', () => {}); // the bench went away: nothing to report to
  // answered in order: the bench waits for each answer before its next request
  readline.createInterface({ input: channel }).on('line', (line) => {
    if (line.trim()) void answer(line).then((reply) => channel.write(`${JSON.stringify(reply)}\n`));
  });
  channel.unref();
}

module.exports = { sample };
