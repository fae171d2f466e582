/**
 * A short per-factor summary of findings (`factorlint --report`): the fifteen factors with
 * counts by severity. The full workspace report is built elsewhere; this stays small.
 */
import { FACTORS, type FactorInfo } from './engine/factors';
import type { Finding, Severity } from './engine/types';

export interface FactorRow {
  factor: FactorInfo;
  counts: Record<Severity, number>;
  total: number;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** One row per factor, in factor order (I..XV), including factors without findings. */
export function factorSummary(findings: Iterable<Pick<Finding, 'factor' | 'severity' | 'ruleId'>>): FactorRow[] {
  const rows = FACTORS.map((factor) => ({ factor, counts: { error: 0, warning: 0, info: 0, hint: 0 }, total: 0 }));
  const bySlug = new Map(rows.map((r) => [r.factor.slug, r]));
  for (const f of findings) {
    // Engine meta diagnostics (suppression bookkeeping) are not about a factor.
    if (f.ruleId.startsWith('factorlint/')) continue;
    const row = bySlug.get(f.factor);
    if (!row) continue;
    row.counts[f.severity]++;
    row.total++;
  }
  return rows;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A plain-text table; `paint` colours a cell (identity when colours are off). */
export function formatFactorTable(rows: readonly FactorRow[], paint: (severity: Severity | 'dim' | 'bold', text: string) => string = (_s, t) => t): string {
  const nameWidth = Math.max(...rows.map((r) => `${r.factor.numeral}. ${r.factor.title}`.length), 'Factor'.length);
  const header = `${pad('Factor', nameWidth)}  ${SEVERITIES.map((s) => pad(s === 'error' ? 'errors' : s === 'warning' ? 'warnings' : s === 'hint' ? 'hints' : 'info', 8, true)).join(' ')}`;
  const lines = [paint('bold', header)];
  for (const row of rows) {
    const name = pad(`${row.factor.numeral}. ${row.factor.title}`, nameWidth);
    const cells = SEVERITIES.map((s) => {
      const cell = pad(String(row.counts[s]), 8, true);
      return row.counts[s] > 0 ? paint(s, cell) : paint('dim', cell);
    });
    lines.push(`${row.total > 0 ? name : paint('dim', name)}  ${cells.join(' ')}`);
  }
  const totals = SEVERITIES.map((s) => pad(String(rows.reduce((n, r) => n + r.counts[s], 0)), 8, true));
  lines.push(paint('bold', `${pad('Total', nameWidth)}  ${totals.join(' ')}`));
  return lines.join('\n');
}

/** A Markdown table of the same summary (for PR comments). */
export function formatFactorTableMarkdown(rows: readonly FactorRow[]): string {
  const lines = ['| Factor | Errors | Warnings | Info | Hints |', '|---|--:|--:|--:|--:|'];
  for (const row of rows) {
    lines.push(`| ${row.factor.numeral}. ${row.factor.title} | ${SEVERITIES.map((s) => row.counts[s]).join(' | ')} |`);
  }
  return lines.join('\n');
}
