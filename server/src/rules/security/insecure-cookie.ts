import type * as TS from 'typescript';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { resolveCallee } from '../support/module-imports';
import { constInitializer, nameOf, stringValue, unwrap } from '../support/ts-helpers';
import { booleanValue } from '../support/ts-literals';
import { hasHint, textHint } from '../../parse/text-hint';

const MENTIONS_COOKIES = textHint(['cookie', 'session'], 'i');

/**
 * Session and auth cookies without `httpOnly` (readable by any script on the page) or without
 * `secure` (sent over plain HTTP): express-session and cookie-session options, and
 * `res.cookie`/`reply.setCookie`/`cookies.set` of a cookie whose name or value says session or
 * token. A flag whose value is computed (`secure: config.secureCookies`) is set from config and
 * fine; options that are not an object literal the rule can read are not judged.
 */

/** Cookie names or values that hold a session or credentials (not a theme or locale preference). */
const SESSION_LIKE = /sess|\bsid\b|token|auth|jwt|refresh|remember|logged|login|credential|connect\.sid/i;
/** OAuth `state`, nonces and CSRF tokens bind a flow to the browser; they are no credential. */
const NOT_CREDENTIAL = /state|nonce|csrf|xsrf|pkce|verifier/i;
const SESSION_MIDDLEWARE = new Set(['express-session', 'cookie-session']);

type Flags = { httpOnly: 'missing' | 'false' | 'set'; secure: 'missing' | 'false' | 'set'; readable: boolean };

/** An options object as written: through one `const` (`res.cookie('t', v, cookieOptions)`); undefined when unreadable. */
function literalObject(ts: typeof TS, expression: TS.Expression | undefined): TS.ObjectLiteralExpression | undefined {
  if (!expression) return undefined;
  let e = unwrap(ts, expression);
  if (ts.isIdentifier(e)) e = constInitializer(ts, e.text, e) ?? e;
  e = unwrap(ts, e);
  return ts.isObjectLiteralExpression(e) ? e : undefined;
}

function flagsOf(ts: typeof TS, options: TS.ObjectLiteralExpression | undefined): Flags {
  if (!options) return { httpOnly: 'missing', secure: 'missing', readable: true };
  // a spread may carry the flags (`{ ...baseCookie, maxAge }`): not judged
  if (options.properties.some((p) => ts.isSpreadAssignment(p))) return { httpOnly: 'set', secure: 'set', readable: false };
  const flag = (name: string): Flags['httpOnly'] => {
    const p = options.properties.find((x) => (ts.isPropertyAssignment(x) || ts.isShorthandPropertyAssignment(x)) && nameOf(ts, x.name) === name);
    if (!p) return 'missing';
    return ts.isPropertyAssignment(p) && booleanValue(ts, p.initializer) === false ? 'false' : 'set';
  };
  return { httpOnly: flag('httpOnly'), secure: flag('secure'), readable: true };
}

/** A cookie being cleared (`''` value, `maxAge` ≤ 0, `expires: new Date(0)`): its flags do not matter. */
function isClearing(ts: typeof TS, sf: TS.SourceFile, value: TS.Expression | undefined, options: TS.ObjectLiteralExpression | undefined): boolean {
  if (value && stringValue(ts, value) === '') return true;
  if (!options) return false;
  return options.properties.some((p) => ts.isPropertyAssignment(p) && (
    (nameOf(ts, p.name) === 'maxAge' && /^-|^0$/.test(p.initializer.getText(sf).trim()))
    || (nameOf(ts, p.name) === 'expires' && /new Date\(\s*0\s*\)/.test(p.initializer.getText(sf)))));
}

function missingList(flags: Flags, httpOnlyDefaultsOn: boolean): string[] {
  const out: string[] = [];
  if (flags.httpOnly === 'false' || (flags.httpOnly === 'missing' && !httpOnlyDefaultsOn)) out.push(flags.httpOnly === 'false' ? 'httpOnly is false' : 'no httpOnly');
  if (flags.secure !== 'set') out.push(flags.secure === 'false' ? 'secure is false' : 'no secure');
  return out;
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  if (!hasHint(ctx.parsed, ctx.text, MENTIONS_COOKIES)) return;
  const { ts, sourceFile: sf } = ctx.parsed;
  const report = (node: TS.Node, what: string, problems: string[]) => {
    if (problems.length > 0) ctx.report({ messageId: 'flags', data: { what, problems: problems.join(' and ') }, start: node.getStart(sf), end: node.end });
  };
  for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const resolved = resolveCallee(ctx.parsed, call.expression);
    // express-session: cookie.httpOnly defaults to true, cookie.secure to false
    if (resolved && resolved.member === 'default' && SESSION_MIDDLEWARE.has(resolved.module)) {
      const options = literalObject(ts, call.arguments[0]) ?? (call.arguments.length === 0 ? ts.factory.createObjectLiteralExpression([]) : undefined);
      if (!options || options.properties.some((p) => ts.isSpreadAssignment(p))) continue;
      if (resolved.module === 'express-session') {
        const cookie = options.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && nameOf(ts, p.name) === 'cookie');
        const cookieOptions = cookie ? literalObject(ts, cookie.initializer) : undefined;
        if (cookie && !cookieOptions) continue; // cookie options from config
        const flags = flagsOf(ts, cookieOptions);
        if (!cookieOptions) flags.httpOnly = 'set';
        if (flags.readable) report(call.expression, 'The express-session cookie', missingList(flags, true));
      } else {
        const flags = flagsOf(ts, options);
        if (flags.readable) report(call.expression, 'The cookie-session cookie', missingList(flags, true));
      }
      continue;
    }
    if (!ts.isPropertyAccessExpression(call.expression)) continue;
    const method = call.expression.name.text;
    const receiver = call.expression.expression.getText(sf);
    const responseCookie = method === 'cookie' && /(?:^|\.)(?:res|response|reply|ctx)$/i.test(receiver);
    const setCookie = method === 'setCookie' || (method === 'set' && /(?:^|\.)cookies(?:\(\))?$/.test(receiver));
    if (!responseCookie && !setCookie) continue;
    let name: TS.Expression | undefined = call.arguments[0];
    let value: TS.Expression | undefined = call.arguments[1];
    let options = literalObject(ts, call.arguments[2]);
    if (call.arguments[2] && !options) continue; // options from config or a helper
    // Next.js `cookies().set({ name, value, httpOnly… })`
    const single = call.arguments.length === 1 ? literalObject(ts, call.arguments[0]) : undefined;
    if (single) {
      const prop = (n: string) => single.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && nameOf(ts, p.name) === n)?.initializer;
      name = prop('name'); value = prop('value'); options = single;
    } else if (call.arguments.length < 2) continue;
    const nameText = name ? stringValue(ts, name) ?? name.getText(sf) : '';
    if (NOT_CREDENTIAL.test(nameText) || (!SESSION_LIKE.test(nameText) && !(value && SESSION_LIKE.test(value.getText(sf))))) continue;
    if (isClearing(ts, sf, value, options)) continue;
    const flags = flagsOf(ts, options);
    if (!flags.readable) continue;
    // Koa's ctx.cookies.set defaults httpOnly to true; Express and Fastify do not
    const httpOnlyDefaultsOn = /(?:^|\.)ctx\.cookies$/.test(receiver);
    report(call, `The cookie ${name && stringValue(ts, name) !== undefined ? `"${stringValue(ts, name)}"` : nameText}`, missingList(flags, httpOnlyDefaultsOn));
  }
}

const rule: Rule = {
  meta: {
    id: 'security/insecure-cookie',
    factor: 'security',
    severity: 'warning',
    description: 'Session or auth cookies set without httpOnly or secure.',
    rationale: 'A session or token cookie is the caller\'s credential (factor XV): without httpOnly any script injected into the page can read it, without secure it travels over plain HTTP. Set both, reading `secure` from config where development runs without TLS.',
    messages: {
      flags: '{{what}} carries a session or token but has {{problems}}: set httpOnly: true and secure: true (or secure from config, e.g. process.env.COOKIE_SECURE !== \'false\').',
    },
    fix: 'none',
    roles: ['server'],
  },
  check: { ts: checkTs },
};

export default rule;
