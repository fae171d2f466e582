/**
 * TypeScript/JavaScript adapter: one `ts.SourceFile` per document version, shared by all
 * rules, with a lazily built index of nodes by kind so rules do not each walk the tree.
 * `typescript` is loaded on first use only: Dockerfile-only sessions never pay for it.
 */
import type * as TS from 'typescript';
import type { CommentSpan } from './comments';
import { PARSE_MEMOS } from './parse-memo';
import { hintMatch, textHint, type TextHint } from './text-hint';
import { StatementIndex } from './statement-index';

let tsModule: typeof TS | undefined;

/** The TypeScript compiler API, loaded lazily. */
export function loadTypescript(): typeof TS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tsModule ??= require('typescript') as typeof TS;
  return tsModule;
}

export interface ParsedTs {
  readonly ts: typeof TS;
  readonly sourceFile: TS.SourceFile;
  /** Syntax errors reported by the parser (the tree is still usable: TS parses leniently). */
  readonly parseDiagnostics: readonly TS.DiagnosticWithLocation[];
  /** Every node of a kind, in source order; built in one walk on first call. */
  nodesOfKind<T extends TS.Node = TS.Node>(kind: TS.SyntaxKind): readonly T[];
  /** Comments that may hold directives (suppressions, other tools' pragmas). */
  directiveComments(): readonly CommentSpan[];
  /** The whole file's parse, for a statement view (file-wide facts such as imports are the whole file's). */
  readonly whole?: ParsedTs;
  /**
   * For an edited document (an incremental reparse, indexed per top-level statement): the same
   * parse with `nodesOfKind` restricted to some top-level statements (indexes, ascending) and
   * the end-of-file token. Undefined for a cold parse, which keeps its single whole-file index.
   * `without`: nodes inside those statements (ascending, disjoint) whose subtrees are left out:
   * nested statements whose findings are kept (engine/nested-units.ts). The same statements
   * and the same `without` nodes give the same view object (its node lists and memos are shared).
   */
  statementView?(statements: readonly number[], without?: readonly TS.Node[]): ParsedTs | undefined;
  /**
   * For an edited document: values derived from top-level statement `i` alone, kept while later
   * versions reuse that statement (parse/statement-index.ts `memoOf`). Undefined for a cold parse.
   */
  statementMemo?(i: number): Map<string, unknown> | undefined;
  /**
   * For an edited document: top-level statement `i`'s nested units with, for each, values
   * derived from it alone, kept while later versions reuse the unit (parse/statement-index.ts
   * `unitMemos`). Undefined when the statement was not indexed per unit.
   */
  unitMemos?(i: number): Array<{ unit: TS.Statement; memo: Map<string, unknown> }> | undefined;
  /** Where a text hint matches this parse's text, or -1, once per version and from the last version's answer (text-hint.ts `hasHint`). */
  hintAt?(hint: TextHint): number;
}

/** Parses made by this adapter since the process started (tests and benches count them per edit). */
export const tsParseCount = { full: 0, incremental: 0 };

const SCRIPT_KINDS = { ts: 3, tsx: 4, js: 1, jsx: 2 } as const; // ts.ScriptKind values

const DIRECTIVE_HINT = /factorlint-|NOSONAR|gitleaks:allow|pragma:\s*allowlist/;
/** The words without which `DIRECTIVE_HINT` cannot match, as a text hint: an edited document re-tests them around the edit only. */
const DIRECTIVE_WORDS = textHint(['factorlint-', 'NOSONAR', 'gitleaks:allow', 'pragma:']);

/**
 * Parses a TS/JS document. With `previous` (a parse of an earlier version of the same document,
 * same script kind), reparses incrementally: `ts.updateSourceFile` reuses the unchanged subtrees
 * around the edited span (common prefix/suffix of the two texts), which costs a fraction of a
 * full parse on large files. The previous parse is consumed: TypeScript moves its nodes into the
 * new tree, so it must not be used afterwards (a consumed parse is never reused twice).
 */
export function parseTypescript(text: string, file: { path: string; scriptKind?: 'ts' | 'tsx' | 'js' | 'jsx' }, previous?: ParsedTs): ParsedTs {
  const ts = loadTypescript();
  const scriptKind = SCRIPT_KINDS[file.scriptKind ?? 'ts'] as unknown as TS.ScriptKind;
  if (previous instanceof ParsedTsImpl && previous.reusableFor(file.path, scriptKind)) {
    const old = previous.sourceFile;
    const range = changeRange(old.text, text);
    // taken before the update: a cold parse's lists are split per statement by their positions, which the update moves
    const previousIndex = previous.takeStatementIndex();
    previous.consumed = true;
    try {
      const hints = previous.hintAnswers();
      const updated = new ParsedTsImpl(ts, ts.updateSourceFile(old, text, range), text, scriptKind, { updated: { previousIndex }, lastHints: hints && { hints, range } });
      tsParseCount.incremental++;
      return updated;
    } catch {
      // never trust a half-updated tree: fall back to a full parse
    }
  }
  // Parents are set by the index's walk, not by the parser: `setParentNodes` walks the whole
  // tree a second time and allocates a work list per node. Same parents either way (the parser
  // sets none itself, and with JSDoc unparsed no node carries `jsDoc` nodes to bind).
  const sourceFile = ts.createSourceFile(file.path, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, scriptKind);
  tsParseCount.full++;
  const byKind = indexByKind(sourceFile, keepIndexed(ts), true);
  return new ParsedTsImpl(ts, sourceFile, text, scriptKind, { byKind });
}

/**
 * The single contiguous edit that turns `before` into `after`: common prefix and suffix excluded.
 * "The first n characters are equal" holds for every n up to the common prefix and for none
 * after, so its length is found by binary search over slice comparisons (native compares of
 * the two strings) instead of a character loop over half the file per keystroke; likewise
 * the suffix, which never overlaps the prefix.
 */
export function changeRange(before: string, after: string): TS.TextChangeRange {
  const max = Math.min(before.length, after.length);
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (before.slice(lo, mid) === after.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  const start = lo;
  const oldLength = before.length;
  const newLength = after.length;
  lo = 0;
  hi = max - start;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (before.slice(oldLength - mid, oldLength - lo) === after.slice(newLength - mid, newLength - lo)) lo = mid;
    else hi = mid - 1;
  }
  const oldEnd = oldLength - lo;
  const newEnd = newLength - lo;
  return { span: { start, length: oldEnd - start }, newLength: newEnd - start };
}

const EMPTY: readonly TS.Node[] = Object.freeze([]);

let unindexedTable: Uint8Array | undefined;

/**
 * Kinds the shared index leaves out (1): identifiers, punctuation and keywords are most of the
 * nodes and rules almost never ask for them; a rare request walks once for its kind.
 */
function unindexedKinds(ts: typeof TS): Uint8Array {
  if (unindexedTable) return unindexedTable;
  const table = new Uint8Array(ts.SyntaxKind.Count + 1);
  table[ts.SyntaxKind.Identifier] = 1;
  for (let k = ts.SyntaxKind.FirstPunctuation; k <= ts.SyntaxKind.LastPunctuation; k++) table[k] = 1;
  for (let k = ts.SyntaxKind.FirstKeyword; k <= ts.SyntaxKind.LastKeyword; k++) table[k] = 1;
  return (unindexedTable = table);
}

let keepTable: ((kind: TS.SyntaxKind) => boolean) | undefined;

/** The shared index's filter: every kind but the unindexed ones. */
function keepIndexed(ts: typeof TS): (kind: TS.SyntaxKind) => boolean {
  if (keepTable) return keepTable;
  const unindexed = unindexedKinds(ts);
  return (keepTable = (k) => unindexed[k] !== 1);
}

/**
 * Every node below the root, bucketed by kind, in source (pre-)order. Iterative: deep trees
 * must not exhaust the stack. Children are pushed as `forEachChild` yields them and the pushed
 * run is reversed in place, so no per-node temporary array is allocated. `setParents`: also
 * link each child to its parent (a tree parsed without `setParentNodes`).
 */
function indexByKind(root: TS.Node, keep: (kind: TS.SyntaxKind) => boolean = () => true, setParents = false): Array<TS.Node[] | undefined> {
  const buckets: Array<TS.Node[] | undefined> = [];
  const stack: TS.Node[] = [];
  let parent = root;
  const push = setParents
    ? (child: TS.Node): void => { (child as { parent: TS.Node }).parent = parent; stack.push(child); }
    : (child: TS.Node): void => { stack.push(child); };
  const pushChildren = (node: TS.Node): void => {
    const from = stack.length;
    parent = node;
    node.forEachChild(push);
    for (let i = from, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i];
      stack[i] = stack[j];
      stack[j] = t;
    }
  };
  pushChildren(root);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (keep(node.kind)) {
      const bucket = buckets[node.kind];
      if (bucket) bucket.push(node);
      else buckets[node.kind] = [node];
    }
    pushChildren(node);
  }
  return buckets;
}

class ParsedTsImpl implements ParsedTs {
  /** Per-parse caches (parse-memo.ts), declared so that adding one never changes this object's shape. */
  [PARSE_MEMOS]: unknown[] | undefined = undefined;
  /** Nodes by kind (an array indexed by `SyntaxKind`: cheaper than a Map in the hot walk). */
  private byKind?: Array<TS.Node[] | undefined>;
  private comments?: CommentSpan[];
  /** Its tree was handed to an incremental reparse: stale, never reuse it. */
  consumed = false;
  /**
   * Edited documents (made by an incremental reparse) index per top-level statement, so the
   * next version re-walks only the statements its edit touched (see statement-index.ts).
   */
  private statementIndex?: StatementIndex;
  /** Set for an incremental reparse until its index is built: the previous version's index, if it had one. */
  private updated?: { previousIndex?: StatementIndex };
  /** `statementView`'s views by their statements' indexes (they live as long as this parse). */
  private views?: Map<string, StatementView[]>;
  /** Where each text hint asked of this version matches (-1: nowhere). */
  private hints?: Map<TextHint, number>;
  /** An incremental reparse: the last version's hint answers and the edit between the two texts (text-hint.ts). */
  private lastHints?: { hints: Map<TextHint, number>; range: TS.TextChangeRange };

  /**
   * `byKind`: the index a cold parse built while linking parents; `updated`: set for an
   * incremental reparse, with the previous version's per-statement index if it had one.
   */
  constructor(readonly ts: typeof TS, readonly sourceFile: TS.SourceFile, private readonly text: string, private readonly scriptKind: TS.ScriptKind, init: { byKind?: Array<TS.Node[] | undefined>; updated?: { previousIndex?: StatementIndex }; lastHints?: { hints: Map<TextHint, number>; range: TS.TextChangeRange } } = {}) {
    this.byKind = init.byKind;
    this.updated = init.updated;
    this.lastHints = init.lastHints;
  }

  /** The answers of the text hints asked of this version (a map of numbers: handing it on keeps no tree alive). */
  hintAnswers(): Map<TextHint, number> | undefined {
    return this.hints;
  }

  hintAt(hint: TextHint): number {
    let at = this.hints?.get(hint);
    if (at === undefined) {
      const last = this.lastHints?.hints.get(hint);
      at = hintMatch(hint, this.text, last === undefined ? undefined : { at: last, range: this.lastHints!.range });
      (this.hints ??= new Map()).set(hint, at);
    }
    return at;
  }

  /**
   * Hands this parse's per-statement index to the next version, once. A cold parse (a document
   * just opened) has none: its whole-file lists are split per statement instead (no walk), so the
   * first edit after an open walks only the statements it made, like every later one.
   */
  takeStatementIndex(): StatementIndex | undefined {
    const index = this.statementIndex ?? (this.byKind && new StatementIndex(this.sourceFile, indexByKind, keepIndexed(this.ts), undefined, this.ts, this.byKind));
    this.statementIndex = undefined;
    this.byKind = undefined;
    this.updated = undefined;
    return index;
  }

  reusableFor(path: string, scriptKind: TS.ScriptKind): boolean {
    return !this.consumed && this.sourceFile.fileName === path && this.scriptKind === scriptKind;
  }

  get parseDiagnostics(): readonly TS.DiagnosticWithLocation[] {
    return (this.sourceFile as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  }

  nodesOfKind<T extends TS.Node>(kind: TS.SyntaxKind): readonly T[] {
    const unindexed = unindexedKinds(this.ts);
    this.buildStatementIndex();
    if (this.statementIndex) return this.statementIndex.nodesOfKind(kind) as readonly T[];
    this.byKind ??= indexByKind(this.sourceFile, keepIndexed(this.ts));
    if (unindexed[kind] === 1 && !this.byKind[kind]) this.byKind[kind] = indexByKind(this.sourceFile, (k) => k === kind)[kind] ?? [];
    return (this.byKind[kind] ?? EMPTY) as readonly T[];
  }

  statementView(statements: readonly number[], without?: readonly TS.Node[]): ParsedTs | undefined {
    this.buildStatementIndex();
    const index = this.statementIndex;
    if (!index) return undefined;
    const left = without && without.length > 0 ? without : undefined;
    // one view per set of statements and nodes left out: every split rule's part of a new
    // statement and its check see the same view, and so do the rules that keep the same nested
    // statements, so node lists and per-parse memos (parse-memo.ts) are made once per edit
    const key = statements.join(',');
    const views: StatementView[] = (this.views ??= new Map()).get(key) ?? [];
    let view = views.find((v) => sameNodes(v.without, left));
    if (!view) {
      view = new StatementView(this, index, statements.slice(), left?.slice());
      views.push(view);
      this.views.set(key, views);
    }
    return view;
  }

  statementMemo(i: number): Map<string, unknown> | undefined {
    this.buildStatementIndex();
    return this.statementIndex?.memoOf(i);
  }

  unitMemos(i: number): Array<{ unit: TS.Statement; memo: Map<string, unknown> }> | undefined {
    this.buildStatementIndex();
    return this.statementIndex?.unitMemos(i);
  }

  private buildStatementIndex(): void {
    if (!this.updated) return;
    this.statementIndex = new StatementIndex(this.sourceFile, indexByKind, keepIndexed(this.ts), this.updated.previousIndex, this.ts);
    this.updated = undefined;
  }

  directiveComments(): readonly CommentSpan[] {
    if (this.comments) return this.comments;
    const comments: CommentSpan[] = [];
    if (this.hintAt(DIRECTIVE_WORDS) >= 0 && DIRECTIVE_HINT.test(this.text)) {
      const scanner = this.ts.createScanner(this.ts.ScriptTarget.Latest, false, this.sourceFile.languageVariant, this.text);
      const seen = new Set<number>();
      const pattern = new RegExp(DIRECTIVE_HINT.source, 'g');
      for (let m = pattern.exec(this.text); m; m = pattern.exec(this.text)) {
        const span = this.commentAt(m.index, scanner);
        if (span && !seen.has(span.start)) { seen.add(span.start); comments.push(span); }
      }
    }
    this.comments = comments;
    return comments;
  }

  /** The comment containing `pos`, found from the trivia of the token the AST places there. */
  private commentAt(pos: number, scanner: TS.Scanner): CommentSpan | undefined {
    const ts = this.ts;
    // Find the innermost node whose full range (with leading trivia) holds pos.
    let node: TS.Node = this.sourceFile;
    let triviaStart = 0;
    for (;;) {
      let next: TS.Node | undefined;
      let lastEndBefore = -1;
      node.forEachChild((child) => {
        if (next) return true;
        if (child.pos <= pos && pos < child.end) next = child;
        else if (child.end <= pos) lastEndBefore = Math.max(lastEndBefore, child.end);
        return undefined;
      });
      if (!next) {
        // pos lies between children (e.g. before a closing brace): scan from the last child's end
        if (lastEndBefore >= 0) triviaStart = lastEndBefore;
        break;
      }
      node = next;
      triviaStart = next.pos;
      if (pos < next.getStart(this.sourceFile)) break; // pos is in this node's leading trivia
    }
    // Scan the tokens of `node` from triviaStart, without skipping trivia, until past pos.
    scanner.setText(this.text, triviaStart, Math.min(this.text.length, node.end) - triviaStart);
    for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
      const start = scanner.getTokenStart();
      const end = scanner.getTokenEnd();
      if (start > pos) return undefined;
      if (end <= pos) continue;
      if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) {
        const raw = this.text.slice(start, end);
        const body = token === ts.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, -2);
        const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
        const ownLine = this.text.slice(lineStart, start).trim() === '';
        const line = this.sourceFile.getLineAndCharacterOfPosition(start).line;
        return { text: body.replace(/^\s*\*?\s*/, ''), start, end, line, ownLine };
      }
      return undefined; // pos is inside a string, template or other token: not a comment
    }
    return undefined;
  }
}

/** The same nodes (by identity) in the same order, or both none. */
function sameNodes(a: readonly TS.Node[] | undefined, b: readonly TS.Node[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A parse seen through some of its top-level statements (see `ParsedTs.statementView`). */
class StatementView implements ParsedTs {
  /** Per-parse caches (parse-memo.ts), declared so that adding one never changes this object's shape. */
  [PARSE_MEMOS]: unknown[] | undefined = undefined;
  /** A Map, not an array by kind: a view is short-lived and asked for a few kinds (an array grows to ~360 slots). */
  private readonly byKind = new Map<TS.SyntaxKind, readonly TS.Node[]>();

  constructor(readonly whole: ParsedTsImpl, private readonly index: StatementIndex, private readonly statements: readonly number[], readonly without?: readonly TS.Node[]) {}

  get ts(): typeof TS { return this.whole.ts; }
  get sourceFile(): TS.SourceFile { return this.whole.sourceFile; }
  get parseDiagnostics(): readonly TS.DiagnosticWithLocation[] { return this.whole.parseDiagnostics; }

  nodesOfKind<T extends TS.Node>(kind: TS.SyntaxKind): readonly T[] {
    let nodes = this.byKind.get(kind);
    if (!nodes) {
      nodes = this.index.nodesOfKindIn(this.statements, kind);
      if (this.without) nodes = outside(nodes, this.without);
      this.byKind.set(kind, nodes);
    }
    return nodes as readonly T[];
  }

  directiveComments(): readonly CommentSpan[] { return this.whole.directiveComments(); }
}

/**
 * The nodes of `nodes` (source pre-order: `pos` never decreases) outside the subtrees of
 * `spans` (nodes of the tree, ascending and disjoint). A node is in a span node's subtree when
 * its `pos` is in [span.pos, span.end): the span's ancestors start before it and the nodes after
 * its subtree at or after its end. The one exception is a zero-width (missing) node at either
 * boundary, which may belong to the statement before or to the span: decided by its parents.
 */
export function outside(nodes: readonly TS.Node[], spans: readonly TS.Node[]): readonly TS.Node[] {
  const firstAtOrAfter = (pos: number, lo: number): number => {
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nodes[mid].pos < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const kept: TS.Node[] = [];
  let from = 0;
  for (const span of spans) {
    let cut = firstAtOrAfter(span.pos, from);
    for (let i = from; i < cut; i++) kept.push(nodes[i]);
    let after = firstAtOrAfter(span.end, cut);
    while (cut < after && nodes[cut].pos === span.pos && nodes[cut].end === span.pos && !within(nodes[cut], span)) kept.push(nodes[cut++]);
    while (after < nodes.length && nodes[after].pos === span.end && nodes[after].end === span.end && within(nodes[after], span)) after++;
    from = after;
  }
  for (let i = from; i < nodes.length; i++) kept.push(nodes[i]);
  return kept.length > 0 ? kept : EMPTY;
}

function within(node: TS.Node, ancestor: TS.Node): boolean {
  for (let n: TS.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}
