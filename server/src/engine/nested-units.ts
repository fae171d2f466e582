/**
 * Memo units below the top level, for a statementwise rule that opts in (`nestedKey`).
 *
 * An edit that re-creates a top-level statement still leaves most of its body to TypeScript's
 * incremental parser, which reuses the statements of its blocks (the same objects, positions
 * shifted in place). Typing at the start of a line can leave half the file inside one function
 * declaration re-created on every keystroke (docs/performance.md, "Per-edit cost, wave 6"), and a
 * memo per top-level statement then re-checks that half on every edit. Here a re-created
 * top-level statement's *units* (the statements of the first blocks, case clauses or module
 * blocks below it) keep their findings when the unit is the same object as one of a statement
 * the edit dropped and the rule's `nestedKey` for it (what its check reads outside it) is the
 * same; the check runs over the rest (`ParsedTs.statementView`'s `without`). The units are
 * parse/statement-index.ts' `nestedUnitsOf`, whose lists the node index keeps the same way.
 *
 * The caller (engine/statement-memo.ts) uses units only while the rule's summary is unchanged, so
 * a kept unit's findings are the ones a whole check would make: its nodes, its key and the
 * summary are the same, and its reports' offsets inside it move with it (`shiftedReports`).
 */
import type * as TS from 'typescript';
import type { Report } from './types';

/** A unit's reports when they were made, with its span then and the rule's key for it (a unit without reports keeps the span it had when first kept: nothing to shift). */
export interface UnitReports { pos: number; end: number; key: string; unitKey: string; reports: readonly Report[] }

/** The units of one top-level statement that the last check saw, by node. */
export type NestedMemo = Map<TS.Statement, UnitReports>;

/** Counts since the process started (tests count them; nothing is timed). */
export const nestedUnitStats = { kept: 0, checked: 0 };

/** The units of one re-created top-level statement: which are kept (with their reports now) and which the check must see. */
export interface UnitPlan {
  units: readonly TS.Statement[];
  /** By unit index: its list's key now (undefined: never kept). */
  keys: Array<string | undefined>;
  /** By unit index: its own key now (`nestedUnitKey`; '' without one). */
  unitKeys: string[];
  /** By unit index: the kept reports, shifted to where the unit is now; undefined when the unit is checked. */
  kept: Array<UnitReports | undefined>;
}

/**
 * Which units of a re-created statement keep their findings: the same object as a unit of a
 * dropped statement's memo (`dropped`), with the same key. `keyOf` is the rule's `nestedKey`
 * (of a unit's list: asked once per list).
 */
export function planUnits(units: readonly TS.Statement[], dropped: readonly NestedMemo[], keyOf: (list: TS.Node) => string | undefined, unitKeyOf?: (unit: TS.Statement) => string): UnitPlan {
  const keys: Array<string | undefined> = new Array(units.length);
  const unitKeys: string[] = new Array(units.length);
  const kept: Array<UnitReports | undefined> = new Array(units.length);
  // the units of one list share a key string: compare each pair of key objects once
  let lastOld: string | undefined;
  let lastNow: string | undefined;
  let lastSame = false;
  let list: TS.Node | undefined;
  let key: string | undefined;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    if (unit.parent !== list) { list = unit.parent; key = keyOf(list); }
    keys[i] = key;
    if (key === undefined) continue;
    const unitKey = unitKeyOf ? unitKeyOf(unit) : '';
    unitKeys[i] = unitKey;
    let old: UnitReports | undefined;
    for (let d = 0; d < dropped.length; d++) if ((old = dropped[d].get(unit))) break;
    if (!old) continue;
    let same: boolean;
    if (old.key === lastOld && key === lastNow) same = lastSame;
    else { same = old.key === key; lastOld = old.key; lastNow = key; lastSame = same; }
    if (!same || old.unitKey !== unitKey) continue;
    // a unit without reports has nothing to shift: its entry stays (its span is read only to shift reports)
    kept[i] = old.pos === unit.pos || old.reports.length === 0 ? old : { pos: unit.pos, end: unit.end, key, unitKey, reports: shiftedReports(old, unit.pos) };
  }
  return { units, keys, unitKeys, kept };
}

/**
 * The memo of a checked statement's units and its reports in source order: `made` (the check's
 * reports for the statement, kept units left out) with the kept units' reports. A unit gets an
 * entry when it has a key and every report starting in it ends in it.
 */
export function recordUnits(plan: UnitPlan, made: readonly Report[]): { memo: NestedMemo; reports: Report[] } {
  const fresh = made.length > 1 ? [...made].sort((a, b) => a.start - b.start) : made;
  const memo: NestedMemo = new Map();
  const reports: Report[] = [];
  let r = 0;
  const { units, keys, unitKeys, kept } = plan;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    while (r < fresh.length && fresh[r].start < unit.pos) reports.push(fresh[r++]);
    const own = kept[i];
    if (own) {
      // an index loop: no iterator result per report (~0.1 MB per keystroke on the bench's 5k-line file)
      for (let j = 0; j < own.reports.length; j++) reports.push(own.reports[j]);
      memo.set(unit, own);
      nestedUnitStats.kept++;
      continue;
    }
    nestedUnitStats.checked++;
    const first = r;
    let fits = true;
    while (r < fresh.length && fresh[r].start < unit.end) {
      if (fresh[r].end > unit.end) fits = false;
      reports.push(fresh[r++]);
    }
    const key = keys[i];
    if (fits && key !== undefined) memo.set(unit, { pos: unit.pos, end: unit.end, key, unitKey: unitKeys[i], reports: first === r ? NONE : fresh.slice(first, r) });
  }
  while (r < fresh.length) reports.push(fresh[r++]);
  return { memo, reports };
}

const NONE: readonly Report[] = Object.freeze([]);

/**
 * Reports made when a span (a kept top-level statement or nested unit) started at `stored.pos`,
 * for the span now at `pos`: offsets inside the old span move with it; edits elsewhere sit at
 * offsets the (unchanged) summary decided, and stay.
 */
export function shiftedReports(stored: { pos: number; end: number; reports: readonly Report[] }, pos: number): readonly Report[] {
  const delta = pos - stored.pos;
  if (delta === 0 || stored.reports.length === 0) return stored.reports;
  const at = (offset: number): number => (offset >= stored.pos && offset <= stored.end ? offset + delta : offset);
  return stored.reports.map((r) => ({
    ...r,
    start: r.start + delta,
    end: r.end + delta,
    fixes: r.fixes?.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, start: at(e.start), end: at(e.end) })) })),
  }));
}
