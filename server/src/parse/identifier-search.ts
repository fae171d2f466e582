/**
 * Identifiers found through the text: a search for a name's whole-word occurrences, then a
 * descent to the node at each. For a name that occurs a few times in a large file this is a
 * native string search and a few descents, where a walk of the file's nodes of one kind visits
 * thousands per keystroke. A name can also be spelled with escapes (`\u006cisten` is `listen`):
 * with a `\u` anywhere in the text the search cannot tell, and says so.
 */
import type * as TS from 'typescript';

/** Whether `text` has `name` at `at` as a whole word (no identifier character on either side). */
export function isWordAt(text: string, at: number, length: number): boolean {
  return !isIdentifierChar(text.charCodeAt(at - 1)) && !isIdentifierChar(text.charCodeAt(at + length));
}

/** ASCII identifier characters; anything else counts as a boundary (more matches, never fewer). */
function isIdentifierChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

/** Whether an identifier of the text (between `from` and `to`) may be spelled with an escape, so that a text search would miss it. */
export function mayEscapeIdentifiers(text: string, from = 0, to = text.length): boolean {
  return hasEscape(within(text, from, to));
}

/** Whether a text holds a `\u` escape, which could spell an identifier's character. */
function hasEscape(span: string): boolean {
  return span.includes('\\u');
}

/**
 * `text` from `from` to `to`, to search without reading past `to`: `indexOf` has no end, and a
 * search per top-level statement (a rule's parts, built for every statement after an open) that
 * reads to the end of the file each time is quadratic in the file. A slice of a V8 string is a
 * view, not a copy.
 */
function within(text: string, from: number, to: number): string {
  return from <= 0 && to >= text.length ? text : text.slice(from, to);
}

/** The identifier starting at `offset` inside `node`, if one does. */
export function identifierAt(ts: typeof TS, node: TS.Node, offset: number, sourceFile: TS.SourceFile): TS.Identifier | undefined {
  let at: TS.Node = node;
  for (;;) {
    const child: TS.Node | undefined = ts.forEachChild(at, (c) => (c.pos <= offset && offset < c.end ? c : undefined));
    if (!child) break;
    at = child;
  }
  return ts.isIdentifier(at) && at.getStart(sourceFile) === offset ? at : undefined;
}

/** The index of the top-level statement whose span [pos, end) holds `offset` (`statements.length` past the last). */
export function statementAt(statements: readonly TS.Statement[], offset: number): number {
  let lo = 0;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (statements[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Every identifier of `sourceFile` named `name` (of the statements between offsets `from` and
 * `to`: the whole file by default), in source order, or undefined when the text may spell one
 * with an escape there (the caller walks the nodes instead).
 */
export function identifiersNamed(ts: typeof TS, sourceFile: TS.SourceFile, name: string, from = 0, to = sourceFile.text.length): TS.Identifier[] | undefined {
  const text = sourceFile.text;
  const span = within(text, from, to);
  if (hasEscape(span)) return undefined;
  const statements = sourceFile.statements;
  const found: TS.Identifier[] = [];
  for (let inSpan = span.indexOf(name); inSpan >= 0; inSpan = span.indexOf(name, inSpan + name.length)) {
    const at = from + inSpan;
    if (!isWordAt(text, at, name.length)) continue;
    const i = statementAt(statements, at);
    if (i >= statements.length) break;
    const id = identifierAt(ts, statements[i], at, sourceFile);
    if (id && id.text === name) found.push(id);
  }
  return found;
}

/** The identifiers a declaration's name binds (`a`, or each name of `{ a, b: [c] }`). */
export function boundIdentifiers(ts: typeof TS, name: TS.BindingName): TS.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: TS.Identifier[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...boundIdentifiers(ts, el.name));
  return out;
}
