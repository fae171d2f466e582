/**
 * Layers point one way. Reads the imports of every source file (server and client) and fails
 * on an import that points upward or on an import cycle. The order, lowest first:
 *
 *   parse, knowledge, names.ts → engine → rules, workspace → host, report, cache (and protocol.ts)
 *   → cli, features → start-server.ts, server.ts, cli.ts
 *
 * and the client imports only the protocol (`server/src/protocol.ts`), never the engine.
 * Type-only imports count too: a type is knowledge of the layer that defines it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const SERVER = path.join(ROOT, 'server/src');
const CLIENT = path.join(ROOT, 'client/src');

/** Layer of a server source file, by folder (or name, for the top-level files). */
const LAYERS: ReadonlyArray<[RegExp, number, string]> = [
  [/^(?:parse|knowledge)\/|^names\.ts$/, 0, 'parse/knowledge/names.ts'],
  [/^engine\//, 1, 'engine'],
  [/^(?:rules|workspace)\//, 2, 'rules/workspace'],
  [/^(?:host|report|cache)\/|^(?:protocol|shard|report-summary)\.ts$/, 3, 'host/report/cache'],
  [/^(?:cli|features)\//, 4, 'cli/features'],
  [/^(?:start-server|server|cli|server-args)\.ts$/, 5, 'start-server/server/cli.ts'],
];

function sourceFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((rel) => /\.ts$/.test(rel) && !rel.endsWith('.d.ts'))
    .map((rel) => path.join(dir, rel))
    .sort();
}

/** Relative module specifiers a file imports or re-exports (static, dynamic, require). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)) specs.push(m[1]);
  return specs;
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base + '.ts', path.join(base, 'index.ts'), base]) if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return undefined;
}

function layerOf(file: string): { level: number; name: string } | undefined {
  const rel = path.relative(SERVER, file).replace(/\\/g, '/');
  if (rel.startsWith('..')) return undefined;
  const hit = LAYERS.find(([re]) => re.test(rel));
  return hit ? { level: hit[1], name: hit[2] } : undefined;
}

const show = (file: string) => path.relative(ROOT, file).replace(/\\/g, '/');

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of [...sourceFiles(SERVER), ...sourceFiles(CLIENT)]) {
    edges.set(file, importsOf(file).map((spec) => resolveImport(file, spec)).filter((t): t is string => t !== undefined && t.endsWith('.ts')));
  }
  return edges;
}

test('layers: every server source file belongs to a layer', () => {
  const unplaced = sourceFiles(SERVER).filter((f) => !layerOf(f)).map(show);
  assert.deepEqual(unplaced, [], 'add the file (or its folder) to LAYERS');
});

test('layers: no import points upward; the client imports only the protocol', () => {
  const violations: string[] = [];
  const protocol = path.join(SERVER, 'protocol.ts');
  for (const [file, targets] of graph()) {
    for (const target of targets) {
      if (file.startsWith(CLIENT + path.sep)) {
        if (!target.startsWith(CLIENT + path.sep) && target !== protocol) violations.push(`${show(file)} → ${show(target)} (the client imports only the protocol)`);
        continue;
      }
      if (target.startsWith(CLIENT + path.sep)) { violations.push(`${show(file)} → ${show(target)} (the server never imports the client)`); continue; }
      const from = layerOf(file);
      const to = layerOf(target);
      if (from && to && to.level > from.level) violations.push(`${show(file)} (${from.name}) → ${show(target)} (${to.name})`);
    }
  }
  assert.deepEqual(violations, []);
});

test('layers: no import cycle', () => {
  const edges = graph();
  // Tarjan's strongly connected components: any component of more than one file is a cycle
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter); low.set(v, counter); counter++;
    stack.push(v); onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.map(show).sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  assert.deepEqual(cycles, []);
});

/** Code of a source file without its comments (strings stay: they are what is looked for). */
function codeOf(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

test('names: the config file name and the diagnostic source are defined once (server/src/names.ts)', () => {
  const names = path.join(SERVER, 'names.ts');
  const offenders: string[] = [];
  for (const file of [...sourceFiles(SERVER), ...sourceFiles(CLIENT)]) {
    if (file === names) continue;
    const code = codeOf(file);
    // the file name in code (a string, template or pattern), not in prose comments
    if (/\.factorlintrc\.json/.test(code)) offenders.push(`${show(file)}: literal .factorlintrc.json (import CONFIG_FILE_NAME)`);
    // a second definition of either name, or the source compared or set as a literal
    if (/\b(?:const|let|var)\s+(?:CONFIG_FILE_NAME|RC_FILE_NAME|DIAGNOSTIC_SOURCE)\b/.test(code)) offenders.push(`${show(file)}: defines its own name constant`);
    if (/\bsource\s*(?:[:=]|===|!==)\s*['"`]factorlint['"`]/.test(code)) offenders.push(`${show(file)}: literal diagnostic source (import DIAGNOSTIC_SOURCE)`);
  }
  assert.deepEqual(offenders, []);
  const defined = fs.readFileSync(names, 'utf8');
  assert.match(defined, /export const CONFIG_FILE_NAME = '\.factorlintrc\.json';/);
  assert.match(defined, /export const DIAGNOSTIC_SOURCE = 'factorlint';/);
});

test('names: the client reaches the shared names through the protocol', () => {
  const protocol = fs.readFileSync(path.join(SERVER, 'protocol.ts'), 'utf8');
  assert.match(protocol, /export \{ CONFIG_FILE_NAME, DIAGNOSTIC_SOURCE \} from '\.\/names';/);
});
