import type * as TS from 'typescript';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { unwrap } from '../support/ts-helpers';
import { resolveCallee, wholeModuleOf } from '../support/module-imports';
import { booleanValue } from '../support/ts-literals';
import { localValueOf } from '../support/value-flow';
import { nameOf } from '../support/ts-helpers';
import { hasHint, textHint } from '../../parse/text-hint';

const MENTIONS_CORS = textHint(['cors', 'access-control-allow-origin'], 'i');

const ENV_ORIGIN = "process.env.CORS_ORIGIN?.split(',')";
/** Middleware factories whose call without options allows (or reflects) every origin. */
const CORS_MIDDLEWARE = new Set(['cors', '@koa/cors', 'koa2-cors', 'koa-cors']);
const FASTIFY_CORS = new Set(['@fastify/cors', 'fastify-cors']);
const HAPI = new Set(['@hapi/hapi', 'hapi']);
const ALLOW_ORIGIN_HEADER = /^access-control-allow-origin$/i;
const HEADER_SETTERS = new Set(['set', 'setHeader', 'header', 'append']);

/** An option as written: `{ origin: '*' }` or shorthand `{ origin }`; the value the option holds follows the value flow. */
interface Option { node: TS.ObjectLiteralElementLike; initializer: TS.Expression }

/** The object literal an options argument stands for (`cors(corsOptions)` with `const corsOptions = { … }` in this file). */
function optionsObject(parsed: ParsedTs, node: TS.Expression | undefined): TS.ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const value = localValueOf(parsed, node);
  const e = value && unwrap(parsed.ts, value);
  return e && parsed.ts.isObjectLiteralExpression(e) ? e : undefined;
}

/** A named option of an options argument, through the value flow; shorthand `{ origin }` included. */
function optionNamed(parsed: ParsedTs, options: TS.Expression | undefined, name: string): Option | undefined {
  const { ts } = parsed;
  const object = optionsObject(parsed, options);
  if (!object) return undefined;
  for (let i = object.properties.length - 1; i >= 0; i--) {
    const p = object.properties[i];
    if (ts.isPropertyAssignment(p) && nameOf(ts, p.name) === name) return { node: p, initializer: p.initializer };
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return { node: p, initializer: p.name };
  }
  return undefined;
}

/** The value an option holds in this file (`origin: ORIGIN` with `const ORIGIN = '*'`), unwrapped. */
function optionValue(parsed: ParsedTs, option: Option): TS.Expression {
  const value = localValueOf(parsed, option.initializer);
  return unwrap(parsed.ts, value ?? option.initializer);
}

/** `origin: (origin, cb) => cb(null, true)`: a callback that allows whatever origin asks, the same as `origin: true`. */
function allowsEveryOrigin(ts: typeof TS, value: TS.Expression): boolean {
  if (!ts.isArrowFunction(value) && !ts.isFunctionExpression(value)) return false;
  const callback = value.parameters[1]?.name;
  if (!callback || !ts.isIdentifier(callback)) return false;
  const body = value.body;
  const only = ts.isBlock(body) ? (body.statements.length === 1 ? body.statements[0] : undefined) : body;
  const expression = only && (ts.isExpressionStatement(only) ? only.expression : ts.isReturnStatement(only) ? only.expression : ts.isExpression(only) ? only : undefined);
  const call = expression && unwrap(ts, expression);
  if (!call || !ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== callback.text || call.arguments.length !== 2) return false;
  const [error, allowed] = call.arguments.map((a) => unwrap(ts, a));
  const noError = error.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(error) && error.text === 'undefined');
  return noError && allowed.kind === ts.SyntaxKind.TrueKeyword;
}

function isStar(ts: typeof TS, value: TS.Expression): boolean {
  if ((ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) && value.text === '*') return true;
  // hapi and some wrappers take a list: `origin: ['*']`
  return ts.isArrayLiteralExpression(value) && value.elements.some((el) => (ts.isStringLiteral(el) || ts.isNoSubstitutionTemplateLiteral(el)) && el.text === '*');
}

type Verdict = { messageId: string; at: TS.Node; fix: Fix } | undefined;

function insertOptionsFix(call: TS.CallExpression, afterArg?: TS.Expression): Fix {
  const position = afterArg ? afterArg.end : call.arguments.pos;
  return {
    title: 'Allow only the origins listed in CORS_ORIGIN',
    kind: 'unsafe',
    edits: [{ start: position, end: position, newText: `${afterArg ? ', ' : ''}{ origin: ${ENV_ORIGIN} }` }],
  };
}

/** Judges an options object: `origin: '*'`, or `origin: true` with credentials (or anywhere when `reflectIsBad`). */
function judgeOptions(ctx: RuleContext<ParsedTs>, options: TS.Expression, reflectIsBad: boolean): Verdict {
  const parsed = ctx.parsed;
  const { ts, sourceFile } = parsed;
  const origin = optionNamed(parsed, options, 'origin');
  if (!origin) return undefined;
  const value = optionValue(parsed, origin);
  const credentials = optionNamed(parsed, options, 'credentials');
  const withCredentials = !!credentials && booleanValue(ts, optionValue(parsed, credentials)) === true;
  const star = isStar(ts, value);
  const callback = allowsEveryOrigin(ts, value);
  const reflect = booleanValue(ts, value) === true || callback;
  if (!star && !(reflect && (withCredentials || reflectIsBad))) return undefined;
  // the fix rewrites the option where it is written (`{ origin }` shorthand: the whole property)
  const shorthand = ts.isShorthandPropertyAssignment(origin.node);
  const fix: Fix = {
    title: 'Allow only the origins listed in CORS_ORIGIN',
    kind: 'unsafe',
    edits: [shorthand
      ? { start: origin.node.getStart(sourceFile), end: origin.node.end, newText: `origin: ${ENV_ORIGIN}` }
      : { start: origin.initializer.getStart(sourceFile), end: origin.initializer.end, newText: ENV_ORIGIN }],
  };
  const messageId = star ? (withCredentials ? 'starCredentials' : 'star') : withCredentials ? (callback ? 'callbackCredentials' : 'reflectCredentials') : 'reflect';
  return { messageId, at: origin.node, fix };
}

/** A `cors` option of framework options (Nest, hapi, socket.io): `true` allows every origin, an object is judged. */
function judgeCorsOption(ctx: RuleContext<ParsedTs>, options: TS.Expression | undefined): Verdict {
  const { ts, sourceFile } = ctx.parsed;
  const cors = optionNamed(ctx.parsed, options, 'cors');
  if (!cors) return undefined;
  const value = optionValue(ctx.parsed, cors);
  if (booleanValue(ts, value) === true) {
    const fixable = ts.isPropertyAssignment(cors.node);
    return {
      messageId: 'noOptions',
      at: cors.node,
      fix: { title: 'Allow only the origins listed in CORS_ORIGIN', kind: 'unsafe', edits: fixable ? [{ start: cors.initializer.getStart(sourceFile), end: cors.initializer.end, newText: `{ origin: ${ENV_ORIGIN} }` }] : [] },
    };
  }
  return judgeOptions(ctx, cors.initializer, false);
}

function corsModuleOf(ctx: RuleContext<ParsedTs>, expression: TS.Expression): string | undefined {
  return wholeModuleOf(ctx.parsed, unwrap(ctx.parsed.ts, expression));
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  // Cheap pre-filter: every form this rule judges names CORS in the text (the cors, @koa/cors,
  // @fastify/cors modules, enableCors(), a `cors` option of Nest or socket.io).
  if (!hasHint(ctx.parsed, ctx.text, MENTIONS_CORS)) return;
  const { ts, sourceFile } = ctx.parsed;
  const reported = new Set<number>(); // one options object used by two calls is one finding
  const report = (verdict: Verdict) => {
    if (!verdict) return;
    const start = verdict.at.getStart(sourceFile);
    if (reported.has(start)) return;
    reported.add(start);
    ctx.report({ messageId: verdict.messageId, start, end: verdict.at.end, fixes: verdict.fix.edits.length > 0 ? [verdict.fix] : [] });
  };
  checkSocketIo(ctx, report);
  for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const callee = call.expression;
    const resolved = resolveCallee(ctx.parsed, callee);
    // cors() / cors({ … }) from the cors, @koa/cors… packages
    if (resolved && resolved.member === 'default' && CORS_MIDDLEWARE.has(resolved.module)) {
      const options = call.arguments[0];
      if (!options) report({ messageId: 'noOptions', at: call, fix: insertOptionsFix(call) });
      else report(judgeOptions(ctx, options, false));
      continue;
    }
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const method = callee.name.text;
    // Nest: app.enableCors() / app.enableCors({ origin: '*' })
    if (method === 'enableCors') {
      const options = call.arguments[0];
      if (!options) report({ messageId: 'noOptions', at: call, fix: insertOptionsFix(call) });
      else report(judgeOptions(ctx, options, false));
      continue;
    }
    // Fastify: fastify.register(cors) / register(cors, { origin: true })
    if (method === 'register' && call.arguments[0]) {
      const module = corsModuleOf(ctx, call.arguments[0]);
      if (!module || !FASTIFY_CORS.has(module)) continue;
      const options = call.arguments[1];
      if (!options) report({ messageId: 'noOptions', at: call, fix: insertOptionsFix(call, call.arguments[0]) });
      else report(judgeOptions(ctx, options, true));
      continue;
    }
    // socket.io: new Server(httpServer, { cors: { origin: '*' } }) is handled with `new` below
    // Nest: NestFactory.create(AppModule, { cors: true }), also after an adapter: create(AppModule, new ExpressAdapter(), options)
    if (method === 'create' && ts.isIdentifier(callee.expression) && callee.expression.text === 'NestFactory') {
      for (const arg of call.arguments.slice(1)) report(judgeCorsOption(ctx, arg));
      continue;
    }
    // res.set('Access-Control-Allow-Origin', '*'): the header written by hand
    if (HEADER_SETTERS.has(method) && call.arguments.length >= 2) {
      const name = localValueOf(ctx.parsed, call.arguments[0]);
      const value = localValueOf(ctx.parsed, call.arguments[1]);
      if (name && (ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) && ALLOW_ORIGIN_HEADER.test(name.text) && value && isStar(ts, unwrap(ts, value))) {
        report({ messageId: 'starHeader', at: call, fix: { title: '', kind: 'unsafe', edits: [] } });
      }
    }
  }
  checkHapi(ctx, report);
  checkGraphqlServers(ctx, report);
}

/** hapi: `Hapi.server({ routes: { cors: true } })` (every origin by default) or `cors: { origin: ['*'] }`. */
function checkHapi(ctx: RuleContext<ParsedTs>, report: (v: Verdict) => void): void {
  const { ts } = ctx.parsed;
  for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const resolved = resolveCallee(ctx.parsed, call.expression);
    if (!resolved || !HAPI.has(resolved.module) || (resolved.member !== 'server' && resolved.member !== 'Server')) continue;
    const routes = optionNamed(ctx.parsed, call.arguments[0], 'routes');
    if (routes) report(judgeCorsOption(ctx, routes.initializer));
  }
}

/** GraphQL servers that take a `cors` option: apollo-server's constructor and `applyMiddleware`, Nest's `GraphQLModule.forRoot`. */
const GRAPHQL_CORS_CALLEES = new Set(['ApolloServer', 'applyMiddleware', 'forRoot']);

/** `new ApolloServer({ cors: true })`, `server.applyMiddleware({ app, cors: { origin: '*' } })`, `GraphQLModule.forRoot({ cors: true })`. */
function checkGraphqlServers(ctx: RuleContext<ParsedTs>, report: (v: Verdict) => void): void {
  const { ts } = ctx.parsed;
  const calls = [
    ...ctx.parsed.nodesOfKind<TS.NewExpression>(ts.SyntaxKind.NewExpression),
    ...ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression),
  ];
  for (const call of calls) {
    const callee = call.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (!GRAPHQL_CORS_CALLEES.has(name)) continue;
    if (name === 'forRoot' && !(ts.isPropertyAccessExpression(callee) && /GraphQL/.test(callee.expression.getText(ctx.parsed.sourceFile)))) continue;
    report(judgeCorsOption(ctx, call.arguments?.[0]));
  }
}

/** socket.io `new Server(http, { cors: { origin: '*' } })`: the handshake is open to every website. */
function checkSocketIo(ctx: RuleContext<ParsedTs>, report: (v: Verdict) => void): void {
  const { ts } = ctx.parsed;
  for (const construct of ctx.parsed.nodesOfKind<TS.NewExpression>(ts.SyntaxKind.NewExpression)) {
    const resolved = resolveCallee(ctx.parsed, construct.expression);
    if (!resolved || resolved.module !== 'socket.io' || (resolved.member !== 'Server' && resolved.member !== 'default')) continue;
    const options = construct.arguments?.find((a) => optionsObject(ctx.parsed, a));
    const cors = optionNamed(ctx.parsed, options, 'cors');
    if (cors) report(judgeOptions(ctx, cors.initializer, false));
  }
}

const rule: Rule = {
  meta: {
    id: 'security/permissive-cors',
    factor: 'security',
    severity: 'warning',
    description: 'CORS that lets any website call the API: cors() without options, origin "*", or a reflected origin with credentials.',
    rationale: 'CORS decides which websites may read your API\'s responses from a user\'s browser. Allowing every origin (and worse, reflecting any origin while sending cookies) lets any page the user visits act with their session. Which origins are trusted differs per deploy, so it belongs in config (factors III and XV).',
    messages: {
      noOptions: 'CORS is enabled without options, which allows (or reflects) every origin: list the allowed origins, e.g. origin: process.env.CORS_ORIGIN?.split(\',\').',
      star: 'origin: \'*\' lets every website read responses: list the allowed origins, e.g. from process.env.CORS_ORIGIN.',
      starCredentials: 'origin: \'*\' with credentials lets every website make authenticated requests: list the allowed origins, e.g. from process.env.CORS_ORIGIN.',
      reflect: 'origin: true reflects any requesting origin, so every website is allowed: list the allowed origins, e.g. from process.env.CORS_ORIGIN.',
      starHeader: 'Access-Control-Allow-Origin: * lets every website read responses: send the allowed origin instead, e.g. from process.env.CORS_ORIGIN.',
      callbackCredentials: 'The origin callback allows every origin and credentials: true sends cookies, so any website can act with the user\'s session: list the allowed origins, e.g. from process.env.CORS_ORIGIN.',
      reflectCredentials: 'origin: true with credentials: true reflects any origin and sends cookies, so any website can act with the user\'s session: list the allowed origins, e.g. from process.env.CORS_ORIGIN.',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { ts: checkTs },
};

export default rule;
