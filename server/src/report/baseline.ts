/**
 * The baseline (`.factorlint-baseline.json`): known findings a team accepts for now, so CI
 * fails only on new ones. A finding is fingerprinted by its rule, its file and the normalized
 * text of its line (trimmed, whitespace collapsed) plus its occurrence index among identical
 * (rule, file, text) findings — never by line number, so edits elsewhere in the file do not
 * invalidate it. Pure: the caller reads and writes the file and supplies file texts.
 */
import { createHash } from 'node:crypto';
import type { LocatedFinding } from '../workspace/workspace-rule';

export const BASELINE_FILE = '.factorlint-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  /** Workspace-relative path, forward slashes (kept for humans and for pruning). */
  path: string;
}

export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

/** The text of a line of a file, or undefined when the file is unknown. */
export type LineTextOf = (path: string, line: number) => string | undefined;

/** Trimmed, internal whitespace collapsed to one space. */
export function normalizeLineText(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

export function fingerprint(ruleId: string, path: string, lineText: string, occurrence: number): string {
  return createHash('sha256').update(`${ruleId}\u0000${path.replace(/\\/g, '/')}\u0000${normalizeLineText(lineText)}\u0000${occurrence}`).digest('hex').slice(0, 32);
}

/** Helper for callers holding whole texts: line `n` (0-based) of the text. */
export function lineTextFrom(texts: ReadonlyMap<string, string> | ((path: string) => string | undefined)): LineTextOf {
  const cache = new Map<string, string[]>();
  return (path, line) => {
    let lines = cache.get(path);
    if (!lines) {
      const text = typeof texts === 'function' ? texts(path) : texts.get(path);
      if (text === undefined) return undefined;
      lines = text.split(/\r\n|\r|\n/);
      cache.set(path, lines);
    }
    return lines[line];
  };
}

/** Fingerprints in finding order; occurrence indexes count identical (rule, path, text) in position order. */
export function fingerprintAll<T extends LocatedFinding>(findings: readonly T[], lineText: LineTextOf): Array<{ finding: T; fingerprint: string }> {
  const ordered = findings.map((finding, index) => ({ finding, index })).sort((a, b) =>
    a.finding.path.localeCompare(b.finding.path) || a.finding.range.start.line - b.finding.range.start.line
    || a.finding.range.start.character - b.finding.range.start.character || a.finding.ruleId.localeCompare(b.finding.ruleId) || a.index - b.index);
  const seen = new Map<string, number>();
  const result = new Array<{ finding: T; fingerprint: string }>(findings.length);
  for (const { finding, index } of ordered) {
    const text = normalizeLineText(lineText(finding.path, finding.range.start.line) ?? '');
    const key = `${finding.ruleId}\u0000${finding.path}\u0000${text}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    result[index] = { finding, fingerprint: fingerprint(finding.ruleId, finding.path, text, occurrence) };
  }
  return result;
}

/** A baseline holding every given finding, sorted (stable file contents, small diffs). */
export function createBaseline(findings: readonly LocatedFinding[], lineText: LineTextOf): Baseline {
  const entries = fingerprintAll(findings, lineText).map(({ finding, fingerprint: fp }) => ({ fingerprint: fp, ruleId: finding.ruleId, path: finding.path }));
  entries.sort((a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint));
  return { version: 1, findings: entries };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Parses a baseline file; throws with a readable message when it is not one. */
export function loadBaseline(text: string): Baseline {
  let json: unknown;
  try { json = JSON.parse(text); } catch (error) { throw new Error(`${BASELINE_FILE} is not valid JSON: ${(error as Error).message}`); }
  const value = json as { version?: unknown; findings?: unknown };
  if (!value || typeof value !== 'object' || value.version !== 1 || !Array.isArray(value.findings)) throw new Error(`${BASELINE_FILE}: expected { "version": 1, "findings": [...] }`);
  const findings: BaselineEntry[] = [];
  for (const item of value.findings as unknown[]) {
    const entry = item as Partial<BaselineEntry>;
    if (typeof entry?.fingerprint !== 'string' || typeof entry.ruleId !== 'string' || typeof entry.path !== 'string') throw new Error(`${BASELINE_FILE}: every finding needs fingerprint, ruleId and path`);
    findings.push({ fingerprint: entry.fingerprint, ruleId: entry.ruleId, path: entry.path });
  }
  return { version: 1, findings };
}

/** Splits findings into those the baseline does not know (kept) and those it hides (baselined). */
export function filterBaselined<T extends LocatedFinding>(findings: readonly T[], baseline: Baseline, lineText: LineTextOf): { kept: T[]; baselined: T[] } {
  const known = new Set(baseline.findings.map((f) => f.fingerprint));
  const kept: T[] = [];
  const baselined: T[] = [];
  for (const { finding, fingerprint: fp } of fingerprintAll(findings, lineText)) (known.has(fp) ? baselined : kept).push(finding);
  return { kept, baselined };
}
