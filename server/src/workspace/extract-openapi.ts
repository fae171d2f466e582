/**
 * The operations an OpenAPI (or Swagger 2) document describes, for `api-first/contract-drift`:
 * method + path at the line of the path key, and the base paths the server URLs put in front
 * (`servers: [{ url: https://api.example.com/v1 }]` → `/v1`; Swagger 2 `basePath`). JSON is
 * read as YAML (a subset), so one parser serves both.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { ContractOperation, Loc } from './model-types';

const OPERATION_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** The path part of a server URL; undefined when it is templated (`{basePath}`) and so unknown. */
export function basePathOf(url: string): string | undefined {
  const withoutOrigin = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/^\/\/[^/]*/, '');
  const path = withoutOrigin.split(/[?#]/)[0];
  if (path.includes('{')) return undefined;
  return path.replace(/\/+$/, '');
}

export function openApiOperations(path: string, text: string): { operations: ContractOperation[]; basePaths: string[] } | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, strict: false, prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const root = doc.contents;
  const at = (node: Node): Loc => {
    const [start, end] = node.range ?? [0, 0];
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(end);
    return { path, range: { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } } };
  };
  const operations: ContractOperation[] = [];
  const paths = root.get('paths');
  if (!isMap(paths)) return undefined;
  for (const pair of paths.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'string' || !pair.key.value.startsWith('/')) continue;
    if (!isMap(pair.value)) continue;
    for (const op of pair.value.items) {
      if (!isScalar(op.key) || !OPERATION_METHODS.has(String(op.key.value).toLowerCase())) continue;
      operations.push({ method: String(op.key.value).toUpperCase(), path: pair.key.value, loc: at(pair.key) });
    }
  }
  const basePaths: string[] = [];
  let unknownBase = false;
  const servers = root.get('servers', true);
  const serverList = servers && 'items' in servers && Array.isArray(servers.items) ? servers.items : [];
  for (const server of serverList) {
    const url: unknown = isMap(server) ? server.get('url') : undefined;
    if (typeof url !== 'string') continue;
    const base = basePathOf(url);
    if (base === undefined) unknownBase = true; else basePaths.push(base);
  }
  const swaggerBase: unknown = root.get('basePath');
  if (typeof swaggerBase === 'string') basePaths.push(swaggerBase.replace(/\/+$/, ''));
  if (unknownBase) return { operations, basePaths: [] }; // a templated server URL: the base is unknown
  return { operations, basePaths: basePaths.length > 0 ? [...new Set(basePaths)] : [''] };
}
