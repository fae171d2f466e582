/**
 * `factorlint merge`: one report from the JSON outputs of `--shard K/N` runs. Findings are
 * merged by `mergeJsonReports` (de-duplicated, sorted, summaries added); the per-factor
 * section is recomputed from the merged findings with the report's own scoring, so the merged
 * `factors` equal those of an unsharded run. Every shard builds the project model from all
 * files, so applicability and evidence are the same in each: they are taken from the first.
 */
import { factorInfo } from '../engine/factors';
import type { FactorSlug, Severity } from '../engine/types';
import { mergeJsonReports, type JsonReport } from '../shard';
import { reportToJson, type FactorsJson, type JsonLocation } from '../report/report-json';
import { explain, ruleCost, statusOf, type FactorReport, type FactorReportModel, type ReportFinding, type RuleGroup, type SeverityCounts } from '../report/report-model';

const RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2, hint: 3 };

function range(l: JsonLocation) {
  return { start: { line: l.line - 1, character: l.column - 1 }, end: { line: l.endLine - 1, character: l.endColumn - 1 } };
}

/** The report model back from its JSON form (1-based locations to 0-based ranges). */
export function reportFromJson(json: FactorsJson): FactorReportModel {
  return {
    version: 1,
    overall: json.overall,
    baselined: json.baselined,
    files: json.files,
    scoring: json.scoring,
    factors: json.factors.map((f): FactorReport => ({
      slug: f.slug as FactorSlug,
      numeral: f.numeral,
      title: f.title,
      summary: factorInfo(f.slug as FactorSlug).summary,
      status: f.status as FactorReport['status'],
      score: f.score,
      applicability: f.applicability,
      counts: f.counts,
      baselined: f.baselined,
      howComputed: f.howComputed,
      evidence: f.evidence.map((e) => ({ id: e.id, factor: f.slug as FactorSlug, title: e.title, detail: e.detail, locations: e.locations.map((l) => ({ path: l.path, range: range(l) })) })),
      rules: f.rules.map((r): RuleGroup => ({
        ruleId: r.ruleId, description: r.description, severity: r.severity as Severity, cost: r.cost, docs: r.docs, safeFixes: r.safeFixes,
        findings: r.findings.map((x): ReportFinding => ({
          ruleId: r.ruleId, severity: x.severity as Severity, message: x.message, path: x.path, range: range(x), safeFix: x.safeFix,
          related: x.related.map((rel) => ({ path: rel.path, range: range(rel), message: rel.message })),
        })),
      })),
    })),
  };
}

function countsOf(findings: readonly ReportFinding[]): SeverityCounts {
  const c: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0, total: findings.length };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** Merges shard reports: findings united per rule, scores and statuses recomputed. */
export function mergeReports(reports: readonly FactorReportModel[]): FactorReportModel {
  const first = reports[0];
  const factors = first.factors.map((base): FactorReport => {
    const mine = reports.map((r) => r.factors.find((f) => f.slug === base.slug)).filter((f): f is FactorReport => f !== undefined);
    const byRule = new Map<string, RuleGroup & { seen: Set<string> }>();
    for (const f of mine) {
      for (const rule of f.rules) {
        let target = byRule.get(rule.ruleId);
        if (!target) { target = { ...rule, findings: [], seen: new Set() }; byRule.set(rule.ruleId, target); }
        for (const x of rule.findings) {
          const key = JSON.stringify([x.path, x.range.start, x.message]);
          if (target.seen.has(key)) continue;
          target.seen.add(key);
          target.findings.push(x);
        }
      }
    }
    const rules = [...byRule.values()].map(({ seen: _seen, ...rule }): RuleGroup => {
      const findings = rule.findings.sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.message.localeCompare(b.message));
      const severity = findings.map((x) => x.severity).sort((a, b) => RANK[a] - RANK[b])[0];
      return { ...rule, findings, severity, cost: ruleCost(severity, findings.length), safeFixes: findings.filter((x) => x.safeFix).length };
    }).sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.cost - a.cost || a.ruleId.localeCompare(b.ruleId));
    const counts = countsOf(rules.flatMap((r) => r.findings));
    // `not-applicable` needs "does not apply" (the same verdict in every shard: same model)
    const applies = !mine.some((f) => f.status === 'not-applicable');
    const raw = Math.max(0, 100 - rules.reduce((sum, r) => sum + r.cost, 0));
    const status = statusOf(applies, counts, raw);
    const score = status === 'not-applicable' ? null : raw;
    const baselined = mine.reduce((n, f) => n + f.baselined, 0);
    return { ...base, status, score, counts, baselined, rules, howComputed: explain(status, score, rules, counts, base.applicability, baselined) };
  });
  const scored = factors.filter((f) => f.score !== null);
  const all = factors.flatMap((f) => f.rules.flatMap((r) => r.findings));
  return {
    ...first,
    overall: {
      score: scored.length === 0 ? null : Math.round(scored.reduce((s, f) => s + f.score!, 0) / scored.length),
      status: scored.length === 0 ? 'not-applicable' : factors.some((f) => f.status === 'fails') ? 'fails' : factors.some((f) => f.status === 'needs-attention') ? 'needs-attention' : 'passes',
      counts: countsOf(all),
      applicableFactors: scored.length,
    },
    factors,
    baselined: reports.reduce((n, r) => n + r.baselined, 0),
  };
}

/** Merges shard JSON outputs: the contract keys by `mergeJsonReports`, `factors` recomputed. */
export function mergeShardOutputs(outputs: readonly JsonReport[]): { json: JsonReport; report?: FactorReportModel } {
  const json = mergeJsonReports(outputs);
  const sections = outputs.map((o) => o.factors as FactorsJson | undefined);
  if (sections.some((s) => !s)) {
    delete json.factors;
    return { json };
  }
  const report = mergeReports(sections.map((s) => reportFromJson(s!)));
  return { json: { ...json, factors: reportToJson(report) }, report };
}
