/**
 * Settings per resource (`workspace/configuration`, section `factorlint`) merged with the
 * workspace folder's `.factorlintrc.json`. Both are cached (settings per document URI, the
 * rc file per folder) and dropped when the client says they changed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_IGNORES, type FactorlintConfig, type ResolvedConfig } from '../engine/config';
import type { ConfigProblem } from '../engine/config-file';
import { ConfigCascade, configWarnings, resolveFolderConfig, type ConfigFileState } from '../host/config-loader';
import type { RoleGlobs } from '../engine/classify';
import { FILE_ROLES, type SeveritySetting } from '../engine/types';
import { CONFIG_FILE_NAME } from '../protocol';


/** The `factorlint.*` editor settings the server understands. */
export interface FactorlintSettings {
  enable: boolean;
  /** Analyse while typing (debounced) or only when the file is opened or saved. */
  run: 'onType' | 'onSave';
  /** Rule id → severity or `off`; wins over `.factorlintrc.json`. */
  rules: Record<string, SeveritySetting>;
  ignore: string[];
  /** File roles forced by globs (see `.factorlintrc.json` `roles`). */
  roles: RoleGlobs;
  appOnly: { include: string[]; exclude: string[] };
  logger: { module?: string };
  maxFileSize?: number;
  /** Delay between the last keystroke and the analysis, in milliseconds. */
  debounceMs: number;
  trace: { server: 'off' | 'messages' | 'verbose' };
  /**
   * Which files' findings the editor shows: `workspace` publishes the findings of closed files
   * too once the background index is complete (the report's total); `openFiles` only open ones.
   */
  scope: 'workspace' | 'openFiles';
}

export const DEFAULT_DEBOUNCE_MS = 150;

export const DEFAULT_SETTINGS: FactorlintSettings = Object.freeze({
  enable: true,
  run: 'onType',
  rules: {},
  ignore: [],
  roles: {},
  appOnly: { include: [], exclude: [] },
  logger: {},
  debounceMs: DEFAULT_DEBOUNCE_MS,
  trace: { server: 'off' },
  scope: 'workspace',
}) as FactorlintSettings;

const SEVERITIES = new Set(['off', 'hint', 'info', 'warning', 'error']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : [];
}

function roleGlobs(value: unknown): RoleGlobs {
  const out: RoleGlobs = {};
  if (!isRecord(value)) return out;
  for (const role of FILE_ROLES) {
    const globs = strings(value[role]);
    if (globs.length) out[role] = globs;
  }
  return out;
}

/** Reads whatever the client sent, keeping only well-typed values: settings come from users' JSON. */
export function normalizeSettings(raw: unknown): FactorlintSettings {
  if (!isRecord(raw)) return { ...DEFAULT_SETTINGS, rules: {}, roles: {}, appOnly: { include: [], exclude: [] } };
  const rules: Record<string, SeveritySetting> = {};
  // `rules` may be an object (id → severity) or ESLint-style customizations [{ rule, severity }].
  // VS Code's `factorlint.rules.customizations` arrives nested as `rules.customizations`
  const ruleSettings = isRecord(raw.rules) && (isRecord(raw.rules.customizations) || Array.isArray(raw.rules.customizations)) ? raw.rules.customizations : raw.rules;
  if (isRecord(ruleSettings)) {
    for (const [id, severity] of Object.entries(ruleSettings)) if (typeof severity === 'string' && SEVERITIES.has(severity)) rules[id] = severity as SeveritySetting;
  } else if (Array.isArray(ruleSettings)) {
    for (const entry of ruleSettings) {
      if (isRecord(entry) && typeof entry.rule === 'string' && typeof entry.severity === 'string' && SEVERITIES.has(entry.severity)) rules[entry.rule] = entry.severity as SeveritySetting;
    }
  }
  const appOnly = isRecord(raw.appOnly) ? raw.appOnly : {};
  const logger = isRecord(raw.logger) ? raw.logger : {};
  const trace = isRecord(raw.trace) ? raw.trace : {};
  const debounce = typeof raw.debounceMs === 'number' && Number.isFinite(raw.debounceMs) ? Math.max(0, Math.min(5000, raw.debounceMs)) : DEFAULT_DEBOUNCE_MS;
  return {
    enable: raw.enable !== false,
    run: raw.run === 'onSave' ? 'onSave' : 'onType',
    rules,
    ignore: strings(raw.ignore),
    roles: roleGlobs(raw.roles),
    appOnly: { include: strings(appOnly.include), exclude: strings(appOnly.exclude) },
    logger: typeof logger.module === 'string' && logger.module ? { module: logger.module } : {},
    maxFileSize: typeof raw.maxFileSize === 'number' && raw.maxFileSize > 0 ? raw.maxFileSize : undefined,
    debounceMs: debounce,
    trace: { server: trace.server === 'messages' || trace.server === 'verbose' ? trace.server : 'off' },
    scope: raw.scope === 'openFiles' ? 'openFiles' : 'workspace',
  };
}

function settingsLayer(settings: FactorlintSettings): FactorlintConfig {
  return {
    rules: settings.rules,
    ignore: settings.ignore,
    roles: settings.roles,
    appOnly: settings.appOnly,
    logger: settings.logger,
    maxFileSize: settings.maxFileSize,
  };
}

/** The state of one `.factorlintrc.json` (a workspace folder's, or a nested one). */
export interface RcFileState {
  /** URI of the rc file, when the folder is on disk. */
  uri?: string;
  config?: FactorlintConfig;
  /** Error messages ("line L, column C: …"); the file contributes nothing meanwhile. */
  errors: string[];
  /** Errors and warnings with their place in the file (shown as diagnostics in the file itself). */
  problems: ConfigProblem[];
  /** The file's text, to place error diagnostics. */
  text?: string;
  exists: boolean;
}

/** Everything a document's analysis needs to know about its configuration. */
export interface DocumentConfig {
  settings: FactorlintSettings;
  config: ResolvedConfig;
  /** Workspace folder URI holding the document (trailing slash), when any. */
  folderUri?: string;
  /** Path relative to the workspace folder (for `ignore`/`appOnly` globs), forward slashes. */
  relativePath?: string;
  /** The `.factorlintrc.json` files in effect, outermost first (absolute paths), with their error count. */
  configFiles?: Array<{ path: string; errors: number }>;
}

export interface SettingsHost {
  /** Fetches `factorlint` settings for a resource; undefined when the client cannot answer. */
  fetchSettings(scopeUri: string): Promise<unknown>;
  /** Reads a file; undefined when absent. Only `.factorlintrc.json` goes through here. */
  readFile?(fsPath: string): string | undefined;
  /** Called whenever an rc file was (re)read, to publish or clear its own diagnostics. */
  onRcFile?(state: RcFileState): void;
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : uri + '/';
}

function defaultReadFile(fsPath: string): string | undefined {
  try {
    return fs.readFileSync(fsPath, 'utf8');
  } catch {
    return undefined;
  }
}

export class SettingsStore {
  private folders: string[] = [];
  private readonly settingsCache = new Map<string, Promise<FactorlintSettings>>();
  /** Config file URI → its last announced state. */
  private readonly rcCache = new Map<string, RcFileState>();
  private readonly cascades = new Map<string, ConfigCascade>();
  /** Bumped on every invalidation; results computed under an older generation are stale. */
  generation = 0;

  constructor(private readonly host: SettingsHost) {}

  setFolders(uris: readonly string[]): void {
    // longest first, so nested folders win
    this.folders = uris.map(withSlash).sort((a, b) => b.length - a.length);
    this.invalidate();
  }

  folderOf(uri: string): string | undefined {
    return this.folders.find((f) => uri.startsWith(f));
  }

  /** Drops cached settings (and rc files when `rcToo`). */
  invalidate(rcToo = true): void {
    this.generation++;
    this.settingsCache.clear();
    if (rcToo) { this.rcCache.clear(); this.cascades.clear(); }
  }

  /** The last known rc file states (for re-publishing their diagnostics). */
  rcStates(): RcFileState[] {
    return [...this.rcCache.values()];
  }

  settingsFor(uri: string): Promise<FactorlintSettings> {
    let cached = this.settingsCache.get(uri);
    if (!cached) {
      cached = this.host.fetchSettings(uri).then(normalizeSettings, () => normalizeSettings(undefined));
      this.settingsCache.set(uri, cached);
    }
    return cached;
  }

  /** Drops one document's cached settings (when it closes). */
  forget(uri: string): void {
    this.settingsCache.delete(uri);
  }

  /** The config cascade of a workspace folder (nested `.factorlintrc.json` files below it), shared by its documents. */
  private cascadeOf(folderUri: string): ConfigCascade | undefined {
    if (!folderUri.startsWith('file:')) return undefined;
    let cascade = this.cascades.get(folderUri);
    if (!cascade) {
      const read = this.host.readFile ?? defaultReadFile;
      this.cascades.set(folderUri, (cascade = new ConfigCascade(fileURLToPath(folderUri).replace(/[\\/]$/, '') || '/', read)));
    }
    return cascade;
  }

  /** Records (and announces once per read) a config file's state. */
  private noteRcFile(file: ConfigFileState): RcFileState {
    const uri = pathToFileURL(file.file).href;
    let state = this.rcCache.get(uri);
    if (state) return state;
    const errors = file.problems.filter((p) => p.severity === 'error');
    state = {
      uri, exists: file.exists, text: file.text, problems: [...file.problems, ...configWarnings(file)].sort((a, b) => a.start - b.start),
      errors: errors.map((p) => `line ${p.line}, column ${p.column}: ${p.message}`),
      config: errors.length === 0 && file.exists ? Object.assign({}, ...file.layers) as FactorlintConfig : undefined,
    };
    this.rcCache.set(uri, state);
    if (file.exists || uri) this.host.onRcFile?.(state);
    return state;
  }

  /** The workspace folder's own `.factorlintrc.json` (read now if needed). */
  rcFor(folderUri: string): RcFileState {
    const cascade = this.cascadeOf(folderUri);
    if (!cascade) return { errors: [], problems: [], exists: false };
    return this.noteRcFile(cascade.fileState(path.join(cascade.boundary, CONFIG_FILE_NAME)));
  }

  async configFor(uri: string): Promise<DocumentConfig> {
    const settings = await this.settingsFor(uri);
    const folderUri = this.folderOf(uri);
    const cascade = folderUri ? this.cascadeOf(folderUri) : undefined;
    if (folderUri) this.rcFor(folderUri); // the root file's diagnostics even when a nested config applies
    // nested configs, exactly as the CLI resolves them (host/config-loader.ts)
    const folder = cascade && uri.startsWith('file:') ? cascade.forFolder(path.dirname(fileURLToPath(uri))) : undefined;
    for (const f of folder?.files ?? []) this.noteRcFile(f);
    // build outputs and dependencies are never linted in the editor either (like the CLI's walk)
    const config = resolveFolderConfig(folder ?? { files: [], layers: [] }, [{ ignore: [...DEFAULT_IGNORES] }], [settingsLayer(settings)]);
    let relativePath: string | undefined;
    // globs are relative to the outermost config in effect (the workspace folder without one)
    if (folder?.configRoot) relativePath = path.relative(folder.configRoot, fileURLToPath(uri)).split(path.sep).join('/');
    else if (folderUri) relativePath = decodeURIComponent(uri.slice(folderUri.length));
    const configFiles = (folder?.files ?? []).map((f) => ({ path: f.file, errors: f.problems.filter((p) => p.severity === 'error').length }));
    return { settings, config, folderUri, relativePath, configFiles };
  }
}
