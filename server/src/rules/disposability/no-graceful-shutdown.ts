import type * as TS from 'typescript';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { importsAny, isRelativeOrAbsolute, originOf, type Origin } from '../support/module-imports';
import { hasShutdownHandling } from '../support/shutdown';
import { afterLineOf, enclosingStatement, freshName, indentAt } from '../support/ts-edits';
import { constInitializer, dottedName, methodCalls, unwrap } from '../support/ts-helpers';
import { hasHint, textHint } from '../../parse/text-hint';

/** Modules whose apps/servers have a `listen()` that starts accepting connections. */
const SERVER_MODULES = new Set([
  'http', 'https', 'http2', 'net', 'express', 'fastify', 'koa', '@nestjs/core', 'restify', 'polka', 'connect',
  '@tinyhttp/app', 'hyper-express', 'ultimate-express', '@feathersjs/express', '@feathersjs/koa', 'socket.io', 'micro',
]);

/** Receiver names that are servers by convention when their origin is another module of the app (`import app from './app'`). */
const SERVER_NAME = /^(?:app|application|server|srv|api|fastify|koa|instance|nestApp)$|(?:App|Server|Api)$/;

type Framework = 'node' | 'fastify' | 'nest';

function frameworkOfOrigin(origin: Origin | undefined): Framework | undefined {
  if (!origin) return undefined;
  if (origin.module === 'fastify') return 'fastify';
  if (origin.module === '@nestjs/core') return 'nest';
  return SERVER_MODULES.has(origin.module) ? 'node' : undefined;
}

/** The callee of the call/new expression that created a receiver (`express()`, `Fastify()`, `NestFactory.create()`). */
function creatorOrigin(ctx: RuleContext<ParsedTs>, init: TS.Expression | undefined): Origin | undefined | null {
  const { ts } = ctx.parsed;
  if (!init) return null;
  const e = unwrap(ts, ts.isAwaitExpression(unwrap(ts, init)) ? (unwrap(ts, init) as TS.AwaitExpression).expression : init);
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) return originOf(ctx.parsed, e.expression);
  return null;
}

/** Decides whether `receiver.listen(…)` starts a network server, and whose. */
function serverReceiver(ctx: RuleContext<ParsedTs>, receiver: TS.Expression): Framework | undefined {
  const { ts } = ctx.parsed;
  const r = unwrap(ts, receiver);
  if (ts.isCallExpression(r) || ts.isNewExpression(r)) {
    // http.createServer(app).listen(), express().listen(), new Koa().listen()
    const framework = frameworkOfOrigin(originOf(ctx.parsed, r.expression));
    if (framework) return framework;
    const callee = ts.isPropertyAccessExpression(r.expression) ? r.expression.name.text : ts.isIdentifier(r.expression) ? r.expression.text : '';
    return /^create(?:Secure)?Server$/.test(callee) ? 'node' : undefined;
  }
  const name = dottedName(ts, r);
  if (!name) return undefined;
  const last = name.slice(name.lastIndexOf('.') + 1);
  if (ts.isIdentifier(r)) {
    const created = creatorOrigin(ctx, constInitializer(ts, r.text, r));
    // created by a package we know (express(), Fastify(), http.createServer()) or by one we know is not a server;
    // a factory of the app's own modules (`createApp()` from './app') falls through to the naming convention
    if (created && !isRelativeOrAbsolute(created.module)) {
      return frameworkOfOrigin(created) ?? (/^create(?:Secure)?Server$/.test(created.path.at(-1) ?? '') ? 'node' : undefined);
    }
  }
  return SERVER_NAME.test(last) ? fallbackFramework(ctx) : undefined;
}

function fallbackFramework(ctx: RuleContext<ParsedTs>): Framework {
  if (importsAny(ctx.parsed, new Set(['@nestjs/core']))) return 'nest';
  if (importsAny(ctx.parsed, new Set(['fastify']))) return 'fastify';
  return 'node';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * `listen(0)` (an ephemeral port) or a loopback host: a helper server (OAuth loopback, IPC, a
 * test double), not the service the platform routes traffic to.
 */
function isLocalHelperServer(ts: typeof TS, call: TS.CallExpression): boolean {
  const args = call.arguments.map((a) => unwrap(ts, a));
  const first = args[0];
  if (first && ts.isNumericLiteral(first) && Number(first.text) === 0) return true;
  if (args.some((a) => ts.isStringLiteralLike(a) && LOOPBACK.has(a.text))) return true;
  if (first && ts.isObjectLiteralExpression(first)) {
    for (const p of first.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const key = p.name.getText();
      const value = unwrap(ts, p.initializer);
      if (key === 'port' && ts.isNumericLiteral(value) && Number(value.text) === 0) return true;
      if (key === 'host' && ts.isStringLiteralLike(value) && LOOPBACK.has(value.text)) return true;
    }
  }
  return false;
}

function handlerText(indent: string, closeCall: string, eol: string): string {
  return [
    '',
    `${indent}for (const signal of ['SIGTERM', 'SIGINT']) {`,
    `${indent}  process.once(signal, () => {`,
    `${indent}    // Stop taking new connections, let in-flight requests finish, then exit.`,
    `${indent}    ${closeCall}`,
    `${indent}  });`,
    `${indent}}`,
  ].join(eol);
}

const SERVER_NAMES = ['server', 'httpServer', 'appServer'];
/** Any of `SERVER_NAMES` or a `\u` escape (which could spell one), in one pass over the text. */
const MAY_NAME_SERVER = textHint(['server', 'httpServer', 'appServer', '\\\\u']);

/**
 * Which of `SERVER_NAMES` the file already uses as identifiers. Identifiers are not in the shared
 * node index, so asking for them walks the whole tree again, on every keystroke in the editor: a
 * name absent from the text (and no `\\u` escape that could spell it) cannot be an identifier.
 */
function takenServerNames(ctx: RuleContext<ParsedTs>): ReadonlySet<string> {
  const { ts } = ctx.parsed;
  if (!hasHint(ctx.parsed, ctx.text, MAY_NAME_SERVER)) return new Set();
  return new Set(ctx.parsed.nodesOfKind<TS.Identifier>(ts.SyntaxKind.Identifier).map((i) => i.text));
}

function fixFor(ctx: RuleContext<ParsedTs>, call: TS.CallExpression, receiver: TS.Expression, framework: Framework): Fix | undefined {
  const { ts, sourceFile } = ctx.parsed;
  const statement = enclosingStatement(ts, call);
  if (!statement) return undefined;
  // the listen call must be the statement itself (`app.listen(…);`, `await app.listen(…);`) or its only initializer
  let top: TS.Node = call;
  while (ts.isAwaitExpression(top.parent) || ts.isParenthesizedExpression(top.parent)) top = top.parent;
  const declaration = ts.isVariableDeclaration(top.parent) && top.parent.initializer === top ? top.parent : undefined;
  const isExpressionStatement = ts.isExpressionStatement(top.parent) && top.parent === statement;
  if (!declaration && !isExpressionStatement) return undefined;
  if (declaration && (!ts.isIdentifier(declaration.name) || !ts.isVariableStatement(statement))) return undefined;
  const text = ctx.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = indentAt(text, statement.getStart(sourceFile));
  const receiverName = dottedName(ts, unwrap(ts, receiver));

  if (framework === 'nest') {
    if (!receiverName) return undefined;
    const at = statement.getStart(sourceFile);
    return {
      title: 'Enable NestJS shutdown hooks before listen()',
      kind: 'unsafe',
      edits: [{ start: at, end: at, newText: `${receiverName}.enableShutdownHooks();${eol}${indent}` }],
    };
  }
  const at = afterLineOf(text, statement.end);
  if (framework === 'fastify') {
    if (!receiverName) return undefined;
    return {
      title: 'Close the Fastify server on SIGTERM/SIGINT',
      kind: 'unsafe',
      edits: [{ start: at, end: at, newText: eol + handlerText(indent, `${receiverName}.close().then(() => process.exit(0), () => process.exit(1));`, eol) }],
    };
  }
  const edits = [];
  let serverName: string;
  if (declaration) serverName = (declaration.name as TS.Identifier).text;
  else {
    serverName = freshName(takenServerNames(ctx), SERVER_NAMES);
    const start = statement.getStart(sourceFile);
    edits.push({ start, end: start, newText: `const ${serverName} = ` });
  }
  // `holder.server?.listen(…)` may yield undefined: keep the optional chain in the handler
  const dot = (call.flags & ts.NodeFlags.OptionalChain) !== 0 ? '?.' : '.';
  edits.push({ start: at, end: at, newText: eol + handlerText(indent, `${serverName}${dot}close(() => process.exit(0));`, eol) });
  return { title: 'Close the server on SIGTERM/SIGINT', kind: 'unsafe', edits };
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  if (ctx.project.packageHasShutdownHandler || (ctx.project.shutdownHandlerFiles?.length ?? 0) > 0) return;
  const { ts } = ctx.parsed;
  const listens: Array<{ call: TS.CallExpression; receiver: TS.Expression; framework: Framework }> = [];
  // the few `listen`s of the text, not a visit of every call of the file per keystroke
  for (const call of methodCalls(ctx.parsed, 'listen')) {
    const callee = call.expression as TS.PropertyAccessExpression;
    if (isLocalHelperServer(ts, call)) continue;
    const framework = serverReceiver(ctx, callee.expression);
    if (framework) listens.push({ call, receiver: callee.expression, framework });
  }
  if (listens.length === 0 || hasShutdownHandling(ctx.parsed)) return;
  for (const { call, receiver, framework } of listens) {
    const fix = fixFor(ctx, call, receiver, framework);
    ctx.report({
      messageId: 'noHandler',
      start: call.getStart(ctx.parsed.sourceFile),
      end: call.end,
      fixes: fix ? [fix] : [],
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'disposability/no-graceful-shutdown',
    factor: 'disposability',
    severity: 'warning',
    description: 'A server is started with listen() but nothing in its package handles SIGTERM.',
    rationale: 'Processes are disposable (factor IX): platforms stop them with SIGTERM at every deploy, scale-in or node drain. Without a handler Node dies at once, cutting in-flight requests and leaving connections and jobs half done; a graceful shutdown stops accepting connections, finishes the work in progress and exits.',
    messages: {
      noHandler: 'listen() starts a server, but no SIGTERM handler is registered in this package: a deploy or scale-in will cut in-flight requests. Close the server on SIGTERM/SIGINT (or use enableShutdownHooks(), @godaddy/terminus, lightship, close-with-grace or http-terminator).',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { ts: checkTs },
};

export default rule;
