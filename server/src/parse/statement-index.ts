/**
 * The shared node index of an EDITED document, kept per top-level statement so the next version
 * re-indexes only the statements its edit touched.
 *
 * `ts.updateSourceFile` moves every node outside the edited range into the new tree: a top-level
 * statement that is the same object in both trees was reused whole, subtree included (TypeScript
 * never reuses a node whose span intersects the change; positions after the change are shifted
 * in place). So its nodes by kind are still right, in the same order, and only the statements
 * that are new objects are walked. A kind's list is the statements' lists concatenated in
 * statement order: the same pre-order a walk of the whole tree gives
 * (`server/test/incremental-index.test.ts` checks it against a full walk over random edits).
 *
 * Only the editor's incremental reparses use it; a cold parse (the CLI) keeps the single walk.
 */
import type * as TS from 'typescript';

/** Walks `root`'s descendants (not `root`) into lists by kind, in pre-order, keeping the kinds `keep` accepts. */
export type IndexWalk = (root: TS.Node, keep?: (kind: TS.SyntaxKind) => boolean) => Array<TS.Node[] | undefined>;

/** One top-level statement's nodes (itself included) by kind. */
type StatementNodes = Map<TS.SyntaxKind, TS.Node[]>;

/**
 * A re-created statement's lists and where each of its units' nodes lie in them: `runs` holds
 * (kind, start, end) triples, a unit's from its entry's `from` to `to` (no list per unit: a
 * statement holding half the file has thousands of units).
 */
interface UnitRuns { nodes: StatementNodes; runs: ArrayLike<number> }

/** A nested unit: its nodes (runs of its statement's lists, or a last version's top-level statement's own lists) and values derived from it alone (`unitMemos`). */
interface UnitEntry { of?: UnitRuns; from: number; to: number; own?: StatementNodes; memo?: Map<string, unknown> }

const EMPTY: readonly TS.Node[] = Object.freeze([]);

/** The last version's statements a new version dropped: by node to their index there, and the unit lists of those indexed per unit. */
interface DroppedStatements { statements: Map<TS.Node, number>; units: Array<Map<TS.Node, UnitEntry>> }

/**
 * The same lists without their spare capacity. A list built by `push` keeps room for 16 more
 * nodes, and a statement's lists hold two nodes on average: tens of thousands of lists per
 * edited document, kept while later versions reuse the statement, were mostly that room (the
 * index of three 5k/7k-line documents: 9.7 MB before, see docs/performance.md, wave 8). The
 * copy is paid once, when a statement is indexed.
 */
function exactLists(nodes: StatementNodes): StatementNodes {
  for (const [kind, list] of nodes) if (list.length > 0 && list.length <= SHORT_LIST) nodes.set(kind, list.slice());
  return nodes;
}

/**
 * Longer lists keep their room (at most half their length, and few of them): copying the lists
 * of a re-created statement holding half the file on every keystroke would cost more than it saves.
 */
const SHORT_LIST = 64;

/** Reuse counts since the process started (tests count them; nothing is timed). */
export const statementIndexStats = { indexed: 0, reused: 0, unitsReused: 0, split: 0 };

/**
 * The statements of the first statement lists below `statement` (a block's, a case clause's, a
 * module block's), in source order: the walk stops at each list, so it visits only the nodes
 * around them (a function's header, a call's arguments up to a callback's body). These are the
 * nested units a re-created top-level statement's index, and the statement memo
 * (engine/nested-units.ts), keep when TypeScript reused them.
 */
export function nestedUnitsOf(ts: typeof TS, statement: TS.Statement): readonly TS.Statement[] {
  const units: TS.Statement[] = [];
  // a node to walk, or a list whose statements come next (a case clause's, after its expression)
  const stack: Array<TS.Node | { statements: TS.NodeArray<TS.Statement> }> = [];
  const push = (node: TS.Node): void => {
    const from = stack.length;
    node.forEachChild((child) => { stack.push(child); });
    for (let i = from, j = stack.length - 1; i < j; i++, j--) { const t = stack[i]; stack[i] = stack[j]; stack[j] = t; }
  };
  push(statement);
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (!('kind' in next)) { for (const s of next.statements) units.push(s); continue; }
    if (!isStatementList(ts, next)) { push(next); continue; }
    if (ts.isCaseClause(next)) {
      // `case f():` is walked first, outside any unit
      stack.push({ statements: next.statements }, next.expression);
    } else for (const s of next.statements) units.push(s);
  }
  return units;
}

function isStatementList(ts: typeof TS, node: TS.Node): node is TS.Block | TS.ModuleBlock | TS.CaseClause | TS.DefaultClause {
  return ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node);
}

/**
 * Each top-level statement's nodes by kind (then the end-of-file token's), cut out of a cold
 * parse's whole-file lists instead of walking the tree again: a list in pre-order holds statement
 * i's nodes as one run before statement i + 1's, and a node belongs to the first statement whose
 * span [pos, end) holds its `pos`. The one exception is a zero-width (missing) node at a
 * statement's end, which may be its last child or the next statement's first: decided by its
 * parents (the cold walk linked them). Lists are exact copies (`slice`), as `exactLists` keeps them.
 */
function splitWholeWalk(sourceFile: TS.SourceFile, whole: ReadonlyArray<TS.Node[] | undefined>, indexed: (kind: TS.SyntaxKind) => boolean): StatementNodes[] {
  const statements = sourceFile.statements;
  const n = statements.length;
  const out: StatementNodes[] = [];
  for (let i = 0; i <= n; i++) out.push(new Map());
  const owns = (i: number, node: TS.Node): boolean => {
    const end = statements[i].end;
    if (node.pos !== end) return node.pos < end;
    if (node.end !== end) return false;
    for (let p: TS.Node | undefined = node; p; p = p.parent) if (p === statements[i]) return true;
    return false;
  };
  for (let kind = 0; kind < whole.length; kind++) {
    const list = whole[kind];
    if (!list || list.length === 0 || !indexed(kind)) continue;
    let i = 0;
    let from = 0;
    for (let j = 0; j < list.length; j++) {
      if (i < n && owns(i, list[j])) continue;
      if (j > from) out[i].set(kind, list.slice(from, j));
      from = j;
      while (i < n && !owns(i, list[j])) i++;
    }
    out[i].set(kind, list.slice(from));
  }
  return out;
}

/**
 * For each statement of `now`, its index in `old` when it is the same object (TypeScript reused
 * it), else -1. Reused statements keep their order and an edit touches a run of statements, so
 * the kept ones are a common prefix and suffix, and a map is built only for the statements
 * between them (for an edit that moved statements around).
 */
export function align(old: readonly TS.Node[], now: readonly TS.Node[]): Int32Array {
  const from = new Int32Array(now.length).fill(-1);
  const n = now.length;
  const m = old.length;
  let p = 0;
  while (p < n && p < m && now[p] === old[p]) { from[p] = p; p++; }
  let s = 0;
  while (s < n - p && s < m - p && now[n - 1 - s] === old[m - 1 - s]) { from[n - 1 - s] = m - 1 - s; s++; }
  if (p + s < n && p + s < m) {
    const between = new Map<TS.Node, number>();
    for (let j = p; j < m - s; j++) between.set(old[j], j);
    for (let i = p; i < n - s; i++) from[i] = between.get(now[i]) ?? -1;
  }
  return from;
}

export class StatementIndex {
  /** This version's top-level statements: the next version aligns its own with them (`align`). */
  private readonly statements: readonly TS.Statement[];
  /** Per statement (same order as `statements`), then the end-of-file token's. */
  private readonly parts: StatementNodes[] = [];
  private readonly merged: Array<readonly TS.Node[] | undefined> = [];
  /**
   * Per statement (same order), values derived from it alone (`memoOf`): kept while later
   * versions reuse it. Arrays by index, not maps by node: a keystroke re-creates these per
   * version for every statement, and a map of ~600 entries per version was garbage the next one.
   */
  private readonly memos: Array<Map<string, unknown> | undefined>;
  /**
   * Per statement indexed with its nested units (a re-created one), its units' nodes: when a
   * later version re-creates it again, the units TypeScript reused keep their lists.
   */
  private readonly unitNodes = new Map<TS.Node, Map<TS.Node, UnitEntry>>();

  /**
   * `previous`: the index of the tree `sourceFile` was incrementally updated from; its statements
   * that are still in `sourceFile` keep their lists. `whole`: instead of walking, split a cold
   * parse's whole-file lists (by kind, pre-order) per statement (`splitWholeWalk`); only for the
   * tree they were made from, before an incremental reparse moves its positions.
   */
  constructor(
    private readonly sourceFile: TS.SourceFile,
    private readonly walk: IndexWalk,
    private readonly indexed: (kind: TS.SyntaxKind) => boolean,
    previous?: StatementIndex,
    private readonly ts?: typeof TS,
    whole?: ReadonlyArray<TS.Node[] | undefined>,
  ) {
    const statements = sourceFile.statements;
    this.statements = statements;
    this.memos = new Array(statements.length);
    const split = whole && splitWholeWalk(sourceFile, whole, indexed);
    if (split) {
      statementIndexStats.split += statements.length;
      for (const nodes of split) this.parts.push(nodes);
      return;
    }
    const from = previous ? align(previous.statements, statements) : undefined;
    let dropped: DroppedStatements | undefined;
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i];
      const j = from ? from[i] : -1;
      let nodes: StatementNodes;
      if (j >= 0) {
        statementIndexStats.reused++;
        nodes = previous!.parts[j];
        this.memos[i] = previous!.memos[j];
        const units = previous!.unitNodes.get(statement);
        if (units) this.unitNodes.set(statement, units);
      } else {
        // a unit TypeScript reused was a statement of the last version or a unit of one it dropped
        const gone = (dropped ??= previous ? previous.dropped(from!) : { statements: new Map(), units: [] });
        const reusable = (unit: TS.Node): UnitEntry | undefined => {
          const k = gone.statements.get(unit);
          if (k !== undefined) return { own: previous!.parts[k], from: 0, to: 0, memo: previous!.memos[k] };
          for (const units of gone.units) { const found = units.get(unit); if (found) return found; }
          return undefined;
        };
        nodes = ts ? this.indexWithUnits(ts, statement, reusable) : this.index(statement, indexed);
        statementIndexStats.indexed++;
      }
      this.parts.push(nodes);
    }
    this.parts.push(this.index(sourceFile.endOfFileToken, indexed));
  }

  /** This index's statements the next version does not have (`from`: `align`'s answer for it), by node to their index, and their units' lists. */
  private dropped(from: Int32Array): DroppedStatements {
    const stays = new Uint8Array(this.statements.length);
    for (let i = 0; i < from.length; i++) if (from[i] >= 0) stays[from[i]] = 1;
    const out: DroppedStatements = { statements: new Map(), units: [] };
    for (let j = 0; j < stays.length; j++) {
      if (stays[j]) continue;
      const statement = this.statements[j];
      out.statements.set(statement, j);
      const units = this.unitNodes.get(statement);
      if (units) out.units.push(units);
    }
    return out;
  }

  /**
   * A new statement's nodes by kind, in pre-order like `index`, walking only the nodes around
   * its nested units (`nestedUnitsOf`): a unit `reusable` knows (TypeScript reused it: same
   * object, same subtree) brings its lists, the others are walked. Its units' lists are kept.
   */
  private indexWithUnits(ts: typeof TS, statement: TS.Statement, reusable: (unit: TS.Node) => UnitEntry | undefined): StatementNodes {
    const keep = this.indexed;
    const nodes: StatementNodes = new Map();
    const units = new Map<TS.Node, UnitEntry>();
    // the triples while walking; kept as an Int32Array (a quarter of a growing number array's bytes)
    const triples: number[] = [];
    const runs: UnitRuns = { nodes, runs: triples };
    const append = (kind: TS.SyntaxKind, list: readonly TS.Node[], start: number, end: number): void => {
      // a statement of the last version brings the kinds walked on request too: those are walked whole again
      if (!keep(kind) || start === end) return;
      let into = nodes.get(kind);
      if (!into) nodes.set(kind, (into = []));
      const at = into.length;
      for (let i = start; i < end; i++) into.push(list[i]);
      triples.push(kind, at, into.length);
    };
    const add = (node: TS.Node): void => {
      if (!keep(node.kind)) return;
      const list = nodes.get(node.kind);
      if (list) list.push(node);
      else nodes.set(node.kind, [node]);
    };
    // pre-order over the nodes around the units; a stack entry marked `unit` is a statement of a list
    const stack: TS.Node[] = [statement];
    const isUnit: boolean[] = [false];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (isUnit.pop()) {
        const from = triples.length;
        const entry = reusable(node);
        if (entry) {
          statementIndexStats.unitsReused++;
          if (entry.own) for (const [kind, list] of entry.own) append(kind, list, 0, list.length);
          else for (let t = entry.from; t < entry.to; t += 3) append(entry.of!.runs[t], entry.of!.nodes.get(entry.of!.runs[t])!, entry.of!.runs[t + 1], entry.of!.runs[t + 2]);
        } else for (const [kind, list] of this.index(node, keep)) append(kind, list, 0, list.length);
        units.set(node, { of: runs, from, to: triples.length, memo: entry?.memo });
        continue;
      }
      add(node);
      const from = stack.length;
      // a list's children are its statements, but for a case clause's expression
      const list = isStatementList(ts, node);
      const header = list && ts.isCaseClause(node) ? node.expression : undefined;
      node.forEachChild((child) => { stack.push(child); isUnit.push(list && child !== header); });
      for (let i = from, j = stack.length - 1; i < j; i++, j--) {
        const t = stack[i]; stack[i] = stack[j]; stack[j] = t;
        const u = isUnit[i]; isUnit[i] = isUnit[j]; isUnit[j] = u;
      }
    }
    if (units.size > 0) {
      runs.runs = Int32Array.from(triples);
      this.unitNodes.set(statement, units);
    }
    return exactLists(nodes);
  }

  /** `node` and its descendants of the kinds `keep` accepts, by kind. */
  private index(node: TS.Node, keep: (kind: TS.SyntaxKind) => boolean): StatementNodes {
    const nodes: StatementNodes = new Map();
    if (keep(node.kind)) nodes.set(node.kind, [node]);
    const below = this.walk(node, keep);
    for (let kind = 0; kind < below.length; kind++) {
      const list = below[kind];
      if (!list) continue;
      const own = nodes.get(kind);
      if (own) own.push(...list);
      else nodes.set(kind, list);
    }
    return exactLists(nodes);
  }

  /**
   * Values derived from top-level statement `i` alone (by a key each user picks), kept with the
   * statement as its nodes are: a later version that reuses the statement has them. Held by the
   * index, not in a module-level WeakMap keyed by nodes (parse/parse-memo.ts says why).
   */
  memoOf(i: number): Map<string, unknown> {
    return (this.memos[i] ??= new Map());
  }

  /**
   * The nested units of top-level statement `i` (`nestedUnitsOf`, in source order) with, for
   * each, values derived from it alone, kept with it while later versions reuse it (a unit
   * TypeScript reused keeps its memo when its statement is re-created). Undefined when the
   * statement was never indexed per unit (a cold index, a statement kept since the first version).
   */
  unitMemos(i: number): Array<{ unit: TS.Statement; memo: Map<string, unknown> }> | undefined {
    const units = this.unitNodes.get(this.sourceFile.statements[i]);
    if (!units) return undefined;
    const out: Array<{ unit: TS.Statement; memo: Map<string, unknown> }> = [];
    for (const [unit, entry] of units) out.push({ unit: unit as TS.Statement, memo: (entry.memo ??= new Map()) });
    return out;
  }

  /** Every node of `kind` in source (pre-)order. */
  nodesOfKind(kind: TS.SyntaxKind): readonly TS.Node[] {
    const done = this.merged[kind];
    if (done) return done;
    const all: TS.Node[] = [];
    for (let i = 0; i < this.parts.length; i++) {
      const list = this.partList(i, kind);
      if (list) for (let j = 0; j < list.length; j++) all.push(list[j]);
    }
    const result = all.length > 0 ? all : EMPTY;
    this.merged[kind] = result;
    return result;
  }

  /**
   * The nodes of `kind` in some top-level statements (indexes into `sourceFile.statements`,
   * ascending) and in the end-of-file token, in source order: a statement view's lists
   * (engine/statement-memo.ts re-checks only the statements an edit made).
   */
  nodesOfKindIn(statements: readonly number[], kind: TS.SyntaxKind): readonly TS.Node[] {
    const eof = this.partList(this.parts.length - 1, kind);
    if (statements.length <= 1 && !eof?.length) {
      // one statement (a part of the summary): its own list, shared read-only like `nodesOfKind`'s
      return (statements.length === 1 ? this.partList(statements[0], kind) : undefined) ?? EMPTY;
    }
    const all: TS.Node[] = [];
    const add = (i: number): void => {
      const list = this.partList(i, kind);
      if (list) for (let j = 0; j < list.length; j++) all.push(list[j]);
    };
    for (const i of statements) add(i);
    add(this.parts.length - 1);
    return all.length > 0 ? all : EMPTY;
  }

  /** Part `i`'s nodes of `kind` (the last part is the end-of-file token's). */
  private partList(i: number, kind: TS.SyntaxKind): TS.Node[] | undefined {
    const part = this.parts[i];
    let list = part.get(kind);
    if (!list && !this.indexed(kind)) {
      // a kind the index leaves out (identifiers, tokens): walked once per statement on first request
      const statements = this.sourceFile.statements;
      const root = i < statements.length ? statements[i] : this.sourceFile.endOfFileToken;
      list = this.index(root, (k) => k === kind).get(kind) ?? [];
      part.set(kind, list);
    }
    return list;
  }
}
