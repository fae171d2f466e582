/** Where the server module is and when to restart it: pure, so unit tests need no VS Code. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Crash policy: restart up to MAX_RESTARTS times within RESTART_WINDOW_MS, then give up. */
export const MAX_RESTARTS = 4;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

/** Picks the bundled server; falls back to the tsc output when running from a source checkout. */
export function serverModulePath(extensionPath: string, exists: (p: string) => boolean = fs.existsSync): string {
  const candidates = ['dist/server.js', 'out/server/src/server.js'];
  for (const candidate of candidates) {
    const full = path.join(extensionPath, candidate);
    if (exists(full)) return full;
  }
  return path.join(extensionPath, candidates[0]);
}

/** Restarts after a crash unless the server crashed too often recently. Pure, for tests. */
export class RestartBudget {
  private readonly crashes: number[] = [];
  constructor(private readonly max = MAX_RESTARTS, private readonly windowMs = RESTART_WINDOW_MS) {}
  /** Records a crash at `now`; true when one more restart is allowed. */
  allow(now: number): boolean {
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - this.crashes[0] > this.windowMs) this.crashes.shift();
    return this.crashes.length <= this.max;
  }
}
