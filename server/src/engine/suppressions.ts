/**
 * Suppression comments: `factorlint-disable-next-line <ids> -- [until YYYY-MM-DD] reason`,
 * `-line`, `-file`, and the `factorlint-disable`/`factorlint-enable` block form; plus the
 * equivalent comments of other tools (see foreign-suppressions.ts).
 * The language adapter hands over the comments it found; this module only interprets them.
 */
import type { CommentSpan } from '../parse/comments';
import type { Suppression, SuppressionScope } from './suppression-types';
import { foreignSuppression } from './foreign-suppressions';

export type { CommentSpan };
export type { Suppression, SuppressionScope };

const DIRECTIVE = /^\s*factorlint-(disable-next-line|disable-line|disable-file|disable|enable)(?=\s|$)(.*)$/s;

function parseIdsAndReason(rest: string): { ruleIds: string[]; reason?: string; until?: string } {
  const dashes = rest.indexOf('--');
  const idsPart = dashes >= 0 ? rest.slice(0, dashes) : rest;
  let reason = dashes >= 0 ? rest.slice(dashes + 2).trim().replace(/\*\/\s*$/, '').trim() : undefined;
  let until: string | undefined;
  if (reason) {
    const m = /^until\s+(\d{4}-\d{2}-\d{2})\b\s*(.*)$/s.exec(reason);
    if (m) { until = m[1]; reason = m[2] || undefined; }
  }
  const ruleIds = idsPart.replace(/\*\/\s*$/, '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  return { ruleIds, reason, until };
}

/** Reads the suppressions declared in a file's comments. */
/**
 * Whether a text can hold a suppression comment at all (ours or another tool's): a superset
 * test on the raw text, so callers skip reading comments — for workspace findings, a parse —
 * in the many files that have none.
 */
export function mayContainSuppression(text: string): boolean {
  return /factorlint-|hadolint|trivy:|checkov:|nosonar|pragma:|gitleaks:|#\s*check\s*=/i.test(text);
}

export function parseSuppressions(comments: readonly CommentSpan[]): Suppression[] {
  const result: Suppression[] = [];
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.text);
    if (m) {
      const kind = m[1];
      const { ruleIds, reason, until } = parseIdsAndReason(m[2]);
      const scope: SuppressionScope = kind === 'disable-next-line' ? 'next-line'
        : kind === 'disable-line' ? 'line'
        : kind === 'disable-file' ? 'file'
        : kind === 'disable' ? 'block-start' : 'block-end';
      const targetLine = scope === 'next-line' ? c.line + 1 : c.line;
      result.push({ scope, ruleIds, targetLine, commentLine: c.line, start: c.start, end: c.end, reason, until });
      continue;
    }
    const foreign = foreignSuppression(c);
    if (foreign) result.push(foreign);
  }
  return result;
}

export interface SuppressionVerdict {
  suppressed: boolean;
  /** The suppression that matched (used or expired). */
  by?: Suppression;
  expired?: boolean;
}

function matchesRule(s: Suppression, ruleId: string): boolean {
  return s.ruleIds.length === 0 || s.ruleIds.includes(ruleId);
}

/**
 * Decides whether a finding on `line` from `ruleId` is suppressed. `today` is YYYY-MM-DD.
 * File-level findings (reported on line 0 of a file-wide concern) are also suppressible by `-file`.
 */
export class SuppressionIndex {
  private readonly used = new Set<Suppression>();

  constructor(readonly suppressions: readonly Suppression[], private readonly today: string) {}

  check(ruleId: string, line: number): SuppressionVerdict {
    let expiredMatch: Suppression | undefined;
    const consider = (s: Suppression): boolean => {
      if (!matchesRule(s, ruleId)) return false;
      if (s.until && s.until < this.today) { expiredMatch ??= s; return false; }
      this.used.add(s);
      return true;
    };
    // block form: the latest block-start/end for this rule before the line decides
    let blockState: Suppression | undefined;
    for (const s of this.suppressions) {
      if ((s.scope === 'block-start' || s.scope === 'block-end') && s.commentLine <= line && matchesRule(s, ruleId)) {
        blockState = s.scope === 'block-start' ? s : undefined;
      }
    }
    for (const s of this.suppressions) {
      const applies = s.scope === 'file'
        || ((s.scope === 'next-line' || s.scope === 'line') && s.targetLine === line)
        || (s.scope === 'block-start' && s === blockState);
      if (applies && consider(s)) return { suppressed: true, by: s };
    }
    if (expiredMatch) return { suppressed: false, by: expiredMatch, expired: true };
    return { suppressed: false };
  }

  /** factorlint's own suppressions that silenced nothing (other tools' comments are never "unused"). */
  unused(): Suppression[] {
    return this.suppressions.filter((s) => !s.foreign && s.scope !== 'block-end' && !this.used.has(s) && !(s.until && s.until < this.today));
  }

  expired(): Suppression[] {
    return this.suppressions.filter((s) => !s.foreign && s.until !== undefined && s.until < this.today);
  }
}
