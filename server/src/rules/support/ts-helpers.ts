/** Small syntax-tree helpers shared by the TypeScript/JavaScript rules. */
import type * as TS from 'typescript';
import type { ParsedTs } from '../../parse/typescript';
import { identifiersNamed } from '../../parse/identifier-search';

/** The text a literal evaluates to, for string literals and substitution-free templates. */
export function stringValue(ts: typeof TS, node: TS.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** Property/variable/parameter name as written, for identifiers, string keys and `this.x`/`a.b` targets. */
export function nameOf(ts: typeof TS, node: TS.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) return node.text;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return stringValue(ts, node.argumentExpression);
  if (ts.isComputedPropertyName(node)) return stringValue(ts, node.expression);
  return undefined;
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`: the variable name, when the node reads one. */
export function envVarRead(ts: typeof TS, node: TS.Node): string | undefined {
  if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return undefined;
  const target = node.expression;
  if (!isProcessEnv(ts, target)) return undefined;
  return nameOf(ts, node) ?? '';
}

export function isProcessEnv(ts: typeof TS, node: TS.Node): boolean {
  if (!ts.isPropertyAccessExpression(node) || node.name.text !== 'env') return false;
  const obj = node.expression;
  if (ts.isIdentifier(obj) && obj.text === 'process') return true;
  return ts.isMetaProperty(obj) || (ts.isPropertyAccessExpression(obj) && ts.isIdentifier(obj.expression) && obj.expression.text === 'globalThis' && obj.name.text === 'process');
}

/** True when the expression reads the environment somewhere (`process.env.PORT ?? 3000`, `Number(process.env.PORT)`). */
export function readsEnv(ts: typeof TS, node: TS.Node): boolean {
  if (envVarRead(ts, node) !== undefined || isProcessEnv(ts, node)) return true;
  return ts.forEachChild(node, (child) => (readsEnv(ts, child) ? true : undefined)) ?? false;
}

/** Skips parentheses, `as`, `!`, `satisfies` and type assertions. */
export function unwrap(ts: typeof TS, node: TS.Expression): TS.Expression {
  let n = node;
  for (;;) {
    if (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isSatisfiesExpression(n) || ts.isTypeAssertionExpression(n)) n = n.expression;
    else return n;
  }
}

/**
 * The initializer of a `const` declared in this file under `name`, searching outward from
 * `from` through enclosing blocks (a simple lexical lookup: no type checker needed).
 */
/**
 * The value an expression stands for, one step deep: the expression itself (unwrapped), or
 * for an identifier, the unwrapped initializer of the `const` it names; undefined for an
 * identifier bound to anything else (a parameter, a `let`, an import).
 */
export function throughConst(ts: typeof TS, node: TS.Expression): TS.Expression | undefined {
  const e = unwrap(ts, node);
  if (!ts.isIdentifier(e)) return e;
  const init = constInitializer(ts, e.text, e);
  return init && unwrap(ts, init);
}

export function constInitializer(ts: typeof TS, name: string, from: TS.Node): TS.Expression | undefined {
  for (let scope: TS.Node | undefined = from.parent; scope; scope = scope.parent) {
    if (!(ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isFunctionLike(scope))) continue;
    const statements = ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) ? scope.statements : undefined;
    if (!statements) continue;
    const init = scopeConst(ts, statements, name);
    if (init !== NOT_DECLARED) return init;
  }
  return undefined;
}

/** The initializer of the first const of `statements` declaring `name` (possibly none), or `NOT_DECLARED`. */
function scopeConst(ts: typeof TS, statements: readonly TS.Statement[], name: string): TS.Expression | undefined | typeof NOT_DECLARED {
  for (const statement of statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const decl of statement.declarationList.declarations) if (ts.isIdentifier(decl.name) && decl.name.text === name) return decl.initializer;
  }
  return NOT_DECLARED;
}

/** `constInitializer` for a pass that resolves many names (`constResolver`). */
export type ConstResolver = (name: string, from: TS.Node) => TS.Expression | undefined;

/**
 * `constInitializer` with each scope's consts read once, for one pass over a file: a name used
 * in many functions (`fetch(BASE + …)` in every handler) would otherwise scan the statements of
 * every enclosing block per use, and a block can hold half the file (typing at line starts
 * leaves the rest of the file inside one function). Same answers: per scope, the first const
 * declaring the name (its initializer, possibly none) stops the search. Keep it no longer than
 * the pass (it holds the tree's blocks).
 */
export function constResolver(ts: typeof TS): ConstResolver {
  // per scope: the consts of its statements read so far (first declaration of a name wins) and where reading stopped
  const byScope = new Map<TS.Node, { consts: Map<string, TS.Expression | undefined>; next: number }>();
  const find = (statements: readonly TS.Statement[], name: string, scope: TS.Node): boolean => {
    let read = byScope.get(scope);
    if (!read) byScope.set(scope, (read = { consts: new Map(), next: 0 }));
    // read on only as far as the name (a const near the top is found as fast as by constInitializer)
    while (!read.consts.has(name) && read.next < statements.length) {
      const statement = statements[read.next++];
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const decl of statement.declarationList.declarations) if (ts.isIdentifier(decl.name) && !read.consts.has(decl.name.text)) read.consts.set(decl.name.text, decl.initializer);
    }
    return read.consts.has(name);
  };
  return (name, from) => {
    for (let scope: TS.Node | undefined = from.parent; scope; scope = scope.parent) {
      if (!(ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope))) continue;
      // a small block (a handler's body) is searched directly: no record made per block and pass
      if (scope.statements.length <= SMALL_SCOPE) {
        const init = scopeConst(ts, scope.statements, name);
        if (init !== NOT_DECLARED) return init;
        continue;
      }
      if (find(scope.statements, name, scope)) return byScope.get(scope)!.consts.get(name);
    }
    return undefined;
  };
}

/** Blocks up to this many statements are searched directly by `constResolver`, not recorded. */
const SMALL_SCOPE = 16;
const NOT_DECLARED: unique symbol = Symbol('not declared');

/** The callee's name: `listen` for `app.listen(...)`, `fetch` for `fetch(...)`. */
export function calleeName(ts: typeof TS, call: TS.CallExpression | TS.NewExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** `a.b.c` as text for property-access chains of identifiers, otherwise undefined. */
export function dottedName(ts: typeof TS, node: TS.Node): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node)) {
    const left = dottedName(ts, node.expression);
    return left === undefined ? undefined : `${left}.${node.name.text}`;
  }
  return undefined;
}

/** Start offset of a node without its leading trivia. */
export function startOf(node: TS.Node, sf: TS.SourceFile): number {
  return node.getStart(sf);
}

/**
 * The `x.method(…)` calls of `statements` (top-level statements of `parsed`, all of them by
 * default), in the order of a walk: found through the text's whole-word `method`s (a few in a
 * file, where a walk of its calls visits thousands per keystroke), or by that walk of `parsed`'s
 * calls when the text there may spell the name with an escape. `method` must not start with
 * `__`: it is compared with `escapedText` (`text` is a getter that unescapes; the two differ only
 * for such names).
 */
export function methodCalls(parsed: ParsedTs, method: string, statements: readonly TS.Statement[] = parsed.sourceFile.statements): TS.CallExpression[] {
  const { ts, sourceFile } = parsed;
  if (statements.length === 0) return [];
  const names = identifiersNamed(ts, sourceFile, method, statements[0].pos, statements[statements.length - 1].end);
  if (!names) return parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression).filter((call) => ts.isPropertyAccessExpression(call.expression) && call.expression.name.escapedText === method);
  const calls: TS.CallExpression[] = [];
  for (const name of names) {
    const access = name.parent;
    if (ts.isPropertyAccessExpression(access) && access.name === name && ts.isCallExpression(access.parent) && access.parent.expression === access) calls.push(access.parent);
  }
  // a walk meets a call before the calls inside it, which the text may name first (`f(a.listen()).listen()`)
  return calls.sort((a, b) => a.pos - b.pos || b.end - a.end);
}
