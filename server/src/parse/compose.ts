/**
 * Compose adapter: `yaml` (eemeli) documents with source ranges, and a service model that
 * resolves aliases and `<<` merge keys without expanding them (alias bombs stay cheap):
 * a finding lands on the line where the offending value is written.
 */
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { CommentSpan } from './comments';

export interface ComposeService {
  name: string;
  /** The service's key in `services:`. */
  key: Scalar;
  /** The service's mapping. */
  map: YAMLMap;
  doc: Document.Parsed;
  /** The pair for a key of this service, following `<<` merges (own keys win). */
  pair(key: string): Pair<Scalar, unknown> | undefined;
  /** The value node for a key, with aliases resolved. */
  get(key: string): Node | undefined;
}

export interface ParsedCompose {
  readonly documents: readonly Document.Parsed[];
  readonly lineCounter: LineCounter;
  /** YAML syntax errors, with offsets (the documents are still usable where possible). */
  readonly errors: ReadonlyArray<{ message: string; start: number; end: number }>;
  readonly services: readonly ComposeService[];
  directiveComments(): readonly CommentSpan[];
}

const MAX_ALIAS_DEPTH = 20;

/** Follows aliases to the node they name (bounded: cyclic or deep aliases give up). */
export function resolveNode(doc: Document, node: unknown): Node | undefined {
  let current = node;
  for (let depth = 0; isAlias(current); depth++) {
    if (depth > MAX_ALIAS_DEPTH) return undefined;
    current = (current as Alias).resolve(doc);
  }
  return (current ?? undefined) as Node | undefined;
}

function isMergeKey(key: unknown): boolean {
  // with `merge: true` yaml represents `<<` as a symbol-valued scalar
  return isScalar(key) && (key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<'));
}

/** Every pair of a map, own pairs first, then pairs merged in through `<<` (bounded depth). */
export function mapPairs(doc: Document, map: YAMLMap, depth = 0): Pair<Scalar, unknown>[] {
  const own: Pair<Scalar, unknown>[] = [];
  const merged: Pair<Scalar, unknown>[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) {
      if (depth >= MAX_ALIAS_DEPTH) continue;
      const sources = isSeq(item.value) ? item.value.items : [item.value];
      for (const source of sources) {
        const resolved = resolveNode(doc, source);
        if (isMap(resolved)) merged.push(...mapPairs(doc, resolved, depth + 1));
      }
    } else if (isScalar(item.key)) {
      own.push(item as Pair<Scalar, unknown>);
    }
  }
  const ownKeys = new Set(own.map((p) => String(p.key.value)));
  return [...own, ...merged.filter((p) => !ownKeys.has(String(p.key.value)))];
}

export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return v === null || v === undefined ? undefined : String(v);
}

function buildServices(doc: Document.Parsed): ComposeService[] {
  const root = resolveNode(doc, doc.contents);
  if (!isMap(root)) return [];
  const servicesPair = mapPairs(doc, root).find((p) => p.key.value === 'services');
  const servicesNode = servicesPair ? resolveNode(doc, servicesPair.value) : undefined;
  if (!isMap(servicesNode)) return [];
  const services: ComposeService[] = [];
  for (const pair of mapPairs(doc, servicesNode)) {
    const map = resolveNode(doc, pair.value);
    if (!isMap(map)) continue;
    let pairs: Pair<Scalar, unknown>[] | undefined;
    const pairFor = (key: string) => (pairs ??= mapPairs(doc, map)).find((p) => p.key.value === key);
    services.push({
      name: String(pair.key.value),
      key: pair.key,
      map,
      doc,
      pair: pairFor,
      get: (key) => resolveNode(doc, pairFor(key)?.value),
    });
  }
  return services;
}

const DIRECTIVE_HINT = /factorlint-|hadolint|trivy:ignore|checkov:skip|pragma:\s*allowlist|gitleaks:allow|NOSONAR/;

export function parseCompose(text: string): ParsedCompose {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, strict: false, merge: true }) as unknown;
  const docs: Document.Parsed[] = Array.isArray(documents) ? documents as Document.Parsed[] : [documents as Document.Parsed];
  const errors = docs.flatMap((d) => d.errors.map((e) => ({ message: e.message.split('\n')[0], start: e.pos[0], end: e.pos[1] })));
  let services: ComposeService[] | undefined;
  let comments: CommentSpan[] | undefined;
  return {
    documents: docs,
    lineCounter,
    errors,
    get services() { return (services ??= docs.flatMap(buildServices)); },
    directiveComments() {
      comments ??= findComments(text, docs);
      return comments;
    },
  };
}

/** Comments holding directives: `#` at line start or after whitespace, outside any scalar. */
function findComments(text: string, docs: readonly Document.Parsed[]): CommentSpan[] {
  if (!DIRECTIVE_HINT.test(text)) return [];
  const scalarRanges: Array<[number, number]> = [];
  for (const doc of docs) {
    visit(doc, { Scalar(_key, node) { if (node.range) scalarRanges.push([node.range[0], node.range[1]]); } });
  }
  const inScalar = (offset: number) => scalarRanges.some(([s, e]) => offset >= s && offset < e);
  const result: CommentSpan[] = [];
  let line = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const lineText = text.slice(lineStart, lineEnd);
    for (let i = lineText.indexOf('#'); i >= 0; i = lineText.indexOf('#', i + 1)) {
      if (i > 0 && !/\s/.test(lineText[i - 1])) continue;
      const offset = lineStart + i;
      if (inScalar(offset)) continue;
      const body = lineText.slice(i + 1).replace(/\r$/, '');
      if (DIRECTIVE_HINT.test(body)) {
        result.push({ text: body.trim(), start: offset, end: lineStart + lineText.replace(/\r$/, '').length, line, ownLine: lineText.slice(0, i).trim() === '' });
      }
      break;
    }
    line++;
    lineStart = lineEnd + 1;
  }
  return result;
}
