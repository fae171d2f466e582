/**
 * Next.js routes from the file system: App Router route handlers (`app/**\/route.ts` exporting
 * `GET`, `POST`…) and Pages Router API routes (`pages/api/**`, one default-exported handler for
 * every method: `ALL`). The URL comes from the path: route groups `(group)` and private folders
 * vanish, `[id]` is `:id`, `[...slug]`/`[[...slug]]` is `:slug*`.
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../parse/typescript';
import { bodyChecksCaller } from '../knowledge/auth';
import type { Loc, RouteFact } from './model-types';

const APP_ROUTE = /(?:^|\/)(?:src\/)?app\/((?:[^/]+\/)*)route\.[cm]?[jt]sx?$/;
const PAGES_API = /(?:^|\/)(?:src\/)?pages\/(api(?:\/[^/]+)*?)(?:\/index)?\.[cm]?[jt]sx?$/;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** `api/users/[id]` → `/api/users/:id`. */
export function nextUrl(folders: string): string {
  const segments = folders.split('/').filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@') && !s.startsWith('_'))
    .map((s) => s.replace(/^\[\[?\.\.\.(.+?)\]\]?$/, ':$1*').replace(/^\[(.+)\]$/, ':$1'));
  return '/' + segments.join('/');
}

function isExported(ts: typeof TS, node: TS.Node): boolean {
  return (ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

export function nextRoutes(parsed: ParsedTs, path: string, loc: (node: TS.Node) => Loc): RouteFact[] {
  const { ts, sourceFile: sf } = parsed;
  const app = APP_ROUTE.exec(path);
  const pages = app ? undefined : PAGES_API.exec(path);
  if (!app && !pages) return [];
  const url = nextUrl(app ? app[1] : pages![1]);
  const routes: RouteFact[] = [];
  const add = (method: string, node: TS.Node, body: TS.Node | undefined) => {
    const guard = body && bodyChecksCaller(body.getText(sf)) ? 'auth' as const : undefined;
    routes.push({ path, method, route: url, framework: 'next', loc: loc(node), ...(guard ? { guard } : {}) });
  };
  for (const statement of sf.statements) {
    if (app) {
      if (ts.isFunctionDeclaration(statement) && statement.name && METHODS.has(statement.name.text) && isExported(ts, statement)) add(statement.name.text, statement.name, statement.body);
      if (ts.isVariableStatement(statement) && isExported(ts, statement)) {
        for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && METHODS.has(d.name.text)) add(d.name.text, d.name, d.initializer);
      }
    } else if (ts.isExportAssignment(statement) || (ts.isFunctionDeclaration(statement) && isExported(ts, statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword))) {
      add('ALL', statement, statement);
    }
  }
  return routes;
}
