/**
 * Runs the rules over one file: classify, parse once, check with each enabled rule (a rule
 * that throws is isolated), apply suppressions and configured severities.
 */
import { classifyFile, type ClassifyOptions } from './classify';
import { configForPath, DEFAULT_CONFIG, type ResolvedConfig } from './config';
import { parseDocument, type ParsedDocument } from './document';
import { compiledGlobs } from './glob';
import { maskText } from './mask';
import { findingSeverity, ruleEnabled } from './rule-contract';
import { FindingMaker } from './finding-memo';
import { EMPTY_PROJECT, type ProjectContext } from './project-context';
import { SuppressionIndex, parseSuppressions } from './suppressions';
import { runStatementwise, statementMemoFor } from './statement-memo';
import type { ParsedTs } from '../parse/typescript';
import type { FileInfo, FileKind, FileRole, Finding, Report, Rule, RuleCheck, RuleContext, Severity } from './types';

/** Engine-level diagnostics (not rules): they cannot be configured away except through `rules`. */
export const META_RULES = {
  unusedSuppression: 'factorlint/unused-suppression',
  expiredSuppression: 'factorlint/expired-suppression',
  fileTooLarge: 'factorlint/file-too-large',
  /** A rule that threw, a file that could not be parsed, or a bound that cut the analysis short: never a silent pass. */
  analysisIncomplete: 'factorlint/analysis-incomplete',
} as const;

export interface AnalyzeInput {
  path: string;
  text: string;
  /** Editor language id, when known (`dockercompose`, `dotenv`…). */
  languageId?: string;
}

export interface AnalyzeOptions {
  config?: ResolvedConfig;
  project?: ProjectContext;
  /**
   * Rules to run: the catalogue lives with the rules (`rules/registry.ts` RULES) and is handed
   * in, so the engine imports no rule module.
   */
  rules: readonly Rule[];
  classify?: ClassifyOptions;
  /** A parse of this exact text to reuse (same document version). */
  parsed?: ParsedDocument;
  /** A parse of an earlier version of the document, reparsed incrementally (consumed: do not use it after). */
  previous?: ParsedDocument;
  /** Called with the parse as soon as it exists (before the rules run), so a host can keep it even when the analysis is cancelled. */
  onParsed?: (parsed: ParsedDocument) => void;
  /**
   * The document is open in an editor and will be edited: an analysis of a cold parse (the open)
   * keeps its findings per top-level statement, so the first edit re-checks only what it made
   * (engine/statement-memo.ts). The CLI and the workspace index leave it off: no memo, no cost.
   */
  editing?: boolean;
  /** YYYY-MM-DD, for suppression expiry; today by default. */
  today?: string;
  /** Report unused suppressions (only meaningful when the whole registry runs). */
  reportUnusedSuppressions?: boolean;
  /** Rule ids judged outside this file's analysis (workspace rules): suppressions naming only these are never "unused" here. */
  externalRuleIds?: ReadonlySet<string>;
  /** Called when a rule throws; the other rules' findings are still returned. */
  onRuleError?: (ruleId: string, path: string, error: unknown) => void;
}

export interface AnalysisResult {
  file?: FileInfo;
  findings: Finding[];
  parsed?: ParsedDocument;
  /** Why the file was not analysed, when it was not. */
  skipped?: 'unsupported' | 'ignored' | 'too-large' | 'binary' | 'unparseable' | 'vendored';
}

/** Roles a rule runs on when its meta names none: every role but `vendored`. */
export const DEFAULT_RULE_ROLES: readonly FileRole[] = ['server', 'browser', 'script', 'test', 'tooling'];

export function ruleAppliesToRole(rule: Rule, role: FileRole): boolean {
  return (rule.meta.roles ?? DEFAULT_RULE_ROLES).includes(role);
}

/**
 * Whether a file counts as analysed: the engine ran on it, or reported why it could not (too
 * large, unparseable). Ignored, binary and unsupported files do not count. The one definition
 * of "files analysed" behind every output: CLI summary, HTML, Markdown and JSON reports, the
 * editor's report and "Analyze Workspace".
 */
export function countsAsAnalysed(result: { skipped?: string }): boolean {
  return result.skipped === undefined || result.skipped === 'too-large' || result.skipped === 'unparseable';
}

/**
 * Binary content, not text with a stray NUL: a NUL in a comment or string of a text file
 * does not make it binary (it is analysed), many NULs or other C0 controls in the head do.
 */
export function isLikelyBinary(text: string): boolean {
  const head = text.slice(0, 8000);
  if (!head.includes('\u0000')) return false;
  let controls = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c < 9 || (c > 13 && c < 32)) controls++;
  }
  return controls > Math.max(8, head.length / 100);
}

/** The engine's finding for an analysis that did not complete: the reason, never file content. */
export function incompleteFinding(reason: string, start = 0, end = 0, range: Finding['range'] = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }): Finding {
  return metaFinding(META_RULES.analysisIncomplete, 'error', `factorlint could not analyse this file completely: ${maskText(reason)}. Its other findings may be missing; this is not a pass.`, start, end, range);
}

/** Why an exception stopped work, in words safe to show (no message text from the input). */
export function failureReason(error: unknown): string {
  if (error instanceof RangeError) return 'it is nested too deeply (stack exhausted)';
  const name = error instanceof Error ? error.name : typeof error;
  return `an internal error (${name})`;
}

/** Analyses one file synchronously (CLI, tests, small documents). */
export function analyze(input: AnalyzeInput, options: AnalyzeOptions): AnalysisResult {
  const steps = analysisSteps(input, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export interface AsyncAnalyzeOptions extends AnalyzeOptions {
  /** Checked whenever the analysis yields; when true the analysis stops and resolves undefined. */
  isCancelled?: () => boolean;
  /** Work between yields to the event loop, in ms (default 15): keeps a server responsive. */
  sliceMs?: number;
}

/**
 * The same analysis, yielding to the event loop between rules once a time slice is used up,
 * so a language server keeps answering other requests during a long analysis, and stopping
 * early (undefined) when `isCancelled` says the result is no longer wanted.
 */
export async function analyzeAsync(input: AnalyzeInput, options: AsyncAnalyzeOptions): Promise<AnalysisResult | undefined> {
  const slice = options.sliceMs ?? 15;
  const steps = analysisSteps(input, options);
  let sliceStart = Date.now();
  for (;;) {
    if (options.isCancelled?.()) return undefined;
    const step = steps.next();
    if (step.done) return step.value;
    if (Date.now() - sliceStart >= slice) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
  }
}

/** The analysis as steps: a yield after the parse and after each rule. */
function* analysisSteps(input: AnalyzeInput, options: AnalyzeOptions): Generator<void, AnalysisResult, void> {
  const relative = (options.classify?.relativePath ?? input.path).replace(/\\/g, '/');
  // `overrides` are per file: their globs are relative to the config root, like `ignore`
  const config = configForPath(options.config ?? DEFAULT_CONFIG, relative);
  if (config.ignore.length > 0 && compiledGlobs(config.ignore)(relative)) return { findings: [], skipped: 'ignored' };
  const file = classifyFile(input.path, input.text, input.languageId, { appScope: config.appOnly, roleGlobs: config.roles, ...options.classify });
  if (!file) return { findings: [], skipped: 'unsupported' };
  if (input.text.length > config.maxFileSize) {
    return {
      file,
      skipped: 'too-large',
      findings: [metaFinding(META_RULES.fileTooLarge, 'info', `factorlint skipped this file: ${Math.round(input.text.length / 1024)} KB is over the ${Math.round(config.maxFileSize / 1024)} KB limit (setting maxFileSize).`, 0, 0, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } })],
    };
  }
  if (isLikelyBinary(input.text)) {
    return { file, skipped: 'binary', findings: [incompleteFinding('its content looks binary (NUL and control bytes), so it was not analysed')] };
  }
  // vendored code (minified, bundled, copied, generated) is not ours to judge: not even parsed
  if (file.role === 'vendored') return { file, findings: [], skipped: 'vendored' };
  let parsed: ParsedDocument;
  try {
    parsed = options.parsed && options.parsed.text === input.text && options.parsed.kind === file.kind ? options.parsed : parseDocument(file, input.text, options.previous);
    if (parsed !== options.parsed) options.onParsed?.(parsed);
  } catch (error) {
    // The parsers are recursive: pathological nesting exhausts the stack. Say so once, never crash, never pass.
    const reason = error instanceof RangeError ? 'it is nested too deeply for the parser' : `its parser failed (${failureReason(error)})`;
    return { file, skipped: 'unparseable', findings: [incompleteFinding(reason)] };
  }
  yield;
  const project = options.project ?? EMPTY_PROJECT;
  const rules = options.rules.filter((rule) => {
    if (!rule.check[file.kind]) return false;
    if (!ruleEnabled(rule.meta, config)) return false;
    return ruleAppliesToRole(rule, file.role);
  });

  const raw: Array<{ rule: Rule; report: Report }> = [];
  const failures: string[] = [];
  // an edited TS document keeps statementwise rules' findings per unchanged top-level statement
  const memo = parsed.kind === 'ts' ? statementMemoFor(file, parsed.value as ParsedTs, config.loggerModule, options.editing === true) : undefined;
  for (const rule of rules) {
    const ruleOptions = { loggerModule: config.loggerModule, rule: config.ruleOptions[rule.meta.id] ?? {} };
    const contextFor = (value: unknown, report: (report: Report) => void): RuleContext<never> => ({
      file,
      text: input.text,
      parsed: value as never,
      options: ruleOptions,
      project,
      positionAt: (o) => parsed.lines.positionAt(o),
      offsetAt: (p) => parsed.lines.offsetAt(p),
      report,
    });
    try {
      if (memo && rule.statementwise) {
        for (const report of runStatementwise(memo, rule.meta.id, rule.statementwise, config.ruleOptions[rule.meta.id], parsed.value as ParsedTs, contextFor)) raw.push({ rule, report });
      } else {
        (rule.check[file.kind] as RuleCheck<FileKind>)(contextFor(parsed.value, (report) => { raw.push({ rule, report }); }));
      }
    } catch (error) {
      options.onRuleError?.(rule.meta.id, file.path, error);
      failures.push(`rule ${rule.meta.id} failed with ${failureReason(error)}`);
    }
    yield;
  }

  const cutShort = parsed.incomplete?.(); // after the rules: they resolve what the parse left lazy
  if (cutShort) failures.unshift(cutShort);

  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const suppressions = new SuppressionIndex(parseSuppressions(parsed.directiveComments()), today);
  const findings: Finding[] = [];
  // an edited document's findings that did not change are the last analysis' objects (engine/finding-memo.ts)
  const maker = new FindingMaker(memo, parsed.lines);
  for (const { rule, report } of raw) {
    const severity = findingSeverity(rule.meta, report.severity, config);
    const start = Math.max(0, Math.min(report.start, input.text.length));
    const end = Math.max(start, Math.min(report.end, input.text.length));
    const finding = maker.finding(rule, report, severity, start, end);
    const verdict = suppressions.check(rule.meta.id, finding.range.start.line);
    if (verdict.suppressed) continue;
    findings.push(finding);
  }
  maker.done();
  if (failures.length > 0) { // never configurable away: a failure must not read as a pass
    const shown = failures.slice(0, 3).join('; ') + (failures.length > 3 ? `; and ${failures.length - 3} more` : '');
    findings.push(incompleteFinding(shown));
  }
  for (const s of suppressions.expired()) {
    if (config.rules[META_RULES.expiredSuppression] === 'off') break;
    findings.push(metaFinding(META_RULES.expiredSuppression, 'warning', `This suppression expired on ${s.until}: the findings it silenced are reported again.`, s.start, s.end, rangeOf(parsed, s.start, s.end)));
  }
  if (options.reportUnusedSuppressions && config.rules[META_RULES.unusedSuppression] !== 'off') {
    for (const s of suppressions.unused()) {
      if (s.ruleIds.length > 0 && s.ruleIds.every((id) => options.externalRuleIds?.has(id))) continue;
      const ids = s.ruleIds.length ? s.ruleIds.join(', ') : 'all rules';
      findings.push({
        ...metaFinding(META_RULES.unusedSuppression, 'hint', `Unused suppression: no ${ids} finding here to silence.`, s.start, s.end, rangeOf(parsed, s.start, s.end)),
        fixes: [{ title: 'Remove unused suppression comment', kind: 'safe', edits: [removeCommentEdit(input.text, s.start, s.end)] }],
      });
    }
  }
  findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId) || a.end - b.end);
  return { file, findings, parsed };
}

function rangeOf(parsed: ParsedDocument, start: number, end: number) {
  return { start: parsed.lines.positionAt(start), end: parsed.lines.positionAt(end) };
}

/** Removes a comment; when it is alone on its line, removes the whole line. */
function removeCommentEdit(text: string, start: number, end: number) {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, start);
  const after = text.slice(end, lineEnd);
  if (before.trim() === '' && after.trim() === '') return { start: lineStart, end: Math.min(text.length, lineEnd + 1), newText: '' };
  // trailing comment: also drop the whitespace before it
  let s = start;
  while (s > lineStart && /[ \t]/.test(text[s - 1])) s--;
  return { start: s, end, newText: '' };
}

function metaFinding(ruleId: string, severity: Severity, message: string, start: number, end: number, range: Finding['range']): Finding {
  return { ruleId, factor: 'codebase', severity, message, start, end, range, fixes: [] };
}
