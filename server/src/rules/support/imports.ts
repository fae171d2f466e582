/**
 * Which local names come from which module, for ESM (`import x from`, `import * as`, named),
 * CommonJS (`require`, destructured requires, `require('m').x`) and `import x = require()`.
 * Rules use it to tell `cors()` from the `cors` package apart from any other `cors` function.
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../../parse/typescript';

export interface Binding {
  /** Module specifier without a `node:` prefix. */
  module: string;
  /** `default`, `*` (the module object) or the imported member's name. */
  imported: string;
}

const cache = new WeakMap<TS.SourceFile, Map<string, Binding>>();

export function normalizeModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

/** `require('m')`, `require('m').x`, `require('m').verbose()`, `await import('m')`: the module and member. */
export function requiredModule(ts: typeof TS, node: TS.Expression): Binding | undefined {
  let e = node;
  while (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    const arg = e.arguments[0];
    const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
    const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
    if ((isRequire || isImport) && arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) return { module: normalizeModule(arg.text), imported: isImport ? '*' : '*' };
    // require('sqlite3').verbose(): still the module object
    if (ts.isPropertyAccessExpression(callee)) {
      const inner = requiredModule(ts, callee.expression);
      if (inner && inner.imported === '*') return inner;
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(e)) {
    const inner = requiredModule(ts, e.expression);
    if (inner && inner.imported === '*') return { module: inner.module, imported: e.name.text === 'default' ? 'default' : e.name.text };
  }
  return undefined;
}

/** Local name → the module binding it, for the whole file (computed once per source file). */
export function importBindings(parsed: ParsedTs): ReadonlyMap<string, Binding> {
  const cached = cache.get(parsed.sourceFile);
  if (cached) return cached;
  const { ts } = parsed;
  const map = new Map<string, Binding>();
  for (const decl of parsed.nodesOfKind<TS.ImportDeclaration>(ts.SyntaxKind.ImportDeclaration)) {
    if (!ts.isStringLiteral(decl.moduleSpecifier) || !decl.importClause) continue;
    const module = normalizeModule(decl.moduleSpecifier.text);
    const clause = decl.importClause;
    if (clause.name) map.set(clause.name.text, { module, imported: 'default' });
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) map.set(bindings.name.text, { module, imported: '*' });
    else if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) map.set(element.name.text, { module, imported: (element.propertyName ?? element.name).text });
    }
  }
  for (const decl of parsed.nodesOfKind<TS.ImportEqualsDeclaration>(ts.SyntaxKind.ImportEqualsDeclaration)) {
    const ref = decl.moduleReference;
    if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) map.set(decl.name.text, { module: normalizeModule(ref.expression.text), imported: '*' });
  }
  for (const decl of parsed.nodesOfKind<TS.VariableDeclaration>(ts.SyntaxKind.VariableDeclaration)) {
    if (!decl.initializer) continue;
    const required = requiredModule(ts, decl.initializer);
    if (!required) continue;
    if (ts.isIdentifier(decl.name)) map.set(decl.name.text, required);
    else if (ts.isObjectBindingPattern(decl.name) && required.imported === '*') {
      for (const element of decl.name.elements) {
        if (!ts.isIdentifier(element.name)) continue;
        const imported = element.propertyName && (ts.isIdentifier(element.propertyName) || ts.isStringLiteral(element.propertyName)) ? element.propertyName.text : element.name.text;
        map.set(element.name.text, { module: required.module, imported });
      }
    }
  }
  cache.set(parsed.sourceFile, map);
  return map;
}

export interface ResolvedCallee {
  module: string;
  /** The member called: `exec` for `cp.exec()`/`exec()`; `default` for a default import called directly. */
  member: string;
}

/**
 * The module member a callee expression refers to: `exec` of `child_process` for `exec(…)`,
 * `cp.exec(…)`, `require('node:child_process').exec(…)`; `default` of `cors` for `cors()`.
 */
export function resolveCallee(parsed: ParsedTs, callee: TS.Expression): ResolvedCallee | undefined {
  const { ts } = parsed;
  const bindings = importBindings(parsed);
  // Fast exit: a chain rooted at a local that no import binds (and that is not `require`)
  // cannot resolve to a module; most calls of a file are such chains.
  let root: TS.Expression = callee;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root) || ts.isParenthesizedExpression(root)
    || ts.isAwaitExpression(root) || ts.isAsExpression(root) || ts.isNonNullExpression(root)) root = root.expression;
  if (ts.isIdentifier(root) ? root.text !== 'require' && !bindings.has(root.text) : root.kind === ts.SyntaxKind.ThisKeyword) return undefined;
  if (ts.isIdentifier(callee)) {
    const b = bindings.get(callee.text);
    if (!b) return undefined;
    return { module: b.module, member: b.imported === '*' ? 'default' : b.imported };
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const object = callee.expression;
    if (ts.isIdentifier(object)) {
      const b = bindings.get(object.text);
      if (b && (b.imported === '*' || b.imported === 'default')) return { module: b.module, member: callee.name.text };
      return undefined;
    }
    const required = requiredModule(ts, object);
    if (required && (required.imported === '*' || required.imported === 'default')) return { module: required.module, member: callee.name.text };
  }
  const required = requiredModule(ts, callee);
  if (required) return { module: required.module, member: required.imported === '*' ? 'default' : required.imported };
  return undefined;
}
