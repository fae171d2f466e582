/**
 * The CLI's role pre-pass through `--cache`: a walked file whose size and mtime match its record
 * gives its light model facts and its content hash without being read (the facts are a function
 * of the path and the text: `factsOf(path, text, { light: true })`); every other file is read,
 * and its facts are recorded with the stamp the walk saw. The content hash then keys the scan's
 * lookups, so a warm run that misses nothing reads only the texts its report shows.
 */
import { contentHash, settledStampOf, type AnalysisCache } from '../cache/analysis-cache';
import type { FileFacts } from '../workspace/project-model';
import type { FileStamp } from './walk';

export class PrepassRecorder {
  /** Content hashes of this run's files, from their records or their texts. */
  private readonly hashes = new Map<string, string>();

  /** `stats`: the walk's size and mtime of each file; `started`: when the run began (records of files modified since are not kept). */
  constructor(private readonly cache: AnalysisCache, private readonly stats: ReadonlyMap<string, FileStamp>, private readonly started: number) {}

  /** The recorded facts of a file the walk found unchanged (same size and mtime), or undefined: read it. */
  known(abs: string): FileFacts | undefined {
    const stat = this.stats.get(abs);
    const known = stat && this.cache.prepassFacts(abs, stat.size, stat.mtimeMs);
    if (!known) return undefined;
    this.hashes.set(abs, known.textHash);
    return known.facts as FileFacts;
  }

  /** Records the facts computed from `text` (read after the walk's stat, see `record`). */
  recordText(abs: string, text: string, facts: FileFacts): void {
    this.record(abs, contentHash(text), facts);
  }

  /**
   * Records facts of a text hashing to `textHash`, read after the walk's stat: stamped with that
   * stat when it is settled. If the file changed between the stat and the read, its mtime has
   * moved since, so the record never matches again and the next run reads it (a file modified
   * within the settle time gets no record: two edits in one timestamp tick would go unseen).
   */
  record(abs: string, textHash: string, facts: FileFacts): void {
    this.hashes.set(abs, textHash);
    const stat = this.stats.get(abs);
    const stamp = stat && settledStampOf(stat, textHash, this.started);
    if (stamp) this.cache.setPrepassFacts(abs, stamp, facts);
    else this.cache.forgetPrepassFacts(abs);
  }

  /** The content hash of a file of this run, when its record or its text gave one. */
  textHashOf(abs: string): string | undefined {
    return this.hashes.get(abs);
  }

  /** Drops the records of files this run's walk no longer yields. */
  retain(walked: readonly string[]): void {
    this.cache.retainPrepass(new Set(walked));
  }
}
