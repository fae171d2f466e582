/**
 * Environment variable names declared by deploy manifests other than Compose: Kubernetes
 * (`env: [{ name }]`, ConfigMap/Secret `data`/`stringData` keys), Helm values, Render
 * (`envVars: [{ key }]`), App Engine (`env_variables:`), Serverless (`environment:`) and
 * similar. A variable declared there is part of the deploy's config: not "undeclared".
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Loc } from './model-types';

const ENV_LIST_KEYS = new Set(['env', 'envVars', 'environment', 'extraEnv', 'extraEnvVars', 'envs']);
const ENV_MAP_KEYS = new Set(['env', 'env_variables', 'environment', 'envVars', 'extraEnv', 'variables']);
const CONFIG_KINDS = new Set(['ConfigMap', 'Secret', 'SealedSecret', 'ExternalSecret']);
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_DEPTH = 40;

export function deployEnvNames(path: string, text: string): Array<{ name: string; loc: Loc }> {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false, strict: false, prettyErrors: false }) as unknown;
  const list: Document.Parsed[] = Array.isArray(docs) ? docs as Document.Parsed[] : [docs as Document.Parsed];
  const out: Array<{ name: string; loc: Loc }> = [];
  const add = (name: string, node: Node) => {
    if (!VAR_NAME.test(name)) return;
    const [start, end] = node.range ?? [0, 0];
    const s = lineCounter.linePos(start);
    const e = lineCounter.linePos(end);
    out.push({ name, loc: { path, range: { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } } } });
  };
  const visit = (node: unknown, depth: number, configKind: boolean): void => {
    if (depth > MAX_DEPTH) return;
    if (isSeq(node)) { for (const item of node.items) visit(item, depth + 1, false); return; }
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const value = pair.value;
      if (ENV_LIST_KEYS.has(key) && isSeq(value)) {
        for (const item of value.items) {
          if (!isMap(item)) continue;
          const named = item.items.find((p) => isScalar(p.key) && (p.key.value === 'name' || p.key.value === 'key'));
          if (named && isScalar(named.value)) add(String(named.value.value), named.value);
        }
      } else if ((ENV_MAP_KEYS.has(key) || (configKind && (key === 'data' || key === 'stringData'))) && isMap(value)) {
        for (const p of value.items) if (isScalar(p.key)) add(String(p.key.value), p.key);
      }
      visit(value, depth + 1, false);
    }
  };
  for (const doc of list) {
    const root = doc.contents;
    const kind = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'kind') : undefined;
    const configKind = !!kind && isScalar(kind.value) && CONFIG_KINDS.has(String(kind.value.value));
    visit(root, 0, configKind);
  }
  return out;
}
