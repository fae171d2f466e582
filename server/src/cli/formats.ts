/**
 * Output formats of the CLI. `json` is a contract other tools build on (version 1):
 * `{version, findings[{file,line,column,endLine,endColumn,rule,factor,severity,message,fixable}], summary}`.
 * No format prints source text: messages are already masked by the rules, so a secret
 * found in a file never reaches the output.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { factorInfo } from '../engine/factors';
import { fixIsShowable } from '../engine/mask';
import type { Finding, RelatedLocation, Severity, TextEdit } from '../engine/types';
import type { LineIndex } from '../engine/line-index';
import { readRulePage } from '../host/rule-docs';
import { formatFactorReport } from '../report-summary';
import type { FactorReportModel } from '../report/report-model';
import { renderHtml } from '../report/render-html';
import { escapeControl } from '../report/escape';
import { renderMarkdown } from '../report/render-markdown';
import { reportToJson } from '../report/report-json';
import type { ShardSpec } from '../shard';
import type { FileResult, RunResult, Summary } from './analyze-paths';
import { ruleCatalogue, type RuleEntry } from './catalogue';

export type Paint = (style: Severity | 'dim' | 'bold' | 'underline', text: string) => string;

const ANSI: Record<Parameters<Paint>[0], [number, number]> = {
  error: [31, 39], warning: [33, 39], info: [36, 39], hint: [90, 39], dim: [2, 22], bold: [1, 22], underline: [4, 24],
};

export function painter(enabled: boolean): Paint {
  return enabled ? (style, text) => `\u001b[${ANSI[style][0]}m${text}\u001b[${ANSI[style][1]}m` : (_style, text) => text;
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  factor: string;
  severity: Severity;
  message: string;
  fixable: boolean;
  /** Other locations involved (cross-file findings), when there are any. */
  related?: Array<{ file: string; line: number; column: number; message: string }>;
}

/** Where the model's paths live, to turn them into the contract's cwd-relative `file`. */
export interface PathContext { cwd: string; modelRoot: string }

export function fileOfModelPath(ctx: PathContext, modelPath: string): string {
  return path.relative(ctx.cwd, path.resolve(ctx.modelRoot, modelPath)).split(path.sep).join('/') || '.';
}

function relatedJson(ctx: PathContext | undefined, related: readonly RelatedLocation[] | undefined): JsonFinding['related'] {
  if (!related || related.length === 0) return undefined;
  return related.map((r) => ({ file: ctx ? fileOfModelPath(ctx, r.path) : r.path, line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message }));
}

export function toJsonFinding(file: string, f: Finding, ctx?: PathContext): JsonFinding {
  const related = relatedJson(ctx, f.related);
  return {
    file,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    rule: f.ruleId,
    factor: factorInfo(f.factor).numeral,
    severity: f.severity,
    message: f.message,
    fixable: f.fixes.length > 0,
    ...(related ? { related } : {}),
  };
}

/** The JSON contract (version, findings, summary) plus the per-factor report under `factors`. */
export function formatJson(result: RunResult, options: { cwd?: string; report?: FactorReportModel } = {}): string {
  const ctx = options.cwd && result.modelRoot ? { cwd: options.cwd, modelRoot: result.modelRoot } : undefined;
  const findings = result.files.flatMap((f) => f.findings.map((finding) => toJsonFinding(f.file, finding, ctx)));
  return JSON.stringify({ version: 1, findings, summary: result.summary, ...(options.report ? { factors: reportToJson(options.report) } : {}), files: jsonFiles(result) }, null, 2) + '\n';
}

/** `{ file, role, reason }` of every analysed file, and of vendored files (not analysed, role shown so users see why). */
export function jsonFiles(result: Pick<RunResult, 'files' | 'skipped'>): Array<{ file: string; role: string; reason: string }> {
  const rows = [
    ...result.files.filter((f) => f.analysed !== false && f.role).map((f) => ({ file: f.file, role: f.role!.role, reason: f.role!.reason })),
    ...result.skipped.filter((s) => s.reason === 'vendored' && s.role).map((s) => ({ file: s.file, role: s.role!.role, reason: s.role!.reason })),
  ];
  return rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function summaryLine(summary: Summary): string {
  const total = summary.error + summary.warning + summary.info + summary.hint;
  const counts = `${plural(summary.error, 'error')}, ${plural(summary.warning, 'warning')}, ${summary.info} info, ${plural(summary.hint, 'hint')}`;
  const files = `${plural(summary.filesAnalyzed, 'file')} analysed${summary.filesSkipped ? `, ${summary.filesSkipped} skipped` : ''}`;
  const baselined = summary.baselined ? ` · ${summary.baselined} baselined` : '';
  return `${total === 0 ? '✔ no problems' : `✖ ${plural(total, 'problem')} (${counts})`}${baselined} · ${files} in ${summary.durationMs} ms`;
}

export function formatText(result: RunResult, paint: Paint, options: { report?: FactorReportModel; quiet: boolean }): string {
  const out: string[] = [];
  for (const file of result.files) {
    if (file.findings.length === 0) continue;
    // names and messages come from the workspace: control characters are shown, never sent to the terminal
    out.push(paint('underline', escapeControl(file.file)));
    const rows = file.findings.map((f) => [`${f.range.start.line + 1}:${f.range.start.character + 1}`, f.severity, escapeControl(f.message), escapeControl(f.ruleId)] as const);
    const posWidth = Math.max(...rows.map((r) => r[0].length));
    for (const [pos, severity, message, rule] of rows) {
      out.push(`  ${paint('dim', pos.padEnd(posWidth))}  ${paint(severity, severity.padEnd(7))}  ${message}  ${paint('dim', rule)}`);
    }
    out.push('');
  }
  if (options.report) out.push(formatFactorReport(options.report, paint), '');
  if (!options.quiet || result.summary.error + result.summary.warning + result.summary.info + result.summary.hint > 0) {
    const line = summaryLine(result.summary);
    out.push(result.summary.error > 0 ? paint('error', line) : result.summary.warning > 0 ? paint('warning', line) : line);
  }
  return out.join('\n') + '\n';
}

function escapeCell(text: string): string {
  return escapeControl(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

/** The factor report for PR comments: the factor table with status and counts, then the findings. */
export function formatMarkdown(result: RunResult, report: FactorReportModel): string {
  return `${renderMarkdown(report)}_${escapeCell(summaryLine(result.summary))}_\n`;
}

/** The standalone HTML report (works offline); locations link to the files on this machine. */
export function formatHtml(report: FactorReportModel, modelRoot: string, subtitle: string): string {
  return renderHtml(report, {
    linkMode: 'file',
    fileHref: (p, line) => `${pathToFileURL(path.resolve(modelRoot, p)).href}#L${line}`,
    subtitle,
  });
}

// ---- SARIF 2.1.0 -------------------------------------------------------------------------

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** A relative URI reference for a path relative to %SRCROOT% (segments percent-encoded). */
export function relativeUri(file: string): string {
  return file.split('/').map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s))).join('/');
}

export function fileUri(absDir: string): string {
  const p = absDir.replace(/\\/g, '/');
  const withSlash = p.endsWith('/') ? p : `${p}/`;
  return `file://${withSlash.startsWith('/') ? '' : '/'}${withSlash.split('/').map(encodeURIComponent).join('/')}`;
}

function region(lines: LineIndex, start: number, end: number) {
  const s = lines.positionAt(start);
  const e = lines.positionAt(end);
  return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

/**
 * The rule's help travels inside the log (`help.markdown` is its documentation page), so code
 * scanning shows it without a web link: factorlint's docs ship with the package, not on a site.
 */
function sarifRule(entry: RuleEntry): Sarif.ReportingDescriptor {
  const factor = factorInfo(entry.factor);
  const page = entry.id.startsWith('factorlint/') ? undefined : readRulePage(entry.id);
  const summary = `${entry.description}\n\n${entry.rationale}`;
  return {
    id: entry.id,
    name: entry.id.replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: entry.description },
    fullDescription: { text: entry.rationale },
    help: {
      text: `${summary}\n\nFactor ${factor.numeral}, ${factor.title}. Full page: factorlint --explain ${entry.id} (${entry.docsPath} in the factorlint package).`,
      markdown: page ?? `**${entry.description}**\n\n${entry.rationale}\n\nFactor ${factor.numeral}, ${factor.title}: ${factor.summary}`,
    },
    defaultConfiguration: { level: SARIF_LEVEL[entry.severity] },
    properties: { tags: ['twelve-factor', `factor-${factor.numeral}`, entry.factor], factor: factor.numeral, fix: entry.fix, docs: entry.docsPath },
  };
}

function sarifFixes(file: FileResult, finding: Finding): Sarif.Fix[] | undefined {
  const lines = file.lines;
  if (!lines) return undefined;
  // a fix whose text holds a secret is not printed: the log would carry it (the cache withholds it too)
  const fixes = finding.fixes.filter((fix) => fix.edits.length > 0 && fixIsShowable(fix)).map((fix) => ({
    description: { text: `${fix.title} (${fix.kind})` },
    artifactChanges: [{
      artifactLocation: { uri: relativeUri(file.file), uriBaseId: '%SRCROOT%' },
      replacements: [...fix.edits].sort((a: TextEdit, b: TextEdit) => a.start - b.start).map((edit) => ({
        deletedRegion: region(lines, edit.start, edit.end),
        insertedContent: { text: edit.newText },
      })),
    }],
  }));
  return fixes.length > 0 ? fixes : undefined;
}

function sarifRelated(ctx: PathContext, related: readonly RelatedLocation[] | undefined): Sarif.Location[] | undefined {
  if (!related || related.length === 0) return undefined;
  return related.map((r, id) => ({
    id,
    physicalLocation: {
      artifactLocation: { uri: relativeUri(fileOfModelPath(ctx, r.path)), uriBaseId: '%SRCROOT%' },
      region: { startLine: r.range.start.line + 1, startColumn: r.range.start.character + 1, endLine: r.range.end.line + 1, endColumn: r.range.end.character + 1 },
    },
    message: { text: r.message },
  }));
}

export function formatSarif(result: RunResult, cwd: string, version: string, shard?: ShardSpec): string {
  const ctx = { cwd, modelRoot: result.modelRoot ?? cwd };
  const catalogue = ruleCatalogue();
  const index = new Map(catalogue.map((e, i) => [e.id, i]));
  const results = result.files.flatMap((file) => file.findings.map((f): Sarif.Result => {
    const ruleIndex = index.get(f.ruleId);
    const fixes = sarifFixes(file, f);
    const relatedLocations = sarifRelated(ctx, f.related);
    return {
      ruleId: f.ruleId,
      ...(ruleIndex === undefined ? {} : { ruleIndex }),
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: relativeUri(file.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 },
        },
      }],
      ...(relatedLocations ? { relatedLocations } : {}),
      ...(fixes ? { fixes } : {}),
      properties: { severity: f.severity, factor: factorInfo(f.factor).numeral },
    };
  }));
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'factorlint',
          version,
          semanticVersion: version,
          rules: catalogue.map(sarifRule),
        },
      },
      // code scanning keeps one analysis per automation id: each shard uploads its own
      ...(shard ? { automationDetails: { id: `factorlint/shard-${shard.index}-of-${shard.total}/` } } : {}),
      originalUriBaseIds: { '%SRCROOT%': { uri: fileUri(cwd) } },
      columnKind: 'utf16CodeUnits',
      invocations: [{ executionSuccessful: true }],
      results,
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

// ---- --list-rules -------------------------------------------------------------------------

export function formatRuleList(format: 'text' | 'json' | 'markdown', paint: Paint): string {
  const entries = ruleCatalogue().filter((e) => !e.id.startsWith('factorlint/'));
  if (format === 'json') {
    return JSON.stringify(entries.map((e) => ({ id: e.id, factor: e.numeral, severity: e.severity, fix: e.fix, description: e.description })), null, 2) + '\n';
  }
  if (format === 'markdown') {
    return ['| Rule | Factor | Severity | Fix | Description |', '|---|---|---|---|---|',
      ...entries.map((e) => `| \`${e.id}\` | ${e.numeral} | ${e.severity} | ${e.fix} | ${escapeCell(e.description)} |`)].join('\n') + '\n';
  }
  const idWidth = Math.max('RULE'.length, ...entries.map((e) => e.id.length));
  const header = `${'RULE'.padEnd(idWidth)}  ${'FACTOR'.padEnd(6)}  ${'SEVERITY'.padEnd(8)}  ${'FIX'.padEnd(10)}  DESCRIPTION`;
  const rows = entries.map((e) => `${e.id.padEnd(idWidth)}  ${e.numeral.padEnd(6)}  ${paint(e.severity, e.severity.padEnd(8))}  ${e.fix.padEnd(10)}  ${e.description}`);
  return [paint('bold', header), ...rows].join('\n') + '\n';
}
