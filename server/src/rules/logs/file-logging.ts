import type * as TS from 'typescript';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { bindingOf, isWholeModule, moduleImports, normalizeModule, originOf } from '../support/module-imports';
import { nameOf, readsEnv, stringValue, throughConst, unwrap } from '../support/ts-helpers';
import { isLogPath } from '../support/file-paths';

const WINSTON_FILE_TRANSPORTS = new Set(['File', 'DailyRotateFile']);
const LOG4JS_FILE_APPENDERS = new Set(['file', 'dateFile', 'fileSync', 'multiFile']);
/** pino transports that write to a file given in their options. */
const PINO_FILE_TARGETS: Record<string, string> = { 'pino/file': 'destination', 'pino-roll': 'file', 'pino-rotating-file-stream': 'filename' };
const STD_STREAMS = new Set(['/dev/stdout', '/dev/stderr', '/proc/self/fd/1', '/proc/self/fd/2', '1', '2']);
const FS_MODULES = new Set(['fs', 'fs-extra', 'graceful-fs']);

function prop(ts: typeof TS, object: TS.ObjectLiteralExpression, name: string): TS.PropertyAssignment | undefined {
  return object.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && nameOf(ts, p.name) === name);
}

function objectOf(ts: typeof TS, node: TS.Node | undefined): TS.ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const e = unwrap(ts, node as TS.Expression);
  return ts.isObjectLiteralExpression(e) ? e : undefined;
}

/**
 * A destination that is a file path written in the code: a string or template literal that is
 * not a standard stream, or a `const` holding one. Numbers (fd 1/2) and env-driven values are not.
 */
function literalFilePath(ts: typeof TS, node: TS.Expression | undefined): boolean {
  const e = node && throughConst(ts, node);
  if (!e) return false;
  const value = stringValue(ts, e);
  if (value !== undefined) return value.length > 0 && !STD_STREAMS.has(value);
  if (ts.isTemplateExpression(e)) return !/^\/dev\/std|^\/proc\/self\/fd/.test(e.head.text);
  // path.join(__dirname, 'logs', 'app.log'): a path built from literals
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(?:join|resolve)$/.test(e.expression.name.text)) {
    const last = e.arguments[e.arguments.length - 1];
    return !!last && stringValue(ts, last) !== undefined;
  }
  return false;
}

/** Local name of a whole-module winston binding, for the Console replacement of a DailyRotateFile. */
function winstonNamespace(parsed: ParsedTs): string | undefined {
  for (const m of moduleImports(parsed)) {
    if (m.typeOnly || normalizeModule(m.specifier) !== 'winston') continue;
    const b = m.bindings.find((x) => isWholeModule(x.imported));
    if (b) return b.local;
  }
  return undefined;
}

function checkWinston(ctx: RuleContext<ParsedTs>): void {
  const { ts, sourceFile } = ctx.parsed;
  for (const expr of ctx.parsed.nodesOfKind<TS.NewExpression>(ts.SyntaxKind.NewExpression)) {
    const origin = originOf(ctx.parsed, expr.expression);
    if (!origin) continue;
    const isWinstonFile = origin.module === 'winston' && origin.path.length === 2 && origin.path[0] === 'transports' && WINSTON_FILE_TRANSPORTS.has(origin.path[1]);
    const isDailyRotate = origin.module === 'winston-daily-rotate-file' && origin.path.length === 0;
    if (!isWinstonFile && !isDailyRotate) continue;
    // `filename: process.env.LOG_FILE`: the deploy chooses the file (often an opt-in next to the console)
    const filename = prop(ts, objectOf(ts, expr.arguments?.[0]) ?? ts.factory.createObjectLiteralExpression(), 'filename');
    if (filename && readsEnv(ts, filename.initializer)) continue;
    // new winston.transports.File(…) → new winston.transports.Console(); the prefix is kept as written
    let replacement: string | undefined;
    const callee = unwrap(ts, expr.expression);
    if (isWinstonFile && ts.isPropertyAccessExpression(callee)) replacement = `new ${callee.expression.getText(sourceFile)}.Console()`;
    else if (isDailyRotate) {
      const ns = winstonNamespace(ctx.parsed);
      const transports = bindingOf(ctx.parsed, 'transports');
      if (ns) replacement = `new ${ns}.transports.Console()`;
      else if (transports?.module === 'winston' && transports.imported === 'transports') replacement = 'new transports.Console()';
    }
    const fixes: Fix[] = replacement ? [{ title: 'Log to the console (stdout) instead of a file', kind: 'unsafe', edits: [{ start: expr.getStart(sourceFile), end: expr.end, newText: replacement }] }] : [];
    ctx.report({ messageId: 'winston', data: { transport: isDailyRotate ? 'DailyRotateFile' : origin.path[1] }, start: expr.getStart(sourceFile), end: expr.end, fixes });
  }
}

function checkPinoDestination(ctx: RuleContext<ParsedTs>, call: TS.CallExpression): void {
  const { ts, sourceFile } = ctx.parsed;
  const origin = originOf(ctx.parsed, call.expression);
  if (!origin || origin.module !== 'pino' || origin.path.join('.') !== 'destination') return;
  const arg = call.arguments[0];
  const options = objectOf(ts, arg);
  const path = options ? prop(ts, options, 'dest')?.initializer : arg;
  if (!literalFilePath(ts, path)) return;
  const open = call.arguments.pos;
  const close = call.arguments.end;
  ctx.report({
    messageId: 'pinoDestination',
    start: call.getStart(sourceFile),
    end: call.end,
    fixes: [{ title: 'Write to stdout: pino.destination(1)', kind: 'unsafe', edits: [{ start: open, end: close, newText: '1' }] }],
  });
}

/** `{ target: 'pino/file', options: { destination: 'x.log' } }`, also inside `targets: [...]`. */
function checkPinoTarget(ctx: RuleContext<ParsedTs>, object: TS.ObjectLiteralExpression): void {
  const { ts, sourceFile } = ctx.parsed;
  const target = stringValue(ts, prop(ts, object, 'target')?.initializer);
  if (!target || !(target in PINO_FILE_TARGETS)) return;
  const options = objectOf(ts, prop(ts, object, 'options')?.initializer);
  const destination = options && prop(ts, options, PINO_FILE_TARGETS[target]);
  if (!destination || !literalFilePath(ts, destination.initializer)) return;
  const fixes: Fix[] = target === 'pino/file'
    ? [{ title: 'Write to stdout (destination 1)', kind: 'unsafe', edits: [{ start: destination.initializer.getStart(sourceFile), end: destination.initializer.end, newText: '1' }] }]
    : [];
  ctx.report({ messageId: 'pinoTarget', data: { target }, start: destination.getStart(sourceFile), end: destination.end, fixes });
}

/** log4js: `appenders: { app: { type: 'file', filename: 'app.log' } }`. */
function checkLog4js(ctx: RuleContext<ParsedTs>, object: TS.ObjectLiteralExpression): void {
  const { ts, sourceFile } = ctx.parsed;
  const typeProp = prop(ts, object, 'type');
  const type = stringValue(ts, typeProp?.initializer);
  if (!type || !LOG4JS_FILE_APPENDERS.has(type)) return;
  const filename = prop(ts, object, 'filename');
  if (filename && readsEnv(ts, filename.initializer)) return;
  const holder = object.parent; // `app: { … }`
  const appenders = holder && ts.isPropertyAssignment(holder) ? holder.parent?.parent : undefined;
  if (!appenders || !ts.isPropertyAssignment(appenders) || nameOf(ts, appenders.name) !== 'appenders') return;
  const layout = prop(ts, object, 'layout');
  const replacement = layout ? `{ type: 'stdout', ${layout.getText(sourceFile)} }` : `{ type: 'stdout' }`;
  ctx.report({
    messageId: 'log4js',
    data: { type },
    start: typeProp!.getStart(sourceFile),
    end: typeProp!.end,
    fixes: [{ title: 'Use the stdout appender', kind: 'unsafe', edits: [{ start: object.getStart(sourceFile), end: object.end, newText: replacement }] }],
  });
}

/** bunyan: `streams: [{ path: '/var/log/app.log' }]` in `bunyan.createLogger`, or `log.addStream({ path })`. */
function checkBunyan(ctx: RuleContext<ParsedTs>, call: TS.CallExpression): void {
  const { ts, sourceFile } = ctx.parsed;
  const callee = call.expression;
  const origin = originOf(ctx.parsed, callee);
  const streams: TS.ObjectLiteralExpression[] = [];
  if (origin?.module === 'bunyan' && (origin.path.join('.') === 'createLogger' || origin.path.length === 0)) {
    const options = objectOf(ts, call.arguments[0]);
    const list = options && prop(ts, options, 'streams')?.initializer;
    if (list && ts.isArrayLiteralExpression(unwrap(ts, list))) {
      for (const el of (unwrap(ts, list) as TS.ArrayLiteralExpression).elements) { const o = objectOf(ts, el); if (o) streams.push(o); }
    }
  } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'addStream' && moduleImports(ctx.parsed).some((m) => normalizeModule(m.specifier) === 'bunyan')) {
    const o = objectOf(ts, call.arguments[0]);
    if (o) streams.push(o);
  }
  for (const stream of streams) {
    const pathProp = prop(ts, stream, 'path');
    if (!pathProp || !literalFilePath(ts, pathProp.initializer)) continue;
    const level = prop(ts, stream, 'level');
    const fixes: Fix[] = [{
      title: 'Write to stdout: { stream: process.stdout }',
      kind: 'unsafe',
      edits: [{ start: stream.getStart(sourceFile), end: stream.end, newText: level ? `{ ${level.getText(sourceFile)}, stream: process.stdout }` : '{ stream: process.stdout }' }],
    }];
    ctx.report({ messageId: 'bunyan', start: pathProp.getStart(sourceFile), end: pathProp.end, fixes });
  }
}

/** `fs.createWriteStream('access.log')`: a hand-made log file. */
function checkWriteStream(ctx: RuleContext<ParsedTs>, call: TS.CallExpression): void {
  const { ts, sourceFile } = ctx.parsed;
  const origin = originOf(ctx.parsed, call.expression);
  if (!origin || !FS_MODULES.has(origin.module) || origin.path.at(-1) !== 'createWriteStream') return;
  const path = call.arguments[0];
  if (!path || !isLogPath(ts, path)) return;
  ctx.report({ messageId: 'writeStream', start: call.getStart(sourceFile), end: call.end });
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts } = ctx.parsed;
  // Cheap pre-filters (most files log nothing to files): every check needs a word in the text —
  // the module specifier it resolves to (`winston`, `pino`, `bunyan`), the member it looks for
  // (`createWriteStream`) or the config key (`appenders`, a `pino/…` or `pino-…` target).
  const text = ctx.text;
  const winston = text.includes('winston');
  const pino = text.includes('pino');
  const bunyan = text.includes('bunyan');
  const writeStream = text.includes('createWriteStream');
  const log4js = text.includes('appenders');
  if (winston) checkWinston(ctx);
  if (pino || bunyan || writeStream) {
    for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
      if (pino) checkPinoDestination(ctx, call);
      if (bunyan) checkBunyan(ctx, call);
      if (writeStream) checkWriteStream(ctx, call);
    }
  }
  if (pino || log4js) {
    for (const object of ctx.parsed.nodesOfKind<TS.ObjectLiteralExpression>(ts.SyntaxKind.ObjectLiteralExpression)) {
      if (pino) checkPinoTarget(ctx, object);
      if (log4js) checkLog4js(ctx, object);
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'logs/file-logging',
    factor: 'logs',
    severity: 'warning',
    description: 'Logs are written to files instead of the standard output stream.',
    rationale: 'A twelve-factor app never concerns itself with routing or storing its output (factor XI): it writes its event stream, unbuffered, to stdout, and the execution environment collects, routes and archives it. Log files fill container disks, vanish with the container, are invisible to `docker logs`/`kubectl logs` and to the platform\'s log pipeline, and need rotation the app should not own.',
    messages: {
      winston: 'winston transports.{{transport}} writes logs to a file: log to stdout (transports.Console) and let the platform collect the stream.',
      pinoDestination: 'pino.destination() with a file path writes logs to a file: write to stdout (pino.destination(1) or the default) and let the platform collect the stream.',
      pinoTarget: 'The {{target}} transport writes logs to a file: write to stdout (destination 1) and let the platform collect the stream.',
      log4js: 'A log4js \'{{type}}\' appender writes logs to a file: use the \'stdout\' appender and let the platform collect the stream.',
      bunyan: 'A bunyan stream with a path writes logs to a file: use { stream: process.stdout } and let the platform collect the stream.',
      writeStream: 'A write stream to a .log file keeps logs in the container: write them to stdout (process.stdout) and let the platform collect the stream.',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { ts: checkTs },
};

export default rule;
