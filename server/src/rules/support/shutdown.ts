/**
 * "Does this module handle shutdown?" — shared by `disposability/no-graceful-shutdown` (same
 * file, from the shared parse) and by the hosts (CLI/LSP), which call
 * `registersShutdownHandler` on the other files of a package to compute
 * `ProjectContext.packageHasShutdownHandler`.
 */
import type * as TS from 'typescript';
import { classifyKind } from '../../engine/classify';
import { parseTypescript, type ParsedTs } from '../../parse/typescript';
import { importsAny } from './module-imports';
import { dottedName } from './ts-helpers';
import { SHUTDOWN_MODULES } from '../../knowledge/libraries';

/** Signals whose handler counts as graceful shutdown (SIGTERM from orchestrators, SIGINT from Ctrl-C / `docker stop` wrappers). */
const SIGNALS = new Set(['SIGTERM', 'SIGINT']);

export { SHUTDOWN_MODULES };

const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/** Calls that install shutdown handling, whatever module they were imported from (re-exports, wrappers). */
const SHUTDOWN_CALLS = new Set(['enableShutdownHooks', 'createTerminus', 'createLightship', 'createHttpTerminator', 'closeWithGrace', 'stoppable', 'gracefulShutdown']);

/** Cheap pre-filter: a file without any of these words cannot register shutdown handling. */
const PREFILTER = /SIGTERM|SIGINT|enableShutdownHooks|terminus|[Ll]ightship|close-with-grace|closeWithGrace|http-terminator|HttpTerminator|stoppable|graceful|exit-hook|signal-exit|death/;

function isProcess(ts: typeof TS, node: TS.Expression): boolean {
  const name = dottedName(ts, node);
  return name === 'process' || name === 'globalThis.process' || name === 'global.process';
}

function isSignalLiteral(ts: typeof TS, node: TS.Node | undefined): boolean {
  return !!node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && SIGNALS.has(node.text);
}

/** Where a module installs shutdown handling: what (`SIGTERM`, a library, a call) and the node. */
export interface ShutdownSite { kind: string; node: TS.Node }

/**
 * Every place the parsed module registers a SIGTERM/SIGINT handler or uses a graceful-shutdown
 * library: the one shutdown detector, used by the rule (same file), by the project model (facts
 * for the whole package, hence the CLI, the editor and Analyze Workspace alike).
 */
export function shutdownSites(parsed: ParsedTs, firstOnly = false): ShutdownSite[] {
  const { ts } = parsed;
  if (!PREFILTER.test(parsed.sourceFile.text)) return [];
  const sites: ShutdownSite[] = [];
  if (importsAny(parsed, SHUTDOWN_MODULES)) {
    sites.push(...shutdownImportSites(parsed));
    if (sites.length === 0) sites.push({ kind: 'shutdown library', node: parsed.sourceFile.statements[0] ?? parsed.sourceFile });
    if (firstOnly) return sites;
  }
  // `for (const s of ['SIGTERM', 'SIGINT']) process.on(s, …)`: a signal name literal anywhere plus a process listener
  const mentionsSignal = parsed.nodesOfKind<TS.StringLiteral>(ts.SyntaxKind.StringLiteral).some((s) => SIGNALS.has(s.text));
  for (const call of parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const callee = call.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
    if (!name) continue;
    if (SHUTDOWN_CALLS.has(name)) {
      sites.push({ kind: name, node: call });
    } else if (LISTENER_METHODS.has(name) && ts.isPropertyAccessExpression(callee) && isProcess(ts, callee.expression)) {
      const first = call.arguments[0];
      if (isSignalLiteral(ts, first)) sites.push({ kind: (first as TS.StringLiteral).text, node: call });
      else if (first && !ts.isStringLiteralLike(first) && mentionsSignal) sites.push({ kind: 'signal handler', node: call });
    }
    if (firstOnly && sites.length > 0) return sites;
  }
  return sites;
}

/** Import declarations and `require()` calls of shutdown libraries. */
function shutdownImportSites(parsed: ParsedTs): ShutdownSite[] {
  const { ts } = parsed;
  const out: ShutdownSite[] = [];
  const isLibrary = (spec: TS.Node | undefined): spec is TS.StringLiteral => !!spec && ts.isStringLiteral(spec) && SHUTDOWN_MODULES.has(spec.text.replace(/^node:/, ''));
  for (const decl of parsed.nodesOfKind<TS.ImportDeclaration>(ts.SyntaxKind.ImportDeclaration)) {
    if (isLibrary(decl.moduleSpecifier) && !decl.importClause?.isTypeOnly) out.push({ kind: decl.moduleSpecifier.text, node: decl });
  }
  for (const call of parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    if (ts.isIdentifier(call.expression) && call.expression.text === 'require' && isLibrary(call.arguments[0])) out.push({ kind: (call.arguments[0] as TS.StringLiteral).text, node: call });
  }
  return out;
}

/** True when the parsed module registers a SIGTERM/SIGINT handler or uses a graceful-shutdown library. */
export function hasShutdownHandling(parsed: ParsedTs): boolean {
  return shutdownSites(parsed, true).length > 0;
}

/** Cheap text check before any parse: false means the text cannot handle shutdown. */
export function mayHandleShutdown(text: string): boolean {
  return PREFILTER.test(text);
}

/**
 * For hosts: whether a file's text registers shutdown handling (a SIGTERM/SIGINT listener on
 * `process`, NestJS `enableShutdownHooks()`, terminus, lightship, close-with-grace,
 * http-terminator, stoppable…). Cheap on the many files that cannot: a text pre-filter runs
 * before any parsing. `path` picks the parser flavour (`.tsx`, `.js`…).
 */
export function registersShutdownHandler(text: string, path: string): boolean {
  if (!PREFILTER.test(text)) return false;
  const kind = classifyKind(path.replace(/\\/g, '/'));
  if (kind && kind.kind !== 'ts') return false;
  return hasShutdownHandling(parseTypescript(text, { path, scriptKind: kind?.scriptKind ?? 'ts' }));
}

/** The same check with the host's `(path, text)` argument order (`ShutdownPredicate` of the CLI/LSP project facts). */
export const shutdownPredicate = (path: string, text: string): boolean => registersShutdownHandler(text, path);
