/**
 * The language server's persisted cache of project-model facts, one file per workspace folder
 * in the user's cache folder (VS Code: the extension's global storage). A warm start takes the
 * facts of every file whose size and mtime are unchanged since they were computed, without
 * reading or parsing it; anything else is read and extracted again. Only the analysed kinds
 * (TS/JS, Dockerfiles, Compose, .env) are kept — the expensive ones —, so no shell script or
 * package.json text is copied (secret values in ENV/environment are masked in the facts).
 */
import * as fs from 'node:fs';
import { classifyKind } from '../engine/classify';
import type { FileFacts } from '../workspace/project-model';
import { AnalysisCache, contentHash, settledStamp } from './analysis-cache';
import { buildId } from './build-id';

export class FactsCache {
  private readonly cache: AnalysisCache;
  private readonly started = Date.now();

  constructor(file: string, maxFileSize: number) {
    this.cache = new AnalysisCache(file, contentHash(buildId(), 'model-facts', String(maxFileSize)));
  }

  /** The stored facts of a file whose size and mtime are those its facts were computed from. */
  lookup(abs: string): FileFacts | undefined {
    let stat: fs.Stats;
    try { stat = fs.statSync(abs); } catch { return undefined; }
    const textHash = this.cache.textHashForStat(abs, stat.size, stat.mtimeMs);
    if (textHash === undefined || this.cache.peekHash(abs) !== textHash) return undefined;
    return this.cache.peekModel(abs) as FileFacts | undefined;
  }

  /** Records the facts extracted from `text`, read from `abs` just now. */
  store(abs: string, text: string, facts: FileFacts): void {
    if (!classifyKind(abs)) return;
    const textHash = contentHash(text);
    // without a stamp (modified during the build) the entry could never be used: keep none
    const stamp = settledStamp(abs, textHash, this.started);
    if (stamp) this.cache.setHashed(abs, textHash, [], undefined, facts, stamp);
  }

  /** Drops files no longer in the folder and writes the cache (a failed write is not an error). */
  save(present: readonly string[]): void {
    this.cache.retainOnly(new Set(present));
    try { this.cache.save(); } catch { /* read-only storage: the next start reads everything */ }
  }
}
