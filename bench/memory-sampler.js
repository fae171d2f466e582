'use strict';
/**
 * The bench's side of bench/memory-probe.js: how to spawn a server with the probe, and how to
 * ask it for a sample (full GC, then RSS / heap) over fd 3.
 */
const path = require('node:path');
const readline = require('node:readline');

const PROBE = path.join(__dirname, 'memory-probe.js');

/** node arguments that preload the probe (before the server's script). */
const probeArgs = () => ['--expose-gc', '-r', PROBE];

/** stdio for `child_process.spawn`: the server's stdin/stdout for LSP, fd 3 for the probe. */
const probeStdio = () => ['pipe', 'pipe', 'ignore', 'pipe'];

/** A client of the probe on a child spawned with `probeStdio()`: `ask('sample')` → the probe's JSON answer. */
function probeOf(child, timeoutMs = 60000) {
  const channel = child.stdio[3];
  if (!channel) throw new Error('memory-sampler: the child has no fd 3 (spawn it with probeStdio())');
  const pending = [];
  readline.createInterface({ input: channel }).on('line', (line) => pending.shift()?.(JSON.parse(line)));
  channel.on('error', () => {});
  const ask = (request) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`memory probe: no answer (exit ${child.exitCode})  to ${request}`)), timeoutMs);
    pending.push((reply) => { clearTimeout(timer); if (reply.error) reject(new Error(`memory probe: ${reply.error}`)); else resolve(reply); });
    channel.write(`${request}\n`);
  });
  return { sample: () => ask('sample'), close: () => channel.destroy() };
}

module.exports = { PROBE, probeArgs, probeStdio, probeOf };
