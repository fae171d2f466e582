/**
 * The per-factor section of the CLI's JSON output: plain data (1-based lines for humans and
 * CI tools, as the other CLI formats), stable key order, no functions.
 */
import type { FactorReportModel } from './report-model';

export interface JsonLocation { path: string; line: number; column: number; endLine: number; endColumn: number }

export interface FactorsJson {
  version: 1;
  overall: FactorReportModel['overall'];
  baselined: number;
  files: number;
  scoring: string;
  factors: Array<{
    slug: string;
    numeral: string;
    title: string;
    status: string;
    score: number | null;
    applicability: string;
    counts: FactorReportModel['overall']['counts'];
    baselined: number;
    howComputed: string;
    evidence: Array<{ id: string; title: string; detail: string; locations: JsonLocation[] }>;
    rules: Array<{
      ruleId: string;
      description: string;
      severity: string;
      cost: number;
      docs: string;
      safeFixes: number;
      findings: Array<{ severity: string; message: string; safeFix: boolean; related: Array<JsonLocation & { message: string }> } & JsonLocation>;
    }>;
  }>;
}

function loc(path: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): JsonLocation {
  return { path, line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

export function reportToJson(report: FactorReportModel): FactorsJson {
  return {
    version: 1,
    overall: report.overall,
    baselined: report.baselined,
    files: report.files,
    scoring: report.scoring,
    factors: report.factors.map((f) => ({
      slug: f.slug,
      numeral: f.numeral,
      title: f.title,
      status: f.status,
      score: f.score,
      applicability: f.applicability,
      counts: f.counts,
      baselined: f.baselined,
      howComputed: f.howComputed,
      evidence: f.evidence.map((e) => ({ id: e.id, title: e.title, detail: e.detail, locations: e.locations.map((l) => loc(l.path, l.range)) })),
      rules: f.rules.map((r) => ({
        ruleId: r.ruleId,
        description: r.description,
        severity: r.severity,
        cost: r.cost,
        docs: r.docs,
        safeFixes: r.safeFixes,
        findings: r.findings.map((x) => ({
          ...loc(x.path, x.range),
          severity: x.severity,
          message: x.message,
          safeFix: x.safeFix,
          related: x.related.map((rel) => ({ ...loc(rel.path, rel.range), message: rel.message })),
        })),
      })),
    })),
  };
}
