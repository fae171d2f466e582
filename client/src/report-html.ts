/**
 * The factor report as HTML: a pure function of a plain model (no vscode import), so the
 * model can later come from the server's workspace report without touching the panel.
 */
import { FACTORS, isFactorSlug } from '../../server/src/engine/factors';
import type { FactorSlug } from '../../server/src/engine/types';

export interface ReportFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  /** Path shown to the user (workspace-relative). */
  file: string;
  /** Opaque target the panel hands back when the finding is clicked. */
  target: string;
  /** 0-based, as LSP. */
  line: number;
  character: number;
}

export interface ReportModel {
  /** Findings per factor slug; rule ids outside the fifteen factors go to `other`. */
  findings: ReportFinding[];
  files: number;
}

export interface FactorSection {
  slug: FactorSlug | 'other';
  numeral: string;
  title: string;
  summary: string;
  findings: ReportFinding[];
}

/** The factor of a rule id `<factor>/<name>`; engine meta rules (`factorlint/...`) are `other`. */
export function factorOfRule(ruleId: string): FactorSlug | 'other' {
  const prefix = ruleId.split('/')[0];
  return isFactorSlug(prefix) ? prefix : 'other';
}

export function groupByFactor(findings: readonly ReportFinding[]): FactorSection[] {
  const sections: FactorSection[] = FACTORS.map((f) => ({ slug: f.slug, numeral: f.numeral, title: f.title, summary: f.summary, findings: [] }));
  const other: FactorSection = { slug: 'other', numeral: '·', title: 'factorlint', summary: 'Suppression comments and skipped files.', findings: [] };
  const bySlug = new Map<string, FactorSection>(sections.map((s) => [s.slug, s]));
  for (const finding of findings) (bySlug.get(factorOfRule(finding.ruleId)) ?? other).findings.push(finding);
  const order = { error: 0, warning: 1, info: 2, hint: 3 } as const;
  for (const s of [...sections, other]) {
    s.findings.sort((a, b) => order[a.severity] - order[b.severity] || a.file.localeCompare(b.file) || a.line - b.line);
  }
  return other.findings.length > 0 ? [...sections, other] : sections;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function counts(findings: readonly ReportFinding[]): Record<ReportFinding['severity'], number> {
  const result = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) result[f.severity]++;
  return result;
}

function badge(severity: ReportFinding['severity'], n: number): string {
  const label = `${n} ${severity === 'info' ? 'info' : n === 1 ? severity : `${severity}s`}`;
  return n > 0 ? `<span class="badge ${severity}">${label}</span>` : '';
}

export interface RenderOptions {
  /** Per-render random nonce: only scripts carrying it run. */
  nonce: string;
  /** `webview.cspSource`: the origin of local resources. */
  cspSource: string;
}

export function renderReport(model: ReportModel, options: RenderOptions): string {
  const sections = groupByFactor(model.findings);
  const total = counts(model.findings);
  const clean = sections.filter((s) => s.slug !== 'other' && s.findings.length === 0).length;
  const body = sections.map((section) => {
    const c = counts(section.findings);
    const items = section.findings.map((f) => `
        <li class="finding ${f.severity}">
          <a href="#" data-target="${escapeHtml(f.target)}" data-line="${f.line}" data-character="${f.character}">${escapeHtml(f.file)}:${f.line + 1}:${f.character + 1}</a>
          <span class="message">${escapeHtml(f.message)}</span>
          <code class="rule">${escapeHtml(f.ruleId)}</code>
        </li>`).join('');
    const state = section.findings.length === 0 ? '<span class="ok">no findings</span>' : `${badge('error', c.error)}${badge('warning', c.warning)}${badge('info', c.info)}${badge('hint', c.hint)}`;
    return `
    <section class="factor" data-factor="${section.slug}">
      <h2><span class="numeral">${section.numeral}</span> ${escapeHtml(section.title)} <span class="counts">${state}</span></h2>
      <p class="summary">${escapeHtml(section.summary)}</p>
      ${items ? `<ul>${items}</ul>` : ''}
    </section>`;
  }).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${options.cspSource} data:; style-src 'nonce-${options.nonce}'; script-src 'nonce-${options.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>factorlint: factor report</title>
<style nonce="${options.nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 20px; }
  h1 { font-weight: 600; font-size: 1.5em; }
  .totals { color: var(--vscode-descriptionForeground); }
  .factor { border-top: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); padding: 6px 0; }
  h2 { font-size: 1.1em; margin: 6px 0 2px; }
  .numeral { display: inline-block; min-width: 3em; color: var(--vscode-descriptionForeground); }
  .summary { margin: 0 0 4px 3.3em; color: var(--vscode-descriptionForeground); }
  .badge { border-radius: 8px; padding: 0 6px; margin-left: 6px; font-size: 0.85em; font-weight: normal; }
  .badge.error { background: var(--vscode-inputValidation-errorBackground); color: var(--vscode-errorForeground); border: 1px solid var(--vscode-inputValidation-errorBorder, transparent); }
  .badge.warning { background: var(--vscode-inputValidation-warningBackground); border: 1px solid var(--vscode-inputValidation-warningBorder, transparent); }
  .badge.info, .badge.hint { background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
  .ok { margin-left: 6px; font-size: 0.85em; font-weight: normal; color: var(--vscode-testing-iconPassed, var(--vscode-descriptionForeground)); }
  ul { list-style: none; margin: 2px 0 6px 3.3em; padding: 0; }
  li { margin: 3px 0; }
  li.error::before { content: '●'; color: var(--vscode-editorError-foreground); margin-right: 6px; }
  li.warning::before { content: '●'; color: var(--vscode-editorWarning-foreground); margin-right: 6px; }
  li.info::before, li.hint::before { content: '●'; color: var(--vscode-editorInfo-foreground); margin-right: 6px; }
  a { color: var(--vscode-textLink-foreground); text-decoration: none; }
  a:hover { text-decoration: underline; }
  .rule { margin-left: 6px; color: var(--vscode-descriptionForeground); font-family: var(--vscode-editor-font-family); }
</style>
</head>
<body>
<h1>Factor report</h1>
<p class="totals">${model.findings.length} findings in ${model.files} files: ${total.error} errors, ${total.warning} warnings, ${total.info + total.hint} infos. ${clean} of ${FACTORS.length} factors without findings.</p>
${body}
<script nonce="${options.nonce}">
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[data-target]');
    if (!link) return;
    event.preventDefault();
    vscode.postMessage({ type: 'open', target: link.dataset.target, line: Number(link.dataset.line), character: Number(link.dataset.character) });
  });
</script>
</body>
</html>`;
}
