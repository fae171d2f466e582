import type * as TS from 'typescript';
import type { Rule, StatementwiseCheck } from '../../engine/types';
import { statementwiseTs } from '../../engine/statement-memo';
import { dottedName, methodCalls, unwrap } from '../support/ts-helpers';
import { bindingOf, importBindingsKey, namedModules, namesAny, resolveCallee } from '../support/module-imports';
import { booleanValue, propertyNamed } from '../support/ts-literals';

const WRITE_METHODS = new Set(['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'outputFile', 'outputFileSync', 'createWriteStream']);
const DAEMON_MODULES = new Set(['daemon', 'daemonize2', 'daemonize-process']);
const SPAWNERS = new Set(['spawn', 'fork', 'exec', 'execFile']);

function mentionsPid(ts: typeof TS, node: TS.Expression | undefined): boolean {
  if (!node) return false;
  const e = unwrap(ts, node);
  if (dottedName(ts, e) === 'process.pid') return true;
  if (ts.isCallExpression(e) && e.arguments.length === 1 && /^(?:String|toString)$/.test(ts.isIdentifier(e.expression) ? e.expression.text : '')) return mentionsPid(ts, e.arguments[0]);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'toString') return mentionsPid(ts, e.expression.expression);
  // `${process.pid}\n` is a PID; `${process.pid} started` is a log line
  if (ts.isTemplateExpression(e)) return e.templateSpans.length === 1 && mentionsPid(ts, e.templateSpans[0].expression) && (e.head.text + e.templateSpans[0].literal.text).trim() === '';
  return false;
}

function pidPath(ts: typeof TS, node: TS.Expression | undefined): boolean {
  if (!node) return false;
  const e = unwrap(ts, node);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return /\.pid$/i.test(e.text);
  if (ts.isTemplateExpression(e)) return /\.pid$/i.test(e.templateSpans[e.templateSpans.length - 1].literal.text);
  if (ts.isCallExpression(e)) return e.arguments.length > 0 && pidPath(ts, e.arguments[e.arguments.length - 1]); // path.join(dir, 'app.pid')
  if (ts.isBinaryExpression(e)) return pidPath(ts, e.right);
  return false;
}

/** `process.execPath`, `process.argv[0]`, `process.argv0`: the program running this very process. */
function isSelf(ts: typeof TS, node: TS.Expression | undefined): boolean {
  if (!node) return false;
  const e = unwrap(ts, node);
  const name = dottedName(ts, e);
  if (name === 'process.execPath' || name === 'process.argv0') return true;
  return ts.isElementAccessExpression(e) && dottedName(ts, e.expression) === 'process.argv' && ts.isNumericLiteral(e.argumentExpression) && e.argumentExpression.text === '0';
}

/** True when `.unref()` is called on the spawn's result: chained, or on the variable holding it (`unrefed`: the file's `x.unref()` receivers). */
function isUnrefed(ts: typeof TS, call: TS.CallExpression, unrefed: () => ReadonlySet<string>): boolean {
  const parent = call.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name.text === 'unref') return true;
  let holder: string | undefined;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) holder = parent.name.text;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) holder = dottedName(ts, parent.left);
  if (!holder) return false;
  return unrefed().has(holder);
}

/** A spawner's callee: unresolved (a local `spawn`) or `child_process`'s. */
function isChildProcessOrLocal(resolved: { module: string } | undefined): boolean {
  return !resolved || resolved.module === 'child_process';
}

const NONE: readonly string[] = Object.freeze([]);

interface DaemonizeSummary {
  /** The import bindings callees resolve through. */
  imports: string;
  /** Receivers of `.unref()` calls anywhere in the file (dotted names). */
  unrefed: ReadonlySet<string>;
}

/** Split per top-level statement (engine/statement-memo.ts): an edit re-checks only the statements it made. */
const statementwise: StatementwiseCheck<readonly string[], DaemonizeSummary> = {
  part(ctx, statements) {
    const { ts } = ctx.parsed;
    let receivers: string[] | undefined;
    // the few `unref`s of the statements' text, not a visit of their every call (a re-created statement can hold half the file)
    for (const call of methodCalls(ctx.parsed, 'unref', statements)) {
      const name = dottedName(ts, (call.expression as TS.PropertyAccessExpression).expression);
      if (name) (receivers ??= []).push(name);
    }
    return receivers ?? NONE;
  },
  summary(ctx, parts) {
    const unrefed = new Set<string>();
    for (const part of parts) for (const name of part) unrefed.add(name);
    return { imports: importBindingsKey(ctx.parsed), unrefed };
  },
  sameSummary: (a, b) => a.imports === b.imports && a.unrefed.size === b.unrefed.size && [...a.unrefed].every((n) => b.unrefed.has(n)),
  // below the top level a call reads outside its statement only the import bindings and the `.unref()` receivers (the summary's)
  nestedKey: () => '',
  check(ctx, summary) {
    const { ts, sourceFile } = ctx.parsed;
    const unrefed = () => summary().unrefed;
    const report = (node: TS.Node, messageId: string) => ctx.report({ messageId, start: node.getStart(sourceFile), end: node.end });
    // callees are resolved only where the answer can matter: a daemon module the file names, a spawner's name
    const mayDaemonize = namesAny(namedModules(ctx.parsed), DAEMON_MODULES);
    for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
      const callee = call.expression;
      const resolved = mayDaemonize ? resolveCallee(ctx.parsed, callee) : undefined;
      // require('daemon')() / daemon()
      if (resolved && DAEMON_MODULES.has(resolved.module) && (resolved.member === 'default' || resolved.member === 'daemon' || resolved.member === 'setup')) { report(call, 'daemon'); continue; }
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
      if (!method) continue;
      // fs.writeFileSync('/var/run/app.pid', String(process.pid))
      if (WRITE_METHODS.has(method) && (pidPath(ts, call.arguments[0]) || mentionsPid(ts, call.arguments[1]))) { report(call, 'pidFile'); continue; }
      // spawn(process.execPath, [__filename], { detached: true }).unref()
      if (SPAWNERS.has(method) && isChildProcessOrLocal(mayDaemonize ? resolved : resolveCallee(ctx.parsed, callee))) {
        const options = [...call.arguments].reverse().find((a) => ts.isObjectLiteralExpression(unwrap(ts, a)));
        const detached = propertyNamed(ts, options, 'detached');
        if (detached && booleanValue(ts, detached.initializer) === true && (isSelf(ts, call.arguments[0]) || method === 'fork') && isUnrefed(ts, call, unrefed)) report(call, 'detached');
        continue;
      }
      // pm2.connect()/pm2.start() from the app: managing its own process manager
      if ((method === 'start' || method === 'connect') && ts.isPropertyAccessExpression(callee)) {
        const object = callee.expression;
        const binding = ts.isIdentifier(object) ? bindingOf(ctx.parsed, object.text) : undefined;
        if (binding?.module === 'pm2' || (!binding && ts.isIdentifier(object) && object.text === 'pm2')) { report(call, 'pm2'); continue; }
      }
    }
  },
};

const rule: Rule = {
  meta: {
    id: 'concurrency/daemonize',
    factor: 'concurrency',
    severity: 'warning',
    description: 'The app daemonizes or manages its own processes: PID files, detached self-respawn, pm2 or daemon from code.',
    rationale: 'Twelve-factor processes never daemonize or write PID files (factor VIII): they run in the foreground and rely on the platform\'s process manager (systemd, Kubernetes, a container runtime, Heroku\'s dynos) to run, restart, scale and stop them. A daemonized process escapes that supervisor: it is not restarted, not stopped on deploy, and its logs are lost.',
    messages: {
      pidFile: 'The app writes a PID file: leave process supervision to the platform (container runtime, systemd, Kubernetes) and run in the foreground.',
      detached: 'The app respawns itself detached and unref\'d, escaping its supervisor: run in the foreground and let the platform manage processes.',
      pm2: 'The app drives pm2 from code: let the platform (or pm2-runtime as the container\'s command) manage processes, and run the app in the foreground.',
      daemon: 'The app daemonizes itself: run in the foreground and let the platform manage the process.',
    },
    fix: 'none',
    roles: ['server'],
  },
  check: { ts: statementwiseTs(statementwise) },
  statementwise,
};

export default rule;
