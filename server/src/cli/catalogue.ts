/**
 * The rules as the CLI presents them: registered rules plus the engine's meta diagnostics
 * (unused/expired suppressions, oversized files), which can appear in results too.
 */
import { factorInfo } from '../engine/factors';
import { META_RULES } from '../engine/run';
import { RULES } from '../rules/registry';
import type { FactorSlug, FixKind, Severity } from '../engine/types';
import { WORKSPACE_RULES } from '../workspace/registry';

/** Where rule pages live; `docs/rules/<id>.md` in the repository. */
export const DOCS_BASE_URL = 'https://example.invalid/factorlint/blob/main/docs/rules/';

export interface RuleEntry {
  id: string;
  factor: FactorSlug;
  numeral: string;
  severity: Severity;
  fix: FixKind | 'none';
  description: string;
  rationale: string;
  helpUri: string;
}

export function docsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}

const META_ENTRIES: ReadonlyArray<Omit<RuleEntry, 'numeral' | 'helpUri'>> = [
  { id: META_RULES.expiredSuppression, factor: 'codebase', severity: 'warning', fix: 'none', description: 'A suppression comment whose `until` date has passed.', rationale: 'Expiring suppressions keep temporary exceptions temporary: after the date the findings they silenced are reported again.' },
  { id: META_RULES.fileTooLarge, factor: 'codebase', severity: 'info', fix: 'none', description: 'A file larger than maxFileSize was not analysed.', rationale: 'Very large files are usually generated or bundled; skipping them keeps analysis fast. Raise maxFileSize to analyse them.' },
  { id: META_RULES.unusedSuppression, factor: 'codebase', severity: 'hint', fix: 'safe', description: 'A suppression comment that silences nothing.', rationale: 'Stale suppressions hide future findings on that line; remove them once the problem is fixed.' },
];

/** Registered rules (single-file, then workspace rules, each in registry order), then the meta diagnostics. */
export function ruleCatalogue(): RuleEntry[] {
  const rules = [...RULES, ...WORKSPACE_RULES].map((r) => ({ id: r.meta.id, factor: r.meta.factor, severity: r.meta.severity, fix: r.meta.fix, description: r.meta.description, rationale: r.meta.rationale }));
  return [...rules, ...META_ENTRIES].map((e) => ({ ...e, numeral: factorInfo(e.factor).numeral, helpUri: e.id.startsWith('factorlint/') ? `${DOCS_BASE_URL}README.md` : docsUrl(e.id) }));
}

export function isKnownRuleId(id: string): boolean {
  return ruleCatalogue().some((e) => e.id === id);
}
