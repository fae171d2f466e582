/**
 * The rules as the CLI presents them: registered rules plus the engine's meta diagnostics
 * (unused/expired suppressions, oversized files), which can appear in results too.
 */
import { factorInfo } from '../engine/factors';
import { META_RULES } from '../engine/run';
import { RULES } from '../rules/registry';
import type { FactorSlug, FixKind, Severity } from '../engine/types';
import { rulePageRelativePath } from '../host/rule-docs';
import { WORKSPACE_RULES } from '../workspace/registry';

export interface RuleEntry {
  id: string;
  factor: FactorSlug;
  numeral: string;
  severity: Severity;
  fix: FixKind | 'none';
  description: string;
  rationale: string;
  /** The rule's page inside the package (`docs/rules/<id>.md`; the index for engine diagnostics). */
  docsPath: string;
}

const META_ENTRIES: ReadonlyArray<Omit<RuleEntry, 'numeral' | 'docsPath'>> = [
  { id: META_RULES.analysisIncomplete, factor: 'codebase', severity: 'error', fix: 'none', description: 'A file could not be analysed completely: a rule failed, the file could not be parsed or looks binary, or a bound (YAML merge keys) cut the analysis short.', rationale: 'A failure must never read as a pass: the findings the analysis would have produced may be missing, so the file is reported (with the reason, never its content) and counts for the exit code.' },
  { id: META_RULES.expiredSuppression, factor: 'codebase', severity: 'warning', fix: 'none', description: 'A suppression comment whose `until` date has passed.', rationale: 'Expiring suppressions keep temporary exceptions temporary: after the date the findings they silenced are reported again.' },
  { id: META_RULES.fileTooLarge, factor: 'codebase', severity: 'info', fix: 'none', description: 'A file larger than maxFileSize was not analysed.', rationale: 'Very large files are usually generated or bundled; skipping them keeps analysis fast. Raise maxFileSize to analyse them.' },
  { id: META_RULES.unusedSuppression, factor: 'codebase', severity: 'hint', fix: 'safe', description: 'A suppression comment that silences nothing.', rationale: 'Stale suppressions hide future findings on that line; remove them once the problem is fixed.' },
];

/** Registered rules (single-file, then workspace rules, each in registry order), then the meta diagnostics. */
export function ruleCatalogue(): RuleEntry[] {
  // a rule with a file check and a workspace check (the command rules) is listed once
  const rules = [...RULES, ...WORKSPACE_RULES.filter((w) => !RULES.some((r) => r.meta.id === w.meta.id))].map((r) => ({ id: r.meta.id, factor: r.meta.factor, severity: r.meta.severity, fix: r.meta.fix, description: r.meta.description, rationale: r.meta.rationale }));
  return [...rules, ...META_ENTRIES].map((e) => ({ ...e, numeral: factorInfo(e.factor).numeral, docsPath: e.id.startsWith('factorlint/') ? 'docs/rules/README.md' : rulePageRelativePath(e.id) }));
}

export function isKnownRuleId(id: string): boolean {
  return ruleCatalogue().some((e) => e.id === id);
}
