/**
 * Work worth doing only while the editor is idle: nothing opened, typed or analysed for
 * `idleMs`. A user who types waits for none of it, except a job already running when the
 * keystroke arrives: keep each short, or make it yield and stop once `interrupted()` (a job's
 * argument) says something happened since it started.
 *
 * Jobs are keyed (one per document): adding a job under a key replaces the one waiting there.
 * They run one per timer turn, in the order they were added (`front`: before the others), each
 * only after `idleMs` without `activity()` and while `busy()` says nothing a user waits for is
 * in flight.
 */
import { performance } from 'node:perf_hooks';

/** `interrupted`: whether there was activity (or a dispose) since the job started. */
export type IdleJob = (interrupted: () => boolean) => void | Promise<void>;

export interface IdleWorkOptions {
  idleMs: number;
  /** Something a user waits for is running now (an analysis for a publish or a pull). */
  busy?: () => boolean;
  /** A job threw (an optimisation only: the work is done again when it is needed). */
  onError?: (key: string, error: unknown) => void;
  /** Milliseconds, monotonic (tests move it). */
  now?: () => number;
}

export class IdleWork {
  private readonly jobs = new Map<string, IdleJob>();
  private timer: NodeJS.Timeout | undefined;
  private readonly idleMs: number;
  private readonly busy: () => boolean;
  private readonly onError: (key: string, error: unknown) => void;
  private readonly now: () => number;
  private lastActivity: number;
  /** Counts `activity()` calls: a job's `interrupted` compares it with its start's. */
  private activities = 0;
  private disposed = false;

  constructor(options: IdleWorkOptions) {
    this.idleMs = options.idleMs;
    this.busy = options.busy ?? (() => false);
    this.onError = options.onError ?? (() => undefined);
    this.now = options.now ?? (() => performance.now());
    this.lastActivity = this.now();
  }

  /** Something a user waits for happened (an open, a keystroke, an analysis): the idle time starts again. */
  activity(): void {
    this.lastActivity = this.now();
    this.activities++;
  }

  add(key: string, job: IdleJob, front = false): void {
    if (this.disposed) return;
    this.jobs.delete(key);
    if (front) {
      const rest = [...this.jobs];
      this.jobs.clear();
      this.jobs.set(key, job);
      for (const [k, j] of rest) this.jobs.set(k, j);
    } else {
      this.jobs.set(key, job);
    }
    this.arm(this.idleMs);
  }

  remove(key: string): void {
    this.jobs.delete(key);
  }

  /** Keys of the jobs waiting (tests). */
  pending(): string[] {
    return [...this.jobs.keys()];
  }

  dispose(): void {
    this.disposed = true;
    this.jobs.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delayMs: number): void {
    if (this.timer || this.disposed || this.jobs.size === 0) return;
    this.timer = setTimeout(() => { this.timer = undefined; void this.turn(); }, Math.max(0, delayMs));
    this.timer.unref?.(); // never keeps a process alive (tests, a CLI host)
  }

  private async turn(): Promise<void> {
    const quiet = this.now() - this.lastActivity;
    if (quiet < this.idleMs) return this.arm(this.idleMs - quiet);
    if (this.busy()) return this.arm(this.idleMs);
    const next = this.jobs.entries().next();
    if (next.done) return;
    const [key, job] = next.value;
    this.jobs.delete(key);
    const startedAt = this.activities;
    try {
      await job(() => this.disposed || this.activities !== startedAt);
    } catch (error) {
      this.onError(key, error);
    }
    // what arrived while the job ran has called activity(): the next job waits for quiet again
    this.arm(0);
  }
}
