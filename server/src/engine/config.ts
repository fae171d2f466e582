/**
 * Configuration: `.factorlintrc.json` (validated against the shipped JSON schema) merged
 * with editor settings. JSON only: opening a workspace never executes its code.
 *
 * A config is resolved from layers (presets named by `extends`, extended files, the
 * `.factorlintrc.json` files from the workspace root down to a file's folder, then editor
 * settings or CLI flags); `overrides` are kept and applied per file by `configForPath`.
 */
import type { AppScopeGlobs, RoleGlobs } from './classify';
import { compiledGlobs } from './glob';
import { isModuleSpecifier } from './module-specifier';
import { FILE_ROLES } from './types';
import type { SeveritySetting } from './types';

/** Options of one rule (validated by `RULE_OPTION_SCHEMAS` before they get here). */
export type RuleOptionValues = Record<string, unknown>;

/** `"warning"`, or ESLint-style `["warning", { ...options }]`. */
export type RuleSetting = SeveritySetting | [SeveritySetting] | [SeveritySetting, RuleOptionValues];

export interface ConfigOverride {
  /** Globs relative to the folder of the `.factorlintrc.json` that applies. */
  files: string[];
  rules?: Record<string, RuleSetting>;
  /** Reserved for file roles (accepted by the schema, not applied yet). */
  roles?: string[];
}

export interface FactorlintConfig {
  $schema?: string;
  /** Stops the search for `.factorlintrc.json` files in parent folders. */
  root?: boolean;
  /** `factorlint:recommended` | `factorlint:strict` | `factorlint:all` | a relative JSON file. */
  extends?: string | string[];
  /** Rule id → severity or `off`, optionally with the rule's options. */
  rules?: Record<string, RuleSetting>;
  /** Globs of files never analysed. */
  ignore?: string[];
  /** File roles forced by globs (`{ "script": ["tools/**"], "server": ["bin/www"] }`): they override evidence. */
  roles?: RoleGlobs;
  /** @deprecated alias of `roles`: `include` → server, `exclude` → script. */
  appOnly?: AppScopeGlobs;
  logger?: { module?: string };
  /** Files larger than this (bytes) are skipped with one info diagnostic. */
  maxFileSize?: number;
  /** Rule settings for files matching globs, applied in order (later wins). */
  overrides?: ConfigOverride[];
}

export interface ResolvedOverride {
  files: string[];
  rules: Record<string, SeveritySetting>;
  ruleOptions: Record<string, RuleOptionValues>;
}

export interface ResolvedConfig {
  rules: Record<string, SeveritySetting>;
  /** Rule id → the options configured for it (absent: the rule's defaults). */
  ruleOptions: Record<string, RuleOptionValues>;
  ignore: string[];
  roles: RoleGlobs;
  appOnly: AppScopeGlobs;
  loggerModule?: string;
  maxFileSize: number;
  overrides: ResolvedOverride[];
}

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

/**
 * Folders never analysed, by the CLI's walk, the editor's index and open documents alike:
 * dependencies, VCS data and build outputs. The one list; `DEFAULT_IGNORES` is its glob form.
 */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.turbo', '.cache']);

/** `SKIPPED_DIRS` as `ignore` globs, for documents the editor opens in those folders. */
export const DEFAULT_IGNORES: readonly string[] = [...SKIPPED_DIRS].map((dir) => `**/${dir}/**`);

/** Splits a rule setting into its severity and options. */
export function splitRuleSetting(setting: RuleSetting): { severity: SeveritySetting; options?: RuleOptionValues } {
  if (Array.isArray(setting)) return { severity: setting[0], options: setting[1] };
  return { severity: setting };
}

function mergeRules(into: { rules: Record<string, SeveritySetting>; ruleOptions: Record<string, RuleOptionValues> }, rules: Record<string, RuleSetting> | undefined): void {
  for (const [id, setting] of Object.entries(rules ?? {})) {
    const { severity, options } = splitRuleSetting(setting);
    into.rules[id] = severity;
    if (options) into.ruleOptions[id] = options;
  }
}

export function resolveConfig(...layers: Array<FactorlintConfig | undefined>): ResolvedConfig {
  const resolved: ResolvedConfig = { rules: {}, ruleOptions: {}, ignore: [], roles: {}, appOnly: { include: [], exclude: [] }, maxFileSize: DEFAULT_MAX_FILE_SIZE, overrides: [] };
  for (const layer of layers) {
    if (!layer) continue;
    mergeRules(resolved, layer.rules);
    resolved.ignore.push(...(layer.ignore ?? []));
    for (const role of FILE_ROLES) {
      const globs = layer.roles?.[role];
      if (Array.isArray(globs) && globs.length) (resolved.roles[role] ??= []).push(...globs.filter((g) => typeof g === 'string'));
    }
    resolved.appOnly.include!.push(...(layer.appOnly?.include ?? []));
    resolved.appOnly.exclude!.push(...(layer.appOnly?.exclude ?? []));
    // an invalid specifier is reported by configuration loading and never reaches a fix
    if (layer.logger?.module && isModuleSpecifier(layer.logger.module)) resolved.loggerModule = layer.logger.module;
    if (typeof layer.maxFileSize === 'number' && layer.maxFileSize > 0) resolved.maxFileSize = layer.maxFileSize;
    for (const override of layer.overrides ?? []) {
      const compiled: ResolvedOverride = { files: [...override.files], rules: {}, ruleOptions: {} };
      mergeRules(compiled, override.rules);
      resolved.overrides.push(compiled);
    }
  }
  return resolved;
}

export const DEFAULT_CONFIG: ResolvedConfig = resolveConfig();

/**
 * Config globs (`ignore`, `overrides[].files`, `roles`) become matchers in one place: the bounded,
 * compiled-once matcher of glob.ts (configuration may come from an untrusted workspace).
 */
export function globMatcher(globs: readonly string[]): (path: string) => boolean {
  const match = compiledGlobs(globs);
  return (p: string) => match(p.replace(/\\/g, '/'));
}

/** The config for one file: `overrides` whose `files` match its path (relative to the config root), in order. */
export function configForPath(config: ResolvedConfig, relativePath: string): ResolvedConfig {
  const matching = config.overrides.filter((o) => globMatcher(o.files)(relativePath));
  if (matching.length === 0) return config;
  const rules = { ...config.rules };
  const ruleOptions = { ...config.ruleOptions };
  for (const o of matching) {
    Object.assign(rules, o.rules);
    Object.assign(ruleOptions, o.ruleOptions);
  }
  return { ...config, rules, ruleOptions };
}
