/**
 * Workspace rules: checks that need several files, run over the project model instead of one
 * parsed document. An additive extension of the rule contract: same `RuleMeta` (id, factor,
 * severity, messages, fix kind), same message filling and severity resolution
 * (engine/rule-contract.ts), but a `checkWorkspace` that reports findings in any file, with
 * related locations in the other files involved.
 */
import { maskText } from '../engine/mask';
import type { ResolvedConfig } from '../engine/config';
import { findingMessage, findingSeverity, ruleEnabled } from '../engine/rule-contract';
import type { FactorSlug, Fix, Range, RelatedLocation, RuleMeta, Severity } from '../engine/types';
import type { ProjectModel } from './model-types';

/** What a workspace rule hands to `report`. */
export interface WorkspaceReport {
  messageId: string;
  data?: Record<string, string | number>;
  /** The file the finding is shown in. */
  path: string;
  range: Range;
  /** Fix edits are offsets into the text of `path`; `otherFiles` appends to other files. */
  fixes?: Fix[];
  related?: RelatedLocation[];
  severity?: Severity;
}

/** A finding located in a file: what both single-file and workspace findings provide. */
export interface LocatedFinding {
  ruleId: string;
  factor: FactorSlug;
  severity: Severity;
  message: string;
  path: string;
  range: Range;
  fixes: Fix[];
  related?: RelatedLocation[];
}

/** A workspace rule's finding. */
export type WorkspaceFinding = LocatedFinding;

export interface WorkspaceRule {
  meta: RuleMeta;
  /** `options`: the rule's options from the config (engine/rule-options.ts), `{}` when none. */
  checkWorkspace(model: ProjectModel, report: (report: WorkspaceReport) => void, options: Readonly<Record<string, unknown>>): void;
}

export interface RunWorkspaceOptions {
  rules?: readonly WorkspaceRule[];
  /** Configured severities (`off` disables a rule). */
  config?: Pick<ResolvedConfig, 'rules'> & Partial<Pick<ResolvedConfig, 'ruleOptions'>>;
  onRuleError?: (ruleId: string, error: unknown) => void;
}

/** Orders findings by file, position, then rule id and message: the same model gives the same list. */
export function compareFindings(a: LocatedFinding, b: LocatedFinding): number {
  return a.path.localeCompare(b.path)
    || a.range.start.line - b.range.start.line
    || a.range.start.character - b.range.start.character
    || a.ruleId.localeCompare(b.ruleId)
    || a.message.localeCompare(b.message);
}

/** Runs workspace rules over a model; a rule that throws is isolated. */
export function runWorkspaceRules(model: ProjectModel, rules: readonly WorkspaceRule[], options: RunWorkspaceOptions = {}): WorkspaceFinding[] {
  const findings: WorkspaceFinding[] = [];
  for (const rule of options.rules ?? rules) {
    if (!ruleEnabled(rule.meta, options.config)) continue;
    try {
      rule.checkWorkspace(model, (r) => {
        findings.push({
          ruleId: rule.meta.id,
          factor: rule.meta.factor,
          severity: findingSeverity(rule.meta, r.severity, options.config),
          message: findingMessage(rule.meta, r.messageId, r.data),
          path: r.path,
          range: r.range,
          fixes: (r.fixes ?? []).map((fix) => ({ ...fix, title: maskText(fix.title) })),
          related: r.related?.map((x) => ({ ...x, message: maskText(x.message) })),
        });
      }, options.config?.ruleOptions?.[rule.meta.id] ?? {});
    } catch (error) {
      options.onRuleError?.(rule.meta.id, error);
    }
  }
  return findings.sort(compareFindings);
}

/** Paths a workspace finding involves (its file and related files): refresh them together. */
export function pathsInvolved(finding: LocatedFinding): string[] {
  return [...new Set([finding.path, ...(finding.related ?? []).map((r) => r.path)])].sort();
}

/**
 * The files whose workspace diagnostics must be republished after a change: every path whose
 * set of workspace findings differs between two runs (a finding appeared, vanished or changed).
 * The editor re-runs the workspace rules on each model update and republishes just these.
 */
export function pathsToRefresh(before: readonly LocatedFinding[], after: readonly LocatedFinding[]): string[] {
  const byPath = (list: readonly LocatedFinding[]) => {
    const map = new Map<string, string[]>();
    for (const f of list) {
      const key = JSON.stringify([f.ruleId, f.severity, f.message, f.range, f.related ?? [], f.fixes]);
      map.set(f.path, [...(map.get(f.path) ?? []), key]);
    }
    for (const keys of map.values()) keys.sort();
    return map;
  };
  const a = byPath(before);
  const b = byPath(after);
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => JSON.stringify(a.get(p) ?? []) !== JSON.stringify(b.get(p) ?? [])).sort();
}
