import type * as TS from 'typescript';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { bindingOf, isWholeModule, moduleImports, normalizeModule, originOf } from '../support/module-imports';
import { nameOf, readsEnv, stringValue, throughConst, unwrap } from '../support/ts-helpers';
import { isLogPath } from '../support/file-paths';
import { localValueOf } from '../support/value-flow';
import { hasHint, textHint, type TextHint } from '../../parse/text-hint';

const WINSTON_FILE_TRANSPORTS = new Set(['File', 'DailyRotateFile']);
const LOG4JS_FILE_APPENDERS = new Set(['file', 'dateFile', 'fileSync', 'multiFile']);
/** pino transports that write to a file given in their options. */
const PINO_FILE_TARGETS: Record<string, string> = { 'pino/file': 'destination', 'pino-roll': 'file', 'pino-rotating-file-stream': 'filename' };
const STD_STREAMS = new Set(['/dev/stdout', '/dev/stderr', '/proc/self/fd/1', '/proc/self/fd/2', '1', '2']);
const FS_MODULES = new Set(['fs', 'fs-extra', 'graceful-fs']);

function prop(ts: typeof TS, object: TS.ObjectLiteralExpression, name: string): TS.PropertyAssignment | undefined {
  return object.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && nameOf(ts, p.name) === name);
}

/** The object literal an expression stands for: written in place, or a `const` of this file (`new transports.File(fileOptions)`). */
function objectOf(parsed: ParsedTs, node: TS.Node | undefined): TS.ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const { ts } = parsed;
  const value = localValueOf(parsed, node as TS.Expression);
  const e = value && unwrap(ts, value);
  return e && ts.isObjectLiteralExpression(e) ? e : undefined;
}

/** Option names that hold the path of a log file in hand-rolled or third-party logger options. */
const LOG_FILE_OPTION = /^(?:log_?file(?:_?(?:path|name))?|log_?path|log_?filename|log_?file_?location|logFilePath|logFileName|logFile|logPath)$/i;
/** Where a stream is a log sink: morgan/bunyan/winston `stream`, pino's destination, a Console's stdout/stderr. */
const SINK_OPTION = /^(?:stream|stdout|stderr|destination|dest)$/;
const SINK_CALLEE = /^(?:morgan|pino|createLogger|Console|logger|pinoHttp|expressWinston|bunyan)$/;

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
    const filename = prop(ts, objectOf(ctx.parsed, expr.arguments?.[0]) ?? ts.factory.createObjectLiteralExpression(), 'filename');
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
  const options = objectOf(ctx.parsed, arg);
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
  const options = objectOf(ctx.parsed, prop(ts, object, 'options')?.initializer);
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
    const options = objectOf(ctx.parsed, call.arguments[0]);
    const shorthand = options?.properties.find((p): p is TS.ShorthandPropertyAssignment => ts.isShorthandPropertyAssignment(p) && p.name.text === 'streams');
    const written = options && (prop(ts, options, 'streams')?.initializer ?? shorthand?.name);
    const list = written && unwrap(ts, localValueOf(ctx.parsed, written) ?? written);
    if (list && ts.isArrayLiteralExpression(list)) {
      for (const el of list.elements) { const o = objectOf(ctx.parsed, el); if (o) streams.push(o); }
    }
  } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'addStream' && moduleImports(ctx.parsed).some((m) => normalizeModule(m.specifier) === 'bunyan')) {
    const o = objectOf(ctx.parsed, call.arguments[0]);
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
  if (!path) return;
  if (isLogPath(ts, path)) { ctx.report({ messageId: 'writeStream', start: call.getStart(sourceFile), end: call.end }); return; }
  // any other file becomes a log file when the stream is handed to a logger (`morgan('combined', { stream })`)
  if (literalFilePath(ts, path) && isLogSink(ctx.parsed, call)) ctx.report({ messageId: 'writeStreamSink', start: call.getStart(sourceFile), end: call.end });
}

/** Whether a stream (the call, or the `const` it initializes) is passed to a logger as its output. */
function isLogSink(parsed: ParsedTs, stream: TS.CallExpression): boolean {
  const { ts } = parsed;
  const uses: TS.Node[] = [stream];
  let holder: TS.Node = stream.parent;
  while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder)) holder = holder.parent;
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) && holder.initializer && unwrap(ts, holder.initializer) === stream) {
    const name = holder.name.text;
    for (const id of parsed.nodesOfKind<TS.Identifier>(ts.SyntaxKind.Identifier)) {
      if (id.text === name && id !== holder.name && localValueOf(parsed, id) === stream) uses.push(id);
    }
  }
  return uses.some((use) => isSinkPosition(ts, use));
}

function isSinkPosition(ts: typeof TS, node: TS.Node): boolean {
  let child = node;
  let parent = node.parent;
  while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent)) { child = parent; parent = parent.parent; }
  if ((ts.isPropertyAssignment(parent) && parent.initializer === child) || ts.isShorthandPropertyAssignment(parent)) return SINK_OPTION.test(nameOf(ts, parent.name) ?? '');
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(child as TS.Expression)) {
    const callee = parent.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    return SINK_CALLEE.test(name);
  }
  return false;
}

/** `{ logFilePath: './logs/app.log' }`: a logger's (or a library's) log file named in its options. */
function checkLogFileOption(ctx: RuleContext<ParsedTs>, object: TS.ObjectLiteralExpression): void {
  const { ts, sourceFile } = ctx.parsed;
  for (const p of object.properties) {
    if (!ts.isPropertyAssignment(p) || !LOG_FILE_OPTION.test(nameOf(ts, p.name) ?? '')) continue;
    if (readsEnv(ts, p.initializer) || !literalFilePath(ts, p.initializer)) continue;
    ctx.report({ messageId: 'logFileOption', data: { option: nameOf(ts, p.name) ?? '' }, start: p.getStart(sourceFile), end: p.end });
  }
}

/**
 * Cheap pre-filters (most files log nothing to files): every check needs a word in the text —
 * the module specifier it resolves to (`winston`, `pino`, `bunyan`), the member it looks for
 * (`createWriteStream`), the config key (`appenders`, a `pino/…` or `pino-…` target) or the
 * start of an option name `LOG_FILE_OPTION` accepts. As text hints: answered once per version,
 * for an edited document from the last answer and the text around the edit.
 */
const MENTIONS_WINSTON = textHint(['winston']);
const MENTIONS_PINO = textHint(['pino']);
const MENTIONS_BUNYAN = textHint(['bunyan']);
const MENTIONS_WRITE_STREAM = textHint(['createWriteStream']);
const MENTIONS_APPENDERS = textHint(['appenders']);
/** `/log_?(?:file|path)/i` spelled out: the start of every name `LOG_FILE_OPTION` accepts. */
export const MENTIONS_LOG_FILE = textHint(['logfile', 'log_file', 'logpath', 'log_path'], 'i');

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts } = ctx.parsed;
  const has = (hint: TextHint): boolean => hasHint(ctx.parsed, ctx.text, hint);
  const winston = has(MENTIONS_WINSTON);
  const pino = has(MENTIONS_PINO);
  const bunyan = has(MENTIONS_BUNYAN);
  const writeStream = has(MENTIONS_WRITE_STREAM);
  const log4js = has(MENTIONS_APPENDERS);
  const logFileOption = has(MENTIONS_LOG_FILE);
  if (winston) checkWinston(ctx);
  if (pino || bunyan || writeStream) {
    for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
      if (pino) checkPinoDestination(ctx, call);
      if (bunyan) checkBunyan(ctx, call);
      if (writeStream) checkWriteStream(ctx, call);
    }
  }
  if (pino || log4js || logFileOption) {
    for (const object of ctx.parsed.nodesOfKind<TS.ObjectLiteralExpression>(ts.SyntaxKind.ObjectLiteralExpression)) {
      if (pino) checkPinoTarget(ctx, object);
      if (log4js) checkLog4js(ctx, object);
      if (logFileOption) checkLogFileOption(ctx, object);
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
      writeStreamSink: 'This file stream is handed to a logger as its output, so logs are kept in a file in the container: write them to stdout (process.stdout) and let the platform collect the stream.',
      logFileOption: 'The {{option}} option sends logs to a file in the container: log to stdout and let the platform collect the stream (or read the path from the environment where a file is really needed).',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { ts: checkTs },
};

export default rule;
