/**
 * Facts from one TypeScript/JavaScript file: HTTP routes, `process.env` reads, the port a
 * server listens on, and shutdown handling. Uses the shared parse and its node index; keeps
 * only small facts (no nodes escape this module).
 */
import type * as TS from 'typescript';
import { LineIndex } from '../engine/line-index';
import type { FileInfo } from '../engine/types';
import { parseTypescript, type ParsedTs } from '../parse/typescript';
import { moduleImports } from '../rules/support/module-imports';
import { constInitializer, envVarRead, isProcessEnv, nameOf, stringValue, unwrap } from '../rules/support/ts-helpers';
import { shutdownSites } from '../rules/support/shutdown';
import { envExportsOf } from '../rules/support/env-flags';
import type { EnvExports } from '../engine/project-context';
import type { AuthSiteFact, EnvReadFact, ListenFact, Loc, RouteFact, ShutdownFact, UnresolvedRouteFact } from './model-types';
import { authSites, ChainReader } from './extract-auth';
import { nextRoutes } from './next-routes';
import { isConstantHandler } from './constant-handler';
import { isHealthRoute } from '../knowledge/libraries';

export interface TsFacts {
  routes: RouteFact[];
  /** Route registrations whose full path is unknown (non-literal paths, prefixes applied elsewhere). */
  unresolvedRoutes?: UnresolvedRouteFact[];
  envReads: EnvReadFact[];
  listens: ListenFact[];
  shutdown: ShutdownFact[];
  healthLibraries: ShutdownFact[];
  /** Server-side view rendering: `app.set('view engine', …)`, Nest `setViewEngine`, `@fastify/view`, `koa-views`. */
  viewEngines: ShutdownFact[];
  /** Environment flags the module exports (`export const isProd = NODE_ENV === 'production'`), when it has any. */
  envExports?: EnvExports;
  /** App- and router-level authentication steps (`extract-auth.ts`). */
  authSites: AuthSiteFact[];
  /** Names of functions whose body checks the caller. */
  authFunctions: string[];
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'delete', 'patch', 'all', 'head', 'options', 'del']);
const NEST_METHODS = new Set(['Get', 'Post', 'Put', 'Delete', 'Patch', 'All', 'Head', 'Options']);
/** Receivers that are HTTP clients, not routers: `axios.get('/x', handler)` is a request. */
const CLIENT_RECEIVER = /(?:^|\.)(?:axios|got|ky|request|superagent|supertest|fetch|http|https|\$http|client|[A-Za-z]*(?:Client|client|Service|service|Cache|cache|Map|map|Store|store|Repository|repository))$/;
const HEALTH_LIBRARIES = new Set(['@nestjs/terminus', 'lightship', '@godaddy/terminus', 'express-healthcheck', 'fastify-healthcheck', '@cloudnative/health-connect', 'express-actuator']);
const NEST_MODULES = new Set(['@nestjs/common', 'routing-controllers']);
const VIEW_LIBRARIES = new Set(['@fastify/view', 'point-of-view', 'koa-views', '@ladjs/koa-views']);

function isFunctionLike(ts: typeof TS, node: TS.Node): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** The port an expression evaluates to: a literal, an env var, or an env var with a default. */
export function portOf(ts: typeof TS, expression: TS.Expression, depth = 0): { port?: number; envVar?: string } {
  if (depth > 6) return {};
  const e = unwrap(ts, expression);
  if (ts.isNumericLiteral(e)) return { port: Number(e.text) };
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return /^\d{1,5}$/.test(e.text) ? { port: Number(e.text) } : {};
  const env = envVarRead(ts, e);
  if (env) return { envVar: env };
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    const left = portOf(ts, e.left, depth + 1);
    const right = portOf(ts, e.right, depth + 1);
    return { envVar: left.envVar ?? right.envVar, port: left.envVar ? right.port : left.port ?? right.port };
  }
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && ['Number', 'parseInt', 'parseFloat', 'String'].includes(e.expression.text) && e.arguments[0]) {
    return portOf(ts, e.arguments[0], depth + 1);
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.PlusToken) return portOf(ts, e.operand, depth + 1);
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ts, e.text, e);
    return init ? portOf(ts, init, depth + 1) : {};
  }
  return {};
}

function isFallbackOperator(ts: typeof TS, node: TS.Node): node is TS.BinaryExpression {
  return ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.BarBarToken || node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken);
}

/**
 * The other env variables read as operands of the same `||`/`??` chain as `read`
 * (`process.env.ACKEE_MONGODB || process.env.MONGODB_URI`): alternative names of one setting.
 */
function fallbackAlternatives(ts: typeof TS, read: TS.Node, name: string): string[] {
  let top: TS.Node = read;
  while (top.parent && (ts.isParenthesizedExpression(top.parent) || ts.isNonNullExpression(top.parent) || isFallbackOperator(ts, top.parent))) top = top.parent;
  if (top === read) return [];
  const names = new Set<string>();
  const visit = (e: TS.Expression): void => {
    const inner = unwrap(ts, e);
    if (isFallbackOperator(ts, inner)) { visit(inner.left); visit(inner.right); return; }
    const other = envVarRead(ts, inner);
    if (other && other !== name) names.add(other);
  };
  visit(top as TS.Expression);
  return [...names].sort();
}

/** In the text of every `process.env` read (an identifier `env`, or one spelled with a `\u` escape). */
const ENV_NAME_HINT = /env|\\/;

/** What the role pre-pass's light facts of a TS/JS text hold (`factsOf` with `light`), computed as `extractTs` computes them. */
export type PrepassTsFacts = Pick<TsFacts, 'shutdown' | 'envExports'>;

/**
 * `reuse`: a parse of this exact text (e.g. the engine's), so the CLI parses each file once.
 * `prepass`: this text's light facts at this path from the role pre-pass (the same shutdown
 * detector and environment-flag exports), so the CLI's scan does not compute them a second time.
 */
export function extractTs(file: Pick<FileInfo, 'path' | 'scriptKind'>, text: string, reuse?: ParsedTs, prepass?: PrepassTsFacts): TsFacts {
  const parsed = reuse && reuse.sourceFile.text === text ? reuse : parseTypescript(text, file);
  const { ts, sourceFile: sf } = parsed;
  const lines = new LineIndex(text);
  const loc = (node: TS.Node): Loc => ({ path: file.path, range: { start: lines.positionAt(node.getStart(sf)), end: lines.positionAt(node.end) } });
  // the one shutdown detector (the rule's own), so every entry point agrees on "handled"
  const facts: TsFacts = { routes: [], envReads: [], listens: [], shutdown: prepass ? [...prepass.shutdown] : shutdownFacts(file.path, parsed, loc), healthLibraries: [], viewEngines: [], authSites: [], authFunctions: [] };
  const envExports = prepass ? prepass.envExports ?? {} : envExportsOf(parsed);
  if (Object.keys(envExports).length > 0) facts.envExports = envExports;
  const chains = new ChainReader(parsed);
  const unresolved: UnresolvedRouteFact[] = [];
  const unknownPath = (node: TS.Node, reason: string) => unresolved.push({ path: file.path, reason, loc: loc(node) });

  // imports: shutdown/health libraries and whether Nest-style decorators are routing decorators
  let nestStyle = false;
  for (const imported of moduleImports(parsed)) {
    if (imported.kind === 'export-from' || imported.kind === 'dynamic') continue;
    const name = imported.specifier;
    const node = imported.node;
    if (NEST_MODULES.has(name)) nestStyle = true;
    if (HEALTH_LIBRARIES.has(name)) facts.healthLibraries.push({ path: file.path, kind: name, loc: loc(node) });
    if (VIEW_LIBRARIES.has(name)) facts.viewEngines.push({ path: file.path, kind: name, loc: loc(node) });
  }

  for (const call of parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const method = callee.name.text;
    // the receiver's text only where it is read (most calls are none of these)
    const receiverText = () => callee.expression.getText(sf);
    // process.on('SIGTERM', …), app.enableShutdownHooks(): shutdown facts come from `shutdownSites` below
    if ((method === 'on' || method === 'once' || method === 'addListener') && receiverText() === 'process') continue;
    if (method === 'enableShutdownHooks') continue;
    if ((method === 'set' && stringValue(ts, call.arguments[0]) === 'view engine') || method === 'setViewEngine') {
      facts.viewEngines.push({ path: file.path, kind: 'view engine', loc: loc(call) });
      continue;
    }
    if (method === 'listen') {
      const first = call.arguments[0];
      if (!first) continue;
      let port = portOf(ts, first);
      const options = unwrap(ts, first);
      if (port.port === undefined && port.envVar === undefined && ts.isObjectLiteralExpression(options)) {
        const property = options.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && nameOf(ts, p.name) === 'port');
        const shorthand = options.properties.find((p): p is TS.ShorthandPropertyAssignment => ts.isShorthandPropertyAssignment(p) && p.name.text === 'port');
        if (property) port = portOf(ts, property.initializer);
        else if (shorthand) port = portOf(ts, shorthand.name); // listen({ port })
      }
      // `emitter.listen(handler)` and friends: only a port-like first argument makes this a server
      if (port.port === undefined && port.envVar === undefined && !/port/i.test(first.getText(sf))) continue;
      if (port.port !== undefined && (!Number.isInteger(port.port) || port.port < 0 || port.port > 65535)) continue;
      facts.listens.push({ path: file.path, ...port, loc: loc(call) });
      continue;
    }
    // app.get('/path', handler): a router registration, not a client request;
    // koa-router's named form router.get('name', '/path', handler); app.use('/health', router) mounts
    if ((HTTP_METHODS.has(method) || method === 'use') && call.arguments.length >= 2) {
      const receiver = receiverText();
      let pathIndex = 0;
      if (method !== 'use' && call.arguments.length >= 3 && stringValue(ts, call.arguments[1])?.startsWith('/') && !stringValue(ts, call.arguments[0])?.startsWith('/')) pathIndex = 1;
      const route = stringValue(ts, call.arguments[pathIndex]);
      if (route === undefined && !CLIENT_RECEIVER.test(receiver) && isComputedRoutePath(ts, call.arguments[0], method)) unknownPath(call, 'a route path that is not a string literal');
      if (route === undefined || !route.startsWith('/')) continue;
      if (CLIENT_RECEIVER.test(receiver)) continue;
      const handlers = call.arguments.slice(pathIndex + 1);
      if (!handlers.some((h) => isFunctionLike(ts, h) || ts.isIdentifier(h) || ts.isPropertyAccessExpression(h) || ts.isCallExpression(h))) continue;
      if (handlers.some((h) => ts.isObjectLiteralExpression(h)) && !handlers.some((h) => isFunctionLike(ts, h))) continue;
      const chain = chains.chain(handlers);
      const target = method === 'use' ? chains.targetSpecifier(handlers[handlers.length - 1]) : undefined;
      const constant = method !== 'use' && handlers.length === 1 && isHealthRoute(route, method.toUpperCase()) && isConstantHandler(ts, unwrap(ts, handlers[0]));
      facts.routes.push({
        path: file.path, method: method === 'del' ? 'DELETE' : method === 'use' ? 'USE' : method.toUpperCase(), route, framework: 'express-like', loc: loc(call),
        ...(chain.guard !== 'none' ? { guard: chain.guard } : {}), ...(chain.handler ? { handler: chain.handler } : {}), receiver, ...(target ? { target } : {}), ...(constant ? { constant: true as const } : {}),
      });
      continue;
    }
    // prefixes applied where the route model does not follow them
    if (method === 'setGlobalPrefix' || method === 'enableVersioning' || method === 'prefix') { unknownPath(call, `\`${method}\``); continue; }
    // fastify.route({ method: 'GET', url: '/x', handler })
    if (method === 'route' && call.arguments.length === 1) {
      const receiver = receiverText();
      const o = unwrap(ts, call.arguments[0]);
      if (!ts.isObjectLiteralExpression(o)) continue;
      const prop = (n: string) => o.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && nameOf(ts, p.name) === n);
      const url = stringValue(ts, prop('url')?.initializer ?? prop('path')?.initializer);
      const m = prop('method')?.initializer;
      const methodName = stringValue(ts, m) ?? (m && ts.isArrayLiteralExpression(m) ? m.elements.map((x) => stringValue(ts, x) ?? '').join(',') : undefined);
      const handler = prop('handler');
      if (url === undefined && (prop('url') ?? prop('path')) && handler) unknownPath(call, 'a route path that is not a string literal');
      if (url?.startsWith('/') && methodName && handler) {
        const chain = chains.chain([o, handler.initializer]);
        const constant = chain.guard === 'none' && isHealthRoute(url, methodName.toUpperCase()) && isConstantHandler(ts, unwrap(ts, handler.initializer));
        facts.routes.push({ path: file.path, method: methodName.toUpperCase(), route: url, framework: 'fastify', loc: loc(call), ...(chain.guard !== 'none' ? { guard: chain.guard } : {}), ...(chain.handler ? { handler: chain.handler } : {}), receiver, ...(constant ? { constant: true as const } : {}) });
      }
    }
  }

  if (nestStyle) {
    for (const cls of parsed.nodesOfKind<TS.ClassDeclaration>(ts.SyntaxKind.ClassDeclaration)) {
      const decorators = ts.getDecorators(cls) ?? [];
      const controller = decorators.map((d) => decoratorCall(ts, d)).find((d) => d && (d.name === 'Controller' || d.name === 'JsonController'));
      if (!controller) continue;
      const prefix = controller.arg ?? '';
      if (controller.arg === undefined && controller.hasArgument) unknownPath(cls, 'a controller prefix that is not a string literal');
      for (const member of cls.members) {
        if (!ts.isMethodDeclaration(member)) continue;
        for (const d of ts.getDecorators(member) ?? []) {
          const info = decoratorCall(ts, d);
          if (!info || !NEST_METHODS.has(info.name)) continue;
          if (info.arg === undefined && info.hasArgument) { unknownPath(d, 'a route path that is not a string literal'); continue; }
          const guard = chains.nestMethod(cls, member);
          const route = joinRoute(prefix, info.arg ?? '');
          const constant = isHealthRoute(route, info.name.toUpperCase()) && isConstantHandler(ts, member);
          facts.routes.push({ path: file.path, method: info.name.toUpperCase(), route, framework: 'nest', loc: loc(d), ...(guard !== 'none' ? { guard } : {}), ...(constant ? { constant: true as const } : {}) });
        }
      }
    }
  }

  facts.routes.push(...nextRoutes(parsed, file.path, loc));
  // `{ prefix: '/v1' }` (Fastify `register`, koa-router, hapi plugins) and Nest's RouterModule move routes under a path the model does not join
  for (const p of parsed.nodesOfKind<TS.PropertyAssignment>(ts.SyntaxKind.PropertyAssignment)) if (nameOf(ts, p.name) === 'prefix') unknownPath(p, 'a `prefix` option');
  if (sf.text.includes('RouterModule')) { const id = parsed.nodesOfKind<TS.Identifier>(ts.SyntaxKind.Identifier).find((x) => x.text === 'RouterModule'); if (id) unknownPath(id, '`RouterModule`'); }
  if (unresolved.length > 0) facts.unresolvedRoutes = unresolved;
  facts.authSites = authSites(parsed, chains, file.path, loc);
  facts.authFunctions = chains.authCheckingFunctions();

  // process.env reads: member access and destructuring. Each names `env` in the source (or spells it
  // with an escape): most files do neither, and their property accesses are not walked.
  if (!ENV_NAME_HINT.test(text)) return facts;
  const reads = [
    ...parsed.nodesOfKind<TS.PropertyAccessExpression>(ts.SyntaxKind.PropertyAccessExpression),
    ...parsed.nodesOfKind<TS.ElementAccessExpression>(ts.SyntaxKind.ElementAccessExpression),
  ];
  for (const node of reads) {
    const name = envVarRead(ts, node);
    if (!name) continue;
    // `import.meta.env` is bundler build-time config (Vite), not the process environment
    const envObject = node.expression;
    if (ts.isPropertyAccessExpression(envObject) && ts.isMetaProperty(envObject.expression)) continue;
    const parent = node.parent;
    if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) continue; // a write defines it
    if (ts.isDeleteExpression(parent)) continue;
    const alternatives = fallbackAlternatives(ts, node, name);
    facts.envReads.push(alternatives.length > 0 ? { path: file.path, name, loc: loc(node), alternatives } : { path: file.path, name, loc: loc(node) });
  }
  for (const decl of parsed.nodesOfKind<TS.VariableDeclaration>(ts.SyntaxKind.VariableDeclaration)) {
    if (!decl.initializer || !ts.isObjectBindingPattern(decl.name) || !isProcessEnv(ts, unwrap(ts, decl.initializer))) continue;
    for (const element of decl.name.elements) {
      if (element.dotDotDotToken) continue;
      const name = nameOf(ts, element.propertyName ?? element.name);
      if (name) facts.envReads.push({ path: file.path, name, loc: loc(element) });
    }
  }
  return facts;
}

/** Shutdown handling of a parsed file as model facts (`shutdownSites`: one detector everywhere). */
export function shutdownFacts(path: string, parsed: ParsedTs, loc?: (node: TS.Node) => Loc): ShutdownFact[] {
  const lines = loc ? undefined : new LineIndex(parsed.sourceFile.text);
  const at = loc ?? ((node: TS.Node): Loc => ({ path, range: { start: lines!.positionAt(node.getStart(parsed.sourceFile)), end: lines!.positionAt(node.end) } }));
  return shutdownSites(parsed).map((site) => ({ path, kind: site.kind, loc: at(site.node) }));
}

/**
 * Whether a route registration's first argument is a path the model cannot read: a template
 * with substitutions or a variable (`router.get(`${this.path}/:id`, h)`, `app.use(prefix, r)`).
 * Path-less `use(mw)` and client calls (`store.get(key, cb)`) are not route paths.
 */
function isComputedRoutePath(ts: typeof TS, first: TS.Expression | undefined, method: string): boolean {
  if (!first) return false;
  const e = unwrap(ts, first);
  if (ts.isTemplateExpression(e)) return true;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return true;
  if (method === 'use') return (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) && /(?:path|prefix|route|url|base|mount)s?$/i.test(e.getText());
  return (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) && /(?:path|prefix|route|url|endpoint)s?$/i.test(e.getText());
}

function decoratorCall(ts: typeof TS, decorator: TS.Decorator): { name: string; arg?: string; hasArgument: boolean } | undefined {
  const e = decorator.expression;
  if (!ts.isCallExpression(e) || !ts.isIdentifier(e.expression)) return undefined;
  const first = e.arguments[0];
  let arg = stringValue(ts, first);
  if (arg === undefined && first && ts.isObjectLiteralExpression(first)) {
    const p = first.properties.find((x): x is TS.PropertyAssignment => ts.isPropertyAssignment(x) && nameOf(ts, x.name) === 'path');
    arg = stringValue(ts, p?.initializer);
  }
  return { name: e.expression.text, arg, hasArgument: first !== undefined };
}

function joinRoute(prefix: string, path: string): string {
  const parts = [prefix, path].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  return '/' + parts.join('/');
}
