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

const EMPTY: readonly TS.Node[] = Object.freeze([]);

/** Reuse counts since the process started (tests count them; nothing is timed). */
export const statementIndexStats = { indexed: 0, reused: 0 };

export class StatementIndex {
  /** Per statement (same order as `sourceFile.statements`), then the end-of-file token's. */
  private readonly parts: StatementNodes[];
  private readonly byStatement = new Map<TS.Node, StatementNodes>();
  private readonly merged: Array<readonly TS.Node[] | undefined> = [];
  /** Per statement, values derived from it alone (`memoOf`): kept while later versions reuse it. */
  private readonly memos = new Map<TS.Node, Map<string, unknown>>();

  /**
   * `previous`: the index of the tree `sourceFile` was incrementally updated from; its statements
   * that are still in `sourceFile` keep their lists.
   */
  constructor(
    private readonly sourceFile: TS.SourceFile,
    private readonly walk: IndexWalk,
    private readonly indexed: (kind: TS.SyntaxKind) => boolean,
    previous?: StatementIndex,
  ) {
    this.parts = [];
    for (const statement of sourceFile.statements) {
      let nodes = previous?.byStatement.get(statement);
      if (nodes) {
        statementIndexStats.reused++;
        const memo = previous!.memos.get(statement);
        if (memo) this.memos.set(statement, memo);
      }
      else {
        nodes = this.index(statement, indexed);
        statementIndexStats.indexed++;
      }
      this.byStatement.set(statement, nodes);
      this.parts.push(nodes);
    }
    this.parts.push(this.index(sourceFile.endOfFileToken, indexed));
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
    return nodes;
  }

  /**
   * Values derived from top-level statement `i` alone (by a key each user picks), kept with the
   * statement as its nodes are: a later version that reuses the statement has them. Held by the
   * index, not in a module-level WeakMap keyed by nodes (parse/parse-memo.ts says why).
   */
  memoOf(i: number): Map<string, unknown> {
    const statement = this.sourceFile.statements[i];
    let memo = this.memos.get(statement);
    if (!memo) this.memos.set(statement, (memo = new Map()));
    return memo;
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
