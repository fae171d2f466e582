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

/** By document (its statement memo: one object per edited document), the last analysis' findings by report. */
const lastByDocument = new WeakMap<object, Map<Report, Finding>>();

/** Counts since the process started (tests count them; nothing is timed). */
export const findingMemoStats = { kept: 0, made: 0 };

/**
 * Makes one analysis' findings. For an edited document (`document`: an object that lives as long
 * as the document's memo), a report the last analysis also had gives its finding again when
 * nothing in it changed; `done` hands this analysis' findings to the next one. (A map per
 * analysis, not one weak map of every report: setting ~600 keys per keystroke in a weak map
 * whose dead keys wait for a full GC cost more than the findings it saved.)
 */
export class FindingMaker {
  private readonly last: Map<Report, Finding> | undefined;
  private readonly made: Map<Report, Finding> | undefined;

  constructor(private readonly document: object | undefined, private readonly lines: LineIndex) {
    this.last = document && lastByDocument.get(document);
    this.made = document && new Map();
  }

  /** The finding of `report` by `rule` at `start`–`end` (clamped to the text) with `severity`. */
  finding(rule: Rule, report: Report, severity: Severity, start: number, end: number): Finding {
    const lines = this.lines;
    const message = findingMessage(rule.meta, report.messageId, report.data);
    const kept = this.last?.get(report);
    if (kept && kept.start === start && kept.end === end && kept.severity === severity && kept.message === message
      && kept.ruleId === rule.meta.id && kept.factor === rule.meta.factor
      && lines.isAt(start, kept.range.start) && lines.isAt(end, kept.range.end)) {
      findingMemoStats.kept++;
      this.made!.set(report, kept);
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
    this.made?.set(report, finding);
    return finding;
  }

  /** Every finding is made: the document's next analysis may reuse them. */
  done(): void {
    if (this.document) lastByDocument.set(this.document, this.made!);
  }
}
