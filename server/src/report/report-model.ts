/**
 * The factor report: for each of the fifteen factors a status, a score, the findings grouped
 * by rule and the evidence of good practice, computed from the project model and all findings
 * (single-file and workspace). Pure and deterministic: everything is sorted, nothing depends
 * on time or order of input. The scoring is explained inside the report (`howComputed`).
 */
import { FACTORS } from '../engine/factors';
import { RULES } from '../rules/registry';
import type { FactorSlug, RelatedLocation, Severity } from '../engine/types';
import type { ProjectModel } from '../workspace/model-types';
import { WORKSPACE_RULES } from '../workspace/registry';
import { compareFindings, type LocatedFinding } from '../workspace/workspace-rule';
import type { Evidence } from './evidence';
import { reportFactsOf, type ModelReportFacts } from './model-facts';

export type { Evidence } from './evidence';

export type FactorStatus = 'passes' | 'needs-attention' | 'fails' | 'not-applicable';

export interface SeverityCounts { error: number; warning: number; info: number; hint: number; total: number }

export interface ReportFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  path: string;
  /** 0-based, as LSP. */
  range: LocatedFinding['range'];
  related: RelatedLocation[];
  /** The finding offers a `safe` fix (fix-all applies it). */
  safeFix: boolean;
}

export interface RuleGroup {
  ruleId: string;
  description: string;
  /** The most severe finding's severity. */
  severity: Severity;
  /** Points this rule takes off the factor's score. */
  cost: number;
  /** Documentation page, relative to the repository root. */
  docs: string;
  safeFixes: number;
  findings: ReportFinding[];
}

export interface FactorReport {
  slug: FactorSlug;
  numeral: string;
  title: string;
  summary: string;
  status: FactorStatus;
  /** 0–100; null when the factor does not apply. */
  score: number | null;
  /** Why the factor applies (or not) to this workspace. */
  applicability: string;
  counts: SeverityCounts;
  baselined: number;
  rules: RuleGroup[];
  evidence: Evidence[];
  /** How this factor's score and status were computed, in words, with this workspace's numbers. */
  howComputed: string;
}

export interface FactorReportModel {
  version: 1;
  /**
   * `incomplete`: files whose analysis did not complete (`factorlint/analysis-incomplete`), only
   * when there are some; the overall status then fails, since their findings may be missing.
   */
  overall: { score: number | null; status: FactorStatus; counts: SeverityCounts; applicableFactors: number; incomplete?: number };
  factors: FactorReport[];
  /** Findings hidden by the baseline. */
  baselined: number;
  /** Files analysed (`countsAsAnalysed`): the same number as the CLI summary and "Analyze Workspace". */
  files: number;
  /** The scoring method, once for the whole report. */
  scoring: string;
}

/** The project model the report reads, or only what it reads of it (`reportFactsOf`: a recorded run builds no model). */
export type ReportModelInput = { model: ProjectModel; modelFacts?: undefined } | { model?: undefined; modelFacts: ModelReportFacts };

export type ReportInput = ReportModelInput & {
  /** Every finding shown (single-file findings with their path, and workspace findings). */
  findings: readonly LocatedFinding[];
  /** Findings hidden by the baseline (counted, not listed), or just their number. */
  baselined?: readonly LocatedFinding[] | number;
  /** Files analysed, counted by the caller's analysis with `countsAsAnalysed`. */
  filesAnalysed: number;
};

/** Points the first finding of a rule costs, by severity; each further finding costs a quarter, capped at twice. */
export const SEVERITY_COST: Readonly<Record<Severity, number>> = { error: 40, warning: 20, info: 8, hint: 2 };
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2, hint: 3 };

export const SCORING_TEXT = `Each factor starts at 100. Every rule with findings takes points off: ${SEVERITY_COST.error} for an error, ${SEVERITY_COST.warning} for a warning, ${SEVERITY_COST.info} for an info and ${SEVERITY_COST.hint} for a hint (by its most severe finding), plus a quarter of that for each further finding of the same rule, at most twice the first cost. The score never goes below 0. A factor fails when it has an error or scores below 50, needs attention when it has a warning or info finding, passes otherwise, and does not apply when the workspace holds nothing it covers. The overall score is the average of the factors that apply; the overall status is the worst factor's, so one failing factor fails the workspace whatever the average. Evidence of good practice is shown but does not change the score; baselined findings are counted but not scored.`;

/** Findings of the engine itself (unused or expired suppressions, skipped files) are not factor findings. */
function isEngineFinding(f: LocatedFinding): boolean {
  return f.ruleId.startsWith('factorlint/');
}

const DESCRIPTIONS = new Map<string, string>([...RULES, ...WORKSPACE_RULES].map((r) => [r.meta.id, r.meta.description]));

export function ruleCost(severity: Severity, count: number): number {
  const base = SEVERITY_COST[severity];
  return Math.min(2 * base, base + Math.round((base / 4) * Math.max(0, count - 1)));
}

function counts(findings: readonly { severity: Severity }[]): SeverityCounts {
  const c: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0, total: findings.length };
  for (const f of findings) c[f.severity]++;
  return c;
}

function group(findings: readonly LocatedFinding[]): RuleGroup[] {
  const byRule = new Map<string, LocatedFinding[]>();
  for (const f of findings) { const list = byRule.get(f.ruleId); if (list) list.push(f); else byRule.set(f.ruleId, [f]); } // in place: linear in the findings
  const groups = [...byRule].map(([ruleId, list]): RuleGroup => {
    const sorted = [...list].sort(compareFindings);
    const severity = sorted.map((f) => f.severity).sort((a, b) => SEVERITY_RANK[a] - SEVERITY_RANK[b])[0];
    const items = sorted.map((f): ReportFinding => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      path: f.path,
      range: f.range,
      related: [...(f.related ?? [])],
      safeFix: f.fixes.some((x) => x.kind === 'safe'),
    }));
    return { ruleId, description: DESCRIPTIONS.get(ruleId) ?? ruleId, severity, cost: ruleCost(severity, list.length), docs: `docs/rules/${ruleId}.md`, safeFixes: items.filter((i) => i.safeFix).length, findings: items };
  });
  return groups.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.cost - a.cost || a.ruleId.localeCompare(b.ruleId));
}

export function statusOf(applies: boolean, c: SeverityCounts, score: number): FactorStatus {
  if (!applies && c.total === 0) return 'not-applicable';
  if (c.error > 0 || score < 50) return 'fails';
  if (c.warning + c.info > 0) return 'needs-attention';
  return 'passes';
}

const STATUS_WORDS: Readonly<Record<FactorStatus, string>> = { passes: 'passes', 'needs-attention': 'needs attention', fails: 'fails', 'not-applicable': 'does not apply' };

export function explain(status: FactorStatus, score: number | null, rules: RuleGroup[], c: SeverityCounts, reason: string, baselined: number): string {
  if (status === 'not-applicable') return `Not scored: ${reason}.`;
  const parts = rules.map((r) => `${r.cost} for ${r.ruleId} (${r.findings.length} ${r.severity}${r.findings.length === 1 ? '' : 's'})`);
  const arithmetic = parts.length === 0 ? 'no rule reported anything, so the score stays at 100' : `100 − ${parts.join(' − ')} = ${score}`;
  const why = status === 'fails' ? (c.error > 0 ? `it has ${c.error} error(s)` : 'the score is below 50')
    : status === 'needs-attention' ? `it has ${c.warning} warning(s) and ${c.info} info finding(s)`
      : c.hint > 0 ? 'only hints remain' : 'nothing was found';
  const base = `Applies because ${reason}. Score: ${arithmetic}. Status: ${STATUS_WORDS[status]}, because ${why}.`;
  return baselined > 0 ? `${base} ${baselined} baselined finding(s) are not scored.` : base;
}

/** Builds the report model: the same input always gives the same report. */
export function buildReport(input: ReportInput): FactorReportModel {
  const findings = input.findings.filter((f) => !isEngineFinding(f));
  const baselinedList = typeof input.baselined === 'number' || input.baselined === undefined ? undefined : input.baselined.filter((f) => !isEngineFinding(f));
  const baselinedTotal = typeof input.baselined === 'number' ? input.baselined : baselinedList?.length ?? 0;
  const { evidence, applicability } = input.modelFacts ?? reportFactsOf(input.model);
  const factors = FACTORS.map((info, index): FactorReport => {
    const own = findings.filter((f) => f.factor === info.slug);
    const rules = group(own);
    const c = counts(own);
    const { applies, reason } = applicability[index];
    const raw = Math.max(0, 100 - rules.reduce((sum, r) => sum + r.cost, 0));
    const status = statusOf(applies, c, raw);
    const score = status === 'not-applicable' ? null : raw;
    const baselined = baselinedList?.filter((f) => f.factor === info.slug).length ?? 0;
    return {
      slug: info.slug,
      numeral: info.numeral,
      title: info.title,
      summary: info.summary,
      status,
      score,
      applicability: reason,
      counts: c,
      baselined,
      rules,
      evidence: evidence.filter((e) => e.factor === info.slug),
      howComputed: explain(status, score, rules, c, reason, baselined),
    };
  });
  const scored = factors.filter((f) => f.score !== null);
  const overallScore = scored.length === 0 ? null : Math.round(scored.reduce((s, f) => s + f.score!, 0) / scored.length);
  const overallStatus: FactorStatus = scored.length === 0 ? 'not-applicable'
    : factors.some((f) => f.status === 'fails') ? 'fails'
      : factors.some((f) => f.status === 'needs-attention') ? 'needs-attention' : 'passes';
  // a failure never reads as a pass: files the analysis could not complete fail the overall status
  const incomplete = new Set(input.findings.filter((f) => f.ruleId === 'factorlint/analysis-incomplete').map((f) => f.path)).size;
  return {
    version: 1,
    overall: { score: overallScore, status: incomplete > 0 ? 'fails' : overallStatus, counts: counts(findings), applicableFactors: scored.length, ...(incomplete > 0 ? { incomplete } : {}) },
    factors,
    baselined: baselinedTotal,
    files: input.filesAnalysed,
    scoring: SCORING_TEXT,
  };
}

/** Attaches a path to a file's single-file findings, for the report and the baseline. */
export function withPath<T extends { ruleId: string }>(path: string, findings: readonly T[]): Array<T & { path: string }> {
  return findings.map((f) => ({ ...f, path }));
}

/**
 * Which factors fail, in a few words ("IX. Disposability fails"), or undefined when none does.
 * The overall status is the worst factor's, so a high average can still fail: next to the
 * overall status this says why ("91 — Fails" alone reads as a contradiction).
 */
export function failingFactorsText(factors: readonly Pick<FactorReport, 'status' | 'numeral' | 'title'>[]): string | undefined {
  const failing = factors.filter((f) => f.status === 'fails');
  if (failing.length === 0) return undefined;
  if (failing.length === 1) return `${failing[0].numeral}. ${failing[0].title} fails`;
  const numerals = failing.map((f) => f.numeral);
  return `${numerals.slice(0, -1).join(', ')} and ${numerals[numerals.length - 1]} fail`;
}
