/**
 * The CPU time of the calling thread (not the process): what a scan worker reports so the
 * scan's stats can say what each thread cost — on a machine shared with other jobs, wall time
 * measures the neighbours, a thread's CPU time measures the work.
 */
import * as fs from 'node:fs';

/** Linux's clock ticks per second for /proc times (USER_HZ, 100 on every mainstream kernel). */
const USER_HZ = 100;

/** This thread's user + system CPU time in ms, or undefined where neither Node nor /proc can tell. */
export function threadCpuMs(): number | undefined {
  const threadCpuUsage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  if (typeof threadCpuUsage === 'function') {
    const usage = threadCpuUsage.call(process); // Node ≥ 23.9
    return (usage.user + usage.system) / 1000;
  }
  try {
    // a synchronous read runs on the calling thread, so thread-self is this thread
    const stat = fs.readFileSync('/proc/thread-self/stat', 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // the name may hold spaces
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ; // utime, stime (fields 14, 15)
  } catch {
    return undefined;
  }
}
