/**
 * Runs the rules over one file: classify, parse once, check with each enabled rule (a rule
 * that throws is isolated), apply suppressions and configured severities.
 */
import { classifyFile, type ClassifyOptions } from './classify';
import { configForPath, DEFAULT_CONFIG, globMatcher, type ResolvedConfig } from './config';
import { parseDocument, type ParsedDocument } from './document';
import { EMPTY_PROJECT, type ProjectContext } from './project-context';
import { RULES } from './registry';
import { SuppressionIndex, parseSuppressions } from './suppressions';
import type { FileInfo, FileKind, Finding, Report, Rule, RuleCheck, RuleContext, Severity } from './types';

/** Engine-level diagnostics (not rules): they cannot be configured away except through `rules`. */
export const META_RULES = {
  unusedSuppression: 'factorlint/unused-suppression',
  expiredSuppression: 'factorlint/expired-suppression',
  fileTooLarge: 'factorlint/file-too-large',
  fileUnparseable: 'factorlint/file-unparseable',
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
  /** Rules to run; the whole registry by default. */
  rules?: readonly Rule[];
  classify?: ClassifyOptions;
  /** A parse of this exact text to reuse (same document version). */
  parsed?: ParsedDocument;
  /** A parse of an earlier version of the document, reparsed incrementally (consumed: do not use it after). */
  previous?: ParsedDocument;
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
  skipped?: 'unsupported' | 'ignored' | 'too-large' | 'binary' | 'unparseable';
}

function fill(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, key: string) => (data && key in data ? String(data[key]) : `{{${key}}}`));
}

export function isLikelyBinary(text: string): boolean {
  const head = text.slice(0, 8000);
  return head.includes('\u0000');
}

function severityFor(ruleId: string, fallback: Severity, config: ResolvedConfig): Severity | 'off' {
  return config.rules[ruleId] ?? fallback;
}

/** Analyses one file synchronously (CLI, tests, small documents). */
export function analyze(input: AnalyzeInput, options: AnalyzeOptions = {}): AnalysisResult {
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
export async function analyzeAsync(input: AnalyzeInput, options: AsyncAnalyzeOptions = {}): Promise<AnalysisResult | undefined> {
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
  if (config.ignore.length > 0 && globMatcher(config.ignore)(relative)) return { findings: [], skipped: 'ignored' };
  const file = classifyFile(input.path, input.text, input.languageId, { appScope: config.appOnly, ...options.classify });
  if (!file) return { findings: [], skipped: 'unsupported' };
  if (input.text.length > config.maxFileSize) {
    return {
      file,
      skipped: 'too-large',
      findings: [metaFinding(META_RULES.fileTooLarge, 'info', `factorlint skipped this file: ${Math.round(input.text.length / 1024)} KB is over the ${Math.round(config.maxFileSize / 1024)} KB limit (setting maxFileSize).`, 0, 0, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } })],
    };
  }
  if (isLikelyBinary(input.text)) return { file, findings: [], skipped: 'binary' };
  let parsed: ParsedDocument;
  try {
    parsed = options.parsed && options.parsed.text === input.text && options.parsed.kind === file.kind ? options.parsed : parseDocument(file, input.text, options.previous);
  } catch (error) {
    // The parsers are recursive: pathological nesting exhausts the stack. Say so once, never crash.
    const reason = error instanceof RangeError ? 'it is nested too deeply' : 'its parser failed';
    return {
      file,
      skipped: 'unparseable',
      findings: [metaFinding(META_RULES.fileUnparseable, 'info', `factorlint skipped this file: ${reason}.`, 0, 0, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } })],
    };
  }
  yield;
  const project = options.project ?? EMPTY_PROJECT;
  const rules = (options.rules ?? RULES).filter((rule) => {
    if (!rule.check[file.kind]) return false;
    if (severityFor(rule.meta.id, rule.meta.severity, config) === 'off') return false;
    if (rule.meta.appOnly && !file.isApp) return false;
    if (rule.meta.skipTests && file.isTest) return false;
    return true;
  });

  const raw: Array<{ rule: Rule; report: Report }> = [];
  for (const rule of rules) {
    const ctx: RuleContext<unknown> = {
      file,
      text: input.text,
      parsed: parsed.value,
      options: { loggerModule: config.loggerModule, rule: config.ruleOptions[rule.meta.id] ?? {} },
      project,
      positionAt: (o) => parsed.lines.positionAt(o),
      offsetAt: (p) => parsed.lines.offsetAt(p),
      report: (report) => { raw.push({ rule, report }); },
    };
    try {
      (rule.check[file.kind] as RuleCheck<FileKind>)(ctx as never);
    } catch (error) {
      options.onRuleError?.(rule.meta.id, file.path, error);
    }
    yield;
  }

  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const suppressions = new SuppressionIndex(parseSuppressions(parsed.directiveComments()), today);
  const findings: Finding[] = [];
  for (const { rule, report } of raw) {
    const configured = config.rules[rule.meta.id];
    const severity: Severity = configured && configured !== 'off' ? configured : report.severity ?? rule.meta.severity;
    const start = Math.max(0, Math.min(report.start, input.text.length));
    const end = Math.max(start, Math.min(report.end, input.text.length));
    const range = { start: parsed.lines.positionAt(start), end: parsed.lines.positionAt(end) };
    const verdict = suppressions.check(rule.meta.id, range.start.line);
    if (verdict.suppressed) continue;
    const template = rule.meta.messages[report.messageId] ?? report.messageId;
    findings.push({
      ruleId: rule.meta.id,
      factor: rule.meta.factor,
      severity,
      message: fill(template, report.data),
      start,
      end,
      range,
      fixes: report.fixes ?? [],
      related: report.related,
    });
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
