/**
 * Compose adapter: `yaml` (eemeli) documents with source ranges, and a service model that
 * resolves aliases and `<<` merge keys without expanding them (alias bombs stay cheap):
 * a finding lands on the line where the offending value is written.
 */
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { CommentSpan } from './comments';
import { parseMemo } from './parse-memo';

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
  /** Why the service model is partial (a merge-key budget was exceeded), when it is. */
  incomplete(): string | undefined;
}

const MAX_ALIAS_DEPTH = 20;

/**
 * Follows aliases to the node they name (bounded: cyclic or deep aliases give up). `yaml`'s
 * own `Alias.resolve` walks the whole document per call, which makes a file that reuses one
 * anchor thousands of times quadratic; the anchors are indexed once per document instead.
 */
export function resolveNode(doc: Document, node: unknown): Node | undefined {
  let current = node;
  for (let depth = 0; isAlias(current); depth++) {
    if (depth > MAX_ALIAS_DEPTH) return undefined;
    current = anchorTarget(doc, current as Alias);
  }
  return (current ?? undefined) as Node | undefined;
}

/** Anchor name → the nodes carrying it, in document order, with their start offsets. */
type AnchorIndex = Map<string, Array<{ node: Node; offset: number }>>;
/** Per parse (parse-memo.ts says why not a WeakMap): the index holds the document's nodes. */
const anchorIndexes = parseMemo<AnchorIndex>('anchorIndex');

function anchorIndex(doc: Document): AnchorIndex {
  let index = anchorIndexes.get(doc);
  if (index) return index;
  index = new Map();
  const found = index;
  visit(doc, (_key, node) => {
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) {
      const list = found.get(node.anchor) ?? [];
      list.push({ node, offset: node.range?.[0] ?? 0 });
      found.set(node.anchor, list);
    }
  });
  anchorIndexes.set(doc, index);
  return index;
}

/** What an alias names: the last node with that anchor before it (YAML lets anchors be redefined). */
function anchorTarget(doc: Document, alias: Alias): Node | undefined {
  const candidates = anchorIndex(doc).get(alias.source);
  if (!candidates) return undefined;
  const at = alias.range?.[0] ?? Number.MAX_SAFE_INTEGER;
  let target: Node | undefined;
  for (const c of candidates) {
    if (c.offset >= at) break;
    target = c.node;
  }
  return target;
}

function isMergeKey(key: unknown): boolean {
  // with `merge: true` yaml represents `<<` as a symbol-valued scalar
  return isScalar(key) && (key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<'));
}

/**
 * The work `<<` merges may cost in one document: pairs produced while resolving merges. A
 * merge chain that fans out (400 maps each merging 400 others) would otherwise cost
 * millions of pairs in a 3.5 KB file; past the budget the document is marked incomplete
 * (the analysis reports it) and the merges not yet resolved are left out.
 */
export const MERGE_PAIR_BUDGET = 200_000;

/** Per document: each map's resolved pairs (shared by every map that merges it) and the budget used. */
interface MergeState { resolved: WeakMap<YAMLMap, Pair<Scalar, unknown>[]>; spent: number; incomplete?: string }
const mergeStates = parseMemo<MergeState>('mergeState');

function mergeState(doc: Document): MergeState {
  let state = mergeStates.get(doc);
  if (!state) mergeStates.set(doc, (state = { resolved: new WeakMap(), spent: 0 }));
  return state;
}

/** Why merges of this document were cut short, when they were. */
export function mergeIncomplete(doc: Document): string | undefined {
  return mergeStates.get(doc)?.incomplete;
}

/**
 * Every pair of a map, own pairs first, then pairs merged in through `<<` (earlier sources
 * win, each key once). Memoised per map, so an anchor merged into 1,000 services is resolved
 * once and shared, not copied; bounded by depth and by MERGE_PAIR_BUDGET.
 */
export function mapPairs(doc: Document, map: YAMLMap, depth = 0): Pair<Scalar, unknown>[] {
  const state = mergeState(doc);
  const known = state.resolved.get(map);
  if (known) return known;
  const own: Pair<Scalar, unknown>[] = [];
  const sources: YAMLMap[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    if (isMergeKey(item.key)) {
      if (depth >= MAX_ALIAS_DEPTH) { state.incomplete ??= `YAML merge keys (<<) nest deeper than ${MAX_ALIAS_DEPTH} levels`; continue; }
      for (const source of isSeq(item.value) ? item.value.items : [item.value]) {
        const resolved = resolveNode(doc, source);
        if (isMap(resolved) && resolved !== map && !sources.includes(resolved)) sources.push(resolved); // `[*a, *a]` merges a once
      }
    } else if (isScalar(item.key)) {
      own.push(item as Pair<Scalar, unknown>);
    }
  }
  if (sources.length === 0) { state.resolved.set(map, own); return own; }
  state.resolved.set(map, own); // a cycle back to this map sees its own pairs only
  const result = [...own];
  const seen = new Set(own.map((p) => String(p.key.value)));
  for (const source of sources) {
    const pairs = mapPairs(doc, source, depth + 1);
    state.spent += pairs.length;
    if (state.spent > MERGE_PAIR_BUDGET) {
      state.incomplete ??= `YAML merge keys (<<) expand to more than ${MERGE_PAIR_BUDGET.toLocaleString('en-US')} entries`;
      break;
    }
    for (const p of pairs) {
      const key = String(p.key.value);
      if (!seen.has(key)) { seen.add(key); result.push(p); }
    }
  }
  state.resolved.set(map, result);
  return result;
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
    incomplete() {
      void this.services; // the merges are resolved while the services are built
      for (const d of docs) { const reason = mergeIncomplete(d); if (reason) return reason; }
      return undefined;
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
