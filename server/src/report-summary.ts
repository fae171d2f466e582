/**
 * The factor report on a terminal (`factorlint --report`): one line per factor with its
 * status, score, counts and evidence, computed by `buildReport` — the same numbers as the
 * JSON `factors` section, the Markdown and the HTML report. Compact: fits 100 columns.
 */
import { failingFactorsText, type FactorReportModel, type FactorStatus } from './report/report-model';

type Style = 'error' | 'warning' | 'info' | 'hint' | 'dim' | 'bold';

const STATUS_TEXT: Readonly<Record<FactorStatus, string>> = { passes: '✔ passes', 'needs-attention': '▲ needs attention', fails: '✖ fails', 'not-applicable': '– n/a' };
const STATUS_STYLE: Readonly<Record<FactorStatus, Style | undefined>> = { passes: undefined, 'needs-attention': 'warning', fails: 'error', 'not-applicable': 'dim' };

function cell(n: number, width: number): string {
  return (n === 0 ? '·' : String(n)).padStart(width);
}

/** The factor report as a plain-text table; `paint` colours a cell (identity when colours are off). */
export function formatFactorReport(report: FactorReportModel, paint: (style: Style, text: string) => string = (_s, t) => t): string {
  const names = report.factors.map((f) => `${f.numeral}. ${f.title}`);
  const nameWidth = Math.max('Factor'.length, ...names.map((n) => n.length));
  const statusWidth = Math.max(...Object.values(STATUS_TEXT).map((s) => s.length));
  const header = `${'Factor'.padEnd(nameWidth)}  ${'Status'.padEnd(statusWidth)}  Score  Err  Warn  Info  Evid.`;
  const lines = [paint('bold', 'Twelve-Factor report'), paint('bold', header)];
  report.factors.forEach((f, i) => {
    const style = STATUS_STYLE[f.status];
    const status = f.status === 'passes' ? STATUS_TEXT[f.status].padEnd(statusWidth) : paint(style!, STATUS_TEXT[f.status].padEnd(statusWidth));
    const score = (f.score === null ? '—' : String(f.score)).padStart(5);
    const counts = `${cell(f.counts.error, 3)}  ${cell(f.counts.warning, 4)}  ${cell(f.counts.info + f.counts.hint, 4)}  ${cell(f.evidence.length, 5)}`;
    const name = names[i].padEnd(nameWidth);
    lines.push(`${f.status === 'not-applicable' ? paint('dim', name) : name}  ${status}  ${score}  ${counts}`);
  });
  const o = report.overall;
  const failing = failingFactorsText(report.factors);
  const overall = `Overall ${o.score === null ? 'not scored' : `${o.score}/100`} (${STATUS_TEXT[o.status].replace(/^\S+ /, '')}${failing ? ` — ${failing}` : ''}) · ${o.applicableFactors} of 15 factors apply · ${o.counts.total} finding${o.counts.total === 1 ? '' : 's'}${report.baselined > 0 ? ` · ${report.baselined} baselined (hidden)` : ''}${o.incomplete ? ` · ${o.incomplete} file${o.incomplete === 1 ? '' : 's'} not analysed completely` : ''}`;
  lines.push(paint('bold', overall));
  lines.push(paint('dim', 'Scores: 100 minus points per rule with findings; factorlint --format html -o report.html explains each.'));
  return lines.join('\n');
}
