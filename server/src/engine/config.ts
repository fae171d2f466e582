/**
 * Configuration: `.factorlintrc.json` (validated against the shipped JSON schema) merged
 * with editor settings. JSON only: opening a workspace never executes its code.
 */
import type { AppScopeGlobs, RoleGlobs } from './classify';
import { isModuleSpecifier } from './module-specifier';
import { FILE_ROLES } from './types';
import type { SeveritySetting } from './types';

export interface FactorlintConfig {
  /** Rule id → severity or `off`. */
  rules?: Record<string, SeveritySetting>;
  /** Globs of files never analysed. */
  ignore?: string[];
  /** File roles forced by globs (`{ "script": ["tools/**"], "server": ["bin/www"] }`): they override evidence. */
  roles?: RoleGlobs;
  /** @deprecated alias of `roles`: `include` → server, `exclude` → script. */
  appOnly?: AppScopeGlobs;
  logger?: { module?: string };
  /** Files larger than this (bytes) are skipped with one info diagnostic. */
  maxFileSize?: number;
}

export interface ResolvedConfig {
  rules: Record<string, SeveritySetting>;
  ignore: string[];
  roles: RoleGlobs;
  appOnly: AppScopeGlobs;
  loggerModule?: string;
  maxFileSize: number;
}

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

/**
 * Folders never analysed, by the CLI's walk, the editor's index and open documents alike:
 * dependencies, VCS data and build outputs. The one list; `DEFAULT_IGNORES` is its glob form.
 */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.turbo', '.cache']);

/** `SKIPPED_DIRS` as `ignore` globs, for documents the editor opens in those folders. */
export const DEFAULT_IGNORES: readonly string[] = [...SKIPPED_DIRS].map((dir) => `**/${dir}/**`);

export function resolveConfig(...layers: Array<FactorlintConfig | undefined>): ResolvedConfig {
  const resolved: ResolvedConfig = { rules: {}, ignore: [], roles: {}, appOnly: { include: [], exclude: [] }, maxFileSize: DEFAULT_MAX_FILE_SIZE };
  for (const layer of layers) {
    if (!layer) continue;
    Object.assign(resolved.rules, layer.rules ?? {});
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
  }
  return resolved;
}

export const DEFAULT_CONFIG: ResolvedConfig = resolveConfig();
