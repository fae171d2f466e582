/**
 * Per-statement findings of an EDITED document, so a keystroke re-runs a rule only on the
 * top-level statements it made.
 *
 * `ts.updateSourceFile` moves every node outside the edited range into the new tree (see
 * parse/statement-index.ts): a top-level statement that is the same object as in the previous
 * version has the same text, only shifted. A rule split into per-statement parts, a file summary
 * and a per-node check (`StatementwiseCheck`, engine/types.ts) gives the same findings for such a
 * statement as long as the summary is the same; so only new statements get their parts computed
 * and their nodes checked, and the kept statements' reports are shifted by how far the statement
 * moved. A different summary re-runs the rule's check over the whole file.
 *
 * Only the editor's documents have a memo: a cold parse in the CLI or the workspace index runs
 * the rules whole, exactly as before. An editor's open (`editing`, a cold parse) runs them whole
 * too, and keeps their reports per statement (`firstRun`): the first edit builds the statements'
 * parts and re-checks only the statements it made (before, it ran every rule whole once more).
 * The memo is kept per document path for a few documents, and is valid only for the same file
 * facts, logger module and rule options. Project facts are not part of that key (the editor
 * builds a new project context object per analysis): a statementwise check reads them only
 * through its summary, so a change of the facts it uses changes the summary.
 *
 * A rule with `nestedKey` also keeps the findings of the statements below a re-created
 * top-level statement that TypeScript reused (engine/nested-units.ts).
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../parse/typescript';
import type { FileInfo, Report, RuleCheck, RuleContext, StatementwiseCheck } from './types';
import { planUnits, recordUnits, shiftedReports, type NestedMemo, type UnitPlan } from './nested-units';
import { align, nestedUnitsOf } from '../parse/statement-index';
import { statementAt } from '../parse/identifier-search';
import { constTableOf, statementsNamingChanges, type ConstTable } from './const-changes';

/**
 * The whole-file check of a statementwise rule (cold analyses): one check, whose summary is one
 * part of the whole file, computed only if the check asks for it (as the rule did before it
 * was split: no cold work added).
 */
export function statementwiseTs<P, S>(split: StatementwiseCheck<P, S>): RuleCheck<'ts'> {
  return (ctx) => {
    let summary: { value: S } | undefined;
    split.check(ctx, () => (summary ??= { value: split.summary(ctx, [split.part(ctx, ctx.parsed.sourceFile.statements)]) }).value);
  };
}

/** A statement's reports, with the statement's span when they were made (to shift them). */
interface StatementReports { pos: number; end: number; reports: readonly Report[] }

interface RuleMemo {
  /** The rule's options the memo was made with (JSON: options are JSON by design). */
  options: string;
  /** The rule's `partsKey` when the memo was made (undefined: the rule has none, or a skeleton's: not compared). */
  partsKey: string | undefined;
  /** Only the statements are known (the rule ran whole): parts and reports are not kept. */
  skeleton?: boolean;
  summary: unknown;
  /**
   * The top-level statements of the version the memo was made for, and by the same index each
   * one's part and reports: arrays, not maps keyed by node, so that a keystroke pays no hashing
   * per statement and rule (`align` finds the kept ones by identity, mostly as a common prefix
   * and suffix).
   */
  statements: readonly TS.Statement[];
  parts: readonly unknown[];
  reports: readonly StatementReports[];
  /** By the same index, for a rule with `nestedKey`: the units of the statements it checked when they were new (engine/nested-units.ts). */
  nested?: ReadonlyArray<NestedMemo | undefined>;
  /** For a rule with `constsByName`: the version's top-level consts, and its `partsKey` without them. */
  consts?: ConstTable;
  partsKeyApart?: string;
}

/**
 * More new statements than this and the rule runs whole, keeping only which statements there
 * were: a file that does not parse cleanly (an unterminated template or comment) gets most of its
 * statements re-parsed on every edit, and per-statement parts for all of them cost more than one
 * whole check. Once an edit reuses most statements again, the memo is rebuilt.
 */
function freshLimit(statements: number): number {
  return Math.max(32, statements >> 3);
}

/** What every rule of one document saw besides its text. */
export interface FileMemo {
  readonly path: string;
  readonly role: string;
  readonly scriptKind: string | undefined;
  readonly loggerModule: string | undefined;
  readonly rules: Map<string, RuleMemo>;
}

/** Documents kept (most recently analysed last): an editor edits a few at a time. */
const MAX_DOCUMENTS = 8;
const memos = new Map<string, FileMemo>();

/** Counts since the process started (tests count them; nothing is timed). */
export const statementMemoStats = { checked: 0, kept: 0, wholeRuns: 0, wholeSummaries: 0, /** kept statements checked again because they name a changed const (`constsByName`) */ naming: 0 };

/**
 * The memo of an edited document's analysis, or undefined for a cold parse that will not be
 * edited (the CLI, the index). An editor's open (`editing`, a cold parse) gets one too: its
 * rules run whole as they would anyway, and keep their reports per statement for the first edit
 * (`firstRun`). A memo made with other file facts or logger module is replaced by an empty one.
 */
export function statementMemoFor(file: FileInfo, parsed: ParsedTs, loggerModule: string | undefined, editing = false): FileMemo | undefined {
  const cold = !parsed.statementView?.([]);
  if (cold && !editing) return undefined;
  let memo = memos.get(file.path);
  memos.delete(file.path);
  // an open's analysis starts a new memo: a cold parse has no statement views, and the last memo
  // (if any) was another version's or a closed document's
  if (cold || !memo || memo.role !== file.role || memo.scriptKind !== file.scriptKind || memo.loggerModule !== loggerModule) {
    memo = { path: file.path, role: file.role, scriptKind: file.scriptKind, loggerModule, rules: new Map() };
  }
  memos.set(file.path, memo);
  if (memos.size > MAX_DOCUMENTS) memos.delete(memos.keys().next().value as string);
  return memo;
}

/** The paths of the documents that have a memo (tests: what a host leaves behind). */
export function statementMemoPaths(): string[] {
  return [...memos.keys()];
}

/**
 * Whether a document's memo has rules whose parts an open left to build (`firstRun`): the first
 * edit would build them all. `Analyzer.prepareEdits` builds them before, while the editor is idle.
 */
export function statementMemoUnbuilt(path: string): boolean {
  const memo = memos.get(path);
  if (!memo) return false;
  for (const rule of memo.rules.values()) if (rule.parts.length > 0 && rule.parts[0] === MISSING) return true;
  return false;
}

/** Drops a document's memo (the editor closed it). */
export function forgetStatementMemo(path: string): void {
  memos.delete(path);
}

/** Builds the context a rule runs with over a parse (the whole file or a statement view), reporting to `report`. */
export type ContextFor = (parsed: ParsedTs, report: (report: Report) => void) => RuleContext<ParsedTs>;

/**
 * Runs one statementwise rule over an edited document (`parsed` indexes per statement) and
 * returns its reports in statement order. With the same summary as the memo's, only the
 * statements the edit made are checked and the others' reports are kept (shifted); otherwise
 * the rule checks the whole file. The memo is replaced only when the run completes: a rule that
 * throws loses its memo (the caller reports the failure).
 */
export function runStatementwise(memo: FileMemo, ruleId: string, split: StatementwiseCheck, options: unknown, parsed: ParsedTs, contextFor: ContextFor): Report[] {
  const previous = memo.rules.get(ruleId);
  memo.rules.delete(ruleId);
  const optionsKey = JSON.stringify(options ?? null);
  const ignore = (): void => undefined;
  // the parts key is computed only when a kept memo is compared or a memo is built: a skeleton
  // keeps no parts, so its key cannot matter, and a rule that runs whole (a file that stopped
  // parsing: most statements new) need not pay for it on every edit
  let partsKey: string | undefined;
  let keyed = false;
  const partsKeyNow = (): string | undefined => {
    if (!keyed) { partsKey = split.partsKey?.(contextFor(parsed, ignore)); keyed = true; }
    return partsKey;
  };
  // the statements of the last version this rule ran on (with the same options), kept or not
  const prior = previous && previous.options === optionsKey ? previous : undefined;
  const statements = parsed.sourceFile.statements;
  const view = (indexes: readonly number[], without?: readonly TS.Node[]): ParsedTs => parsed.statementView!(indexes, without)!;

  // for a rule with `constsByName`, what the next edit's consts path compares: this version's consts, the key without them
  const byName = split.constsByName;
  const constsNow = byName ? constTableOf(parsed) : undefined;
  const partsKeyApart = byName?.partsKey ? byName.partsKey(contextFor(parsed, ignore)) : undefined;

  const from = prior ? align(prior.statements, statements) : undefined;
  let fresh = 0;
  for (let i = 0; i < statements.length; i++) if (!from || from[i] < 0) fresh++;
  if (!prior) {
    const first = firstRun(split, parsed, contextFor, { options: optionsKey, partsKey: partsKeyNow, consts: constsNow, partsKeyApart });
    memo.rules.set(ruleId, first.memo);
    return first.reports;
  }
  if (fresh > freshLimit(statements.length)) {
    // run whole (as a cold analysis does) and remember only the statements: the next edit builds the memo if it reuses most
    const made: Report[] = [];
    statementwiseTs(split)(contextFor(parsed, (r) => { made.push(r); }) as never);
    statementMemoStats.wholeRuns++;
    memo.rules.set(ruleId, { options: optionsKey, partsKey: undefined, skeleton: true, summary: undefined, statements, parts: NO_PARTS, reports: NO_REPORTS });
    return made;
  }

  // A rule reading the top-level consts by name (`constsByName`): the kept statements naming a
  // const this edit changed, by index (engine/const-changes.ts); undefined until asked, or when
  // it cannot tell (the rule then runs as if every statement could have changed)
  let naming: Uint8Array | undefined;
  let asked = false;
  const namingChanged = (): Uint8Array | undefined => {
    if (!asked && prior.consts && constsNow) {
      asked = true;
      naming = statementsNamingChanges(parsed, prior.consts, byName!.places === true);
    }
    return naming;
  };

  // A skeleton (after a whole run) or parts made for other import bindings or consts (`partsKey`)
  // are rebuilt here, in this edit: most statements are the last version's, so the memo pays off
  // from the next keystroke (a skeleton first would run the rule whole twice in a row). So are the
  // kept statements' parts a first run left `MISSING`, but their reports are kept. With
  // `constsByName`, a key that differs in the consts only rebuilds the parts that name them.
  let kept = !prior.skeleton && prior.partsKey === partsKeyNow() ? prior : undefined;
  const repart = !kept && !prior.skeleton && byName?.partsKey !== undefined && prior.partsKeyApart === partsKeyApart && namingChanged() !== undefined;
  if (repart) kept = prior;
  const parts: unknown[] = new Array(statements.length + 1);
  const partOf = (i: number): unknown => split.part(contextFor(view([i]), ignore), [statements[i]]);
  let freshIndexes: number[] = [];
  for (let i = 0; i < statements.length; i++) {
    if (kept && from![i] >= 0 && !(repart && naming![i])) {
      parts[i] = kept.parts[from![i]];
      if (parts[i] === MISSING) parts[i] = partOf(i); // a first run's
    } else {
      freshIndexes.push(i);
      parts[i] = partOf(i);
    }
  }
  parts[statements.length] = split.part(contextFor(view([]), ignore), []); // the end-of-file token's
  const summary = split.summary(contextFor(parsed, ignore), parts);

  let same = kept !== undefined && split.sameSummary(kept.summary, summary);
  // a unit TypeScript reused below a new statement may name a changed const: with consts changed, no unit keeps its findings
  let constsChanged = repart;
  if (kept && !same && byName?.sameSummary(kept.summary, summary) && namingChanged()) {
    // equal but for the consts: the statements naming a changed one are checked with the new ones
    same = true;
    constsChanged = true;
    freshIndexes = [];
    for (let i = 0; i < statements.length; i++) if (from![i] < 0 || naming![i]) freshIndexes.push(i);
  }
  if (constsChanged && same) for (let i = 0; i < statements.length; i++) if (from![i] >= 0 && naming![i]) statementMemoStats.naming++;

  let buckets: Array<readonly Report[] | undefined> | undefined;
  // for a rule with `nestedKey`: the units of each new statement (by statement index), those kept left out of the check
  let plans: Map<number, UnitPlan> | undefined;
  if (kept && same) {
    let without: TS.Node[] | undefined;
    if (split.nestedKey) {
      plans = planFresh(split, parsed, freshIndexes, constsChanged ? [] : droppedUnits(kept, from!), contextFor(parsed, ignore), summary);
      for (const plan of plans.values()) for (let u = 0; u < plan.units.length; u++) if (plan.kept[u]) (without ??= []).push(plan.units[u]);
    }
    const made: Report[] = [];
    split.check(contextFor(view(freshIndexes, without), (r) => { made.push(r); }), () => summary);
    const freshBuckets = attribute(made, statements);
    // a report outside the checked statements breaks the contract: never keep around it
    if (freshBuckets && freshBuckets.every((b, i) => !b || i === statements.length || freshIndexes.includes(i))) buckets = freshBuckets;
  }
  const reports: StatementReports[] = new Array(statements.length);
  const nested: Array<NestedMemo | undefined> | undefined = split.nestedKey ? new Array(statements.length) : undefined;
  const all: Report[] = [];
  if (buckets) {
    // kept statements: their stored reports (the same object while the statement has not moved), shifted for the output
    let f = 0;
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i];
      let own: readonly Report[];
      if (freshIndexes[f] === i) {
        f++;
        own = buckets[i] ?? NONE;
        const plan = plans?.get(i);
        if (plan) {
          const units = recordUnits(plan, own);
          own = units.reports;
          nested![i] = units.memo;
        }
        reports[i] = reportsOf(statement, own);
      } else {
        if (nested) nested[i] = kept!.nested?.[from![i]];
        const stored = kept!.reports[from![i]];
        if (stored.pos === statement.pos || stored.reports.length === 0) {
          own = stored.reports;
          reports[i] = stored;
        } else {
          own = shiftedReports(stored, statement.pos);
          reports[i] = { pos: statement.pos, end: statement.end, reports: own };
        }
      }
      for (let j = 0; j < own.length; j++) all.push(own[j]);
    }
    for (const r of buckets[statements.length] ?? NONE) all.push(r);
    statementMemoStats.checked += freshIndexes.length;
    statementMemoStats.kept += statements.length - freshIndexes.length;
  } else {
    const made: Report[] = [];
    split.check(contextFor(parsed, (r) => { made.push(r); }), () => summary);
    statementMemoStats.wholeRuns++;
    const whole = attribute(made, statements);
    if (!whole) return made; // not attributable to statements: no memo, the next edit runs whole again
    // the statements new in this version get their units recorded (none kept: the summary or parts changed)
    if (nested) {
      const fresh: number[] = [];
      for (let i = 0; i < statements.length; i++) if (from![i] < 0) fresh.push(i);
      for (const [i, plan] of planFresh(split, parsed, fresh, [], contextFor(parsed, ignore), summary)) nested[i] = recordUnits(plan, whole[i] ?? NONE).memo;
    }
    for (let i = 0; i <= statements.length; i++) {
      const bucket = whole[i] ?? NONE;
      if (i < statements.length) reports[i] = reportsOf(statements[i], bucket);
      for (const r of bucket) all.push(r);
    }
  }
  memo.rules.set(ruleId, { options: optionsKey, partsKey: partsKeyNow(), summary, statements, parts, reports, nested, consts: constsNow, partsKeyApart });
  return all;
}

/**
 * The first run over a document with no memo of its last version (an editor's open, other rule
 * options, a memo dropped): the rule runs whole, and its reports are kept per statement with the
 * summary of one whole-file part (as a cold check computes it; forced when the check did not ask
 * for it), so the next edit re-checks only the statements it makes. The parts are left `MISSING`
 * for the next edit to build: this one would pay for them and the whole check, the next one pays
 * for them instead of a whole check. Built on the open instead, they cost a 5k-line file's
 * first diagnostic ~30% more CPU in a fresh process (code of the edit path V8 has not compiled
 * yet); built a quarter per edit, 10% more CPU over the first edits (a whole-file summary each).
 * Reports that are not attributable to statements leave only the statements (a skeleton).
 */
function firstRun(split: StatementwiseCheck, parsed: ParsedTs, contextFor: ContextFor, keys: { options: string; partsKey: () => string | undefined; consts: ConstTable | undefined; partsKeyApart: string | undefined }): { memo: RuleMemo; reports: Report[] } {
  const statements = parsed.sourceFile.statements;
  const made: Report[] = [];
  const ctx = contextFor(parsed, (r) => { made.push(r); });
  let summary: { value: unknown } | undefined;
  split.check(ctx, () => (summary ??= { value: wholeSummary(split, ctx) }).value);
  statementMemoStats.wholeRuns++;
  const whole = attribute(made, statements);
  if (!whole) return { memo: { options: keys.options, partsKey: undefined, skeleton: true, summary: undefined, statements, parts: NO_PARTS, reports: NO_REPORTS }, reports: made };
  summary ??= { value: wholeSummary(split, ctx) };
  const reports: StatementReports[] = new Array(statements.length);
  for (let i = 0; i < statements.length; i++) reports[i] = reportsOf(statements[i], whole[i] ?? NONE);
  const parts: unknown[] = new Array(statements.length).fill(MISSING);
  return { memo: { options: keys.options, partsKey: keys.partsKey(), summary: summary.value, statements, parts, reports, consts: keys.consts, partsKeyApart: keys.partsKeyApart }, reports: made };
}

/** A rule's summary from one part of the whole file (a cold check's, `statementwiseTs`). */
function wholeSummary(split: StatementwiseCheck, ctx: RuleContext<ParsedTs>): unknown {
  statementMemoStats.wholeSummaries++;
  return split.summary(ctx, [split.part(ctx, ctx.parsed.sourceFile.statements)]);
}

/** A kept statement's part not built yet (`firstRun`). */
const MISSING = Symbol('part not built');

/** The unit memos of the last version's statements that this version dropped: where its new statements' units come from. */
function droppedUnits(kept: RuleMemo, from: Int32Array): NestedMemo[] {
  const out: NestedMemo[] = [];
  if (!kept.nested) return out;
  const stays = new Uint8Array(kept.statements.length);
  for (let i = 0; i < from.length; i++) if (from[i] >= 0) stays[from[i]] = 1;
  for (let j = 0; j < stays.length; j++) {
    const units = kept.nested[j];
    if (!stays[j] && units && units.size > 0) out.push(units);
  }
  return out;
}

/** Unit plans for the statements at `indexes` (their units cached with the statement: every rule asks for the same). */
function planFresh(split: StatementwiseCheck, parsed: ParsedTs, indexes: readonly number[], dropped: readonly NestedMemo[], ctx: RuleContext<ParsedTs>, summary: unknown): Map<number, UnitPlan> {
  const unitKeyOf = split.nestedUnitKey && ((unit: TS.Statement): string => split.nestedUnitKey!(ctx, unit, summary));
  const plans = new Map<number, UnitPlan>();
  const statements = parsed.sourceFile.statements;
  for (const i of indexes) {
    const cache = parsed.statementMemo?.(i);
    let units = cache?.get(UNITS) as readonly TS.Statement[] | undefined;
    if (!units) {
      units = nestedUnitsOf(parsed.ts, statements[i]);
      cache?.set(UNITS, units);
    }
    if (units.length > 0) plans.set(i, planUnits(units, dropped, (list) => split.nestedKey!(ctx, list), unitKeyOf));
  }
  return plans;
}

const UNITS = 'nestedUnits';

const NO_PARTS: readonly unknown[] = Object.freeze([]);
const NO_REPORTS: readonly StatementReports[] = Object.freeze([]);
const NONE: readonly Report[] = Object.freeze([]);

/**
 * A statement's reports with its span, to shift them when it moves; one shared entry for the
 * statements without any (most of them, for every rule): an empty list has nothing to shift, and
 * an entry per statement per rule was rebuilt for every statement after the edit on every
 * keystroke and kept (~0.2 MB per rule for three 5k/7k-line documents).
 */
const NO_STATEMENT_REPORTS: StatementReports = Object.freeze({ pos: -1, end: -1, reports: NONE });
function reportsOf(statement: TS.Statement, own: readonly Report[]): StatementReports {
  return own.length === 0 ? NO_STATEMENT_REPORTS : { pos: statement.pos, end: statement.end, reports: own };
}

/**
 * Reports by top-level statement (index; `statements.length` for after the last one), or
 * undefined when one does not lie inside a single statement or has related locations.
 */
function attribute(reports: readonly Report[], statements: readonly TS.Statement[]): Report[][] | undefined {
  const buckets: Report[][] = [];
  for (const r of reports) {
    if (r.related) return undefined;
    const i = statementAt(statements, r.start);
    if (i < statements.length && r.end > statements[i].end) return undefined;
    (buckets[i] ??= []).push(r);
  }
  return buckets;
}

