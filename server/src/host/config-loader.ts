/**
 * Loads `.factorlintrc.json` files the same way for the CLI and the editor:
 *  - `extends`: the built-in presets `factorlint:recommended | strict | all`, or relative JSON
 *    files (relative to the file that names them, inside the search boundary; no packages, no
 *    code). Missing files and cycles are configuration errors placed on the `extends` entry.
 *  - nested configs: for a folder, every `.factorlintrc.json` from the boundary (workspace root
 *    or the CLI's root) down to that folder applies, outer first, stopping upward at one with
 *    `"root": true`. The outermost one found is the *config root*: every glob (`ignore`,
 *    `appOnly`, `overrides[].files`) is rebased onto it, so the engine matches one relative path.
 */
import * as fs from 'node:fs';
import { tryReadRegularText } from './safe-fs';
import * as path from 'node:path';
import { globMatcher, resolveConfig, type FactorlintConfig, type ResolvedConfig, type RuleSetting } from '../engine/config';
import { parseConfigText, type ConfigProblem } from '../engine/config-file';
import { CONFIG_FILE_NAME } from '../names';
import { lineColumnOf, parseJsonWithLocations, type JsonNode } from '../engine/config-json';
import { SKIPPED_DIRS } from './walk';
import { RULES } from '../rules/registry';
import { META_RULES } from '../engine/run';
import type { Severity } from '../engine/types';
import { WORKSPACE_RULES } from '../workspace/registry';

export type ReadConfigFile = (absPath: string) => string | undefined;

/** Every rule id a config may name: file rules, workspace rules and the engine's own diagnostics. */
export const KNOWN_RULE_IDS: ReadonlySet<string> = new Set([...RULES, ...WORKSPACE_RULES].map((r) => r.meta.id).concat(Object.values(META_RULES)));

const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };
const atLeastWarning = (s: Severity): Severity => (RANK[s] < RANK.warning ? 'warning' : s);
const META_DEFAULTS: Record<string, Severity> = {
  [META_RULES.unusedSuppression]: 'hint', [META_RULES.expiredSuppression]: 'warning', [META_RULES.fileTooLarge]: 'info', [META_RULES.analysisIncomplete]: 'error',
};

/** The built-in presets. Each sets every rule explicitly, so it also undoes `off` from outer configs. */
export function presetConfig(name: string): FactorlintConfig | undefined {
  const registered = [...RULES, ...WORKSPACE_RULES].map((r) => [r.meta.id, r.meta.severity] as const);
  const rules: Record<string, RuleSetting> = {};
  if (name === 'factorlint:recommended') for (const [id, severity] of registered) rules[id] = severity;
  else if (name === 'factorlint:strict') for (const [id, severity] of registered) rules[id] = atLeastWarning(severity);
  else if (name === 'factorlint:all') for (const [id, severity] of [...registered, ...Object.entries(META_DEFAULTS)]) rules[id] = atLeastWarning(severity);
  else return undefined;
  return { rules };
}
export const PRESET_NAMES = ['factorlint:recommended', 'factorlint:strict', 'factorlint:all'];

export interface ConfigFileState {
  /** Absolute path. */
  file: string;
  text?: string;
  exists: boolean;
  /** Problems of this file, including those of the files it extends (placed on its `extends`). */
  problems: ConfigProblem[];
  /** The file's layers, presets and extended files first; empty when it has errors. */
  layers: FactorlintConfig[];
  root: boolean;
}

/** Regular files only, size-capped: a FIFO or a device named like a config never hangs or floods the run. */
const defaultRead: ReadConfigFile = (p) => tryReadRegularText(p);

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const MAX_EXTENDS_DEPTH = 16;

/** One config file and what it extends. `boundary`: extended files must stay inside it. */
export function loadConfigFile(file: string, read: ReadConfigFile = defaultRead, boundary?: string, stack: string[] = []): ConfigFileState {
  const text = read(file);
  const state: ConfigFileState = { file, text, exists: text !== undefined, problems: [], layers: [], root: false };
  if (text === undefined) return state;
  const fileName = path.basename(file);
  const parsed = parseConfigText(text, { knownRuleIds: KNOWN_RULE_IDS, fileName });
  state.problems.push(...parsed.problems);
  const config = parsed.config;
  if (!config) return state;
  state.root = config.root === true;
  const layers: FactorlintConfig[] = [];
  const entries = config.extends === undefined ? [] : Array.isArray(config.extends) ? config.extends : [config.extends];
  for (const entry of entries) {
    const fail = (message: string) => {
      const at = text.indexOf(JSON.stringify(entry).slice(0, -1)); // the entry's string in the text
      const start = Math.max(0, at);
      state.problems.push({ severity: 'error', message, start, end: start + JSON.stringify(entry).length, ...lineColumnOf(text, start) });
    };
    if (entry.startsWith('factorlint:')) {
      const preset = presetConfig(entry);
      if (preset) layers.push(preset);
      else fail(`Unknown preset '${entry}' in ${fileName} (the presets are ${PRESET_NAMES.join(', ')})`);
      continue;
    }
    if (!/^\.\.?\//.test(entry) || !entry.endsWith('.json')) { fail(`'extends' entry '${entry}' in ${fileName} must be a preset or a relative path to a .json file (starting with ./ or ../)`); continue; }
    const target = path.resolve(path.dirname(file), entry);
    if (boundary && !isInside(boundary, target)) { fail(`'extends' entry '${entry}' in ${fileName} points outside ${boundary}`); continue; }
    if (stack.includes(target) || target === file) { fail(`'extends' cycle in ${fileName}: ${[...stack, file, target].map((f) => path.basename(f)).join(' → ')}`); continue; }
    if (stack.length >= MAX_EXTENDS_DEPTH) { fail(`'extends' chain deeper than ${MAX_EXTENDS_DEPTH} in ${fileName}`); continue; }
    const inner = loadConfigFile(target, read, boundary, [...stack, file]);
    if (!inner.exists) { fail(`'extends' entry '${entry}' in ${fileName}: no such file`); continue; }
    const innerErrors = inner.problems.filter((p) => p.severity === 'error');
    if (innerErrors.length > 0) { fail(`'extends' entry '${entry}' in ${fileName} is invalid: ${innerErrors[0].message} (line ${innerErrors[0].line}, column ${innerErrors[0].column})`); continue; }
    layers.push(...inner.layers);
  }
  if (state.problems.some((p) => p.severity === 'error')) return state;
  const { extends: _extends, root: _root, $schema: _schema, ...own } = config;
  state.layers = [...layers, own];
  return state;
}

/** Prefixes a glob written relative to `prefix` (a folder below the config root). */
function rebase(glob: string, prefix: string): string {
  if (!prefix) return glob;
  const negated = glob.startsWith('!');
  const body = (negated ? glob.slice(1) : glob).replace(/^\.?\//, '');
  return `${negated ? '!' : ''}${prefix}/${body}`;
}

function rebaseLayer(layer: FactorlintConfig, prefix: string): FactorlintConfig {
  if (!prefix) return layer;
  return {
    ...layer,
    ignore: layer.ignore?.map((g) => rebase(g, prefix)),
    appOnly: layer.appOnly && { include: layer.appOnly.include?.map((g) => rebase(g, prefix)), exclude: layer.appOnly.exclude?.map((g) => rebase(g, prefix)) },
    overrides: layer.overrides?.map((o) => ({ ...o, files: o.files.map((g) => rebase(g, prefix)) })),
  };
}

export interface FolderConfig {
  /** Folder the config's globs are relative to: the outermost config file found (undefined: none). */
  configRoot?: string;
  /** Config files in effect, outermost first. */
  files: ConfigFileState[];
  /** The layers of those files, rebased onto `configRoot` (files with errors contribute nothing). */
  layers: FactorlintConfig[];
}

/** Nested config lookup with one cache per folder; `boundary` is the highest folder searched. */
export class ConfigCascade {
  private readonly byFolder = new Map<string, FolderConfig>();
  private readonly byFile = new Map<string, ConfigFileState>();

  constructor(readonly boundary: string, private readonly read: ReadConfigFile = defaultRead) {}

  fileState(file: string): ConfigFileState {
    let state = this.byFile.get(file);
    if (!state) this.byFile.set(file, (state = loadConfigFile(file, this.read, this.boundary)));
    return state;
  }

  /**
   * A walk's listing of `absDir` (host/walk.ts `onListed`): without a config file among its
   * entries, the folder's lookup needs no open (a failed open per analysed folder, on every run).
   */
  folderListed(absDir: string, entries: readonly fs.Dirent[]): void {
    if (entries.some((e) => e.name === CONFIG_FILE_NAME)) return;
    const file = path.join(absDir, CONFIG_FILE_NAME);
    if (!this.byFile.has(file)) this.byFile.set(file, { file, text: undefined, exists: false, problems: [], layers: [], root: false });
  }

  forFolder(folder: string): FolderConfig {
    let cached = this.byFolder.get(folder);
    if (cached) return cached;
    const found: ConfigFileState[] = [];
    if (isInside(this.boundary, folder)) {
      for (let dir = folder; ; dir = path.dirname(dir)) {
        const state = this.fileState(path.join(dir, CONFIG_FILE_NAME));
        if (state.exists) {
          found.unshift(state);
          if (state.root) break;
        }
        if (dir === this.boundary || path.dirname(dir) === dir) break;
      }
    }
    const configRoot = found.length > 0 ? path.dirname(found[0].file) : undefined;
    const layers = found.flatMap((f) => f.layers.map((l) => rebaseLayer(l, path.relative(configRoot!, path.dirname(f.file)).split(path.sep).join('/'))));
    cached = { configRoot, files: found, layers };
    this.byFolder.set(folder, cached);
    return cached;
  }

  /** Every config file read so far (for reporting their problems). */
  loadedFiles(): ConfigFileState[] {
    return [...this.byFile.values()].filter((s) => s.exists);
  }
}

/** The resolved config of a folder: defaults, config files, then the caller's own layers (CLI flags, editor settings). */
export function resolveFolderConfig(folder: FolderConfig, before: FactorlintConfig[], after: FactorlintConfig[]): ResolvedConfig {
  return resolveConfig(...before, ...folder.layers, ...after);
}

/** "file:line:column: message" lines for the CLI. */
export function formatProblems(state: ConfigFileState, cwd: string): string[] {
  const shown = path.relative(cwd, state.file) || state.file;
  return state.problems.map((p) => `${shown}:${p.line}:${p.column}: ${p.severity}: ${p.message}`);
}

/** Above this many files the "matches no file" check is skipped: it could not be told cheaply. */
const MAX_LISTED_FILES = 20_000;

/** Files below `folder` (relative, forward slashes), skipping dependency and build folders; undefined past the cap. */
export function listConfigFolder(folder: string): string[] | undefined {
  const out: string[] = [];
  const stack = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(folder, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) { if (!SKIPPED_DIRS.has(e.name)) stack.push(child); }
      else if (e.isFile()) { out.push(child); if (out.length > MAX_LISTED_FILES) return undefined; }
    }
  }
  return out;
}

/**
 * Warnings for the globs of a config file (`ignore`, `appOnly`, `overrides[].files`) that match
 * none of `files` (relative to the file's folder): a glob that silently does nothing is usually
 * a typo or written relative to the wrong folder. Negated globs are not checked.
 */
export function unmatchedGlobProblems(state: ConfigFileState, files: readonly string[]): ConfigProblem[] {
  if (!state.text || state.problems.some((p) => p.severity === 'error')) return [];
  let root: JsonNode;
  try {
    root = parseJsonWithLocations(state.text.replace(/^\uFEFF/, ' '));
  } catch {
    return [];
  }
  const member = (node: JsonNode | undefined, key: string) => node?.members?.find((m) => m.key === key)?.value;
  const lists: Array<JsonNode | undefined> = [member(root, 'ignore'), member(member(root, 'appOnly'), 'include'), member(member(root, 'appOnly'), 'exclude')];
  for (const o of member(root, 'overrides')?.items ?? []) lists.push(member(o, 'files'));
  const fileName = path.basename(state.file);
  const problems: ConfigProblem[] = [];
  for (const list of lists) {
    for (const item of list?.items ?? []) {
      const glob = item.value;
      if (typeof glob !== 'string' || glob.startsWith('!')) continue;
      const matches = globMatcher([glob.replace(/^\.?\//, '')]);
      if (files.some(matches)) continue;
      problems.push({ severity: 'warning', message: `Glob '${glob}' in ${fileName} matches no file (globs are relative to the folder of ${fileName})`, start: item.start, end: item.end, ...lineColumnOf(state.text, item.start) });
    }
  }
  return problems;
}

/** The warnings of a loaded config file the CLI and the editor both show (globs matching nothing). */
export function configWarnings(state: ConfigFileState): ConfigProblem[] {
  if (!state.exists || state.problems.some((p) => p.severity === 'error')) return [];
  const files = listConfigFolder(path.dirname(state.file));
  return files ? unmatchedGlobProblems(state, files) : [];
}
