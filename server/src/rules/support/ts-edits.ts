/** Text-placement helpers for TypeScript/JavaScript fixes: statements, indentation, line ends. */
import type * as TS from 'typescript';

/** The statement holding `node` directly in a block, module or source file (where statements can be inserted). */
export function enclosingStatement(ts: typeof TS, node: TS.Node): TS.Statement | undefined {
  for (let n: TS.Node | undefined = node; n && n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isSourceFile(p) || ts.isBlock(p) || ts.isModuleBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) return n as TS.Statement;
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return undefined; // do not escape a nested function
  }
  return undefined;
}

/** The whitespace that starts the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * Where to insert text "after" a node: the end of its line when only whitespace or a comment
 * follows it there (so a trailing comment stays with its statement), else right after it.
 */
export function afterLineOf(text: string, end: number): number {
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  if (text[lineEnd - 1] === '\r') lineEnd--;
  const rest = text.slice(end, lineEnd);
  return /^\s*(?:\/\/.*)?$/.test(rest) ? lineEnd : end;
}

/** The first candidate not in `taken`. */
export function freshName(taken: ReadonlySet<string>, candidates: readonly string[]): string {
  for (const c of candidates) if (!taken.has(c)) return c;
  let i = 2;
  while (taken.has(`${candidates[0]}${i}`)) i++;
  return `${candidates[0]}${i}`;
}
