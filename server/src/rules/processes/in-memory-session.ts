import type * as TS from 'typescript';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { originOf, type Origin } from '../support/module-imports';
import { constInitializer, nameOf, unwrap } from '../support/ts-helpers';
import { indentAt } from '../support/ts-edits';

/**
 * Session middlewares whose default store is the process's memory. `koa-session` and
 * `cookie-session` keep the session in a signed cookie by default (stateless), so they are
 * only flagged when given a memory store explicitly.
 */
const MEMORY_BY_DEFAULT = new Set(['express-session', 'koa-generic-session', '@fastify/session', 'fastify-session']);
const COOKIE_BY_DEFAULT = new Set(['koa-session']);
const FASTIFY_PLUGINS = new Set(['@fastify/session', 'fastify-session']);

const PLACEHOLDER_NOTE = 'TODO(factorlint): use a shared session store (e.g. RedisStore from connect-redis), see the 12f-session-redis snippet';

/** The middleware a session factory comes from, if `origin` is one. */
function sessionModule(origin: Origin | undefined): string | undefined {
  if (!origin || origin.path.length > 0) return undefined;
  return MEMORY_BY_DEFAULT.has(origin.module) || COOKIE_BY_DEFAULT.has(origin.module) ? origin.module : undefined;
}

/** `new MemoryStore()`, `new session.MemoryStore()`, `new (require('memorystore')(session))()` and consts holding one. */
function isMemoryStore(ts: typeof TS, value: TS.Expression, depth = 0): boolean {
  const e = unwrap(ts, value);
  if (ts.isIdentifier(e) && depth === 0) {
    const init = constInitializer(ts, e.text, e);
    return !!init && isMemoryStore(ts, init, 1);
  }
  if (!ts.isNewExpression(e)) return false;
  const callee = unwrap(ts, e.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return !!name && /^(?:MemoryStore|MemStore|InMemoryStore)$/.test(name);
}

type OptionsVerdict = { kind: 'memory'; at: TS.Node } | { kind: 'missing'; object?: TS.ObjectLiteralExpression } | { kind: 'ok' };

/** What the options object says about the store. Spreads and non-literal options are trusted. */
function storeVerdict(ts: typeof TS, options: TS.Expression | undefined, memoryByDefault: boolean): OptionsVerdict {
  if (!options) return memoryByDefault ? { kind: 'missing' } : { kind: 'ok' };
  let o = unwrap(ts, options);
  if (ts.isIdentifier(o)) {
    const init = constInitializer(ts, o.text, o);
    if (!init) return { kind: 'ok' };
    o = unwrap(ts, init);
  }
  if (!ts.isObjectLiteralExpression(o)) return { kind: 'ok' };
  if (o.properties.some((p) => ts.isSpreadAssignment(p))) return { kind: 'ok' };
  const store = o.properties.find((p) => nameOf(ts, p.name) === 'store');
  if (!store) return memoryByDefault ? { kind: 'missing', object: ts.isObjectLiteralExpression(unwrap(ts, options)) ? o : undefined } : { kind: 'ok' };
  if (ts.isPropertyAssignment(store) && isMemoryStore(ts, store.initializer)) return { kind: 'memory', at: store.initializer };
  if (ts.isShorthandPropertyAssignment(store) && isMemoryStore(ts, store.name)) return { kind: 'memory', at: store };
  return { kind: 'ok' };
}

function placeholderFix(ctx: RuleContext<ParsedTs>, call: TS.CallExpression, optionsIndex: number, object: TS.ObjectLiteralExpression | undefined): Fix | undefined {
  const { sourceFile } = ctx.parsed;
  const text = ctx.text;
  const title = 'Add a store: placeholder for a shared session store';
  if (object) {
    const first = object.properties[0];
    if (!first) {
      return { title, kind: 'suggestion', edits: [{ start: object.getStart(sourceFile), end: object.end, newText: `{ store: undefined /* ${PLACEHOLDER_NOTE} */ }` }] };
    }
    const firstStart = first.getStart(sourceFile);
    const multiline = text.slice(object.getStart(sourceFile), firstStart).includes('\n');
    const newText = multiline
      ? `store: undefined, // ${PLACEHOLDER_NOTE}\n${indentAt(text, firstStart)}`
      : `store: undefined /* ${PLACEHOLDER_NOTE} */, `;
    return { title, kind: 'suggestion', edits: [{ start: firstStart, end: firstStart, newText }] };
  }
  if (call.arguments.length !== optionsIndex) return undefined; // options given but not a literal we can edit
  const placeholder = `{ store: undefined /* ${PLACEHOLDER_NOTE} */ }`;
  const closeParen = call.end - 1;
  const newText = optionsIndex === 0 ? placeholder : `, ${placeholder}`;
  const at = optionsIndex === 0 ? closeParen : call.arguments[optionsIndex - 1].end;
  return { title, kind: 'suggestion', edits: [{ start: at, end: at, newText }] };
}

function report(ctx: RuleContext<ParsedTs>, call: TS.CallExpression, module: string, optionsIndex: number): void {
  const { ts, sourceFile } = ctx.parsed;
  const memoryByDefault = !COOKIE_BY_DEFAULT.has(module);
  const verdict = storeVerdict(ts, call.arguments[optionsIndex], memoryByDefault);
  if (verdict.kind === 'ok') return;
  if (verdict.kind === 'memory') {
    ctx.report({ messageId: 'memoryStore', data: { module }, start: verdict.at.getStart(sourceFile), end: verdict.at.end });
    return;
  }
  const fix = placeholderFix(ctx, call, optionsIndex, verdict.object);
  ctx.report({ messageId: 'noStore', data: { module }, start: call.getStart(sourceFile), end: call.end, fixes: fix ? [fix] : [] });
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts } = ctx.parsed;
  // Cheap pre-filter: every session module this rule knows has `session` in its specifier.
  if (!ctx.text.includes('session')) return;
  for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const callee = call.expression;
    // session({...}) / expressSession({...}) / require('express-session')({...})
    const direct = sessionModule(originOf(ctx.parsed, callee));
    if (direct && !FASTIFY_PLUGINS.has(direct)) {
      // koa-session(app) / koa-session(opts, app): options are the object argument
      const index = direct === 'koa-session' ? Math.max(0, call.arguments.findIndex((a) => ts.isObjectLiteralExpression(unwrap(ts, a)))) : 0;
      report(ctx, call, direct, index);
      continue;
    }
    // fastify.register(fastifySession, {...})
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'register' && call.arguments.length >= 1) {
      const plugin = sessionModule(originOf(ctx.parsed, call.arguments[0]));
      if (plugin && FASTIFY_PLUGINS.has(plugin)) report(ctx, call, plugin, 1);
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'processes/in-memory-session',
    factor: 'processes',
    severity: 'warning',
    description: 'Sessions are kept in the process memory (no store, or a MemoryStore).',
    rationale: 'Twelve-factor processes are stateless and share-nothing (factor VI): anything that must outlive a request lives in a backing service. An in-memory session store loses every session on restart or deploy, is not shared when the app runs as several processes (users are logged out at random behind a load balancer), and leaks memory.',
    messages: {
      noStore: '{{module}} is configured without a store, so sessions live in this process\'s memory: they vanish on restart and are not shared between instances. Pass a shared store (Redis, PostgreSQL, MongoDB…).',
      memoryStore: 'A MemoryStore keeps {{module}} sessions in this process\'s memory: they vanish on restart and are not shared between instances. Use a shared store (Redis, PostgreSQL, MongoDB…).',
    },
    fix: 'suggestion',
    roles: ['server', 'script'],
  },
  check: { ts: checkTs },
};

export default rule;
