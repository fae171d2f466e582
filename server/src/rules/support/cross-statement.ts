/**
 * Findings a rule reports in another top-level statement than where it found them, kept exact
 * by the statement memo (engine/statement-memo.ts).
 *
 * `fetch(BASE)` in a handler makes `const BASE = 'http://…'` a finding at the const's value, in
 * the const's statement; `new sqlite3.Database(DB_FILE)` does the same for `DB_FILE`. Such a
 * rule judges each reported node by the first "target" its passes find for it, wherever that
 * target was found. So, for a statementwise split:
 *
 * - each statement's part is the targets found in it whose node lies in another statement
 *   (only top-level `const`s can be reached that way: a const in a function or block is seen
 *   only inside it), with the node's place (`topLevelNodeKey`), since the part may outlive a
 *   re-parse of the const's statement with the same text;
 * - the summary lists them all, in statement order, as a key: while it is equal, every kept
 *   statement's findings are still right;
 * - a statement view (the statements an edit made) judges the nodes in its own statements with
 *   its own targets and the targets other statements have in them, merged in the rule's order:
 *   by pass, then by where they were found (`targetsInView`);
 * - the parts resolve callees and follow consts, so the rule's `partsKey` is the file's import
 *   bindings and top-level variable statements (`crossPartsKey`).
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../../parse/typescript';
import { importBindingsKey } from './module-imports';
import { parseMemo } from '../../parse/parse-memo';
import { joinedParts, nodeAtTopLevelKey, topLevelNodeKey, topLevelStatementOf, topLevelVariableTexts } from './statement-facts';

/** How a rule's targets are read. */
export interface TargetShape<T> {
  /** The node the finding is reported at. */
  at(target: T): TS.Node;
  /** The node where the target was found (a call, an option, a property). */
  origin(target: T): TS.Node;
  /** The rule's pass that found it: targets are considered by pass, then by where they were found. */
  pass(target: T): number;
  /** Everything besides its node that decides the target's finding, as text. */
  describe(target: T): string;
  /** The same target at `at`, this version's node at the same place. */
  relocate(target: T, at: TS.Node): T;
}

/** A target found in one statement whose node lies in another. */
export interface CrossTarget<T> {
  target: T;
  /** Where its node is (`topLevelNodeKey`), or '' when it is not in a top-level variable statement. */
  place: string;
}

export interface CrossSummary<T> {
  /** Every cross target of the file, in statement order, with this version's nodes. */
  cross: T[];
  /** `cross` as text (pass, place, description): equal keys, equal findings in kept statements. */
  key: string;
}

const NONE: readonly CrossTarget<never>[] = Object.freeze([]);
let misses = 0;

/** What the parts read besides their statements: import bindings and top-level variable statements (once per version: two rules ask). */
export function crossPartsKey(parsed: ParsedTs): string {
  const whole = parsed.whole ?? parsed;
  return partsKeys.get(whole) ?? partsKeys.set(whole, `${importBindingsKey(whole)}\u0002${joinedParts([topLevelVariableTexts(whole, whole.sourceFile.statements)])}`);
}
const partsKeys = parseMemo<string>('cross-statement parts key');

/**
 * `crossPartsKey` without the top-level variable statements, for `constsByName`: the parts
 * follow consts by name only (`constResolver`, `constInitializer`), and a place (`topLevelNodeKey`)
 * is of a const's statement, whose names count as changed when TypeScript re-parses it.
 */
export function crossPartsKeyApartFromConsts(parsed: ParsedTs): string {
  return importBindingsKey(parsed.whole ?? parsed);
}

function isCross<T>(sourceFile: TS.SourceFile, shape: TargetShape<T>, target: T): boolean {
  return topLevelStatementOf(sourceFile, shape.at(target)) !== topLevelStatementOf(sourceFile, shape.origin(target));
}

/** A part: the targets found in these statements whose nodes lie in other statements. */
export function crossPart<T>(parsed: ParsedTs, shape: TargetShape<T>, targets: readonly T[]): readonly CrossTarget<T>[] {
  const whole = parsed.whole ?? parsed;
  let out: CrossTarget<T>[] | undefined;
  for (const target of targets) {
    if (!isCross(whole.sourceFile, shape, target)) continue;
    (out ??= []).push({ target, place: topLevelNodeKey(whole, shape.at(target)) ?? '' });
  }
  return out ?? NONE;
}

/** The parts' cross targets with this version's nodes, and their key. */
export function crossSummary<T>(parsed: ParsedTs, shape: TargetShape<T>, parts: Iterable<readonly CrossTarget<T>[]>): CrossSummary<T> {
  const whole = parsed.whole ?? parsed;
  const cross: T[] = [];
  let key = '';
  let current: Set<TS.Node> | undefined;
  for (const part of parts) {
    for (const { target, place } of part) {
      const at = shape.at(target);
      current ??= new Set(whole.sourceFile.statements);
      // a node of a statement TypeScript re-parsed since (same text): this version's node at the same place
      const now = current.has(topLevelStatementOf(whole.sourceFile, at)!) ? at : place ? nodeAtTopLevelKey(whole, place, at.kind) : undefined;
      if (!now) { key += `\u0003${misses++}`; continue; } // never equal: the rule runs whole
      cross.push(now === at ? target : shape.relocate(target, now));
      key += `${shape.pass(target)}|${place}|${shape.describe(target)}\u0000`;
    }
  }
  return { cross, key };
}

/**
 * The targets whose nodes lie in a statement view's statements, in the rule's order: the view's
 * own (found in their node's statement) and those other statements found (`cross`), merged by
 * pass, then by where they were found. `own` is what the rule's passes found in the view, in
 * pass order and, within a pass, in source order.
 */
export function targetsInView<T>(view: ParsedTs, shape: TargetShape<T>, own: readonly T[], cross: readonly T[]): T[] {
  const { sourceFile } = view;
  const mine = own.filter((t) => !isCross(sourceFile, shape, t));
  const incoming = cross.filter((t) => view.nodesOfKind(shape.at(t).kind).includes(shape.at(t)));
  if (incoming.length === 0) return mine;
  // a stable sort: targets found at the same place keep their order (nested calls start together)
  return [...mine, ...incoming].sort((a, b) => shape.pass(a) - shape.pass(b) || shape.origin(a).pos - shape.origin(b).pos);
}
