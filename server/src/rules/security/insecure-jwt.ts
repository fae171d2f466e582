import type * as TS from 'typescript';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { resolveCallee } from '../support/module-imports';
import { nameOf, stringValue, unwrap } from '../support/ts-helpers';
import { booleanValue, objectOf, propertyNamed, removePropertyEdit } from '../support/ts-literals';
import { hasHint, textHint } from '../../parse/text-hint';

const MENTIONS_JWT = textHint(['jwt', 'jsonwebtoken', 'ignoreExpiration', 'algorithms'], 'i');

/**
 * JWT pitfalls: tokens accepted unsigned (`algorithms: ['none']`), expired tokens accepted
 * (`ignoreExpiration: true`), `jsonwebtoken.verify` without an algorithm allow-list on a version
 * that still lets the token pick its algorithm (< 9), and `jwt.decode` (no signature check)
 * whose result becomes the caller's identity or decides access.
 */

const DECODERS = new Set(['jsonwebtoken:decode', 'jwt-decode:default', 'jwt-decode:jwtDecode']);
/** Where an authenticated identity is stored: what a decoded token must never become unverified. */
const IDENTITY_TARGET = /^(?:req|request)\.(?:user|auth|identity|userId)$|^res\.locals\.(?:user|auth|userId)$|^ctx\.state\.(?:user|auth)$/;
/** Claims that decide access when a condition reads them (`decoded.role === 'admin'`); `exp` alone does not. */
const ACCESS_CLAIM = /\.(?:role|roles|admin|isAdmin|is_admin|permissions|scope|scopes|groups|sub|userId|user_id|tenant|tenantId)\b/;

/** The major version a package.json range allows at least (`^8.5.1` → 8), when it says. */
function majorOf(range: string | undefined): number | undefined {
  const m = range ? /(\d+)/.exec(range) : null;
  return m ? Number(m[1]) : undefined;
}

function verifyOptions(ts: typeof TS, call: TS.CallExpression): TS.Expression | undefined {
  const third = call.arguments[2];
  return third && !ts.isFunctionLike(unwrap(ts, third)) ? third : undefined;
}

/** The function body a node sits in (or the file). */
function enclosingScope(ts: typeof TS, node: TS.Node): TS.Node {
  let n: TS.Node | undefined = node.parent;
  while (n && !ts.isFunctionLike(n) && !ts.isSourceFile(n)) n = n.parent;
  return n ?? node.getSourceFile();
}

/** Whether a decoded token (the call, or the variable holding it) is used as identity or in an access decision. */
function decodeGatesAccess(ctx: RuleContext<ParsedTs>, call: TS.CallExpression): boolean {
  const { ts, sourceFile: sf } = ctx.parsed;
  let top: TS.Node = call;
  while (ts.isAsExpression(top.parent) || ts.isParenthesizedExpression(top.parent) || ts.isNonNullExpression(top.parent) || ts.isAwaitExpression(top.parent)) top = top.parent;
  const declaration = ts.isVariableDeclaration(top.parent) && ts.isIdentifier(top.parent.name) ? top.parent.name.text : undefined;
  const target = (node: TS.Node) => node.getText(sf).replace(/^\((\w+) as [^)]+\)/, '$1');
  const scope = enclosingScope(ts, call);
  const mentions = (node: TS.Node) => node === call || node.getText(sf).includes(call.getText(sf)) || (!!declaration && new RegExp(`\\b${declaration}\\b`).test(node.getText(sf)));
  // a verify in the same function means decode only reads a verified token's header or claims
  if (/\.verify\s*\(|jwtVerify\s*\(/.test(scope.getText(sf))) return false;
  let gates = false;
  const visit = (node: TS.Node): void => {
    if (gates) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && IDENTITY_TARGET.test(target(node.left)) && mentions(node.right)) gates = true;
    else if ((ts.isIfStatement(node) || ts.isConditionalExpression(node)) && declaration) {
      const condition = ts.isIfStatement(node) ? node.expression : node.condition;
      if (new RegExp(`\\b${declaration}(?:\\?)?${ACCESS_CLAIM.source}`).test(condition.getText(sf))) gates = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return gates;
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  if (!hasHint(ctx.parsed, ctx.text, MENTIONS_JWT)) return;
  const { ts, sourceFile: sf } = ctx.parsed;
  // properties of any JWT library's options: express-jwt, koa-jwt, passport-jwt, @nestjs/jwt, jose, jsonwebtoken
  for (const p of ctx.parsed.nodesOfKind<TS.PropertyAssignment>(ts.SyntaxKind.PropertyAssignment)) {
    const name = nameOf(ts, p.name);
    if (name === 'ignoreExpiration' && booleanValue(ts, p.initializer) === true) {
      const object = objectOf(ts, p);
      ctx.report({
        messageId: 'ignoreExpiration', start: p.getStart(sf), end: p.end,
        fixes: object ? [{ title: 'Remove ignoreExpiration: expired tokens are rejected', kind: 'unsafe', edits: [removePropertyEdit(sf, ctx.text, object, p)] }] : [],
      });
    } else if (name === 'algorithms') {
      const value = unwrap(ts, p.initializer);
      const listed = ts.isArrayLiteralExpression(value) ? value.elements.map((e) => stringValue(ts, e)) : [stringValue(ts, value)];
      if (listed.some((a) => a?.toLowerCase() === 'none')) ctx.report({ messageId: 'algNone', start: p.getStart(sf), end: p.end });
    }
  }
  const jsonwebtokenMajor = majorOf(ctx.project?.nearestPackage?.json.dependencies?.jsonwebtoken);
  for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const resolved = resolveCallee(ctx.parsed, call.expression);
    if (!resolved) continue;
    const key = `${resolved.module}:${resolved.member}`;
    if (key === 'jsonwebtoken:verify' && jsonwebtokenMajor !== undefined && jsonwebtokenMajor < 9 && call.arguments.length >= 2) {
      const options = verifyOptions(ts, call);
      const o = options ? unwrap(ts, options) : undefined;
      const hasAlgorithms = !!o && (!ts.isObjectLiteralExpression(o) || !!propertyNamed(ts, o, 'algorithms') || o.properties.some((x) => ts.isSpreadAssignment(x)));
      if (!hasAlgorithms) ctx.report({ messageId: 'noAlgorithms', data: { version: ctx.project!.nearestPackage!.json.dependencies!.jsonwebtoken }, start: call.getStart(sf), end: call.end });
    } else if (DECODERS.has(key) && decodeGatesAccess(ctx, call)) {
      ctx.report({ messageId: 'decodeGates', start: call.getStart(sf), end: call.end });
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'security/insecure-jwt',
    factor: 'security',
    severity: 'warning',
    description: 'JSON Web Tokens accepted unsigned, expired, with an algorithm the token picks, or decoded without verification where access depends on them.',
    rationale: 'Authentication (factor XV) is only as strong as the token check: `none` accepts unsigned tokens, `ignoreExpiration` accepts stolen tokens forever, a verify without an algorithm allow-list on jsonwebtoken < 9 lets an attacker pick the algorithm (CVE-2022-23540/23541), and `jwt.decode` checks no signature at all.',
    messages: {
      algNone: "'none' is allowed as a JWT algorithm: unsigned tokens are accepted. List only the algorithms the issuer signs with (e.g. ['HS256'] or ['RS256']).",
      ignoreExpiration: 'ignoreExpiration: true accepts expired tokens, so a leaked token never stops working. Remove it and refresh tokens instead.',
      noAlgorithms: 'jwt.verify without an `algorithms` allow-list on jsonwebtoken {{version}} (< 9) lets the token choose its algorithm. Pass { algorithms: [\'HS256\'] } (or the algorithm the issuer uses), or upgrade to jsonwebtoken 9.',
      decodeGates: 'jwt.decode does not check the signature, yet its result becomes the caller\'s identity or decides access here: anyone can forge it. Use jwt.verify with the key and an algorithms list.',
    },
    fix: 'unsafe',
    roles: ['server', 'script'],
  },
  check: { ts: checkTs },
};

export default rule;
