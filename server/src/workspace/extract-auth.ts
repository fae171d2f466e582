/**
 * Authentication facts of one TypeScript/JavaScript file, for `security/unauthenticated-route`:
 * how each route's chain reads (middleware before the handler, Fastify route hooks, Nest guards
 * and auth decorators, a handler that checks the caller itself), the app- and router-level steps
 * (`router.use(auth)`, global guards, Fastify `onRequest`/`preHandler` hooks, a Next.js
 * middleware), and the functions whose body checks the caller (so a handler defined in another
 * file can be judged by name). Classification knowledge lives in `knowledge/auth.ts`.
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../parse/typescript';
import { bodyChecksCaller, bodyGatesCaller, FASTIFY_AUTH_HOOKS, isRouterModule, middlewareNameVerdict, type AuthVerdict } from '../knowledge/auth';
import { moduleImports } from '../rules/support/module-imports';
import { nameOf, stringValue, unwrap } from '../rules/support/ts-helpers';
import type { AuthSiteFact, Loc } from './model-types';

/** The stronger of two verdicts: anything that might authenticate wins. */
export function strongest(a: AuthVerdict, b: AuthVerdict): AuthVerdict {
  return a === 'auth' || b === 'auth' ? 'auth' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'none';
}

/** Functions declared in a file by name (declarations, `const f = () => …`, methods, `exports.f = …`), with their bodies. */
export function fileFunctions(parsed: ParsedTs): Map<string, TS.Node> {
  const { ts } = parsed;
  const out = new Map<string, TS.Node>();
  const isFn = (n: TS.Node | undefined): n is TS.Node => !!n && (ts.isArrowFunction(n) || ts.isFunctionExpression(n));
  for (const d of parsed.nodesOfKind<TS.FunctionDeclaration>(ts.SyntaxKind.FunctionDeclaration)) if (d.name && d.body) out.set(d.name.text, d.body);
  for (const m of parsed.nodesOfKind<TS.MethodDeclaration>(ts.SyntaxKind.MethodDeclaration)) { const n = nameOf(ts, m.name); if (n && m.body) out.set(n, m.body); }
  for (const v of parsed.nodesOfKind<TS.VariableDeclaration>(ts.SyntaxKind.VariableDeclaration)) {
    if (!ts.isIdentifier(v.name) || !v.initializer) continue;
    const init = unwrap(ts, v.initializer);
    if (isFn(init)) out.set(v.name.text, init);
  }
  for (const p of parsed.nodesOfKind<TS.PropertyAssignment>(ts.SyntaxKind.PropertyAssignment)) { const n = nameOf(ts, p.name); if (n && isFn(unwrap(ts, p.initializer))) out.set(n, p.initializer); }
  for (const b of parsed.nodesOfKind<TS.BinaryExpression>(ts.SyntaxKind.BinaryExpression)) {
    if (b.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(b.left)) continue;
    if (isFn(unwrap(ts, b.right))) out.set(b.left.name.text, b.right);
  }
  return out;
}

export class ChainReader {
  private readonly ts: typeof TS;
  private readonly sf: TS.SourceFile;
  private functionsMemo?: Map<string, TS.Node>;

  constructor(private readonly parsed: ParsedTs) {
    this.ts = parsed.ts;
    this.sf = parsed.sourceFile;
  }

  /** The file's functions by name, found on first use: most files have no route and no auth check to judge. */
  private get functions(): Map<string, TS.Node> {
    return (this.functionsMemo ??= fileFunctions(this.parsed));
  }

  /** Names of the file's functions whose body checks the caller (for handlers defined elsewhere). */
  authCheckingFunctions(): string[] {
    if (!bodyChecksCaller(this.sf.text)) return [];
    return [...this.functions].filter(([, body]) => bodyChecksCaller(body.getText(this.sf))).map(([name]) => name).sort();
  }

  /** How one middleware (or hook, or guard) expression reads. */
  middleware(expression: TS.Expression): AuthVerdict {
    const ts = this.ts;
    const e = unwrap(ts, expression);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return bodyGatesCaller(e.getText(this.sf)) ? 'auth' : 'none';
    if (ts.isArrayLiteralExpression(e)) return e.elements.reduce<AuthVerdict>((v, x) => strongest(v, ts.isSpreadElement(x) ? 'unknown' : this.middleware(x)), 'none');
    if (ts.isIdentifier(e)) {
      const body = this.functions.get(e.text);
      const byName = middlewareNameVerdict(e.text);
      if (byName === 'auth') return 'auth';
      if (body) return bodyGatesCaller(body.getText(this.sf)) ? 'auth' : 'none';
      if (byName === 'unknown' && this.routerMount(e) !== undefined) return 'none';
      return byName;
    }
    if (ts.isPropertyAccessExpression(e)) return middlewareNameVerdict(e.getText(this.sf));
    if (ts.isCallExpression(e)) {
      const callee = e.expression.getText(this.sf);
      const byName = middlewareNameVerdict(callee);
      if (byName !== 'unknown') return byName;
      const body = ts.isIdentifier(e.expression) ? this.functions.get(e.expression.text) : undefined;
      if (body) return bodyGatesCaller(body.getText(this.sf)) ? 'auth' : 'none';
      return 'unknown';
    }
    if (ts.isObjectLiteralExpression(e)) return this.routeOptions(e);
    if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e)) return 'none';
    return 'unknown';
  }

  /** Fastify route options (`{ schema, onRequest: [fastify.authenticate] }`): their pre-handler hooks. */
  routeOptions(options: TS.ObjectLiteralExpression): AuthVerdict {
    const ts = this.ts;
    let verdict: AuthVerdict = 'none';
    for (const p of options.properties) {
      const name = p.name ? nameOf(ts, p.name) : undefined;
      if (!name || !FASTIFY_AUTH_HOOKS.has(name) && !/^(?:auth|config)$/i.test(name)) continue;
      if (name === 'config') continue;
      if (ts.isPropertyAssignment(p)) verdict = strongest(verdict, name === 'auth' ? 'auth' : this.middleware(p.initializer));
      else verdict = strongest(verdict, 'unknown');
    }
    return verdict;
  }

  /**
   * The handler (last argument): `auth` when its body checks the caller; otherwise the name to
   * look up in other files (`userController.postSignup` → `postSignup`).
   */
  handler(expression: TS.Expression): { verdict: AuthVerdict; name?: string } {
    const ts = this.ts;
    const e = unwrap(ts, expression);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return { verdict: bodyChecksCaller(e.getText(this.sf)) ? 'auth' : 'none' };
    if (ts.isIdentifier(e)) {
      const body = this.functions.get(e.text);
      if (body) return { verdict: bodyChecksCaller(body.getText(this.sf)) ? 'auth' : 'none' };
      return { verdict: 'none', name: e.text };
    }
    if (ts.isPropertyAccessExpression(e)) {
      const body = e.expression.kind === ts.SyntaxKind.ThisKeyword ? this.functions.get(e.name.text) : undefined;
      if (body) return { verdict: bodyChecksCaller(body.getText(this.sf)) ? 'auth' : 'none' };
      return { verdict: 'none', name: e.name.text };
    }
    // asyncHandler(async (req, res) => …), wrap(controller.create)
    if (ts.isCallExpression(e) && e.arguments.length > 0) return this.handler(e.arguments[e.arguments.length - 1]);
    return { verdict: 'unknown' };
  }

  /** A route's chain: middleware between the path and the handler, then the handler. */
  chain(args: readonly TS.Expression[]): { guard: AuthVerdict; handler?: string } {
    if (args.length === 0) return { guard: 'unknown' };
    let guard: AuthVerdict = 'none';
    for (const m of args.slice(0, -1)) guard = strongest(guard, this.middleware(m));
    const last = this.handler(args[args.length - 1]);
    return { guard: strongest(guard, last.verdict), handler: last.name };
  }

  /** A Nest handler: guard or auth decorators on the method or its class, or a body that checks the caller. */
  nestMethod(cls: TS.ClassDeclaration, method: TS.MethodDeclaration): AuthVerdict {
    const decorated = [...(this.ts.getDecorators(cls) ?? []), ...(this.ts.getDecorators(method) ?? [])];
    for (const d of decorated) {
      const e = d.expression;
      const name = (this.ts.isCallExpression(e) ? e.expression : e).getText(this.sf);
      if (/^(?:UseGuards|Roles|Permissions|Authorized|Authenticated)$/.test(name) || (middlewareNameVerdict(name) === 'auth' && !/^(?:AuthUser|ApiBearerAuth)$/.test(name))) return 'auth';
    }
    return method.body && bodyChecksCaller(method.body.getText(this.sf)) ? 'auth' : 'none';
  }

  /** The relative module a path-less `use(x)` mounts when `x` is a router imported from one (`app.use(cart)`). */
  routerMount(expression: TS.Expression): string | undefined {
    const ts = this.ts;
    const e = unwrap(ts, expression);
    const specifier = this.targetSpecifier(e);
    if (!specifier || specifier.startsWith('this:')) return undefined;
    const local = ts.isIdentifier(e) ? e.text : '';
    return isRouterModule(specifier, local) ? specifier : undefined;
  }

  /** The module a mount's target comes from: `app.use('/x', usersRouter)` → `./routes/users`. */
  targetSpecifier(expression: TS.Expression | undefined): string | undefined {
    if (!expression) return undefined;
    const ts = this.ts;
    const e = unwrap(ts, expression);
    if (ts.isCallExpression(e)) {
      if (ts.isIdentifier(e.expression) && e.expression.text === 'require') return stringValue(ts, e.arguments[0]);
      if (e.arguments.length > 0) return this.targetSpecifier(e.arguments[0]);
      return ts.isPropertyAccessExpression(e.expression) ? this.targetSpecifier(e.expression.expression) : undefined;
    }
    const local = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.expression.getText(this.sf).split('.')[0] : undefined;
    if (!local) return undefined;
    for (const imported of moduleImports(this.parsed)) {
      if (imported.bindings.some((b) => b.local === local)) return imported.specifier;
    }
    return ts.isIdentifier(e) ? `this:${local}` : undefined; // a router of this file
  }
}

/**
 * App- and router-level authentication steps of a file: path-less `x.use(…)` whose middleware
 * might authenticate, Fastify pre-handler hooks, Nest global guards, a Next.js middleware that
 * checks the caller. Only steps that might authenticate are kept.
 */
export function authSites(parsed: ParsedTs, reader: ChainReader, path: string, loc: (node: TS.Node) => Loc): AuthSiteFact[] {
  const { ts, sourceFile: sf } = parsed;
  const sites: AuthSiteFact[] = [];
  for (const call of parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const method = callee.name.text;
    const receiver = callee.expression.getText(sf);
    if (method === 'use' && receiver !== 'passport' && call.arguments.length > 0 && stringValue(ts, call.arguments[0]) === undefined) {
      const verdict = call.arguments.reduce<AuthVerdict>((v, a) => strongest(v, reader.middleware(a)), 'none');
      if (verdict !== 'none') sites.push({ path, kind: 'use', receiver, verdict, loc: loc(call) });
      for (const a of call.arguments) {
        const target = reader.routerMount(a);
        if (target) sites.push({ path, kind: 'mount', receiver, verdict: 'none', target, loc: loc(call) });
      }
    } else if (method === 'addHook' && FASTIFY_AUTH_HOOKS.has(stringValue(ts, call.arguments[0]) ?? '') && call.arguments[1]) {
      const verdict = reader.middleware(call.arguments[1]);
      if (verdict !== 'none') sites.push({ path, kind: 'hook', receiver, verdict, loc: loc(call) });
    } else if (method === 'useGlobalGuards') {
      sites.push({ path, kind: 'global-guard', receiver, verdict: 'auth', loc: loc(call) });
    } else if (method === 'default' && /(?:^|\.)auth$/.test(receiver)) {
      sites.push({ path, kind: 'global-guard', receiver, verdict: 'auth', loc: loc(call) }); // hapi server.auth.default()
    }
  }
  // Nest's global guard provider (`{ provide: APP_GUARD, useClass: JwtAuthGuard }`); the text test spares a walk of every identifier
  if (sf.text.includes('APP_GUARD')) {
    const id = parsed.nodesOfKind<TS.Identifier>(ts.SyntaxKind.Identifier).find((x) => x.text === 'APP_GUARD');
    if (id) sites.push({ path, kind: 'global-guard', verdict: 'auth', loc: loc(id) });
  }
  // Next.js middleware.ts runs before every route it matches
  if (/(?:^|\/)(?:src\/)?middleware\.[cm]?[jt]s$/.test(path) && bodyGatesCaller(sf.text)) {
    sites.push({ path, kind: 'next-middleware', verdict: 'auth', loc: loc(sf.statements[0] ?? sf) });
  }
  return sites;
}

