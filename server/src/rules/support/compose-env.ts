/**
 * `environment:` entries of compose services in both forms (map and `- NAME=value` list),
 * through aliases and `<<` merges, with the offsets rules need to report and edit them.
 */
import { isMap, isScalar, isSeq, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { mapPairs, type ComposeService, type ParsedCompose } from '../../parse/compose';
import type { Fix, TextEdit } from '../../engine/types';
import type { ProjectContext } from '../../engine/project-context';
import { envExampleAppend } from './env-example';

export interface EnvEntry {
  service: ComposeService;
  name: string;
  /** The value as YAML reads it (for the list form: after the first `=`). */
  value: string;
  /** The node holding the value (map form) or the whole `NAME=value` item (list form). */
  node: Scalar;
  /** Offset where the value text starts. */
  valueStart: number;
  valueEnd: number;
  listForm: boolean;
  /** The map or sequence the entry belongs to. */
  container: YAMLMap | YAMLSeq;
}

/** Every environment entry of every service, each written location once. */
export function environmentEntries(parsed: ParsedCompose, text: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  const seen = new Set<number>();
  for (const service of parsed.services) {
    const environment = service.get('environment');
    if (isMap(environment)) {
      for (const item of mapPairs(service.doc, environment)) {
        if (!isScalar(item.key) || !isScalar(item.value) || !item.value.range) continue;
        const raw = item.value.value;
        if (raw === null || raw === undefined || typeof raw === 'object') continue;
        if (seen.has(item.value.range[0])) continue;
        seen.add(item.value.range[0]);
        const container = findContainer(environment, item.value) ?? environment;
        out.push({ service, name: String(item.key.value), value: String(raw), node: item.value, valueStart: item.value.range[0], valueEnd: item.value.range[1], listForm: false, container });
      }
    } else if (isSeq(environment)) {
      for (const item of environment.items) {
        if (!isScalar(item) || typeof item.value !== 'string' || !item.range) continue;
        const eq = item.value.indexOf('=');
        if (eq <= 0 || seen.has(item.range[0])) continue;
        seen.add(item.range[0]);
        const rawText = text.slice(item.range[0], item.range[1]);
        const quoted = rawText[0] === '"' || rawText[0] === "'";
        out.push({ service, name: item.value.slice(0, eq), value: item.value.slice(eq + 1), node: item, valueStart: item.range[0] + rawText.indexOf('=') + 1, valueEnd: item.range[1] - (quoted ? 1 : 0), listForm: true, container: environment });
      }
    }
  }
  return out;
}

/** The map that directly holds a value node (own or merged-in through `<<`). */
function findContainer(map: YAMLMap, value: Scalar, depth = 0): YAMLMap | undefined {
  if (depth > 20) return undefined;
  for (const item of map.items) {
    if (item.value === value) return map;
  }
  return undefined;
}

/** `${NAME:?NAME is required}` in place of the value, and NAME in `.env.example`. */
export function requireFromEnvFix(text: string, entry: EnvEntry, project: ProjectContext, exampleValue = ''): Fix {
  const { name, node } = entry;
  const [start, end] = node.range!;
  const interpolation = `\${${name}:?${name} is required}`;
  let newText: string;
  if (entry.listForm) {
    const raw = text.slice(start, end);
    const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
    newText = quote ? `${quote}${name}=${interpolation}${quote}` : `${name}=${interpolation}`;
  } else {
    newText = `"${interpolation}"`;
  }
  return { title: `Require ${name} from the environment`, kind: 'unsafe', edits: [{ start, end, newText }], otherFiles: [envExampleAppend(project, name, exampleValue)] };
}

/**
 * Removes an entry: its line, or for the only entry of a block, the whole block becomes
 * `{}`/`[]` after the `environment:` key (an empty key would be null, which compose rejects).
 */
export function removeEntryEdit(text: string, entry: EnvEntry): TextEdit | undefined {
  const items = entry.container.items;
  const [nodeStart, nodeEnd] = entry.node.range!;
  // map form: the pair starts at its key
  let start = nodeStart;
  if (!entry.listForm) {
    const pair = (entry.container as YAMLMap).items.find((p) => p.value === entry.node);
    const key = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    if (key === undefined) return undefined;
    start = key;
  }
  const ls = text.lastIndexOf('\n', start - 1) + 1;
  let le = text.indexOf('\n', nodeEnd);
  if (le < 0) le = text.length;
  const before = text.slice(ls, start);
  const after = text.slice(nodeEnd, le).replace(/\s+#.*$/, '');
  const flow = !/^\s*(?:-\s*)?$/.test(before) || after.trim() !== '';
  if (flow) return undefined; // flow style (`{ A: 1, B: 2 }`): leave it to the user
  if (items.length === 1) {
    // the `environment:` key owning the block: replace everything after its colon
    const owner = entry.service.map.items.find((p) => p.value === entry.container);
    const keyEnd = owner && isScalar(owner.key) ? owner.key.range?.[1] : undefined;
    if (keyEnd === undefined) return undefined;
    const colon = text.indexOf(':', keyEnd);
    if (colon < 0 || colon > start) return undefined;
    // keep the line break as written (CRLF files stay CRLF)
    const contentEnd = le > 0 && text[le - 1] === '\r' ? le - 1 : le;
    return { start: colon + 1, end: contentEnd, newText: entry.listForm ? ' []' : ' {}' };
  }
  return { start: ls, end: Math.min(text.length, le + 1), newText: '' };
}
