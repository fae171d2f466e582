/**
 * What a rule may know beyond its own file, handed to it as data by the host (the LSP
 * server or the CLI), which is the only place that reads files. Every field is optional:
 * a rule must behave sensibly when the host knows nothing (e.g. an untitled buffer).
 */

export interface PackageJsonFacts {
  name?: string;
  main?: string;
  bin?: string | Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
  engines?: Record<string, string>;
  type?: string;
  /** Corepack's `packageManager` (`yarn@4.5.0`, `pnpm@9.15.0`): which package manager and major the project uses. */
  packageManager?: string;
}

export interface PackageInfo {
  /** Folder holding the package.json, forward slashes, no trailing slash. */
  dir: string;
  json: PackageJsonFacts;
}

/**
 * An environment flag a module exports, as the project model found it: `ref` when the export
 * is the environment's name (`export const env = process.env.NODE_ENV`), `condition` when it
 * tests it (`isProd: process.env.NODE_ENV === 'production'`, with the names compared in `values`).
 */
export interface EnvExport { ref?: string; condition?: string; values?: string[] }

/** A module's environment flags by export path (`isDev`, `env.isProduction`; default export and `module.exports` at the root). */
export type EnvExports = Record<string, EnvExport>;

export interface ProjectContext {
  /** The package.json nearest to the analysed file. */
  nearestPackage?: PackageInfo;
  /** The package.json beside a Dockerfile (for `package-manager-as-pid1`'s fix). */
  packageBesideFile?: PackageInfo;
  /** Names of the workspace's own packages (monorepo members), importable by name. */
  workspacePackageNames?: ReadonlySet<string>;
  /**
   * Bare specifiers the file's tsconfig/jsconfig resolves locally, not packages: `paths` keys
   * (`@app/*`, `~/*`: a trailing `*` or `/` matches by prefix) and the folders and modules under
   * `baseUrl` (`fixtures`: matches `fixtures` and `fixtures/…`). See `engine/path-aliases.ts`.
   */
  pathAliases?: readonly string[];
  /** Whether a path (absolute or relative to the analysed file) is ignored by `.gitignore`. */
  isGitIgnored?: (path: string) => boolean;
  /** Whether the analysed file is tracked by git, when known. */
  isTracked?: boolean;
  /**
   * True when some module of the file's package registers a SIGTERM handler or a
   * graceful-shutdown library (facts gathered by the host from other files).
   */
  packageHasShutdownHandler?: boolean;
  /** Paths of the other files in the file's package that register shutdown handling. */
  shutdownHandlerFiles?: readonly string[];
  /**
   * The environment flags of the workspace modules this file imports, by import specifier as
   * written (`'./config'`, `'@/utils/env'`): lets rules follow `config.isProd` into the module
   * that defines it. Only modules that export at least one flag are listed.
   */
  envImports?: Record<string, EnvExports>;
  /** Reads another workspace file already known to the host (no I/O in rules: the host answers from its index). */
  readWorkspaceFile?: (path: string) => string | undefined;
}

export const EMPTY_PROJECT: ProjectContext = {};

/**
 * A package.json that only sets module flavour for a build folder (`{ "type": "module" }` in
 * `dist/esm/`, as dual-format builds write, sometimes with the name copied in): it declares no
 * dependencies, scripts or workspaces, and has no name or sits in a build-output folder. It is
 * not the package's root, so dependency and package-boundary checks must not use it.
 */
export function isStubPackage(info: PackageInfo): boolean {
  const json = info.json;
  if (json.dependencies || json.devDependencies || json.peerDependencies || json.optionalDependencies || json.workspaces || json.scripts || json.bin) return false;
  return !json.name || /(?:^|\/)(?:dist|build|out|lib|esm|cjs|commonjs|browser|module)(?:\/|$)/.test(info.dir);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Keeps only well-typed fields of a parsed package.json: rules may trust the shape. */
export function sanitizePackageJson(value: unknown): PackageJsonFacts | undefined {
  if (!isObject(value)) return undefined;
  const facts: PackageJsonFacts = {};
  if (typeof value.name === 'string') facts.name = value.name;
  if (typeof value.main === 'string') facts.main = value.main;
  if (typeof value.type === 'string') facts.type = value.type;
  if (typeof value.packageManager === 'string') facts.packageManager = value.packageManager;
  if (typeof value.bin === 'string') facts.bin = value.bin;
  else if (isObject(value.bin)) facts.bin = stringRecord(value.bin);
  for (const key of ['scripts', 'dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'engines'] as const) {
    const record = stringRecord(value[key]);
    if (record) facts[key] = record;
  }
  if (Array.isArray(value.workspaces)) facts.workspaces = value.workspaces.filter((w): w is string => typeof w === 'string');
  else if (isObject(value.workspaces) && Array.isArray(value.workspaces.packages)) {
    facts.workspaces = { packages: value.workspaces.packages.filter((w): w is string => typeof w === 'string') };
  }
  return facts;
}

