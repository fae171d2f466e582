/**
 * Scale-out through the CI matrix: `--shard K/N` analyses a deterministic slice of the files
 * (stable across runs and machines: it depends only on the relative path), and `merge`
 * combines the shards' JSON outputs into one report.
 */

export interface ShardSpec { index: number; total: number }

/** Parses `K/N` (1-based K). Throws a readable error for anything else. */
export function parseShard(value: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) throw new Error(`--shard expects K/N (e.g. 2/4), got "${value}"`);
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total) throw new Error(`--shard ${value}: K must be between 1 and N`);
  return { index, total };
}

/** FNV-1a over the UTF-16 code units of the path: cheap, stable, well spread. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Whether a file (path relative to the analysed root, forward slashes) belongs to shard K of N. */
export function inShard(relativePath: string, shard: ShardSpec): boolean {
  return fnv1a(relativePath.replace(/\\/g, '/')) % shard.total === shard.index - 1;
}

/** The JSON output contract (version 1), as far as merging needs it. */
export interface JsonReport {
  version: 1;
  findings: Array<{ file: string; line: number; column: number; rule: string; severity: string; [key: string]: unknown }>;
  summary: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Merges shard outputs: findings concatenated, de-duplicated (workspace-level findings can
 * appear in every shard) and sorted; numeric summary fields added; other fields from the first.
 */
export function mergeJsonReports(reports: readonly JsonReport[]): JsonReport {
  if (reports.length === 0) throw new Error('merge needs at least one JSON report');
  for (const r of reports) if (r.version !== 1 || !Array.isArray(r.findings)) throw new Error('not a factorlint JSON report (version 1)');
  const seen = new Set<string>();
  const findings: JsonReport['findings'] = [];
  for (const r of reports) {
    for (const f of r.findings) {
      const key = JSON.stringify([f.file, f.line, f.column, f.rule, f.message]);
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(f);
    }
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
  const summary: Record<string, unknown> = {};
  for (const r of reports) {
    for (const [key, value] of Object.entries(r.summary ?? {})) {
      if (typeof value === 'number') summary[key] = (typeof summary[key] === 'number' ? (summary[key] as number) : 0) + value;
      else if (value && typeof value === 'object' && !Array.isArray(value)) {
        const target = (summary[key] ??= {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(value)) if (typeof v === 'number') target[k] = ((target[k] as number) ?? 0) + v;
      } else if (!(key in summary)) summary[key] = value;
    }
  }
  // severity counts must describe the merged (de-duplicated) findings, not the sum
  const bySeverity: Record<string, number> = {};
  for (const f of findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  for (const severity of ['error', 'warning', 'info', 'hint']) if (severity in summary || bySeverity[severity]) summary[severity] = bySeverity[severity] ?? 0;
  // each shard lists the roles of the files it analysed: the union, by file
  const files = new Map<string, unknown>();
  for (const r of reports) {
    if (!Array.isArray(r.files)) continue;
    for (const f of r.files as Array<{ file?: unknown }>) if (typeof f?.file === 'string' && !files.has(f.file)) files.set(f.file, f);
  }
  const merged: JsonReport = { ...reports[0], version: 1, findings, summary: { ...summary, shardsMerged: reports.length } };
  if (files.size > 0) merged.files = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => f);
  return merged;
}
