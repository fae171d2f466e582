/**
 * File classification: which parser a file needs, and whether it is application code
 * (RULES.md "Scope"). Pure: decided from the path, the text's first line and config globs.
 */
import { compiledGlobs } from './glob';
import { FILE_ROLES, type FileInfo, type FileKind, type FileRole, type RoleDecision } from './types';

const TS_EXTENSIONS: Record<string, FileInfo['scriptKind']> = {
  '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx',
  '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx',
};

const ENV_TEMPLATE_NAMES = new Set(['.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults']);

export function baseName(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1);
}

export function toForwardSlashes(path: string): string {
  return path.replace(/\\/g, '/');
}

/** Names that only mention a Dockerfile: its docs, a generator script, a backup (`Dockerfile-utils.ts`, `Dockerfile.md`). */
const NOT_DOCKERFILE_EXTENSION = /\.(?:[cm]?[jt]sx?|json|ya?ml|md|txt|sh|toml|ini|lock|log|bak|orig|swp|tmpl|tpl|j2|erb|mustache|hbs)$/i;

/**
 * `Dockerfile`, `Containerfile`, `*.Dockerfile`, and the variants named around them: `Dockerfile.prod`,
 * `Dockerfile-prod`, `Dockerfile_prod`, `prod-Dockerfile` (not when the name ends in another format's
 * extension: `Dockerfile.md`, `dockerfile-utils.ts`, templates such as `Dockerfile.tmpl`).
 */
export function isDockerfileName(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower === 'dockerfile' || lower === 'containerfile' || lower.endsWith('.dockerfile') || lower.endsWith('.containerfile')) return true;
  return (/^(?:dockerfile|containerfile)[._-]./.test(lower) || /.[_-](?:dockerfile|containerfile)$/.test(lower)) && !NOT_DOCKERFILE_EXTENSION.test(lower);
}

/** `compose*.y(a)ml`, `docker-compose*.y(a)ml`, `docker-stack*.y(a)ml`, `podman-compose*.y(a)ml`. */
export function isComposeName(name: string): boolean {
  return /^(?:docker-compose|compose|docker-stack|podman-compose)(?:[.-][^/]*)?\.ya?ml$/i.test(name);
}

/** `env-example-docker`, `env.sample`, `env_template`: templates named without the leading `.env`. */
const ENV_TEMPLATE_STEM = /^\.?env[-_.](?:example|sample|template|dist)(?:[-_.][A-Za-z0-9_-]+)?$/i;
/** `.example.env`, `example.env`, `app.sample.env`. */
const ENV_TEMPLATE_SUFFIX = /(?:^|[.\-_])(?:example|sample|template|dist)\.env$/i;
/** Other formats that merely have `env` in their name. */
const NOT_DOTENV_EXTENSION = /\.(?:[cm]?[jt]sx?|json|ya?ml|md|txt|sh|toml|ini)$/i;

/** `.env`, `.env.*` (templates included: they get the dotenv language too), `*.env` and `env-example-*`. */
export function isDotenvName(name: string): boolean {
  if (/\.[cm]?[jt]sx?$/i.test(name)) return false;
  return name === '.env' || name.startsWith('.env.') || (name.endsWith('.env') && name.length > 4) || (ENV_TEMPLATE_STEM.test(name) && !NOT_DOTENV_EXTENSION.test(name));
}

export function isEnvTemplateName(name: string): boolean {
  return ENV_TEMPLATE_NAMES.has(name.toLowerCase()) || /\.(example|sample|template|dist)$/i.test(name)
    || ENV_TEMPLATE_SUFFIX.test(name) || (ENV_TEMPLATE_STEM.test(name) && !NOT_DOTENV_EXTENSION.test(name));
}

/**
 * The kind of a file, or undefined when factorlint does not analyse it.
 * `languageId` (from the editor) wins for YAML documents a user marked as compose.
 */
export function classifyKind(path: string, languageId?: string): { kind: FileKind; scriptKind?: FileInfo['scriptKind'] } | undefined {
  const name = baseName(path);
  if (languageId === 'dockercompose') return { kind: 'compose' };
  if (languageId === 'dockerfile' || isDockerfileName(name)) return { kind: 'dockerfile' };
  if (isComposeName(name)) return { kind: 'compose' };
  if (languageId === 'dotenv' || isDotenvName(name)) return { kind: 'dotenv' };
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const scriptKind = TS_EXTENSIONS[name.slice(dot).toLowerCase()];
    if (scriptKind) {
      if (name.endsWith('.d.ts') || name.endsWith('.d.mts') || name.endsWith('.d.cts')) return undefined;
      return { kind: 'ts', scriptKind };
    }
  }
  return undefined;
}

const TEST_PATTERNS = [
  /(?:^|\/)__tests__\//, /(?:^|\/)__mocks__\//, /(?:^|\/)tests?\//, /(?:^|\/)e2e\//, /(?:^|\/)spec\//,
  /\.(?:test|spec|e2e-spec|e2e|test-d)\.[cm]?[jt]sx?$/, /(?:^|\/)(?:test|tests|spec)\.[cm]?[jt]sx?$/,
  /(?:^|\/)(?:jest|vitest|karma|cypress|playwright)\.setup\.[cm]?[jt]s$/,
  /(?:^|\/)(?:cypress|playwright|k6|load-?tests?|perf-?tests?)\//,
];

/** Compose files and Dockerfiles that exist to run tests or CI (`compose.cypress.yaml`, `relational.e2e.Dockerfile`, `.ci/`). */
const CONTAINER_TEST_PATTERNS = [
  /(?:^|\/)\.?ci\//, /(?:^|\/)[^/]*[.-](?:test|tests|e2e|cypress|ci|spec)[.-][^/]*$/i, /(?:^|\/)[^/]*\.(?:test|e2e|ci)$/i,
  // integration suites and test data of a project's own test harness (`internal/suites/`, `testdata/`, `fixtures/`)
  /(?:^|\/)(?:suites|testdata|fixtures?)\//i,
];

/** Configuration files of tools (run by the tool, never by the service). */
const TOOLING_PATTERNS = [
  /\.config\.[cm]?[jt]s$/, /(?:^|\/)\.[^/]*rc\.[cm]?js$/, /(?:^|\/)(?:Gruntfile|gulpfile|Jakefile)\.[cm]?[jt]s$/i,
  /(?:^|\/)(?:karma|protractor|wdio|nightwatch|jest|babel|webpack|rollup|vite|postcss|tailwind|commitlint|lint-staged)\.[^/]*\.[cm]?[jt]s$/,
  /(?:^|\/)(?:webpack|rollup|vite)[^/]*\.[cm]?[jt]s$/, /(?:^|\/)setupProxy\.[cm]?[jt]s$/, /(?:^|\/)setupTests\.[cm]?[jt]sx?$/,
  /(?:^|\/)\.storybook\//, /(?:^|\/)config\/(?:webpack|jest|env|paths|polyfills)[^/]*\.[cm]?js$/,
];

/** Copies of third-party or generated code, by path. */
const VENDORED_PATTERNS: Array<[RegExp, string]> = [
  [/\.min\.[cm]?js$/, 'a minified file (.min.js)'],
  [/[.-]bundle\.[cm]?js$/, 'a bundle (.bundle.js)'],
  [/(?:^|\/)(?:vendors?|third[-_]party|bower_components|jspm_packages)\//, 'copied third-party code (vendor folder)'],
  [/(?:^|\/)(?:static|public|assets|www)\/(?:.*\/)?(?:libs?|plugins|vendors?)\//, 'a library copied into a static folder'],
  [/(?:^|\/)node_modules\//, 'an installed package (node_modules)'],
  [/(?:^|\/)(?:dist|build|out|coverage|\.next|\.nuxt|\.output)\//, 'build output'],
  [/\.generated\.[cm]?[jt]sx?$/, 'generated code (.generated.*)'],
  [/(?:^|\/)(?:generated|__generated__)\//, 'generated code (generated folder)'],
];

/** Scripts by folder name: only when nothing else is known about a file. */
const SCRIPT_FOLDER_PATTERNS = [
  /(?:^|\/)scripts?\//, /(?:^|\/)tools?\//, /(?:^|\/)bin\//, /(?:^|\/)fixtures?\//, /(?:^|\/)__fixtures__\//,
  /(?:^|\/)benchmarks?\//, /(?:^|\/)bench\//, /(?:^|\/)extras?\//, /(?:^|\/)\.[^/]*scripts?\//, /(?:^|\/)examples?\//,
  /(?:^|\/)migrations?\//, /(?:^|\/)seeds?\//, /(?:^|\/)seeders?\//, /(?:^|\/)seed\.[cm]?[jt]s$/, /(?:^|\/)cli\.[cm]?[jt]s$/, /(?:^|\/)cli\//,
];

/** Browser code by folder name: only when nothing else is known about a file. */
const BROWSER_FOLDER_PATTERNS = [
  /(?:^|\/)(?:public|static|assets|www|wwwroot)\//, /(?:^|\/)(?:client|frontend|front-end|web-?app|ui)\//,
];

export interface AppScopeGlobs {
  /** Globs forced to count as application code. */
  include?: string[];
  /** Globs that never count as application code. */
  exclude?: string[];
}

/** The `roles` setting: role → globs (relative to the config file's folder) that force it. */
export type RoleGlobs = Partial<Record<FileRole, string[]>>;

export interface ClassifyOptions {
  /** The role the project model decided for this file (evidence from the whole workspace). */
  role?: RoleDecision;
  /** Configured role globs (the `roles` setting and the deprecated `appOnly` alias); they override evidence. */
  roleGlobs?: RoleGlobs;
  /** @deprecated alias of `roleGlobs`: `include` → server, `exclude` → script. */
  appScope?: AppScopeGlobs;
  /** Paths that are package.json `bin` targets (CLIs), forward slashes. */
  binTargets?: ReadonlySet<string>;
  /** Path relative to the workspace/package root, used for globs; defaults to `path`. */
  relativePath?: string;
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? text : text.slice(0, nl);
}

const LICENSE_BANNER = /^\s*\/\*[!*][\s\S]{0,600}?(?:@license|\(c\)|copyright|Licensed under|MIT License|jQuery|lodash|Bootstrap|v\d+\.\d+\.\d+)/i;

/**
 * Why a text is vendored (minified, bundled, a license-banner copy of a library, generated),
 * or undefined. A cheap text check, run before any parse: vendored files are never parsed.
 */
export function vendoredTextReason(text: string, path = ''): string | undefined {
  const head = text.slice(0, 600);
  if (/@generated|DO NOT EDIT|auto-generated|autogenerated|generated by /i.test(head)) return 'a generated file (header says so)';
  // bundles and minified copies are JavaScript: a TypeScript source is somebody's code
  if (text.length > 5000 && !/\.[cm]?tsx?$/i.test(path)) {
    const nl = text.indexOf('\n');
    if (nl < 0 || nl > 2000) return 'minified (a very long first line)';
    // long-line bundles: few lines for the size
    let lines = 1;
    for (let i = text.indexOf('\n'); i >= 0 && lines < 400; i = text.indexOf('\n', i + 1)) lines++;
    if (lines < 400 && text.length / lines > 500) return 'minified (very long lines)';
    if (text.length > 20_000 && LICENSE_BANNER.test(head) && /webpack|define\.amd|typeof exports|\(function\s*\(\w*,\s*\w*\)|!function/.test(text.slice(0, 4000))) return 'a copy of a third-party library (license banner, UMD bundle)';
  }
  return undefined;
}

/** Why a path is vendored, or undefined. */
export function vendoredPathReason(relative: string): string | undefined {
  const matchPath = '/' + relative.replace(/^\/+/, '');
  return VENDORED_PATTERNS.find(([p]) => p.test(matchPath))?.[1];
}

export function isTestPath(relative: string): boolean {
  const matchPath = '/' + relative.replace(/^\/+/, '');
  return TEST_PATTERNS.some((p) => p.test(matchPath));
}

export function isToolingPath(relative: string): boolean {
  const matchPath = '/' + relative.replace(/^\/+/, '');
  return TOOLING_PATTERNS.some((p) => p.test(matchPath));
}

/** The role a folder name suggests, when nothing better is known. */
export function folderRole(relative: string): FileRole | undefined {
  const matchPath = '/' + relative.replace(/^\/+/, '');
  if (SCRIPT_FOLDER_PATTERNS.some((p) => p.test(matchPath))) return 'script';
  if (BROWSER_FOLDER_PATTERNS.some((p) => p.test(matchPath))) return 'browser';
  return undefined;
}

/** Role globs compile once per list through the bounded matcher (config globs may come from an untrusted workspace). */
function matches(globs: readonly string[], path: string): boolean {
  return compiledGlobs(globs)(path);
}

/** The role configured for a path (`roles` globs first, then the deprecated `appOnly` alias), or undefined. */
export function configuredRole(relative: string, roleGlobs: RoleGlobs | undefined, appScope?: AppScopeGlobs): RoleDecision | undefined {
  for (const role of FILE_ROLES) {
    const globs = roleGlobs?.[role];
    if (globs?.length && matches(globs, relative)) return { role, reason: `the "roles" setting puts ${relative} in ${role}` };
  }
  if (appScope?.exclude?.length && matches(appScope.exclude, relative)) return { role: 'script', reason: 'the "appOnly.exclude" setting (deprecated: use "roles")' };
  if (appScope?.include?.length && matches(appScope.include, relative)) return { role: 'server', reason: 'the "appOnly.include" setting (deprecated: use "roles")' };
  return undefined;
}

/**
 * The role of a TS/JS file judged from itself alone (its path and text), for hosts with no
 * project model (an untitled buffer, a single-file test). The project model decides with more
 * evidence (workspace/roles.ts) and uses this only as its last resort.
 */
export function roleFromFileAlone(relative: string, text: string, binTargets?: ReadonlySet<string>, path?: string): RoleDecision {
  const vendored = vendoredPathReason(relative) ?? vendoredTextReason(text, relative);
  if (vendored) return { role: 'vendored', reason: vendored };
  if (isToolingPath(relative)) return { role: 'tooling', reason: 'a tool configuration file (by its name)' };
  if (isTestPath(relative)) return { role: 'test', reason: 'a test file (by its name or folder)' };
  if (firstLine(text).startsWith('#!')) return { role: 'script', reason: 'an executable script (#! line)' };
  if (path && binTargets?.has(path)) return { role: 'script', reason: 'a package.json "bin" target (a CLI)' };
  const byFolder = folderRole(relative);
  if (byFolder) return { role: byFolder, reason: `no other evidence; its folder suggests ${byFolder === 'script' ? 'a script' : 'browser code'}` };
  return { role: 'server', reason: 'no evidence of another role: treated as server code' };
}

export function classifyFile(path: string, text: string, languageId: string | undefined, options: ClassifyOptions = {}): FileInfo | undefined {
  const normalized = toForwardSlashes(path);
  const kindInfo = classifyKind(normalized, languageId);
  if (!kindInfo) return undefined;
  const relative = toForwardSlashes(options.relativePath ?? normalized);
  const matchPath = '/' + relative.replace(/^\/+/, '');
  let decision: RoleDecision;
  if (kindInfo.kind === 'ts') {
    decision = configuredRole(relative, options.roleGlobs, options.appScope)
      ?? options.role
      ?? roleFromFileAlone(relative, text, options.binTargets, normalized);
  } else {
    const isTest = TEST_PATTERNS.some((p) => p.test(matchPath)) || CONTAINER_TEST_PATTERNS.some((p) => p.test(matchPath));
    decision = configuredRole(relative, options.roleGlobs, options.appScope) ?? (isTest ? { role: 'test', reason: 'a file for tests or CI (by its name or folder)' } : { role: 'server', reason: 'deployment configuration of the service' });
  }
  return {
    path: normalized, kind: kindInfo.kind, scriptKind: kindInfo.scriptKind,
    role: decision.role, roleReason: decision.reason, isApp: decision.role === 'server', isTest: decision.role === 'test',
  };
}
