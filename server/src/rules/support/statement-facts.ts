/**
 * Per-statement facts that statementwise rules (engine/statement-memo.ts) fold into their
 * summaries: what a check reads outside the statement of the node it judges.
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../../parse/typescript';

const NONE: readonly string[] = Object.freeze([]);

/**
 * The text of each top-level variable statement among `statements`: `constInitializer` and
 * `localValue` resolve a name through the file's top-level declarations, first match first, so
 * equal lists (in statement order) resolve every name to the same initializer text.
 */
export function topLevelVariableTexts(parsed: ParsedTs, statements: readonly TS.Statement[]): readonly string[] {
  const { ts, sourceFile } = parsed;
  let texts: string[] | undefined;
  for (const s of statements) if (ts.isVariableStatement(s)) (texts ??= []).push(s.getText(sourceFile));
  return texts ?? NONE;
}

/**
 * Every top-level variable statement of the file with where its text starts, as one key: for a
 * check whose fix edits a const's value in the const's own statement (`app.listen(PORT)` fixes
 * `const PORT = 3000`). A kept statement's reports keep such an edit's offsets, which stay right
 * only while the const's statement has not moved (engine/statement-memo.ts shifts offsets inside
 * the kept statement only).
 */
export function topLevelVariablePlaces(parsed: ParsedTs): string {
  const { ts, sourceFile } = parsed.whole ?? parsed;
  let out = '';
  for (const s of sourceFile.statements) if (ts.isVariableStatement(s)) out += `${s.getStart(sourceFile)}\u0001${s.getText(sourceFile)}\u0000`;
  return out;
}

/** Identifiers the nodes in view assign to (`x = …`, `x += …`): what a "never reassigned" test of a top-level `let` reads. */
export function assignedNames(parsed: ParsedTs): readonly string[] {
  const { ts } = parsed;
  let names: string[] | undefined;
  for (const node of parsed.nodesOfKind<TS.BinaryExpression>(ts.SyntaxKind.BinaryExpression)) {
    const op = node.operatorToken.kind;
    if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(node.left)) (names ??= []).push(node.left.text);
  }
  return names ?? NONE;
}

/** The parts' lists as one key (for lists whose order matters). */
export function joinedParts(lists: Iterable<readonly string[]>): string {
  let out = '';
  for (const list of lists) for (const item of list) out += item + '\u0000';
  return out;
}

/** The parts' lists as one set. */
export function unionOfParts(lists: Iterable<readonly string[]>): Set<string> {
  const set = new Set<string>();
  for (const list of lists) for (const item of list) set.add(item);
  return set;
}

export function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

/**
 * Where a node of a top-level variable statement is, independent of the statements around it:
 * the statement's rank among the file's top-level variable statements and the node's offset in
 * it (statement texts are compared separately, see `topLevelVariableTexts`). Undefined for a
 * node in any other statement.
 */
export function topLevelNodeKey(parsed: ParsedTs, node: TS.Node): string | undefined {
  const { ts, sourceFile } = parsed;
  const statement = topLevelStatementOf(sourceFile, node);
  if (!statement || !ts.isVariableStatement(statement)) return undefined;
  let rank = 0;
  for (const s of sourceFile.statements) {
    if (s === statement) return `${rank}:${node.pos - s.getStart(sourceFile)}`;
    if (ts.isVariableStatement(s)) rank++;
  }
  return undefined;
}

/** The top-level statement a node lies in (the node itself for a statement; undefined for the end-of-file token). */
export function topLevelStatementOf(sourceFile: TS.SourceFile, node: TS.Node): TS.Node | undefined {
  let statement = node;
  while (statement.parent && statement.parent !== sourceFile) statement = statement.parent;
  return statement.parent === sourceFile && statement.kind !== sourceFile.endOfFileToken.kind ? statement : undefined;
}

/**
 * The node `topLevelNodeKey` names in this version of the file (same kind), or undefined: a
 * statement with the same text has the same structure, so the node sits at the same offset.
 */
export function nodeAtTopLevelKey(parsed: ParsedTs, key: string, kind: TS.SyntaxKind): TS.Node | undefined {
  const { ts, sourceFile } = parsed;
  const [rank, offset] = key.split(':').map(Number);
  let seen = 0;
  let statement: TS.Statement | undefined;
  for (const s of sourceFile.statements) {
    if (!ts.isVariableStatement(s)) continue;
    if (seen++ === rank) { statement = s; break; }
  }
  if (!statement) return undefined;
  const pos = statement.getStart(sourceFile) + offset;
  let node: TS.Node | undefined = statement;
  while (node && !(node.pos === pos && node.kind === kind)) {
    let inside: TS.Node | undefined;
    node.forEachChild((child) => { if (!inside && child.pos <= pos && pos < child.end) inside = child; });
    node = inside;
  }
  return node;
}

/**
 * What a node inside a statement of `list` (a block, case clause or module block below the top
 * level: engine/nested-units.ts) can see of its enclosing scopes up to its top-level statement,
 * as one key: each ancestor's kind from `list` up, a property assignment's or variable
 * declaration's name, a call's callee, and the texts of the variable statements of each
 * enclosing block, in order. Equal keys mean `constInitializer` (ts-helpers.ts) from inside the
 * statement finds an initializer of the same text below the top level (the top-level consts are
 * the summary's), and a walk up the ancestors meets the same kinds, names and callees.
 */
export function enclosingScopeKey(parsed: ParsedTs, list: TS.Node): string {
  const { ts, sourceFile } = parsed;
  let key = '';
  for (let a: TS.Node = list; a && a !== sourceFile; a = a.parent) {
    key += `${a.kind}`;
    if (ts.isPropertyAssignment(a) || ts.isVariableDeclaration(a)) key += `:${a.name.getText(sourceFile)}`;
    else if (ts.isCallExpression(a) || ts.isNewExpression(a)) key += `:${a.expression.getText(sourceFile)}`;
    const statements = ts.isBlock(a) || ts.isModuleBlock(a) || ts.isCaseClause(a) || ts.isDefaultClause(a) ? a.statements : undefined;
    if (statements) for (const s of statements) if (ts.isVariableStatement(s)) key += `\u0001${s.getText(sourceFile)}`;
    key += '\u0000';
  }
  return key;
}
