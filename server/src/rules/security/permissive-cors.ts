import type * as TS from 'typescript';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { unwrap } from '../support/ts-helpers';
import { resolveCallee, wholeModuleOf } from '../support/module-imports';
import { booleanValue, propertyNamed } from '../support/ts-literals';

const ENV_ORIGIN = "process.env.CORS_ORIGIN?.split(',')";
/** Middleware factories whose call without options allows (or reflects) every origin. */
const CORS_MIDDLEWARE = new Set(['cors', '@koa/cors', 'koa2-cors', 'koa-cors']);
const FASTIFY_CORS = new Set(['@fastify/cors', 'fastify-cors']);

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
  const { ts, sourceFile } = ctx.parsed;
  const origin = propertyNamed(ts, options, 'origin');
  if (!origin) return undefined;
  const value = unwrap(ts, origin.initializer);
  const credentials = propertyNamed(ts, options, 'credentials');
  const withCredentials = !!credentials && booleanValue(ts, credentials.initializer) === true;
  const star = (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) && value.text === '*';
  const reflect = booleanValue(ts, value) === true;
  if (!star && !(reflect && (withCredentials || reflectIsBad))) return undefined;
  const fix: Fix = {
    title: 'Allow only the origins listed in CORS_ORIGIN',
    kind: 'unsafe',
    edits: [{ start: origin.initializer.getStart(sourceFile), end: origin.initializer.end, newText: ENV_ORIGIN }],
  };
  const messageId = star ? (withCredentials ? 'starCredentials' : 'star') : withCredentials ? 'reflectCredentials' : 'reflect';
  return { messageId, at: origin, fix };
}

function corsModuleOf(ctx: RuleContext<ParsedTs>, expression: TS.Expression): string | undefined {
  return wholeModuleOf(ctx.parsed, unwrap(ctx.parsed.ts, expression));
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  // Cheap pre-filter: every form this rule judges names CORS in the text (the cors, @koa/cors,
  // @fastify/cors modules, enableCors(), a `cors` option of Nest or socket.io).
  if (!/cors/i.test(ctx.text)) return;
  const { ts, sourceFile } = ctx.parsed;
  const report = (verdict: Verdict) => {
    if (!verdict) return;
    ctx.report({ messageId: verdict.messageId, start: verdict.at.getStart(sourceFile), end: verdict.at.end, fixes: [verdict.fix] });
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
    // Nest: NestFactory.create(AppModule, { cors: true })
    if (method === 'create' && ts.isIdentifier(callee.expression) && callee.expression.text === 'NestFactory') {
      const cors = propertyNamed(ts, call.arguments[1], 'cors');
      if (!cors) continue;
      if (booleanValue(ts, cors.initializer) === true) {
        report({
          messageId: 'noOptions',
          at: cors,
          fix: { title: 'Allow only the origins listed in CORS_ORIGIN', kind: 'unsafe', edits: [{ start: cors.initializer.getStart(sourceFile), end: cors.initializer.end, newText: `{ origin: ${ENV_ORIGIN} }` }] },
        });
      } else report(judgeOptions(ctx, cors.initializer, false));
    }
  }
}

/** socket.io `new Server(http, { cors: { origin: '*' } })`: the handshake is open to every website. */
function checkSocketIo(ctx: RuleContext<ParsedTs>, report: (v: Verdict) => void): void {
  const { ts } = ctx.parsed;
  for (const construct of ctx.parsed.nodesOfKind<TS.NewExpression>(ts.SyntaxKind.NewExpression)) {
    const resolved = resolveCallee(ctx.parsed, construct.expression);
    if (!resolved || resolved.module !== 'socket.io' || (resolved.member !== 'Server' && resolved.member !== 'default')) continue;
    const options = construct.arguments?.find((a) => ts.isObjectLiteralExpression(unwrap(ts, a)));
    const cors = propertyNamed(ts, options, 'cors');
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
      reflectCredentials: 'origin: true with credentials: true reflects any origin and sends cookies, so any website can act with the user\'s session: list the allowed origins, e.g. from process.env.CORS_ORIGIN.',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { ts: checkTs },
};

export default rule;
