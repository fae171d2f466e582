/**
 * Whether an inline route handler answers a constant: its body only sends literals through the
 * response object (`res.status(200).json({ status: 'ok' })`, `res.send('OK')`, `ctx.body = 'ok'`,
 * `return { status: 'up' }`, `reply.code(200).send()`), naming nothing but its own parameters.
 * For the telemetry hint "health route returns a constant" — a probe that cannot fail.
 */
import type * as TS from 'typescript';
import { unwrap } from '../rules/support/ts-helpers';

function isLiteralValue(ts: typeof TS, node: TS.Expression): boolean {
  const e = unwrap(ts, node);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isObjectLiteralExpression(e)) return e.properties.every((p) => ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && isLiteralValue(ts, p.initializer));
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => !ts.isSpreadElement(x) && isLiteralValue(ts, x));
  return false;
}

/** `res.status(200).json({…})`: a call chain rooted at one of the handler's parameters, literal arguments only. */
function isResponseCall(ts: typeof TS, node: TS.Expression, params: ReadonlySet<string>): boolean {
  let e: TS.Expression = unwrap(ts, node);
  let calls = 0;
  for (;;) {
    if (ts.isCallExpression(e)) {
      if (!e.arguments.every((a) => isLiteralValue(ts, a))) return false;
      e = e.expression; calls++;
    } else if (ts.isPropertyAccessExpression(e)) e = e.expression;
    else break;
  }
  return calls > 0 && ts.isIdentifier(e) && params.has(e.text);
}

function isConstantStatement(ts: typeof TS, s: TS.Statement, params: ReadonlySet<string>): boolean {
  if (ts.isReturnStatement(s)) return !s.expression || isLiteralValue(ts, s.expression) || isResponseCall(ts, s.expression, params);
  if (!ts.isExpressionStatement(s)) return false;
  const e = unwrap(ts, s.expression);
  if (ts.isAwaitExpression(e)) return false;
  // ctx.body = 'ok'; ctx.status = 200
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return ts.isPropertyAccessExpression(e.left) && ts.isIdentifier(e.left.expression) && params.has(e.left.expression.text) && isLiteralValue(ts, e.right);
  }
  return isResponseCall(ts, e, params);
}

/** An arrow function, function expression or method whose body answers a constant. */
export function isConstantHandler(ts: typeof TS, node: TS.Node): boolean {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node) && !ts.isMethodDeclaration(node)) return false;
  const params = new Set(node.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')).filter(Boolean));
  const body = node.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return isLiteralValue(ts, body) || isResponseCall(ts, body, params);
  return body.statements.length > 0 && body.statements.every((s) => isConstantStatement(ts, s, params));
}
