/**
 * Literal values in TS/JS code: which string literals are values (not import specifiers,
 * type positions or keys), whether a literal is an env-first default, and edits that keep
 * the syntax valid when a property or statement is removed.
 */
import type * as TS from 'typescript';
import type { TextEdit } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { parseMemo } from '../../parse/parse-memo';
import { envVarRead, readsEnv, unwrap } from './ts-helpers';

export type StringLike = TS.StringLiteral | TS.NoSubstitutionTemplateLiteral | TS.TemplateExpression;

/** Per parse (parse-memo.ts says why not a WeakMap): the literals reach the whole tree. */
const valueStringsCache = parseMemo<readonly StringLike[]>('valueStrings');

/** Every string literal and template of the file that is a runtime value (computed once per parse). */
export function valueStrings(parsed: ParsedTs): readonly StringLike[] {
  let found = valueStringsCache.get(parsed);
  if (!found) valueStringsCache.set(parsed, (found = collectValueStrings(parsed)));
  return found;
}

function collectValueStrings(parsed: ParsedTs): StringLike[] {
  const { ts } = parsed;
  const all: StringLike[] = [
    ...parsed.nodesOfKind<TS.StringLiteral>(ts.SyntaxKind.StringLiteral),
    ...parsed.nodesOfKind<TS.NoSubstitutionTemplateLiteral>(ts.SyntaxKind.NoSubstitutionTemplateLiteral),
    ...parsed.nodesOfKind<TS.TemplateExpression>(ts.SyntaxKind.TemplateExpression),
  ];
  return all.filter((node) => isValuePosition(ts, node)).sort((a, b) => a.pos - b.pos);
}

export function isValuePosition(ts: typeof TS, literal: TS.Node): boolean {
  const parent = literal.parent;
  if (!parent) return false;
  if (ts.isLiteralTypeNode(parent) || ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent)
    || ts.isImportTypeNode(parent) || ts.isModuleDeclaration(parent) || ts.isTaggedTemplateExpression(parent)) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isEnumMember(parent)) && parent.name === literal) return false;
  if (ts.isEnumMember(parent)) return false;
  if (ts.isCallExpression(parent) && (parent.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(parent.expression) && parent.expression.text === 'require'))) return false;
  if (ts.isElementAccessExpression(parent) && parent.argumentExpression === literal) return false;
  return true;
}

/** The text a string-like node starts with: the whole literal, or a template's head. */
export function leadingText(ts: typeof TS, node: StringLike): string {
  return ts.isTemplateExpression(node) ? node.head.text : node.text;
}

/**
 * When `node` is the default of an env-first expression (`process.env.X ?? node`,
 * `process.env.X || node`, `process.env.X ? process.env.X : node`), the variable read ('' if unnamed).
 */
export function envFirstDefault(ts: typeof TS, node: TS.Node): string | undefined {
  let child: TS.Node = node;
  let parent = node.parent;
  while (parent && ts.isParenthesizedExpression(parent)) { child = parent; parent = parent.parent; }
  if (!parent) return undefined;
  if (ts.isBinaryExpression(parent) && parent.right === child) {
    const op = parent.operatorToken.kind;
    if (op !== ts.SyntaxKind.QuestionQuestionToken && op !== ts.SyntaxKind.BarBarToken) return undefined;
    const left = unwrap(ts, parent.left);
    return envVarRead(ts, left) ?? (readsEnv(ts, left) ? '' : undefined);
  }
  if (ts.isConditionalExpression(parent) && parent.whenFalse === child && readsEnv(ts, parent.condition)) {
    return envVarRead(ts, unwrap(ts, parent.condition)) ?? '';
  }
  // env schema defaults: zod/joi/yup `.default('…')`, envalid `url({ default, devDefault })`
  if (ts.isCallExpression(parent) && parent.arguments[0] === child && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'default') return '';
  if (ts.isPropertyAssignment(parent) && parent.initializer === child && /^(?:default|devDefault)$/.test(parent.name.getText()) && isInCallArguments(ts, parent.parent)) return '';
  // `const { X = 'default' } = process.env`
  if (ts.isBindingElement(parent) && parent.initializer === child && ts.isObjectBindingPattern(parent.parent)) {
    const decl = parent.parent.parent;
    if (ts.isVariableDeclaration(decl) && decl.initializer && readsEnv(ts, decl.initializer)) return ts.isIdentifier(parent.name) ? (parent.propertyName && ts.isIdentifier(parent.propertyName) ? parent.propertyName.text : parent.name.text) : '';
  }
  return undefined;
}

/** An object literal that is (nested in) an argument of a call or `new`. */
export function isInCallArguments(ts: typeof TS, object: TS.Node): boolean {
  let node: TS.Node = object;
  while (ts.isObjectLiteralExpression(node) && ts.isPropertyAssignment(node.parent) && ts.isObjectLiteralExpression(node.parent.parent)) node = node.parent.parent;
  const parent = node.parent;
  return !!parent && (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && !!parent.arguments?.includes(node as TS.Expression);
}

/** A value that documents rather than configures: `example:`, `description:`, `placeholder:`… */
export function isDocumentationValue(ts: typeof TS, node: TS.Node): boolean {
  const parent = node.parent;
  return ts.isPropertyAssignment(parent) && parent.initializer === node && /^(?:examples?|description|desc|docs?|placeholder|hint|help|helpText|title|label|summary)$/.test(parent.name.getText());
}

/** The expression to write in place of a literal: JSX attributes need braces. */
export function replacementFor(ts: typeof TS, literal: TS.Node, expression: string): string {
  return ts.isJsxAttribute(literal.parent) ? `{${expression}}` : expression;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndOf(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/**
 * Removes a property from an object literal and leaves valid syntax: its own line(s) when it
 * stands alone on them, otherwise the property and one adjoining comma; the only property
 * leaves `{}`.
 */
export function removePropertyEdit(sf: TS.SourceFile, text: string, object: TS.ObjectLiteralExpression, property: TS.ObjectLiteralElementLike): TextEdit {
  const props = object.properties;
  const index = props.indexOf(property);
  const start = property.getStart(sf);
  let end = property.end;
  if (props.length === 1) {
    return { start: object.getStart(sf) + 1, end: object.end - 1, newText: '' };
  }
  // the comma after the property, when there is one
  let afterComma = end;
  while (afterComma < text.length && /[ \t]/.test(text[afterComma])) afterComma++;
  const hasComma = text[afterComma] === ',';
  if (hasComma) end = afterComma + 1;
  const ls = lineStartOf(text, start);
  const le = lineEndOf(text, end);
  if (text.slice(ls, start).trim() === '' && text.slice(end, le).trim() === '' && ls > object.getStart(sf)) {
    if (!hasComma && index === props.length - 1) {
      // last property without trailing comma on its own line: drop the previous comma too
      const prevEnd = props[index - 1].end;
      let comma = prevEnd;
      while (/[ \t]/.test(text[comma])) comma++;
      if (text[comma] === ',') return { start: prevEnd, end: le, newText: '' };
    }
    return { start: ls, end: Math.min(text.length, le + 1), newText: '' };
  }
  if (hasComma) {
    let e = end;
    while (e < text.length && /[ \t]/.test(text[e])) e++;
    return { start, end: e, newText: '' };
  }
  // last property, inline: remove from the end of the previous one
  return { start: props[index - 1].end, end: property.end, newText: '' };
}

/** Removes a whole statement, with its line when it stands alone on it. */
export function removeStatementEdit(sf: TS.SourceFile, text: string, statement: TS.Node): TextEdit {
  const start = statement.getStart(sf);
  const end = statement.end;
  const ls = lineStartOf(text, start);
  const le = lineEndOf(text, end);
  if (text.slice(ls, start).trim() === '' && text.slice(end, le).trim() === '') return { start: ls, end: Math.min(text.length, le + 1), newText: '' };
  return { start, end, newText: '' };
}

/** The object literal holding a property assignment, when it is one. */
export function objectOf(ts: typeof TS, property: TS.Node): TS.ObjectLiteralExpression | undefined {
  return property.parent && ts.isObjectLiteralExpression(property.parent) ? property.parent : undefined;
}

/** A named property of an object literal (`origin` in `{ origin: '*' }`). */
export function propertyNamed(ts: typeof TS, object: TS.Expression | undefined, name: string): TS.PropertyAssignment | undefined {
  if (!object) return undefined;
  const o = unwrap(ts, object);
  if (!ts.isObjectLiteralExpression(o)) return undefined;
  return o.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
}

/** True for `true`/`false` keywords (and `!0`/`!1`). */
export function booleanValue(ts: typeof TS, node: TS.Expression): boolean | undefined {
  const e = unwrap(ts, node);
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken && ts.isNumericLiteral(e.operand)) return e.operand.text === '0';
  return undefined;
}
