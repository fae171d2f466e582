/**
 * A report's finding, kept by the report it was made from for an edited document.
 *
 * The statement memo (engine/statement-memo.ts) keeps a statement's reports across keystrokes:
 * the same objects while the statement has not moved, so about half of an edited file's
 * findings (those before the edit) would be rebuilt per keystroke exactly as they were, each
 * with its range, two positions and a fixes list, kept until the next keystroke and promoted by
 * the garbage collector on the way. A kept finding is reused only when everything it says is what
 * a new one would say: the same report object (its message id, data, fixes and related
 * locations: reports are not changed once made), rule, severity and offsets, and the same lines
 * and characters, compared, never assumed: an edit before it can move the same offsets to
 * another line (a newline replaced by a character, the length unchanged).
 */
import { findingMessage } from './rule-contract';
import { maskTextMemo } from './mask-memo';
import type { LineIndex } from './line-index';
import type { Finding, Report, Rule, Severity } from './types';

const byReport = new WeakMap<Report, Finding>();

/** Counts since the process started (tests count them; nothing is timed). */
export const findingMemoStats = { kept: 0, made: 0 };

/**
 * The finding of `report` by `rule` at `start`–`end` (clamped to the text) with `severity`.
 * `keep`: remember it by the report (an edited document, whose reports outlive the analysis).
 */
export function findingOf(rule: Rule, report: Report, severity: Severity, start: number, end: number, lines: LineIndex, keep: boolean): Finding {
  const message = findingMessage(rule.meta, report.messageId, report.data);
  const kept = keep ? byReport.get(report) : undefined;
  if (kept && kept.start === start && kept.end === end && kept.severity === severity && kept.message === message
    && kept.ruleId === rule.meta.id && kept.factor === rule.meta.factor
    && lines.isAt(start, kept.range.start) && lines.isAt(end, kept.range.end)) {
    findingMemoStats.kept++;
    return kept;
  }
  findingMemoStats.made++;
  const finding: Finding = {
    ruleId: rule.meta.id,
    factor: rule.meta.factor,
    severity,
    message,
    start,
    end,
    range: { start: lines.positionAt(start), end: lines.positionAt(end) },
    fixes: (report.fixes ?? []).map((fix) => ({ ...fix, title: maskTextMemo(fix.title) })),
    related: report.related?.map((r) => ({ ...r, message: maskTextMemo(r.message) })),
  };
  if (keep) byReport.set(report, finding);
  return finding;
}
