/**
 * Import/require tracking for the TypeScript/JavaScript rules: which modules a file loads and
 * under which local names, across ESM (`import`, `export … from`), CommonJS (`require`,
 * destructured requires, `require('x').y`), `import x = require()` and dynamic `import()`.
 * Computed once per parse (cached) from the shared node index; no scope analysis: a local
 * that shadows an imported name is rare enough in module code to be ignored.
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../../parse/typescript';
import { parseMemo } from '../../parse/parse-memo';
import { unwrap } from './ts-helpers';

export type ImportKind = 'esm' | 'export-from' | 'require' | 'import-equals' | 'dynamic';

/**
 * A local name bound to something a module exports. `imported` is the export name, or
 * `default` (ESM default import), `*` (namespace import, dynamic import result) or
 * `=` (the whole `module.exports` value: `require('x')`, `import x = require('x')`).
 */
export interface ImportBinding { local: string; imported: string }

export interface ModuleImport {
  kind: ImportKind;
  /** The specifier as written (`node:fs`, `./db`, `@scope/pkg/sub`). */
  specifier: string;
  specifierNode: TS.StringLiteralLike;
  /** The import declaration, `export` declaration or call expression. */
  node: TS.Node;
  /** Erased at runtime: `import type`, `export type`, or only type-only named imports. */
  typeOnly: boolean;
  bindings: ImportBinding[];
}

/** Per parse (parse-memo.ts says why not a WeakMap): the imports' nodes reach the whole tree. */
const cache = parseMemo<ModuleImport[]>('moduleImports');

/** Methods whose result is the module object again (`require('sqlite3').verbose()`). */
const MODULE_RETURNING_METHODS = new Set(['verbose']);

/** `fs` for `node:fs`: built-ins are the same module with or without the scheme. */
export function normalizeModule(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

function isStringLike(ts: typeof TS, node: TS.Node | undefined): node is TS.StringLiteralLike {
  return !!node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));
}

/** `require('x')` (one string argument) or `import('x')`: the specifier node. */
export function requireOrImportSpecifier(ts: typeof TS, node: TS.Node): { specifier: TS.StringLiteralLike; dynamic: boolean } | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length < 1) return undefined;
  const arg = node.arguments[0];
  if (!isStringLike(ts, arg)) return undefined;
  if (node.expression.kind === ts.SyntaxKind.ImportKeyword) return { specifier: arg, dynamic: true };
  if (ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1) return { specifier: arg, dynamic: false };
  return undefined;
}

/** Local names introduced by `const <target> = <value>` where value is the module (or `.prop` of it). */
function bindingsFromTarget(ts: typeof TS, target: TS.BindingName, whole: string, viaProperty?: string): ImportBinding[] {
  if (ts.isIdentifier(target)) return [{ local: target.text, imported: viaProperty ?? whole }];
  if (ts.isObjectBindingPattern(target) && !viaProperty) {
    const out: ImportBinding[] = [];
    for (const element of target.elements) {
      if (element.dotDotDotToken || !ts.isIdentifier(element.name)) continue;
      const prop = element.propertyName ?? element.name;
      const imported = ts.isIdentifier(prop) || ts.isStringLiteral(prop) ? prop.text : undefined;
      if (imported) out.push({ local: element.name.text, imported });
    }
    return out;
  }
  return [];
}

/** Bindings of a `require()`/`import()` call from where its value goes. */
function callBindings(ts: typeof TS, call: TS.CallExpression, whole: string): ImportBinding[] {
  let node: TS.Node = call;
  // skip `await`, parentheses and casts around the call
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === node) return bindingsFromTarget(ts, parent.name, whole);
  if (parent && ts.isPropertyAccessExpression(parent) && parent.expression === node) {
    // const promises = require('fs').promises
    const decl = parent.parent;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer === parent) return bindingsFromTarget(ts, decl.name, whole, parent.name.text);
    // const sqlite3 = require('sqlite3').verbose(): a call that returns the module itself
    const call = parent.parent;
    if (call && ts.isCallExpression(call) && call.expression === parent && MODULE_RETURNING_METHODS.has(parent.name.text)) {
      const target = call.parent;
      if (target && ts.isVariableDeclaration(target) && target.initializer === call && ts.isIdentifier(target.name)) return [{ local: target.name.text, imported: whole }];
    }
  }
  return [];
}

function collect(parsed: ParsedTs): ModuleImport[] {
  const { ts } = parsed;
  const out: ModuleImport[] = [];
  for (const decl of parsed.nodesOfKind<TS.ImportDeclaration>(ts.SyntaxKind.ImportDeclaration)) {
    if (!isStringLike(ts, decl.moduleSpecifier)) continue;
    const clause = decl.importClause;
    const bindings: ImportBinding[] = [];
    let typeOnly = !!clause?.isTypeOnly;
    if (clause && !clause.isTypeOnly) {
      if (clause.name) bindings.push({ local: clause.name.text, imported: 'default' });
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) bindings.push({ local: named.name.text, imported: '*' });
      let valueElements = 0;
      if (named && ts.isNamedImports(named)) {
        for (const el of named.elements) {
          if (el.isTypeOnly) continue;
          valueElements++;
          const prop = el.propertyName ?? el.name;
          bindings.push({ local: el.name.text, imported: ts.isIdentifier(prop) ? prop.text : prop.text });
        }
        typeOnly = !clause.name && named.elements.length > 0 && valueElements === 0;
      }
    }
    out.push({ kind: 'esm', specifier: decl.moduleSpecifier.text, specifierNode: decl.moduleSpecifier, node: decl, typeOnly, bindings });
  }
  for (const decl of parsed.nodesOfKind<TS.ExportDeclaration>(ts.SyntaxKind.ExportDeclaration)) {
    if (!decl.moduleSpecifier || !isStringLike(ts, decl.moduleSpecifier)) continue;
    const allTypes = !!decl.exportClause && ts.isNamedExports(decl.exportClause) && decl.exportClause.elements.length > 0 && decl.exportClause.elements.every((e) => e.isTypeOnly);
    out.push({ kind: 'export-from', specifier: decl.moduleSpecifier.text, specifierNode: decl.moduleSpecifier, node: decl, typeOnly: decl.isTypeOnly || allTypes, bindings: [] });
  }
  for (const decl of parsed.nodesOfKind<TS.ImportEqualsDeclaration>(ts.SyntaxKind.ImportEqualsDeclaration)) {
    const ref = decl.moduleReference;
    if (!ts.isExternalModuleReference(ref) || !isStringLike(ts, ref.expression)) continue;
    out.push({ kind: 'import-equals', specifier: ref.expression.text, specifierNode: ref.expression, node: decl, typeOnly: decl.isTypeOnly, bindings: [{ local: decl.name.text, imported: '=' }] });
  }
  for (const call of parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const found = requireOrImportSpecifier(ts, call);
    if (!found) continue;
    out.push({
      kind: found.dynamic ? 'dynamic' : 'require',
      specifier: found.specifier.text,
      specifierNode: found.specifier,
      node: call,
      typeOnly: false,
      bindings: callBindings(ts, call, found.dynamic ? '*' : '='),
    });
  }
  out.sort((a, b) => a.node.pos - b.node.pos);
  return out;
}

/**
 * Every module the file loads, in source order (cached per parse). A statement view
 * (`ParsedTs.statementView`) answers with its whole file's imports: bindings are file-wide.
 */
export function moduleImports(parsed: ParsedTs): readonly ModuleImport[] {
  const whole = parsed.whole ?? parsed;
  let found = cache.get(whole);
  // only an edited document's parse has statement views (a cold parse keeps its one index)
  if (!found) cache.set(whole, (found = whole.statementView?.([]) ? collectPerStatement(whole) : collect(whole)));
  return found;
}

/**
 * An edited document's imports by top-level statement: a statement TypeScript reused (the same
 * object, same text; see parse/statement-index.ts) has the same imports, so only new statements
 * are searched (each keystroke otherwise looks at every call of the file for a `require`). Kept
 * in the statement index's per-statement memo, which later versions inherit with the statement.
 */
const IMPORTS_OF_STATEMENT = 'moduleImports';

function collectPerStatement(whole: ParsedTs): ModuleImport[] {
  const statements = whole.sourceFile.statements;
  const memos = statements.map((_, i) => whole.statementMemo!(i)!);
  let unknown = 0;
  for (const memo of memos) if (!memo.has(IMPORTS_OF_STATEMENT)) unknown++;
  if (unknown > Math.max(32, statements.length >> 3)) {
    // most statements are new (a first edit, a file that stopped parsing): one search, then noted per statement
    const all = collect(whole);
    let k = 0;
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i];
      const first = k;
      while (k < all.length && all[k].node.pos < statement.end) k++;
      memos[i].set(IMPORTS_OF_STATEMENT, first === k ? NO_IMPORTS : all.slice(first, k));
    }
    return all;
  }
  const all: ModuleImport[] = [];
  for (let i = 0; i < statements.length; i++) {
    let own = memos[i].get(IMPORTS_OF_STATEMENT) as readonly ModuleImport[] | undefined;
    if (!own) memos[i].set(IMPORTS_OF_STATEMENT, (own = collectByUnits(whole, i)));
    for (const m of own) all.push(m);
  }
  return all;
}

const NO_IMPORTS: readonly ModuleImport[] = Object.freeze([]);

/**
 * A new top-level statement's imports: its nested units that TypeScript reused keep theirs (in
 * the index's per-unit memo, under the same key: a unit's imports are found in its nodes alone,
 * `callBindings` reading no further than the unit's own statement), the rest of it is searched
 * once and each searched unit's share is noted for the next version.
 */
function collectByUnits(whole: ParsedTs, i: number): readonly ModuleImport[] {
  const units = whole.unitMemos?.(i);
  if (!units || units.length === 0) return collect(whole.statementView!([i])!);
  const kept: TS.Statement[] = [];
  for (const { unit, memo } of units) if (memo.has(IMPORTS_OF_STATEMENT)) kept.push(unit);
  const searched = collect(whole.statementView!([i], kept)!);
  const out: ModuleImport[] = [];
  let k = 0;
  for (const { unit, memo } of units) {
    while (k < searched.length && searched[k].node.pos < unit.pos) out.push(searched[k++]);
    let own = memo.get(IMPORTS_OF_STATEMENT) as readonly ModuleImport[] | undefined;
    if (!own) {
      const first = k;
      while (k < searched.length && searched[k].node.pos < unit.end) k++;
      memo.set(IMPORTS_OF_STATEMENT, (own = first === k ? NO_IMPORTS : searched.slice(first, k)));
    }
    for (const m of own) out.push(m);
  }
  while (k < searched.length) out.push(searched[k++]);
  return out;
}

const moduleNameCache = parseMemo<ReadonlySet<string>>('namedModules');

/**
 * Every module the file names in an import, `require()` or `import()` (type-only ones too),
 * `node:` removed: `originOf`/`resolveCallee` can only ever answer one of these, so a rule
 * that resolves callees for a few modules may skip the file when none is here (cached per parse).
 */
export function namedModules(parsed: ParsedTs): ReadonlySet<string> {
  const whole = parsed.whole ?? parsed;
  let names = moduleNameCache.get(whole);
  if (!names) moduleNameCache.set(whole, (names = new Set(moduleImports(parsed).map((m) => normalizeModule(m.specifier)))));
  return names;
}

/** Whether `named` (a file's `namedModules`) holds one of `modules`: a rule whose findings all resolve to these skips a file that names none. */
export function namesAny(named: ReadonlySet<string>, modules: ReadonlySet<string>): boolean {
  for (const m of modules) if (named.has(m)) return true;
  return false;
}

/** Whether the file loads (at runtime) one of the modules; `node:` prefixes are ignored. */
export function importsAny(parsed: ParsedTs, modules: ReadonlySet<string>): boolean {
  return moduleImports(parsed).some((m) => !m.typeOnly && modules.has(normalizeModule(m.specifier)));
}

const bindingCache = parseMemo<Map<string, { module: string; imported: string }>>('importBindings');

/** Local name → the first runtime import binding it (cached per parse: `originOf` asks for every call). */
function bindingMap(parsed: ParsedTs): Map<string, { module: string; imported: string }> {
  const whole = parsed.whole ?? parsed;
  let map = bindingCache.get(whole);
  if (map) return map;
  map = new Map();
  for (const m of moduleImports(parsed)) {
    if (m.typeOnly) continue;
    for (const b of m.bindings) if (!map.has(b.local)) map.set(b.local, { module: normalizeModule(m.specifier), imported: b.imported });
  }
  bindingCache.set(whole, map);
  return map;
}

const bindingsKeyCache = parseMemo<string>('importBindingsKey');

/**
 * The file's runtime import bindings as one string (cached per parse): two parses with the same
 * key get the same answers from `bindingOf`, `originOf`, `resolveCallee` and `wholeModuleOf`
 * for the same expression (a statementwise rule's summary compares it, engine/statement-memo.ts).
 */
export function importBindingsKey(parsed: ParsedTs): string {
  const whole = parsed.whole ?? parsed;
  let key = bindingsKeyCache.get(whole);
  if (key === undefined) {
    const parts: string[] = [];
    for (const [local, b] of bindingMap(whole)) parts.push(`${local}=${b.module}:${b.imported}`);
    bindingsKeyCache.set(whole, (key = parts.join('\n')));
  }
  return key;
}

/** The module and export a local name is bound to, when it is bound by an import. */
export function bindingOf(parsed: ParsedTs, local: string): { module: string; imported: string } | undefined {
  const b = bindingMap(parsed).get(local);
  return b ? { module: b.module, imported: b.imported } : undefined;
}

/** Export names that stand for "the module itself" (default, namespace, `module.exports`). */
export function isWholeModule(imported: string): boolean {
  return imported === 'default' || imported === '*' || imported === '=';
}

export interface Origin {
  /** The module, `node:` removed. */
  module: string;
  /**
   * Property path from the module's exports: `['promises', 'writeFile']` for
   * `fs.promises.writeFile`, `['destination']` for `pino.destination`, `[]` for the default export.
   */
  path: string[];
}

/**
 * Where an expression comes from, when it is an imported binding or a property chain on one:
 * `fs.writeFileSync` → `{ module: 'fs', path: ['writeFileSync'] }`;
 * `transports.File` with `import { transports } from 'winston'` → `{ module: 'winston', path: ['transports', 'File'] }`;
 * `require('fs').promises.writeFile` → `{ module: 'fs', path: ['promises', 'writeFile'] }`.
 */
export function originOf(parsed: ParsedTs, expression: TS.Expression): Origin | undefined {
  const { ts } = parsed;
  // Fast exit without allocating: most call chains start at a local that no import binds.
  if (moduleImports(parsed).length === 0) return undefined;
  let root: TS.Expression = unwrap(ts, expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isAwaitExpression(root)) { root = unwrap(ts, root.expression); continue; }
    break;
  }
  if (ts.isIdentifier(root) ? !bindingMap(parsed).has(root.text) : !requireOrImportSpecifier(ts, root)) return undefined; // `this.x()`, `foo().y`…
  const chain: string[] = [];
  let e: TS.Expression = unwrap(ts, expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(e)) { chain.unshift(e.name.text); e = unwrap(ts, e.expression); continue; }
    if (ts.isElementAccessExpression(e) && isStringLike(ts, e.argumentExpression)) { chain.unshift(e.argumentExpression.text); e = unwrap(ts, e.expression); continue; }
    if (ts.isAwaitExpression(e)) { e = unwrap(ts, e.expression); continue; }
    break;
  }
  if (ts.isIdentifier(e)) {
    const binding = bindingOf(parsed, e.text);
    if (!binding) return undefined;
    const head = isWholeModule(binding.imported) ? [] : [binding.imported];
    // `import x from 'cjs'` then `x.default.y` is rare; treat `.default` on a whole-module binding as the module
    if (binding.imported !== 'default' && chain[0] === 'default' && head.length === 0) chain.shift();
    return { module: binding.module, path: [...head, ...chain] };
  }
  const found = requireOrImportSpecifier(ts, e);
  if (found) return { module: normalizeModule(found.specifier.text), path: chain[0] === 'default' ? chain.slice(1) : chain };
  return undefined;
}

export interface ResolvedCallee {
  module: string;
  /** The member called: `exec` for `cp.exec()`/`exec()`; `default` for the module itself called directly (`cors()`). */
  member: string;
}

/**
 * The module member a callee refers to, one level deep: `exec` of `child_process` for `exec(…)`,
 * `cp.exec(…)`, `require('node:child_process').exec(…)`; `default` of `cors` for `cors()`.
 * Deeper chains (`fs.promises.writeFile`) are `originOf`'s.
 */
export function resolveCallee(parsed: ParsedTs, callee: TS.Expression): ResolvedCallee | undefined {
  const origin = originOf(parsed, callee);
  if (!origin || origin.path.length > 1) return undefined;
  return { module: origin.module, member: origin.path[0] ?? 'default' };
}

/** The module an expression is, as a whole (`cors` imported by default, `require('cors')`), or undefined. */
export function wholeModuleOf(parsed: ParsedTs, expression: TS.Expression): string | undefined {
  const origin = originOf(parsed, expression);
  return origin && origin.path.length === 0 ? origin.module : undefined;
}

/** True for `./x`, `../x`, `/abs`, `.` and `..`. */
export function isRelativeOrAbsolute(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/');
}

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `lodash/fp` → `lodash`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** ESM or CommonJS, from the file's own syntax first, then its extension and package type. */
export function moduleStyle(parsed: ParsedTs, path: string, packageType?: string): 'esm' | 'cjs' {
  const imports = moduleImports(parsed);
  if (imports.some((m) => m.kind === 'esm' || m.kind === 'export-from')) return 'esm';
  const { ts } = parsed;
  const hasEsmExport = parsed.sourceFile.statements.some((s) => ts.isExportAssignment(s) || ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  if (hasEsmExport) return 'esm';
  if (imports.some((m) => m.kind === 'require' || m.kind === 'import-equals')) return 'cjs';
  if (/\.[cm]?tsx?$/.test(path)) return /\.cts$/.test(path) ? 'cjs' : 'esm';
  if (/\.mjs$/.test(path)) return 'esm';
  if (/\.cjs$/.test(path)) return 'cjs';
  return packageType === 'module' ? 'esm' : 'cjs';
}
