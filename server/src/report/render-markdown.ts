/**
 * The factor report as Markdown, for PR comments: a table of the fifteen factors with status
 * and counts, then the findings by factor and rule. Pure: report in, string out; every string
 * from the workspace is escaped.
 */
import { encodePath, escapeMarkdown as md } from './escape';
import { failingFactorsText, type FactorReportModel, type FactorStatus } from './report-model';

export interface MarkdownOptions {
  /** Base URL for file links (e.g. `https://github.com/o/r/blob/<sha>`); plain text when absent. */
  linkBase?: string;
  /** At most this many findings are listed (default 200); the rest are counted. */
  maxFindings?: number;
  /** Heading level of the title (default 2: `##`). */
  headingLevel?: number;
}

export const STATUS_LABEL: Readonly<Record<FactorStatus, string>> = {
  passes: 'passes', 'needs-attention': 'needs attention', fails: 'fails', 'not-applicable': 'not applicable',
};
const STATUS_ICON: Readonly<Record<FactorStatus, string>> = { passes: '✅', 'needs-attention': '⚠️', fails: '❌', 'not-applicable': '➖' };

function location(path: string, line: number, options: MarkdownOptions): string {
  const text = `${md(path)}:${line}`;
  if (!options.linkBase) return text;
  const url = `${options.linkBase.replace(/\/+$/, '')}/${encodePath(path)}#L${line}`.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${text}](${url})`;
}

export function renderMarkdown(report: FactorReportModel, options: MarkdownOptions = {}): string {
  const h = '#'.repeat(Math.min(6, Math.max(1, options.headingLevel ?? 2)));
  const max = options.maxFindings ?? 200;
  const out: string[] = [];
  const o = report.overall;
  out.push(`${h} factorlint — Twelve-Factor report`, '');
  const score = o.score === null ? 'not scored' : `${o.score}/100`;
  const countText = `${o.counts.total} finding${o.counts.total === 1 ? '' : 's'} (${o.counts.error} error, ${o.counts.warning} warning, ${o.counts.info} info, ${o.counts.hint} hint)`;
  const failing = failingFactorsText(report.factors);
  out.push(`**Overall: ${score} — ${STATUS_ICON[o.status]} ${STATUS_LABEL[o.status]}**${failing ? ` (${md(failing)})` : ''} · ${countText} · ${o.applicableFactors} of 15 factors apply${report.baselined > 0 ? ` · ${report.baselined} baselined` : ''}${o.incomplete ? ` · **${o.incomplete} file${o.incomplete === 1 ? '' : 's'} not analysed completely** (factorlint/analysis-incomplete)` : ''}`, '');
  out.push('| | Factor | Status | Score | Errors | Warnings | Info | Evidence |', '|---|---|---|---:|---:|---:|---:|---:|');
  for (const f of report.factors) {
    out.push(`| ${f.numeral} | ${md(f.title)} | ${STATUS_ICON[f.status]} ${STATUS_LABEL[f.status]} | ${f.score ?? '—'} | ${f.counts.error} | ${f.counts.warning} | ${f.counts.info + f.counts.hint} | ${f.evidence.length} |`);
  }
  out.push('');
  let listed = 0;
  let omitted = 0;
  const withFindings = report.factors.filter((f) => f.rules.length > 0);
  if (withFindings.length > 0) out.push(`${h}# Findings`, '');
  for (const f of withFindings) {
    out.push(`**${f.numeral}. ${md(f.title)}** — ${STATUS_LABEL[f.status]}${f.score === null ? '' : ` (${f.score}/100)`}`, '');
    for (const rule of f.rules) {
      out.push(`- **${md(rule.ruleId)}** — ${md(rule.description)} (${rule.findings.length})`);
      for (const finding of rule.findings) {
        if (listed >= max) { omitted++; continue; }
        listed++;
        out.push(`  - ${md(finding.severity)}: ${md(finding.message)} — ${location(finding.path, finding.range.start.line + 1, options)}`);
      }
    }
    out.push('');
  }
  if (omitted > 0) out.push(`…and ${omitted} more finding${omitted === 1 ? '' : 's'} (see the HTML or JSON report).`, '');
  out.push('<details><summary>How scores are computed</summary>', '', md(report.scoring), '', '</details>', '');
  return out.join('\n');
}
