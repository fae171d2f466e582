/**
 * Value flow for the TS/JS rules: what an identifier or property chain stands for, followed
 * through the file's own `const`s, destructurings and object literals (`const { NODE_ENV } =
 * process.env`, `const opts = { origin: '*' }; cors(opts)`, `config.isProd` with `const config =
 * { isProd: … }`), and — where the chain starts at an import — the module and export path it
 * names, so a caller can look the export up in the project's facts. Syntax only, no type
 * checker: a `let`, a parameter or a reassigned binding is not followed (its value is not known).
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../../parse/typescript';
import { bindingOf, isWholeModule, normalizeModule } from './module-imports';
import { isProcessEnv, nameOf, unwrap } from './ts-helpers';

/** Where a value comes from, as far as it can be followed. */
export type Flow =
  /** An expression that is not a name to follow further (a literal, a call, an object literal…). */
  | { kind: 'value'; node: TS.Expression }
  /** `process.env.X`, however it was reached (`const { X } = process.env`, `const env = process.env; env.X`). */
  | { kind: 'env'; name: string; node: TS.Expression }
  /** An export of another module: `import { env } from './config'; env.isProd` → module `./config`, path `['env', 'isProd']`. */
  | { kind: 'import'; module: string; path: string[]; node: TS.Expression };

const MAX_DEPTH = 6;

/** A `const` binding of `name` visible from `from`: its declaration and, for a destructured name, the property path inside the initializer. */
interface ConstBinding { initializer: TS.Expression; path: string[] }

function bindingPath(ts: typeof TS, pattern: TS.BindingName, name: string, prefix: string[]): string[] | undefined {
  if (ts.isIdentifier(pattern)) return pattern.text === name ? prefix : undefined;
  if (!ts.isObjectBindingPattern(pattern)) return undefined; // array patterns: positions are not names
  for (const element of pattern.elements) {
    if (element.dotDotDotToken) continue;
    const key = nameOf(ts, element.propertyName ?? element.name);
    if (key === undefined) continue;
    const found = bindingPath(ts, element.name, name, [...prefix, key]);
    if (found) return found;
  }
  return undefined;
}

/** The `const` declaration binding `name`, searched outward from `from` through enclosing blocks. */
function constBinding(ts: typeof TS, name: string, from: TS.Node): ConstBinding | undefined {
  for (let scope: TS.Node | undefined = from.parent; scope; scope = scope.parent) {
    const statements = ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) ? scope.statements : undefined;
    if (!statements) continue;
    for (const statement of statements) {
      if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const decl of statement.declarationList.declarations) {
        if (!decl.initializer) continue;
        const path = bindingPath(ts, decl.name, name, []);
        if (path) return { initializer: decl.initializer, path };
      }
    }
  }
  return undefined;
}

/** The initializer of property `key` of an object literal (shorthand `{ key }` gives the identifier). */
function propertyValue(ts: typeof TS, object: TS.ObjectLiteralExpression, key: string): TS.Expression | undefined {
  for (let i = object.properties.length - 1; i >= 0; i--) { // a later property wins
    const p = object.properties[i];
    if (ts.isPropertyAssignment(p) && nameOf(ts, p.name) === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
  }
  return undefined;
}

/** Follows `path` (property names) from `start`, through consts, object literals and imports; undefined when the chain cannot be followed to its end. */
function walk(parsed: ParsedTs, start: TS.Expression, path: string[], depth: number): Flow | undefined {
  const { ts } = parsed;
  const e = unwrap(ts, start);
  if (depth > MAX_DEPTH) return undefined;
  if (isProcessEnv(ts, e)) return path.length >= 1 ? { kind: 'env', name: path[0], node: e } : undefined;
  if (ts.isPropertyAccessExpression(e)) return walk(parsed, e.expression, [e.name.text, ...path], depth + 1);
  if (ts.isElementAccessExpression(e)) {
    const key = nameOf(ts, e);
    return key === undefined ? undefined : walk(parsed, e.expression, [key, ...path], depth + 1);
  }
  if (ts.isIdentifier(e)) {
    // an import first: `const config = require('./config')` is a const too, but its value is the module's
    const imported = bindingOf(parsed, e.text);
    if (imported) {
      const head = isWholeModule(imported.imported) ? [] : [imported.imported];
      return { kind: 'import', module: normalizeModule(imported.module), path: [...head, ...path], node: e };
    }
    const local = constBinding(ts, e.text, e);
    return local ? walk(parsed, local.initializer, [...local.path, ...path], depth + 1) : undefined;
  }
  if (path.length === 0) return { kind: 'value', node: e };
  if (ts.isObjectLiteralExpression(e)) {
    const value = propertyValue(ts, e, path[0]);
    return value ? walk(parsed, value, path.slice(1), depth + 1) : undefined;
  }
  return undefined;
}

/**
 * What `node` stands for: `isDev` with `const isDev = NODE_ENV !== 'production'` gives that
 * comparison; `NODE_ENV` with `const { NODE_ENV } = process.env` gives the env read;
 * `settings.environment` with `import settings from './settings'` gives the import. A name or
 * chain that cannot be followed to its end gives the node itself.
 */
export function flowOf(parsed: ParsedTs, node: TS.Expression): Flow {
  const e = unwrap(parsed.ts, node);
  return walk(parsed, e, [], 0) ?? { kind: 'value', node: e };
}

/** The expression `node` stands for in this file (a literal, an object literal…), or undefined when it comes from an import or the environment. */
export function localValueOf(parsed: ParsedTs, node: TS.Expression): TS.Expression | undefined {
  const flow = flowOf(parsed, node);
  return flow.kind === 'value' ? flow.node : undefined;
}
