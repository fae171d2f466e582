/**
 * The OpenAPI document of a package compared with its routes, both ways, by method and
 * normalised path (`:id` ≡ `{id}`, parameter names and trailing slashes ignored) after the
 * document's `servers[].url` base path. Only packages whose every route path is known
 * (`route-paths.ts`) and that hold an OpenAPI document with operations are compared. Used by
 * `api-first/contract-drift` (the differences) and the report's evidence (a contract in sync).
 */
import { isHealthRoute } from '../knowledge/libraries';
import type { ContractOperation, ProjectModel, SchemaFileFact } from './model-types';
import { packageDirOf } from './resolve';
import { routesByPackage, type ResolvedRoute } from './route-paths';

/** `/lists/:listId/` and `/lists/{id}` → `/lists/{}`. */
export function normalisePath(path: string): string {
  const p = path.split(/[?#]/)[0]
    .replace(/\{[^}/]+\}/g, '{}')
    .replace(/:[A-Za-z_$][\w$]*(?:\([^)]*\))?/g, '{}')
    .replace(/\/{2,}/g, '/');
  return p.length > 1 ? p.replace(/\/+$/, '') : p || '/';
}

/** For a route that matches many paths (`*`, regex groups, optional or repeated params): the path under which it answers. */
export function wildcardPrefix(path: string): string | undefined {
  const plain = path.replace(/(:[A-Za-z_$][\w$]*)\([^)]*\)(?![?*+])/g, '$1'); // `:id(\\d+)` is one parameter, not a catch-all
  const i = plain.search(/[*(]|:[\w$]+[?*+]/);
  return i < 0 ? undefined : normalisePath(plain.slice(0, i).replace(/\/[^/]*$/, '') || '/');
}

const answers = (routeMethod: string, docMethod: string) =>
  routeMethod === docMethod || routeMethod === 'ALL' || (docMethod === 'HEAD' && routeMethod === 'GET') || routeMethod.split(',').includes(docMethod);

function routeAnswers(r: ResolvedRoute, method: string, docPath: string): boolean {
  if (!answers(r.route.method, method)) return false;
  const wild = wildcardPrefix(r.fullPath);
  if (wild !== undefined) return wild === '/' || docPath === wild || docPath.startsWith(wild + '/');
  return normalisePath(r.fullPath) === docPath;
}

export interface DocumentedOperation { op: ContractOperation; schema: SchemaFileFact; /** Normalised, one per base path. */ paths: string[] }

export interface ContractComparison {
  dir: string;
  schemas: SchemaFileFact[];
  routes: ResolvedRoute[];
  /** Routes the document does not describe (probes and catch-alls left out). */
  undocumented: Array<{ route: ResolvedRoute; samePath?: DocumentedOperation }>;
  /** Documented operations no route answers. */
  unimplemented: Array<{ doc: DocumentedOperation; samePath?: ResolvedRoute }>;
}

function comparable(model: ProjectModel, schema: SchemaFileFact, dir: string): boolean {
  return schema.kind === 'openapi' && (schema.operations?.length ?? 0) > 0 && (schema.basePaths?.length ?? 0) > 0 && packageDirOf(model, schema.path) === dir;
}

export function compareContracts(model: ProjectModel): ContractComparison[] {
  if (!model.schemas.some((s) => (s.operations?.length ?? 0) > 0)) return [];
  const out: ContractComparison[] = [];
  for (const pkg of routesByPackage(model)) {
    if (pkg.unresolved !== undefined || pkg.routes.length === 0) continue;
    const schemas = model.schemas.filter((s) => comparable(model, s, pkg.dir));
    if (schemas.length === 0) continue;
    const docs: DocumentedOperation[] = schemas.flatMap((schema) => (schema.operations ?? []).map((op) => ({ op, schema, paths: (schema.basePaths ?? []).map((b) => normalisePath(b + op.path)) })));
    const undocumented: ContractComparison['undocumented'] = [];
    const seen = new Set<string>();
    for (const r of pkg.routes) {
      const key = `${r.route.path}:${r.route.loc.range.start.line}:${r.route.loc.range.start.character}:${r.route.method}:${r.fullPath}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (isHealthRoute(r.fullPath, r.route.method) || wildcardPrefix(r.fullPath) !== undefined || r.route.method === 'ALL' || r.route.method.includes(',')) continue;
      const path = normalisePath(r.fullPath);
      if (docs.some((d) => d.paths.includes(path) && answers(r.route.method, d.op.method))) continue;
      undocumented.push({ route: r, samePath: docs.find((d) => d.paths.includes(path)) });
    }
    const unimplemented: ContractComparison['unimplemented'] = [];
    for (const d of docs) {
      if (d.paths.some((p) => pkg.routes.some((r) => routeAnswers(r, d.op.method, p)))) continue;
      unimplemented.push({ doc: d, samePath: pkg.routes.find((r) => d.paths.includes(normalisePath(r.fullPath))) });
    }
    out.push({ dir: pkg.dir, schemas, routes: pkg.routes, undocumented, unimplemented });
  }
  return out;
}
