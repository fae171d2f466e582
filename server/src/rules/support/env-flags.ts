/**
 * Environment-name flags in TS/JS code: reads of `NODE_ENV`-like variables and conditions that
 * test them, followed through the value flow (`const { NODE_ENV } = process.env`, `const isDev =
 * NODE_ENV !== 'production'`, `config.isProd`) and, across modules, through the exports the
 * project model found (`EnvExports`, keyed by import specifier in `ProjectContext.envImports`).
 * The same functions describe a module's own exports for the model (`envExportsOf`), so the
 * importing and the exporting side agree on what counts as an environment flag.
 */
import type * as TS from 'typescript';
import type { EnvExport, EnvExports } from '../../engine/project-context';
import type { ParsedTs } from '../../parse/typescript';
import { nameOf, unwrap } from './ts-helpers';
import { flowOf, type Flow } from './value-flow';
import { boundIdentifiers } from '../../parse/identifier-search';

/** Variables that name the deploy environment. */
export const ENV_NAMES = new Set(['NODE_ENV', 'APP_ENV', 'ENV', 'ENVIRONMENT', 'STAGE', 'DEPLOY_ENV', 'APP_STAGE']);
/** Names that say "the deploy environment" even as a property of some config object (`config.NODE_ENV`, `settings.environment`). */
const ENV_PROPERTY = /^(?:NODE_ENV|APP_ENV|DEPLOY_ENV|APP_STAGE|nodeEnv|appEnv|environment)$/;
export const ENV_VALUES = /^(?:prod|production|dev|development|staging|stage|test|testing|qa|uat|local|preprod|preview|docker)$/i;
/** Flags named after an environment: `config.isProduction`, `env.isDev`, `isDevelopmentMode`. */
const FLAG_NAME = /^is(Prod|Production|Dev|Development|Staging|Test|Testing|Local)(?:Mode|Env|Environment)?$/;

/** What a condition tests: its text for messages and the environment names compared. */
export interface EnvCondition { text: string; values: string[] }

/** Cross-module facts a caller may pass: the env exports of the modules this file imports, by specifier. */
export type EnvImports = Readonly<Record<string, EnvExports>> | undefined;

function exportOf(flow: Flow, imports: EnvImports): EnvExport | undefined {
  if (flow.kind !== 'import') return undefined;
  return imports?.[flow.module]?.[flow.path.join('.')];
}

/** `process.env.NODE_ENV`, `NODE_ENV` destructured from it, `app.get('env')`, an imported `env` read: the variable's name, or undefined. */
export function envRef(parsed: ParsedTs, node: TS.Expression, imports: EnvImports, depth = 0): string | undefined {
  const { ts } = parsed;
  const e = unwrap(ts, node);
  if (depth > 4) return undefined;
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return envRef(parsed, e.left, imports, depth + 1);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.arguments.length >= 1) {
    const arg = e.arguments[0];
    if (!ts.isStringLiteral(arg) && !ts.isNoSubstitutionTemplateLiteral(arg)) return undefined;
    if (e.expression.name.text === 'get' && e.arguments.length === 1 && arg.text === 'env') return "app.get('env')";
    // `configService.get('NODE_ENV')`, `this.getString('NODE_ENV')`: a config service read by the variable's own name
    return CONFIG_GETTER.test(e.expression.name.text) && ENV_NAMES.has(arg.text) && isConfigReceiver(ts, e.expression.expression) ? arg.text : undefined;
  }
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e) && !ts.isElementAccessExpression(e)) return undefined;
  const member = thisMemberValue(ts, e);
  if (member) return envRef(parsed, member, imports, depth + 1);
  const flow = flowOf(parsed, e);
  if (flow.kind === 'env') return ENV_NAMES.has(flow.name.toUpperCase()) ? flow.name : undefined;
  if (flow.kind === 'import') {
    const fact = exportOf(flow, imports);
    if (fact) return fact.ref;
    const last = flow.path.at(-1);
    return last && ENV_PROPERTY.test(last) ? last : undefined;
  }
  if (flow.node !== e) return envRef(parsed, flow.node, imports, depth + 1);
  // not followed to its end: a property named after the environment (`parsedEnv.data.NODE_ENV`)
  const name = ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
  return name && ENV_PROPERTY.test(name) ? name : undefined;
}

/** Config-service reads by key: Nest's `ConfigService.get`/`getOrThrow`, typed helpers such as `getString`. */
const CONFIG_GETTER = /^(?:get|getOrThrow|getString|getValue)$/;

/** `configService`, `this.configService`, `config`, `env`, or `this` inside a config service class. */
function isConfigReceiver(ts: typeof TS, receiver: TS.Expression): boolean {
  if (receiver.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(ts, receiver);
    return !!cls?.name && /config|settings|env/i.test(cls.name.text);
  }
  const name = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  return !!name && /config|settings|^env$/i.test(name);
}

/** The class whose instance `this` is at `node`: undefined inside a nested `function` (it rebinds `this`). */
function enclosingClass(ts: typeof TS, node: TS.Node): TS.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isClassLike(n)) return n;
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) return undefined;
  }
  return undefined;
}

/**
 * What `this.x` holds when the class says so once and for all: a getter whose body is one
 * `return`, or a `readonly` field's initializer (`private readonly env = process.env.NODE_ENV`).
 * A plain field or a `let` may be reassigned anywhere, so it is not followed.
 */
function thisMemberValue(ts: typeof TS, e: TS.Expression): TS.Expression | undefined {
  if (!ts.isPropertyAccessExpression(e) || e.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const cls = enclosingClass(ts, e);
  if (!cls) return undefined;
  const name = e.name.text;
  const isStatic = (m: TS.ClassElement) => !!ts.getCombinedModifierFlags(m as TS.Declaration) && (ts.getCombinedModifierFlags(m as TS.Declaration) & ts.ModifierFlags.Static) !== 0;
  for (const member of cls.members) {
    if (!member.name || !ts.isIdentifier(member.name) || member.name.text !== name || isStatic(member)) continue;
    if (ts.isGetAccessor(member)) {
      const statements = member.body?.statements;
      const only = statements?.length === 1 ? statements[0] : undefined;
      return only && ts.isReturnStatement(only) ? only.expression : undefined;
    }
    if (ts.isPropertyDeclaration(member)) {
      return (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Readonly) !== 0 ? member.initializer : undefined;
    }
    return undefined;
  }
  return undefined;
}

function isEquality(ts: typeof TS, kind: TS.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
}

function flagValues(flag: string): string[] {
  const m = FLAG_NAME.exec(flag);
  return m ? [m[1].toLowerCase()] : [];
}

/**
 * A condition that tests the environment: `NODE_ENV === 'production'`, `isProd` (followed to
 * its definition), `!isDev && x`, `['dev', 'test'].includes(env)`, `config.isProduction`.
 */
export function envCondition(parsed: ParsedTs, node: TS.Expression, imports: EnvImports, depth = 0): EnvCondition | undefined {
  const { ts } = parsed;
  const e = unwrap(ts, node);
  if (depth > 4) return undefined;
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (isEquality(ts, op)) {
      for (const [a, b] of [[e.left, e.right], [e.right, e.left]]) {
        const other = unwrap(ts, b);
        if (!(ts.isStringLiteral(other) || ts.isNoSubstitutionTemplateLiteral(other)) || !ENV_VALUES.test(other.text)) continue;
        const ref = envRef(parsed, a, imports);
        if (ref) return { text: `${ref} ${e.operatorToken.getText()} '${other.text}'`, values: [other.text.toLowerCase()] };
      }
      // `config.isDevelopmentMode === true`
      for (const [a, b] of [[e.left, e.right], [e.right, e.left]]) {
        const other = unwrap(ts, b);
        if (other.kind === ts.SyntaxKind.TrueKeyword || other.kind === ts.SyntaxKind.FalseKeyword) return envCondition(parsed, a, imports, depth + 1);
      }
      return undefined;
    }
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const left = envCondition(parsed, e.left, imports, depth + 1);
      const right = envCondition(parsed, e.right, imports, depth + 1);
      if (left && right) return { text: left.text, values: [...left.values, ...right.values] };
      return left ?? right;
    }
    return undefined;
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return envCondition(parsed, e.operand, imports, depth + 1);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'includes' && e.arguments[0]) {
    const ref = envRef(parsed, e.arguments[0], imports);
    if (!ref) return undefined;
    const list = unwrap(ts, e.expression.expression);
    const values = ts.isArrayLiteralExpression(list) ? list.elements.map((x) => (ts.isStringLiteral(x) ? x.text.toLowerCase() : '')).filter(Boolean) : [];
    return { text: `${ref} in a list`, values };
  }
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e) && !ts.isElementAccessExpression(e)) return undefined;
  const member = thisMemberValue(ts, e);
  if (member) {
    const inner = envCondition(parsed, member, imports, depth + 1);
    return inner && { text: `${e.getText()} (${inner.text})`, values: inner.values };
  }
  const flow = flowOf(parsed, e);
  if (flow.kind === 'import') {
    const fact = exportOf(flow, imports);
    if (fact?.condition) return { text: `${e.getText()} (${fact.condition})`, values: fact.values ?? [] };
    const last = flow.path.at(-1);
    return last && FLAG_NAME.test(last) ? { text: e.getText(), values: flagValues(last) } : undefined;
  }
  if (flow.kind === 'value' && flow.node !== e) {
    const inner = envCondition(parsed, flow.node, imports, depth + 1);
    return inner && { text: ts.isIdentifier(e) ? inner.text : `${e.getText()} (${inner.text})`, values: inner.values };
  }
  // not followed: a flag named after the environment (`this.config.isProduction`, a Nest config getter)
  const name = ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
  return name && FLAG_NAME.test(name) ? { text: e.getText(), values: flagValues(name) } : undefined;
}

/** True when every environment the condition names is a test environment (a test-harness switch, not dev/prod). */
export function testsOnlyTestEnv(condition: EnvCondition): boolean {
  return condition.values.length > 0 && condition.values.every((v) => v === 'test' || v === 'testing');
}

function describe(parsed: ParsedTs, value: TS.Expression): EnvExport | undefined {
  const condition = envCondition(parsed, value, undefined);
  if (condition) return { condition: condition.text, values: condition.values };
  const ref = envRef(parsed, value, undefined);
  return ref ? { ref } : undefined;
}

/**
 * The environment flags a module exports, by export path (`isDev`, `env.isProduction`; the
 * default export and `module.exports` are the root): what importing files may follow. Only
 * what this file itself defines: re-exports and imports are not chased.
 */
export function envExportsOf(parsed: ParsedTs): EnvExports {
  const { ts, sourceFile } = parsed;
  if (!mayExportEnvFlags(sourceFile.text)) return {};
  const out: Record<string, EnvExport> = {};
  const record = (path: string[], value: TS.Expression | undefined, depth = 0) => {
    if (!value || depth > 2) return;
    const flow = flowOf(parsed, value);
    const node = flow.kind === 'value' ? unwrap(ts, flow.node) : unwrap(ts, value);
    if (ts.isObjectLiteralExpression(node)) {
      for (const p of node.properties) {
        const key = ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? nameOf(ts, p.name) : undefined;
        if (key === undefined) continue;
        record([...path, key], ts.isPropertyAssignment(p) ? p.initializer : (p as TS.ShorthandPropertyAssignment).name, depth + 1);
      }
      return;
    }
    if (path.length === 0) return;
    const fact = describe(parsed, value);
    if (fact) out[path.join('.')] = fact;
  };
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const decl of statement.declarationList.declarations) {
        if (ts.isIdentifier(decl.name)) record([decl.name.text], decl.initializer);
        else for (const id of boundIdentifiers(ts, decl.name)) record([id.text], id);
      }
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const el of statement.exportClause.elements) record([el.name.text], el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName : el.name);
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
      record([], statement.expression);
    } else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression) && statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = statement.expression.left;
      const text = target.getText(sourceFile);
      const m = /^(?:module\.)?exports(?:\.([A-Za-z_$][\w$]*))?$/.exec(text);
      if (m && (m[1] || text === 'module.exports')) record(m[1] ? [m[1]] : [], statement.expression.right);
    }
  }
  return out;
}

/**
 * A cheap text test before `envExportsOf` (the CLI's role pre-pass parses only files that pass):
 * the module reads the environment, names an environment variable and exports something.
 */
export function mayExportEnvFlags(text: string): boolean {
  // the rarest condition first, behind substring searches every match of it contains ('ENV' or 'STAGE')
  return (text.includes('ENV') || text.includes('STAGE')) && /NODE_ENV|APP_ENV|DEPLOY_ENV|APP_STAGE|\bENV\b|\bENVIRONMENT\b|\bSTAGE\b/.test(text)
    && /\bexports?\b/.test(text) && /\benv\b/i.test(text);
}
