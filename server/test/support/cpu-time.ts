/**
 * Bounds on cost in tests are bounds on CPU time, not wall time. Wall time grows with whatever
 * else the machine runs (a 2-core CI machine under load stretched a 1 s call past its bound);
 * the CPU time this process spends does not, so a bound on it still catches what the test is
 * about (work that grows super-linearly, a per-file recompile) without flaking on a busy machine.
 * It counts every thread of the process (V8's GC helpers included): bounds stay generous.
 */

/** Milliseconds of CPU (user + system) this process has used since `since` (a `process.cpuUsage()`). */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Runs `fn` and returns its value with the CPU milliseconds it took. */
export function cpuTimed<T>(fn: () => T): { value: T; ms: number } {
  const since = process.cpuUsage();
  const value = fn();
  return { value, ms: cpuMsSince(since) };
}
