/**
 * Which bare import specifiers a file's tsconfig (or jsconfig) resolves locally: the keys of
 * `compilerOptions.paths` (`@app/*`, `~/*`) and, under `compilerOptions.baseUrl`, the names of
 * the folders and modules that sit there (`baseUrl: "./"` makes `import … from 'fixtures/users'`
 * the local `fixtures/` folder, as TypeScript resolves it before node_modules).
 *
 * Pure: the host hands in how to read a file and list a folder (the CLI from disk, Analyze
 * Workspace from its file list). Paths are forward-slash strings.
 */

export interface AliasSource {
  /** A file's text, or undefined when missing. */
  read(path: string): string | undefined;
  /** The names in a folder (files and folders), or undefined when it is no folder. */
  entries(dir: string): readonly string[] | undefined;
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
/** Module file extensions that an import names without (`utils/db` for `utils/db.ts`). */
const MODULE_EXTENSION = /\.(?:d\.ts|tsx?|mts|cts|jsx?|mjs|cjs|json)$/;
/** Never aliases: a folder that holds packages, and hidden entries. */
const NOT_ALIASES = new Set(['node_modules']);

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}

/** Joins and normalises `a/b` + `../c` (forward slashes; keeps a leading `/` or drive). */
export function joinPath(base: string, relative: string): string {
  if (/^(?:\/|[A-Za-z]:\/)/.test(relative)) return relative;
  const parts = (base === '.' ? [] : base.split('/')).concat(relative.split('/'));
  const out: string[] = [];
  for (const part of parts) {
    if (part === '.' || (part === '' && out.length > 0)) continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(part);
  }
  return out.join('/') || '.';
}

/** JSON with comments and trailing commas, as tsconfig files are written. Undefined when malformed. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += ch;
  }
  try {
    return JSON.parse(out.replace(/^\uFEFF/, '').replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}

interface CompilerPaths { baseUrl?: string; paths: string[] }

/** baseUrl (absolute, resolved against the config that sets it) and paths keys, following relative `extends`. */
function compilerPaths(configPath: string, source: AliasSource, depth = 0): CompilerPaths {
  const json = parseJsonc(source.read(configPath) ?? '');
  if (!json || typeof json !== 'object') return { paths: [] };
  const config = json as { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } };
  const inherited = depth < 4 && typeof config.extends === 'string' && config.extends.startsWith('.')
    ? compilerPaths(joinPath(dirname(configPath), /\.json$/.test(config.extends) ? config.extends : `${config.extends}.json`), source, depth + 1)
    : { paths: [] };
  const options = config.compilerOptions ?? {};
  const baseUrl = typeof options.baseUrl === 'string' ? joinPath(dirname(configPath), options.baseUrl) : inherited.baseUrl;
  const paths = options.paths && typeof options.paths === 'object' ? Object.keys(options.paths) : inherited.paths;
  return { baseUrl, paths };
}

/** The tsconfig/jsconfig nearest to a folder, searching up to (and including) the root. */
function nearestConfig(dir: string, root: string, source: AliasSource): string | undefined {
  for (let d = dir; ;) {
    for (const name of CONFIG_NAMES) {
      const candidate = d === '.' ? name : `${d}/${name}`;
      if (source.read(candidate) !== undefined) return candidate;
    }
    const parent = dirname(d);
    if (d === root || d === '.' || parent === d) return undefined;
    // never above the root (`.` is the root of workspace-relative paths)
    if (root !== '.' && parent !== root && !parent.startsWith(`${root}/`)) return undefined;
    d = parent;
  }
}

/**
 * Specifier patterns that resolve locally for files in `fileDir`: `paths` keys as written
 * (`@app/*`, `config`) and one name per entry of the baseUrl folder (`fixtures`, `app` for
 * `app.ts`). A pattern ending in `*` matches by prefix; any other matches itself and its subpaths.
 */
export function pathAliasesFor(fileDir: string, root: string, source: AliasSource): string[] {
  const config = nearestConfig(fileDir, root, source);
  if (!config) return [];
  const { baseUrl, paths } = compilerPaths(config, source);
  return [...new Set([...paths, ...(baseUrl ? folderAliases(baseUrl, source) : [])])].sort();
}

/**
 * Packages that put the package's own folder on the module path at run time (`require('rootpath')()`,
 * `require('app-module-path').addPath(__dirname)`): `require('_helpers/db')` is then a local module.
 */
export const ROOT_PATH_MODULES: readonly string[] = ['rootpath', 'app-module-path'];

/** Names of the folders and modules in `dir`, as bare specifiers resolve them when `dir` is on the module path. */
export function folderAliases(dir: string, source: AliasSource): string[] {
  const names = new Set<string>();
  for (const entry of source.entries(dir) ?? []) {
    if (entry.startsWith('.') || NOT_ALIASES.has(entry)) continue;
    names.add(entry);
    names.add(entry.replace(MODULE_EXTENSION, '')); // `require('config.json')` and `import 'utils/db'` alike
  }
  return [...names];
}

/** What `importAliasesFor` needs of the file's package.json: where it is and what it declares. */
export interface AliasPackage {
  dir: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The names a package.json declares in any dependency section. */
function declaredNames(pkg: AliasPackage): string[] {
  const sections = [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies, pkg.optionalDependencies];
  return sections.flatMap((s) => (s && typeof s === 'object' && !Array.isArray(s) ? Object.keys(s) : []));
}

/**
 * `@<folder>/` for each folder of the package root and its `src/`, unless a declared dependency
 * uses that npm scope. Templates alias their own folders (`@utils/logger`, `@interfaces/user`
 * for `src/utils`, `src/interfaces`) in a tsconfig that a snapshot or a partial checkout may
 * lack; a real scoped package (`@nestjs/core`) is declared, so its scope is never taken.
 */
export function scopeFolderAliases(pkg: AliasPackage, source: AliasSource): string[] {
  const scopes = new Set(declaredNames(pkg).filter((n) => n.startsWith('@') && n.includes('/')).map((n) => n.slice(0, n.indexOf('/'))));
  const out = new Set<string>();
  for (const dir of [pkg.dir, joinPath(pkg.dir, 'src')]) {
    for (const entry of source.entries(dir) ?? []) {
      if (entry.startsWith('.') || NOT_ALIASES.has(entry) || scopes.has(`@${entry}`)) continue;
      if (source.entries(joinPath(dir, entry)) !== undefined) out.add(`@${entry}/`);
    }
  }
  return [...out];
}

/**
 * Every alias a file's imports may use: its tsconfig's (see `pathAliasesFor`), its package's
 * folders as npm-less scopes (see `scopeFolderAliases`) and, when its package depends on a
 * root-path module, the package folder's own entries.
 */
export function importAliasesFor(fileDir: string, root: string, source: AliasSource, pkg?: AliasPackage, ofPackage: (pkg: AliasPackage, source: AliasSource) => readonly string[] = packageAliases): string[] {
  const aliases = new Set(pathAliasesFor(fileDir, root, source));
  if (pkg) for (const alias of ofPackage(pkg, source)) aliases.add(alias);
  return [...aliases].sort();
}

/**
 * The aliases a package gives every file under it (see `importAliasesFor`): a function of the
 * package and the folder listing only, so a caller may compute them once per package
 * (`importAliasesFor`'s `ofPackage`) instead of once per folder.
 */
export function packageAliases(pkg: AliasPackage, source: AliasSource): string[] {
  const aliases = scopeFolderAliases(pkg, source);
  if (ROOT_PATH_MODULES.some((m) => pkg.dependencies && Object.prototype.hasOwnProperty.call(pkg.dependencies, m))) aliases.push(...folderAliases(pkg.dir, source));
  return aliases;
}

/** Whether a bare specifier is one of the aliases (see `pathAliasesFor` for the pattern forms). */
export function matchesPathAlias(specifier: string, aliases: readonly string[]): boolean {
  return aliases.some((alias) => {
    if (alias.endsWith('*') || alias.endsWith('/')) {
      const prefix = alias.replace(/\*$/, '');
      return prefix.length > 0 && (specifier.startsWith(prefix) || specifier === prefix.replace(/\/$/, ''));
    }
    return alias.length > 0 && (specifier === alias || specifier.startsWith(`${alias}/`));
  });
}

/**
 * A tsconfig's `compilerOptions.paths` with their targets made workspace paths: each target is
 * joined to `baseUrl` when the config sets one, else to the config's folder (TypeScript ≥ 4.1).
 * `{ "@config": ["src/config/index.ts"], "@/*": ["src/*"] }` in `api/tsconfig.json` becomes
 * `{ "@config": ["api/src/config/index.ts"], "@/*": ["api/src/*"] }`. Undefined when the config
 * maps nothing (or is malformed). `extends` is followed by the caller (see `configExtends`).
 */
export function pathMappingsOf(configPath: string, text: string): Record<string, string[]> | undefined {
  const json = parseJsonc(text) as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined;
  const options = json && typeof json === 'object' ? json.compilerOptions : undefined;
  const paths = options?.paths;
  if (!paths || typeof paths !== 'object' || Array.isArray(paths)) return undefined;
  const base = typeof options.baseUrl === 'string' ? joinPath(dirname(configPath), options.baseUrl) : dirname(configPath);
  const out: Record<string, string[]> = {};
  for (const [pattern, targets] of Object.entries(paths as Record<string, unknown>)) {
    if (!Array.isArray(targets)) continue;
    const joined = targets.filter((t): t is string => typeof t === 'string').map((t) => joinPath(base, t));
    if (joined.length > 0) out[pattern] = joined;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The config a tsconfig `extends` by relative path, as a workspace path (package configs are not followed). */
export function configExtends(configPath: string, text: string): string | undefined {
  const json = parseJsonc(text) as { extends?: unknown } | undefined;
  const ext = json && typeof json === 'object' ? json.extends : undefined;
  return typeof ext === 'string' && ext.startsWith('.') ? joinPath(dirname(configPath), /\.json$/.test(ext) ? ext : `${ext}.json`) : undefined;
}

/**
 * The paths a bare specifier maps to, in TypeScript's order: an exact pattern first, else the
 * `*` pattern with the longest prefix; each target with `*` replaced by the matched text.
 * Empty when no pattern matches (a package import).
 */
export function mappedImportPaths(specifier: string, mappings: Readonly<Record<string, readonly string[]>>): string[] {
  if (Object.prototype.hasOwnProperty.call(mappings, specifier) && !specifier.includes('*')) return [...mappings[specifier]];
  let best: { pattern: string; star: string } | undefined;
  for (const pattern of Object.keys(mappings)) {
    const star = pattern.indexOf('*');
    if (star < 0 || pattern.indexOf('*', star + 1) >= 0) continue;
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (specifier.length < prefix.length + suffix.length || !specifier.startsWith(prefix) || !specifier.endsWith(suffix)) continue;
    if (!best || prefix.length > best.pattern.indexOf('*')) best = { pattern, star: specifier.slice(prefix.length, specifier.length - suffix.length) };
  }
  return best ? mappings[best.pattern].map((t) => t.replace('*', best!.star)) : [];
}
