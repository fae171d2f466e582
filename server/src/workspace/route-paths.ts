/**
 * Full route paths per package: each route's path joined with the prefixes of the mounts that
 * lead to it (`app.use('/lists', lists)` + `router.get('/:listId')` → `/lists/:listId`), through
 * same-file routers (`this:router`) and relative modules. A package is *resolved* only when every
 * route's path is known: no unresolved registration (`model.unresolvedRoutes`), no router file
 * that nothing we can follow mounts, no mount of a relative module we cannot find, no directory
 * autoloading. Contract checks use only resolved packages, so an unknown prefix never reads as drift.
 */
import { dirOf, joinPath } from './paths';
import { packageDirOf } from './resolve';
import type { ProjectModel, RouteFact } from './model-types';

const SOURCE_EXTENSIONS = ['', '.ts', '.js', '.mts', '.mjs', '.cts', '.cjs', '/index.ts', '/index.js', '/index.mjs'];
/** Receivers that are the application itself (routes on them sit at the root). */
const APP_RECEIVER = /^(?:app|application|server|fastify|instance|api|this\.(?:app|server|express))$/i;
/** Route-by-directory plugins: the prefix comes from the folder layout, which we do not model. */
const AUTOLOADERS = new Set(['@fastify/autoload', 'fastify-autoload', 'express-file-routing', 'express-automatic-routes']);
const MAX_DEPTH = 8;

export interface ResolvedRoute { route: RouteFact; fullPath: string }

export interface PackageRoutes {
  dir: string;
  /** Endpoints (not mounts) with every full path they answer. */
  routes: ResolvedRoute[];
  /** Why the package's paths are not all known; undefined when they are. */
  unresolved?: string;
}

/** The workspace file a relative specifier names, if the model knows it. */
export function resolveRelativeModule(model: ProjectModel, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = joinPath(dirOf(from), specifier).replace(/\.(?:js|mjs|cjs)$/, '');
  for (const ext of SOURCE_EXTENSIONS) if (model.sourceFile(base + ext)) return base + ext;
  return model.sourceFile(joinPath(dirOf(from), specifier)) ? joinPath(dirOf(from), specifier) : undefined;
}

export function joinRoutePath(prefix: string, path: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}

interface Mount { file: string; receiver?: string; prefix: string; target: string }

export function routesByPackage(model: ProjectModel): PackageRoutes[] {
  const dirs = new Map<string, RouteFact[]>();
  for (const r of model.routes) {
    if (!model.sourceFile(r.path)?.isApp) continue;
    const dir = packageDirOf(model, r.path);
    const list = dirs.get(dir);
    if (list) list.push(r); else dirs.set(dir, [r]);
  }
  const out: PackageRoutes[] = [];
  for (const [dir, routes] of [...dirs].sort(([a], [b]) => a.localeCompare(b))) out.push(resolvePackage(model, dir, routes));
  return out;
}

function resolvePackage(model: ProjectModel, dir: string, routes: RouteFact[]): PackageRoutes {
  const fail = (unresolved: string): PackageRoutes => ({ dir, routes: [], unresolved });
  const pkg = model.packages.find((p) => p.dir === dir);
  if (pkg && [...pkg.dependencies, ...pkg.devDependencies].some((d) => AUTOLOADERS.has(d))) return fail('routes loaded from directories');
  const unknown = model.unresolvedRoutes.find((u) => model.sourceFile(u.path)?.isApp && packageDirOf(model, u.path) === dir);
  if (unknown) return fail(`${unknown.reason} (${unknown.path}:${unknown.loc.range.start.line + 1})`);

  const mounts: Mount[] = [];
  for (const r of routes) if (r.method === 'USE' && r.target) mounts.push({ file: r.path, receiver: r.receiver, prefix: r.route, target: r.target });
  for (const s of model.authSites) {
    if (s.kind === 'mount' && s.target && model.sourceFile(s.path)?.isApp && packageDirOf(model, s.path) === dir) mounts.push({ file: s.path, receiver: s.receiver, prefix: '', target: s.target });
  }
  // where each cross-file mount lands
  const landing = new Map<string, Mount[]>();
  for (const m of mounts) {
    if (m.target.startsWith('this:')) continue;
    if (!m.target.startsWith('.')) continue; // a package's middleware (swagger-ui, static files)
    const file = resolveRelativeModule(model, m.file, m.target);
    if (file === undefined) return fail(`a mount of \`${m.target}\` that is not in the workspace (${m.file})`);
    const list = landing.get(file);
    if (list) list.push(m); else landing.set(file, [m]);
  }

  const prefixesOf = (file: string, receiver: string | undefined, depth: number): string[] | undefined => {
    if (depth > MAX_DEPTH) return undefined;
    const local = mounts.filter((m) => m.file === file && receiver !== undefined && m.target === `this:${receiver}` && m.receiver !== receiver);
    const remote = landing.get(file) ?? [];
    const via = [...local, ...remote];
    if (via.length === 0) return receiver === undefined || APP_RECEIVER.test(receiver) ? [''] : undefined;
    const out: string[] = [];
    for (const m of via) {
      const outer = prefixesOf(m.file, m.receiver, depth + 1);
      if (outer === undefined) return undefined;
      for (const p of outer) out.push(joinRoutePath(p, m.prefix));
    }
    return [...new Set(out)];
  };

  const resolved: ResolvedRoute[] = [];
  for (const r of routes) {
    if (r.method === 'USE') continue;
    // Nest and Next.js routes carry their whole path (controller prefix, file location)
    const prefixes = r.framework === 'nest' || r.framework === 'next' ? [''] : prefixesOf(r.path, r.receiver, 0);
    if (prefixes === undefined) return fail(`a router in ${r.path} that no followed mount names`);
    for (const p of prefixes) resolved.push({ route: r, fullPath: joinRoutePath(p, r.route) });
  }
  return { dir, routes: resolved };
}
