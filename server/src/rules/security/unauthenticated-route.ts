import { isPublicByDesign, isStateChanging } from '../../knowledge/auth';
import type { AuthSiteFact, ProjectModel, RouteFact } from '../../workspace/model-types';
import { dirOf, joinPath } from '../../workspace/paths';
import { packageDirOf } from '../../workspace/resolve';
import type { WorkspaceRule } from '../../workspace/workspace-rule';

/**
 * State-changing routes with no authentication anywhere in their chain. Precision first: a
 * route counts as protected when anything before it might authenticate — a middleware, guard or
 * hook named like authentication or not recognisably something else, a handler that checks the
 * caller, an app-level step (`app.use(auth)`, global guards, Fastify hooks, a Next.js
 * middleware), or a mount under a protected parent (`app.use('/api', auth, router)`).
 */

const SOURCE_EXTENSIONS = ['', '.ts', '.js', '.mts', '.mjs', '.cts', '.cjs', '/index.ts', '/index.js', '/index.mjs'];
const MAX_LISTED = 6;

/** The workspace file a relative specifier names, if the model knows it. */
function resolveRelative(model: ProjectModel, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = joinPath(dirOf(from), specifier).replace(/\.(?:js|mjs|cjs)$/, '');
  for (const ext of SOURCE_EXTENSIONS) {
    const candidate = base + ext;
    if (model.sourceFile(candidate)) return candidate;
  }
  return model.sourceFile(joinPath(dirOf(from), specifier)) ? joinPath(dirOf(from), specifier) : undefined;
}

const before = (a: { loc: RouteFact['loc'] }, b: { loc: RouteFact['loc'] }) =>
  a.loc.range.start.line < b.loc.range.start.line || (a.loc.range.start.line === b.loc.range.start.line && a.loc.range.start.character < b.loc.range.start.character);

/**
 * Whether a path-less `use` site protects a route (or mount) of the same file: on the same router
 * only what is registered after it; a step on the app may protect any router of the file (the
 * router may be mounted after it), but a step on a mounted sub-router protects only that router.
 */
function siteCovers(site: AuthSiteFact, route: RouteFact, view: PackageView): boolean {
  if (site.receiver === route.receiver) return before(site, route);
  return site.receiver === undefined || !view.subRouters.get(site.path)?.has(site.receiver);
}

interface PackageView {
  routes: RouteFact[];
  sites: AuthSiteFact[];
  authHandlers: Set<string>;
  /** Per file, the routers mounted on another router of the same file (`app.use('/api', router)`). */
  subRouters: Map<string, Set<string>>;
}

/** Files whose every route is protected from outside, and whether the whole package is. */
function protectedFiles(model: ProjectModel, view: PackageView): { files: Set<string>; all: boolean } {
  const files = new Set<string>();
  const gates = view.sites.filter((s) => s.kind !== 'mount');
  if (gates.some((s) => s.kind !== 'use')) return { files, all: true };
  let all = false;
  // path-less mounts (`app.use(cartRouter)`) are mounts too, at the root
  const mounts: RouteFact[] = [
    ...view.routes.filter((r) => r.method === 'USE'),
    ...view.sites.filter((s) => s.kind === 'mount').map((s): RouteFact => ({ path: s.path, method: 'USE', route: '/', framework: 'express-like', loc: s.loc, receiver: s.receiver, target: s.target })),
  ];
  const registered = (path: string) => [...view.routes.filter((r) => r.path === path), ...mounts.filter((m) => m.path === path)];
  // an app-level `use(auth)` in a file that registers nothing after it (a middleware setup module): everything
  for (const site of gates) {
    if (!registered(site.path).some((r) => siteCovers(site, r, view))) all = true;
  }
  if (all) return { files, all };
  const locallyProtected = (route: RouteFact) => !!route.guard || files.has(route.path) || gates.some((s) => s.path === route.path && siteCovers(s, route, view));
  for (let changed = true; changed;) {
    changed = false;
    for (const mount of mounts) {
      if (!locallyProtected(mount)) continue;
      if (!mount.target) { all = true; continue; } // a protected mount of a router we cannot follow
      if (mount.target.startsWith('this:')) continue; // same-file router: judged in `isProtected`
      const file = resolveRelative(model, mount.path, mount.target);
      if (file === undefined) { all = true; continue; }
      if (!files.has(file)) { files.add(file); changed = true; }
    }
  }
  return { files, all };
}

function isProtected(route: RouteFact, view: PackageView, outside: Set<string>): boolean {
  if (route.guard || outside.has(route.path)) return true;
  if (route.handler && view.authHandlers.has(route.handler)) return true;
  if (view.sites.some((s) => s.kind !== 'mount' && s.path === route.path && siteCovers(s, route, view))) return true;
  // a same-file router mounted behind authentication: `app.use('/api', auth, router)`
  return view.routes.some((m) => m.method === 'USE' && m.path === route.path && m.target === `this:${route.receiver}` && (m.guard || view.sites.some((s) => s.kind !== 'mount' && s.path === m.path && siteCovers(s, m, view))));
}

const rule: WorkspaceRule = {
  meta: {
    id: 'security/unauthenticated-route',
    factor: 'security',
    severity: 'warning',
    description: 'State-changing routes (POST/PUT/PATCH/DELETE) with no authentication in their chain.',
    rationale: 'Authentication and authorization (factor XV) belong to every service, not only to the edge: a route that creates, changes or deletes data and has no authentication step at the route, router, controller or app level lets anyone who can reach the service change its state. Public routes of the auth flow (login, signup, password reset), webhooks and probes are not reported.',
    messages: {
      unauthenticated: '{{count}} state-changing route(s) here have no authentication in their chain ({{routes}}): no auth middleware, guard or hook at the route, router or app level. Add one (e.g. `router.use(requireAuth)`, `@UseGuards(AuthGuard)`), or suppress with a reason if they are public by design.',
    },
    fix: 'none',
  },
  checkWorkspace(model, report) {
    const byPackage = new Map<string, PackageView>();
    const view = (dir: string): PackageView => {
      let v = byPackage.get(dir);
      if (!v) byPackage.set(dir, v = { routes: [], sites: [], authHandlers: new Set(), subRouters: new Map() });
      return v;
    };
    const dirs = new Map<string, string>();
    const dirOfFile = (path: string) => { let d = dirs.get(path); if (d === undefined) dirs.set(path, d = packageDirOf(model, path)); return d; };
    for (const route of model.routes) {
      if (!model.sourceFile(route.path)?.isApp) continue;
      const v = view(dirOfFile(route.path));
      v.routes.push(route);
      if (route.target?.startsWith('this:')) {
        const set = v.subRouters.get(route.path) ?? new Set<string>();
        v.subRouters.set(route.path, set.add(route.target.slice('this:'.length)));
      }
    }
    for (const site of model.authSites) {
      if (!model.sourceFile(site.path)?.isApp) continue;
      const dir = dirOfFile(site.path);
      // a Next.js middleware only at the package root (or src/), not lib/auth/middleware.ts
      if (site.kind === 'next-middleware' && !['', 'src'].includes(dirOf(site.path).slice(dir.length).replace(/^\//, ''))) continue;
      view(dir).sites.push(site);
    }
    for (const f of model.authFunctions) if (byPackage.has(dirOfFile(f.path))) view(dirOfFile(f.path)).authHandlers.add(f.name);

    for (const [, v] of [...byPackage].sort(([a], [b]) => a.localeCompare(b))) {
      const outside = protectedFiles(model, v);
      if (outside.all) continue;
      const open = v.routes.filter((r) => isStateChanging(r.method) && !isPublicByDesign(r.route) && !isProtected(r, v, outside.files));
      const byFile = new Map<string, RouteFact[]>();
      for (const r of open) { const list = byFile.get(r.path); if (list) list.push(r); else byFile.set(r.path, [r]); }
      for (const [path, routes] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
        const listed = routes.slice(0, MAX_LISTED).map((r) => `${r.method} ${r.route}`).join(', ') + (routes.length > MAX_LISTED ? `, and ${routes.length - MAX_LISTED} more` : '');
        report({
          messageId: 'unauthenticated',
          data: { count: routes.length, routes: listed },
          path,
          range: routes[0].loc.range,
          related: routes.slice(1).map((r) => ({ path: r.path, range: r.loc.range, message: `also without authentication: ${r.method} ${r.route}` })),
        });
      }
    }
  },
};

export default rule;
