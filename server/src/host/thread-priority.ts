/**
 * Lowers the scheduling priority of the calling thread only (Linux: `setpriority` on the thread
 * id, which /proc/thread-self names; a thread's nice value is its own there). The language
 * server's index worker uses it so that, when the cores are busy, the editor's own processes
 * and the server's thread answering documents run first. Elsewhere (macOS, Windows, no /proc)
 * it does nothing: `setpriority` on the process id would lower the whole server.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

/** Sets this thread's nice value; returns whether it did. */
export function lowerThreadPriority(nice: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(lastSegment(fs.readlinkSync('/proc/thread-self'))); // "<pid>/task/<tid>"
    if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return false; // never the main thread
    os.setPriority(tid, nice);
    return true;
  } catch {
    return false; // an optimisation only
  }
}

function lastSegment(link: string): string {
  return link.slice(link.lastIndexOf('/') + 1);
}
