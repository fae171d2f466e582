/**
 * Parses and validates one `.factorlintrc.json` text. Returns located problems instead of
 * throwing (a broken config file must not break linting): each names the offending key or
 * value, suggests the closest valid name, and carries its line and column so the CLI can print
 * it and the editor can show it in the config file itself. `extends` is resolved elsewhere
 * (host/config-loader.ts): this module does no I/O.
 */
import type Ajv from 'ajv';
import schema from '../../../schemas/factorlintrc.schema.json';
import { CONFIG_FILE_NAME } from '../names';
import type { FactorlintConfig } from './config';
import { globListProblems } from './glob';
import { isModuleSpecifier } from './module-specifier';
import { JsonSyntaxError, lineColumnOf, parseJsonWithLocations, type JsonNode } from './config-json';
import { ruleOptionProblems } from './rule-options';


export interface ConfigProblem {
  severity: 'error' | 'warning';
  message: string;
  /** UTF-16 offsets in the config text (end exclusive). */
  start: number;
  end: number;
  /** 1-based. */
  line: number;
  column: number;
}

export interface ConfigParseResult {
  /** The config, when it has no errors (warnings allowed). */
  config?: FactorlintConfig;
  /** Error messages with their position ("line 3, column 5: …"), for plain-text callers. */
  errors: string[];
  problems: ConfigProblem[];
}

export interface ConfigParseOptions {
  /** Every rule id a config may name; unknown ids are errors with a suggestion. Unchecked when absent. */
  knownRuleIds?: ReadonlySet<string>;
  /** Shown in messages (default `.factorlintrc.json`). */
  fileName?: string;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** Edit distance, bounded: names are short. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = saved;
    }
  }
  return row[b.length];
}

/** The closest candidate, when it is close enough to be the intended name. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function didYouMean(name: string, candidates: Iterable<string>): string {
  const best = closestName(name, candidates);
  return best ? ` (did you mean '${best}'?)` : '';
}

type SchemaNode = { properties?: Record<string, SchemaNode>; additionalProperties?: boolean | SchemaNode; items?: SchemaNode; $ref?: string };

function deref(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node?.$ref) return node;
  const name = node.$ref.replace('#/definitions/', '');
  return (schema as unknown as { definitions: Record<string, SchemaNode> }).definitions[name];
}

/** The node at an ajv instance path (`/rules/x/0`), for placing its error. */
function nodeAt(root: JsonNode, instancePath: string): JsonNode {
  let node = root;
  for (const raw of instancePath.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const next = node.kind === 'object' ? node.members?.find((m) => m.key === part)?.value : node.kind === 'array' ? node.items?.[Number(part)] : undefined;
    if (!next) break;
    node = next;
  }
  return node;
}

export function parseConfigText(text: string, options: ConfigParseOptions = {}): ConfigParseResult {
  const fileName = options.fileName ?? CONFIG_FILE_NAME;
  const problems: ConfigProblem[] = [];
  const add = (severity: ConfigProblem['severity'], message: string, start: number, end: number): void => {
    problems.push({ severity, message, start, end, ...lineColumnOf(text, start) });
  };
  let root: JsonNode;
  try {
    root = parseJsonWithLocations(text.replace(/^\uFEFF/, ' '));
  } catch (error) {
    const offset = error instanceof JsonSyntaxError ? error.offset : 0;
    const { line, column } = lineColumnOf(text, offset);
    add('error', `${fileName} is not valid JSON: ${(error as Error).message} at line ${line}, column ${column}`, offset, Math.min(text.length, offset + 1));
    return finish(problems);
  }

  // unknown keys, walking the schema alongside the value (ajv would only say "additional properties")
  const walk = (node: JsonNode, schemaNode: SchemaNode | undefined, where: string): void => {
    const s = deref(schemaNode);
    if (!s) return;
    if (node.kind === 'object' && s.properties) {
      for (const m of node.members ?? []) {
        if (m.key in s.properties) walk(m.value, s.properties[m.key], `${where}${m.key}.`);
        else if (s.additionalProperties === false) add('error', `Unknown key '${where}${m.key}' in ${fileName}${didYouMean(m.key, Object.keys(s.properties))}`, m.keyStart, m.keyEnd);
      }
    } else if (node.kind === 'array' && s.items) {
      node.items?.forEach((item) => walk(item, s.items, where));
    }
  };
  walk(root, schema as unknown as SchemaNode, '');

  // rule ids and rule options, in `rules` and in every `overrides[].rules`
  const ruleMaps: JsonNode[] = [];
  const rulesOf = (n: JsonNode | undefined) => n?.kind === 'object' ? n.members?.find((m) => m.key === 'rules')?.value : undefined;
  const topRules = rulesOf(root);
  if (topRules) ruleMaps.push(topRules);
  const overrides = root.kind === 'object' ? root.members?.find((m) => m.key === 'overrides')?.value : undefined;
  for (const o of overrides?.items ?? []) { const r = rulesOf(o); if (r) ruleMaps.push(r); }
  for (const map of ruleMaps) {
    for (const m of map.members ?? []) {
      if (options.knownRuleIds && !options.knownRuleIds.has(m.key)) {
        add('error', `Unknown rule '${m.key}' in ${fileName}${didYouMean(m.key, options.knownRuleIds)}`, m.keyStart, m.keyEnd);
        continue;
      }
      const optionsNode = m.value.kind === 'array' ? m.value.items?.[1] : undefined;
      if (!optionsNode) continue;
      for (const p of ruleOptionProblems(m.key, optionsNode.value)) {
        const keyNode = p.key !== undefined ? optionsNode.members?.find((x) => x.key === p.key) : undefined;
        const suggestion = p.suggestionsFrom && p.key ? didYouMean(p.key, p.suggestionsFrom) : '';
        add('error', `${p.message} in ${fileName}${suggestion}`, keyNode?.keyStart ?? optionsNode.start, keyNode?.keyEnd ?? optionsNode.end);
      }
    }
  }

  // loaded on the first config file validated: a run without one (most CLI runs) never runs ajv's module code
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  validator ??= new (require('ajv') as { default: typeof Ajv }).default({ allErrors: true, strict: false }).compile(schema);
  if (!validator(root.value)) {
    const seen = new Set<string>();
    for (const e of validator.errors ?? []) {
      if (e.keyword === 'additionalProperties' || e.keyword === 'propertyNames' || e.keyword === 'if') continue; // named above
      const node = nodeAt(root, e.instancePath);
      if (problems.some((p) => p.start >= node.start && p.end <= node.end)) continue; // already said, better
      const where = e.instancePath ? `'${e.instancePath.slice(1).split('/').map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~')).join('.')}'` : 'the configuration';
      const allowed = e.params && 'allowedValues' in e.params ? `: ${(e.params.allowedValues as string[]).join(', ')}` : '';
      const message = `${where} ${e.message ?? 'is invalid'}${allowed} in ${fileName}`;
      // oneOf/anyOf repeat each branch's complaint: keep the first per place
      if (seen.has(e.instancePath)) continue;
      seen.add(e.instancePath);
      add('error', message, node.start, node.end);
    }
  }
  // what the schema cannot say (costly globs, a logger module that is no module specifier), at the key it is about
  for (const message of configProblems(root.value as FactorlintConfig)) {
    const key = /^\/(\w+)/.exec(message)?.[1];
    const member = root.kind === 'object' ? root.members?.find((m) => m.key === key) : undefined;
    add('error', `${message} in ${fileName}`, member?.keyStart ?? root.start, member?.keyEnd ?? root.start + 1);
  }
  const roles = (overrides?.items ?? []).map((o) => o.members?.find((m) => m.key === 'roles')).filter((m) => m !== undefined);
  for (const m of roles) add('warning', `'overrides[].roles' is not applied by this version of factorlint (file roles come with the top-level 'roles' setting)`, m!.keyStart, m!.keyEnd);
  return finish(problems, root.value as FactorlintConfig);
}

function finish(problems: ConfigProblem[], value?: FactorlintConfig): ConfigParseResult {
  problems.sort((a, b) => a.start - b.start);
  const errors = problems.filter((p) => p.severity === 'error');
  return {
    config: errors.length === 0 ? value : undefined,
    errors: errors.map((p) => `line ${p.line}, column ${p.column}: ${p.message}`),
    problems,
  };
}

/**
 * What the schema cannot say: globs that would cost too much to match, and a logger module
 * that is not a module specifier (it is pasted into code by a quick fix).
 */
export function configProblems(config: FactorlintConfig): string[] {
  if (typeof config !== 'object' || config === null) return [];
  const problems = [
    ...globListProblems('/ignore', config.ignore ?? []),
    ...globListProblems('/appOnly/include', config.appOnly?.include ?? []),
    ...globListProblems('/appOnly/exclude', config.appOnly?.exclude ?? []),
    ...Object.entries(config.roles ?? {}).flatMap(([role, globs]) => globListProblems(`/roles/${role}`, Array.isArray(globs) ? globs : [])),
    ...(config.overrides ?? []).flatMap((o, i) => globListProblems(`/overrides/${i}/files`, Array.isArray(o?.files) ? o.files : [])),
  ];
  const module = config.logger?.module;
  if (typeof module === 'string' && !isModuleSpecifier(module)) problems.push(`/logger/module is not a module specifier (${JSON.stringify(module.slice(0, 60))}): use a path or package name such as "./src/logger"`);
  return problems;
}
