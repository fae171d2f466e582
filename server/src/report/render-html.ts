/**
 * The factor report as one self-contained HTML page: an at-a-glance chart of the fifteen
 * factors (inline SVG), then each factor as a `<details>` with its findings by rule, its
 * evidence of good practice and how its score was computed. No external assets, works offline.
 *
 * The same code renders the VS Code webview: pass a `nonce` and `cspSource` for the webview's
 * Content-Security-Policy, and `linkMode: 'command'` to turn locations into `postMessage`
 * clicks (see `ReportWebviewMessage`). Colours come from VS Code theme variables with
 * fallbacks for browsers (light and dark). Every string from the workspace is escaped.
 */
import { encodePath, escapeHtml as e } from './escape';
import { failingFactorsText, type FactorReport, type FactorReportModel, type FactorStatus, type ReportFinding, type RuleGroup } from './report-model';
import type { RelatedLocation, Severity } from '../engine/types';

export interface HtmlOptions {
  /** Nonce for the inline `<style>` and `<script>` (webview CSP). */
  nonce?: string;
  /** The webview's `cspSource` (allowed for styles and images). */
  cspSource?: string;
  /** `file`: locations are links (standalone report). `command`: locations post messages (webview). */
  linkMode: 'file' | 'command';
  /** File-mode link target for a location (1-based line); default: the path itself with `#L<line>`. */
  fileHref?: (path: string, line: number) => string;
  /** Link target of a rule's documentation, in file mode; the rule id is plain text when absent. */
  docsHref?: (ruleId: string) => string;
  /** Page title (default "factorlint — Twelve-Factor report"). */
  title?: string;
  /** A subtitle such as the analysed folder (`reportSubtitle`); shown as given (escaped). */
  subtitle?: string;
}

/** Messages the webview posts to the extension in `command` mode. */
export type ReportWebviewMessage =
  | { type: 'open'; path: string; line: number; character: number }
  | { type: 'fixAll'; ruleId: string }
  | { type: 'openDocs'; ruleId: string };

const STATUS_LABEL: Readonly<Record<FactorStatus, string>> = { passes: 'Passes', 'needs-attention': 'Needs attention', fails: 'Fails', 'not-applicable': 'Not applicable' };
const STATUS_CLASS: Readonly<Record<FactorStatus, string>> = { passes: 's-pass', 'needs-attention': 's-warn', fails: 's-fail', 'not-applicable': 's-na' };

function defaultFileHref(path: string, line: number): string {
  const encoded = encodePath(path);
  const url = /^\//.test(path) ? `file://${encoded}` : /^[A-Za-z]:\//.test(path) ? `file:///${encoded}` : encoded;
  return `${url}#L${line}`;
}

function locationLink(path: string, range: { start: { line: number; character: number } }, options: HtmlOptions, label?: string): string {
  const line = range.start.line + 1;
  const text = e(label ?? `${path}:${line}:${range.start.character + 1}`);
  if (options.linkMode === 'command') {
    return `<a class="loc" href="#" data-action="open" data-path="${e(path)}" data-line="${range.start.line}" data-character="${range.start.character}">${text}</a>`;
  }
  return `<a class="loc" href="${e((options.fileHref ?? defaultFileHref)(path, line))}">${text}</a>`;
}

function ruleIdMarkup(ruleId: string, options: HtmlOptions): string {
  if (options.linkMode === 'command') return `<a class="rule-id" href="#" data-action="docs" data-rule="${e(ruleId)}">${e(ruleId)}</a>`;
  if (options.docsHref) return `<a class="rule-id" href="${e(options.docsHref(ruleId))}">${e(ruleId)}</a>`;
  return `<span class="rule-id">${e(ruleId)}</span>`;
}

function sev(severity: Severity): string {
  return `<span class="sev sev-${e(severity)}">${e(severity)}</span>`;
}

function countsText(f: FactorReport): string {
  const parts: string[] = [];
  if (f.counts.error) parts.push(`${f.counts.error} error${f.counts.error === 1 ? '' : 's'}`);
  if (f.counts.warning) parts.push(`${f.counts.warning} warning${f.counts.warning === 1 ? '' : 's'}`);
  if (f.counts.info) parts.push(`${f.counts.info} info`);
  if (f.counts.hint) parts.push(`${f.counts.hint} hint${f.counts.hint === 1 ? '' : 's'}`);
  if (parts.length === 0) parts.push('no findings');
  if (f.evidence.length) parts.push(`${f.evidence.length} good practice${f.evidence.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

function related(list: readonly RelatedLocation[], options: HtmlOptions): string {
  if (list.length === 0) return '';
  return `<ul class="related">${list.map((r) => `<li>${locationLink(r.path, r.range, options)} <span class="muted">${e(r.message)}</span></li>`).join('')}</ul>`;
}

function finding(f: ReportFinding, options: HtmlOptions): string {
  return `<li class="finding">${sev(f.severity)} <span class="msg">${e(f.message)}</span><div class="where">${locationLink(f.path, f.range, options)}${f.safeFix ? ' <span class="fixable" title="A safe quick fix is available">quick fix</span>' : ''}</div>${related(f.related, options)}</li>`;
}

function ruleGroup(rule: RuleGroup, options: HtmlOptions): string {
  const button = options.linkMode === 'command' && rule.safeFixes > 0
    ? `<button type="button" class="fix-all" data-action="fixAll" data-rule="${e(rule.ruleId)}">Fix all safe problems (${rule.safeFixes})</button>` : '';
  return `<div class="rule"><div class="rule-head">${sev(rule.severity)} ${ruleIdMarkup(rule.ruleId, options)} <span class="count">${rule.findings.length}</span> <span class="cost">−${rule.cost}</span>${button}</div>`
    + `<p class="desc">${e(rule.description)}</p><ul class="findings">${rule.findings.map((f) => finding(f, options)).join('')}</ul></div>`;
}

function factorSection(f: FactorReport, options: HtmlOptions): string {
  const findings = f.rules.length === 0
    ? `<p class="empty">${f.status === 'not-applicable' ? 'Nothing in this workspace is covered by this factor.' : 'No findings.'}</p>`
    : f.rules.map((r) => ruleGroup(r, options)).join('');
  const evidence = f.evidence.length === 0
    ? '<p class="empty">No evidence found yet.</p>'
    : `<ul class="evidence">${f.evidence.map((ev) => `<li><span class="check" aria-hidden="true">✓</span> <strong>${e(ev.title)}</strong><p class="muted">${e(ev.detail)}</p><div class="ev-locs">${ev.locations.map((l) => locationLink(l.path, l.range, options, l.range.start.line === 0 && l.range.end.line === 0 && l.range.end.character === 0 ? l.path : undefined)).join(' ')}</div></li>`).join('')}</ul>`;
  // what needs work starts open; passing factors stay one line each
  const open = f.status === 'fails' || f.status === 'needs-attention' ? ' open' : '';
  return `<details class="factor ${STATUS_CLASS[f.status]}" id="factor-${e(f.slug)}"${open}>`
    + `<summary><span class="num">${e(f.numeral)}</span><span class="ftitle">${e(f.title)}</span><span class="badge ${STATUS_CLASS[f.status]}">${STATUS_LABEL[f.status]}</span><span class="fscore">${f.score === null ? '—' : e(f.score)}</span><span class="fcounts muted">${e(countsText(f))}</span></summary>`
    + `<div class="fbody"><p class="fsummary">${e(f.summary)}</p><div class="cols"><section><h3>Findings</h3>${findings}</section><section><h3>Already right</h3>${evidence}</section></div>`
    + `<p class="how"><strong>How this score is computed.</strong> ${e(f.howComputed)}</p></div></details>`;
}

/** The rules costing the most points, across factors: where to start. */
function nextSteps(report: FactorReportModel): string {
  const groups = report.factors.flatMap((f) => f.rules.map((r) => ({ f, r })))
    .sort((a, b) => b.r.cost - a.r.cost || a.f.numeral.localeCompare(b.f.numeral) || a.r.ruleId.localeCompare(b.r.ruleId))
    .slice(0, 5);
  if (groups.length === 0) return '';
  const items = groups.map(({ f, r }) => `<li>${sev(r.severity)} <a href="#factor-${e(f.slug)}">${e(f.numeral)}. ${e(f.title)}</a> — ${e(r.description)} <span class="muted">(${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}, −${r.cost})</span></li>`).join('');
  return `<h2 id="next">Where to start</h2><ol class="next" aria-labelledby="next">${items}</ol>`;
}

const ROW = 30;
const LABEL_W = 270;
const BAR_W = 340;

function chart(report: FactorReportModel): string {
  const height = report.factors.length * ROW + 8;
  const width = LABEL_W + BAR_W + 190;
  const rows = report.factors.map((f, i) => {
    const y = i * ROW + 4;
    const w = f.score === null ? 0 : Math.round((BAR_W * f.score) / 100);
    const label = `${f.numeral}. ${f.title}: ${f.score === null ? 'not applicable' : `${f.score} of 100`}, ${STATUS_LABEL[f.status].toLowerCase()}`;
    return `<a href="#factor-${e(f.slug)}" aria-label="${e(label)}"><g class="row ${STATUS_CLASS[f.status]}">`
      + `<text class="cnum" x="30" y="${y + 19}" text-anchor="end">${e(f.numeral)}</text>`
      + `<text class="ctitle" x="40" y="${y + 19}">${e(f.title)}</text>`
      + `<rect class="track" x="${LABEL_W}" y="${y + 6}" width="${BAR_W}" height="16" rx="3"/>`
      + (w > 0 ? `<rect class="bar" x="${LABEL_W}" y="${y + 6}" width="${w}" height="16" rx="3"/>` : '')
      + `<text class="cscore" x="${LABEL_W + BAR_W + 10}" y="${y + 19}">${f.score === null ? 'n/a' : e(f.score)}</text>`
      + `<text class="cstatus" x="${LABEL_W + BAR_W + 44}" y="${y + 19}">${e(STATUS_LABEL[f.status])}</text>`
      + '</g></a>';
  }).join('');
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="chart-title"><title id="chart-title">Score of each factor, 0 to 100</title>${rows}</svg>`;
}

function ring(report: FactorReportModel): string {
  const score = report.overall.score;
  const r = 44;
  const c = 2 * Math.PI * r;
  const filled = score === null ? 0 : (c * score) / 100;
  return `<svg class="ring ${STATUS_CLASS[report.overall.status]}" viewBox="0 0 110 110" width="110" height="110" role="img" aria-label="Overall score ${score === null ? 'not applicable' : `${score} of 100`}">`
    + `<circle class="ring-track" cx="55" cy="55" r="${r}"/>`
    + `<circle class="ring-bar" cx="55" cy="55" r="${r}" stroke-dasharray="${filled.toFixed(2)} ${c.toFixed(2)}" transform="rotate(-90 55 55)"/>`
    + `<text x="55" y="62" text-anchor="middle" class="ring-text">${score === null ? '—' : e(score)}</text></svg>`;
}

const CSS = `
:root{--fb-bg:#ffffff;--fb-fg:#1f2328;--fb-muted:#59636e;--fb-border:#d1d9e0;--fb-card:#f6f8fa;--fb-link:#0969da;--fb-pass:#1a7f37;--fb-warn:#bf8700;--fb-fail:#cf222e;--fb-info:#0969da;--fb-na:#8c959f;--fb-track:#eaeef2}
@media (prefers-color-scheme: dark){:root{--fb-bg:#0d1117;--fb-fg:#e6edf3;--fb-muted:#9198a1;--fb-border:#3d444d;--fb-card:#151b23;--fb-link:#4493f8;--fb-pass:#3fb950;--fb-warn:#d29922;--fb-fail:#f85149;--fb-info:#4493f8;--fb-na:#656c76;--fb-track:#262c36}}
:root{--bg:var(--vscode-editor-background,var(--fb-bg));--fg:var(--vscode-editor-foreground,var(--fb-fg));--muted:var(--vscode-descriptionForeground,var(--fb-muted));--border:var(--vscode-panel-border,var(--fb-border));--card:var(--vscode-sideBar-background,var(--fb-card));--link:var(--vscode-textLink-foreground,var(--fb-link));--pass:var(--vscode-testing-iconPassed,var(--fb-pass));--warn:var(--vscode-editorWarning-foreground,var(--fb-warn));--fail:var(--vscode-editorError-foreground,var(--fb-fail));--info:var(--vscode-editorInfo-foreground,var(--fb-info));--na:var(--vscode-disabledForeground,var(--fb-na));--track:var(--vscode-editorWidget-border,var(--fb-track));--focus:var(--vscode-focusBorder,var(--fb-link))}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font-family:var(--vscode-font-family,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);font-size:var(--vscode-font-size,14px);line-height:1.45}
.page{max-width:1080px;margin:0 auto;padding:24px 28px 48px}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
a:focus-visible,button:focus-visible,summary:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
.top{display:flex;gap:22px;align-items:center;padding-bottom:18px;border-bottom:1px solid var(--border)}
h1{font-size:1.55em;margin:0 0 4px;font-weight:600}
.sub{margin:2px 0;color:var(--muted)}
.badge{display:inline-block;padding:1px 9px;border-radius:999px;font-size:.82em;font-weight:600;border:1px solid currentColor}
.s-pass.badge{color:var(--pass)}.s-warn.badge{color:var(--warn)}.s-fail.badge{color:var(--fail)}.s-na.badge{color:var(--na)}
.ring-track{fill:none;stroke:var(--track);stroke-width:10}.ring-bar{fill:none;stroke-width:10;stroke-linecap:round}
.ring.s-pass .ring-bar{stroke:var(--pass)}.ring.s-warn .ring-bar{stroke:var(--warn)}.ring.s-fail .ring-bar{stroke:var(--fail)}.ring.s-na .ring-bar{stroke:var(--na)}
.ring-text{fill:var(--fg);font-size:28px;font-weight:700}
h2{font-size:1.1em;margin:26px 0 10px;font-weight:600}
.glance{overflow-x:auto}
.chart{max-width:100%;height:auto}
.chart text{fill:var(--fg);font-size:14px}.chart .cnum,.chart .cstatus{fill:var(--muted)}.chart .cscore{font-weight:700}
.chart .track{fill:var(--track)}.chart .s-pass .bar{fill:var(--pass)}.chart .s-warn .bar{fill:var(--warn)}.chart .s-fail .bar{fill:var(--fail)}.chart .s-na .bar{fill:var(--na)}
.chart .s-na text{fill:var(--na)}
.chart a:hover .ctitle{text-decoration:underline}.chart a:focus-visible{outline:2px solid var(--focus)}
details.factor{border:1px solid var(--border);border-left:4px solid var(--na);border-radius:6px;margin:10px 0;background:var(--bg)}
details.factor.s-pass{border-left-color:var(--pass)}details.factor.s-warn{border-left-color:var(--warn)}details.factor.s-fail{border-left-color:var(--fail)}
summary{cursor:pointer;padding:10px 14px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
summary .num{min-width:2.6em;color:var(--muted);font-weight:600}
summary .ftitle{font-weight:600;min-width:12em}
summary .fscore{font-weight:700;min-width:2.2em;text-align:right}
.fbody{padding:4px 18px 14px;border-top:1px solid var(--border)}
.fsummary{color:var(--muted);font-style:italic}
.cols{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:22px}
@media (max-width:760px){.cols{grid-template-columns:1fr}}
h3{font-size:.95em;margin:10px 0 6px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.rule{margin:8px 0 14px}
.rule-head{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.rule-id{font-family:var(--vscode-editor-font-family,ui-monospace,SFMono-Regular,Menlo,monospace);font-weight:600}
.count{background:var(--card);border:1px solid var(--border);border-radius:999px;padding:0 7px;font-size:.8em}
.cost{color:var(--muted);font-size:.8em}
.desc{margin:4px 0;color:var(--muted)}
ul.findings,ul.evidence{list-style:none;padding:0;margin:0}
li.finding{padding:6px 10px;margin:4px 0;background:var(--card);border-radius:4px}
.where{margin-top:2px;font-size:.88em}
.loc{font-family:var(--vscode-editor-font-family,ui-monospace,SFMono-Regular,Menlo,monospace);word-break:break-all}
.fixable{font-size:.78em;color:var(--pass);border:1px solid currentColor;border-radius:3px;padding:0 4px}
ul.related{margin:4px 0 0 14px;padding:0;font-size:.86em;list-style:'↳ '}
.sev{display:inline-block;font-size:.72em;font-weight:700;text-transform:uppercase;padding:0 5px;border-radius:3px;color:var(--bg)}
.sev-error{background:var(--fail)}.sev-warning{background:var(--warn)}.sev-info{background:var(--info)}.sev-hint{background:var(--na)}
ul.evidence li{padding:6px 0;border-bottom:1px dashed var(--border)}ul.evidence li:last-child{border-bottom:0}
.check{color:var(--pass);font-weight:700}
ul.evidence p{margin:2px 0 2px 1.3em}.ev-locs{margin-left:1.3em;font-size:.85em;display:flex;gap:10px;flex-wrap:wrap}
.muted{color:var(--muted)}.empty{color:var(--muted)}
.how{font-size:.88em;color:var(--muted);border-top:1px solid var(--border);padding-top:8px;margin-bottom:0}
button.fix-all{margin-left:auto;font:inherit;font-size:.85em;padding:3px 10px;border-radius:3px;cursor:pointer;border:1px solid var(--vscode-button-border,transparent);color:var(--vscode-button-foreground,#fff);background:var(--vscode-button-background,var(--fb-link))}
button.fix-all:hover{background:var(--vscode-button-hoverBackground,var(--fb-link))}
ol.next{margin:0;padding-left:1.4em}ol.next li{margin:4px 0}
footer{margin-top:28px;font-size:.85em;color:var(--muted)}
`;

const SCRIPT = `(function(){if(typeof acquireVsCodeApi!=='function')return;var vscode=acquireVsCodeApi();document.addEventListener('click',function(ev){var t=ev.target&&ev.target.closest?ev.target.closest('[data-action]'):null;if(!t)return;ev.preventDefault();var d=t.dataset;if(d.action==='open'){vscode.postMessage({type:'open',path:d.path,line:Number(d.line),character:Number(d.character)});}else if(d.action==='fixAll'){vscode.postMessage({type:'fixAll',ruleId:d.rule});}else if(d.action==='docs'){vscode.postMessage({type:'openDocs',ruleId:d.rule});}});})();`;

export function renderHtml(report: FactorReportModel, options: HtmlOptions): string {
  // a nonce or source that could break out of the CSP syntax is a programming error, not data
  if (options.nonce !== undefined && !/^[A-Za-z0-9+/=_-]{8,}$/.test(options.nonce)) throw new Error('renderHtml: the nonce must be 8+ base64 characters');
  if (options.cspSource !== undefined && /[\s;'"<>,]/.test(options.cspSource)) throw new Error('renderHtml: invalid cspSource');
  const nonceAttr = options.nonce ? ` nonce="${e(options.nonce)}"` : '';
  const styleSrc = options.nonce ? `${options.cspSource ? `${options.cspSource} ` : ''}'nonce-${options.nonce}'` : `'unsafe-inline'`;
  const scriptSrc = options.nonce ? `'nonce-${options.nonce}'` : `'unsafe-inline'`;
  const withScript = options.linkMode === 'command';
  const csp = `default-src 'none'; img-src ${options.cspSource ? `${options.cspSource} ` : ''}data:; style-src ${styleSrc}; script-src ${withScript ? scriptSrc : `'none'`};`;
  const title = options.title ?? 'factorlint — Twelve-Factor report';
  const o = report.overall;
  const findingsText = `${o.counts.total} finding${o.counts.total === 1 ? '' : 's'} (${o.counts.error} error${o.counts.error === 1 ? '' : 's'}, ${o.counts.warning} warning${o.counts.warning === 1 ? '' : 's'}, ${o.counts.info} info, ${o.counts.hint} hint${o.counts.hint === 1 ? '' : 's'})`;
  const evidenceCount = report.factors.reduce((n, f) => n + f.evidence.length, 0);
  const why = [failingFactorsText(report.factors), o.incomplete ? `${o.incomplete} file${o.incomplete === 1 ? '' : 's'} not analysed completely` : undefined].filter((t) => t !== undefined).join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style${nonceAttr}>${CSS}</style>
</head>
<body>
<div class="page">
<header class="top">${ring(report)}<div><h1>${e(title)}</h1>${options.subtitle ? `<p class="sub">${e(options.subtitle)}</p>` : ''}<p class="sub"><span class="badge ${STATUS_CLASS[o.status]}">${STATUS_LABEL[o.status]}</span>${why ? ` <span class="why">(${e(why)})</span>` : ''} · ${e(findingsText)} · ${evidenceCount} good practice${evidenceCount === 1 ? '' : 's'} found · ${o.applicableFactors} of ${report.factors.length} factors apply · ${report.files} files${report.baselined > 0 ? ` · ${report.baselined} baselined finding${report.baselined === 1 ? '' : 's'} hidden` : ''}</p></div></header>
<h2 id="glance">At a glance</h2>
<section class="glance" aria-labelledby="glance">${chart(report)}</section>
${nextSteps(report)}
<h2 id="factors">Factors</h2>
<main aria-labelledby="factors">${report.factors.map((f) => factorSection(f, options)).join('\n')}</main>
<footer><p><strong>How scores are computed.</strong> ${e(report.scoring)}</p><p>Generated by factorlint.</p></footer>
</div>
${withScript ? `<script${nonceAttr}>${SCRIPT}</script>` : ''}
</body>
</html>
`;
}

/** The report's subtitle, in the CLI's file and the editor's webview alike: the analysed root's name. */
export function reportSubtitle(root: string): string {
  return root.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || root;
}
