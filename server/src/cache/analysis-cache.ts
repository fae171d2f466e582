/**
 * A content-hash cache of per-file findings for warm re-scans. Entries are keyed by the file's
 * path and the hash of its content + the configuration + the engine/rules version, so any
 * change invalidates exactly the affected files. Persisted as one JSON file with a checksum:
 * a truncated or corrupted cache is discarded (never trusted, never a crash).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../engine/types';

const FORMAT = 1;

export function contentHash(...parts: string[]): string {
  const h = createHash('sha1');
  for (const p of parts) { h.update(p); h.update('\u0000'); }
  return h.digest('hex');
}

interface CacheFile { format: number; salt: string; checksum: string; entries: Record<string, { hash: string; findings: Finding[] }> }

export class AnalysisCache {
  private entries = new Map<string, { hash: string; findings: Finding[] }>();
  private dirty = false;
  hits = 0;
  misses = 0;

  /** `salt` identifies the engine version + configuration; a different salt empties the cache. */
  constructor(private readonly file: string | undefined, private readonly salt: string) {
    if (file) this.load(file);
  }

  private load(file: string): void {
    let raw: string;
    try { raw = fs.readFileSync(file, 'utf8'); } catch { return; }
    try {
      const data = JSON.parse(raw) as CacheFile;
      if (data.format !== FORMAT || data.salt !== this.salt || typeof data.entries !== 'object') return;
      if (contentHash(JSON.stringify(data.entries)) !== data.checksum) return; // corrupted: start over
      for (const [key, value] of Object.entries(data.entries)) this.entries.set(key, value);
    } catch {
      // unreadable cache: ignore it, it will be rewritten
    }
  }

  get(filePath: string, text: string): Finding[] | undefined {
    const entry = this.entries.get(filePath);
    if (entry && entry.hash === contentHash(text)) { this.hits++; return entry.findings; }
    this.misses++;
    return undefined;
  }

  set(filePath: string, text: string, findings: Finding[]): void {
    this.entries.set(filePath, { hash: contentHash(text), findings });
    this.dirty = true;
  }

  /** Drops entries of files that no longer exist in the scan. */
  retainOnly(paths: ReadonlySet<string>): void {
    for (const key of this.entries.keys()) if (!paths.has(key)) { this.entries.delete(key); this.dirty = true; }
  }

  /** Writes atomically (temp file + rename) so a crash mid-write leaves the old cache intact. */
  save(): void {
    if (!this.file || !this.dirty) return;
    const entries = Object.fromEntries([...this.entries.entries()].sort(([a], [b]) => a.localeCompare(b)));
    const body: CacheFile = { format: FORMAT, salt: this.salt, checksum: contentHash(JSON.stringify(entries)), entries };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(body));
    fs.renameSync(tmp, this.file);
    this.dirty = false;
  }
}
