/**
 * File classification: which parser a file needs, and whether it is application code
 * (RULES.md "Scope"). Pure: decided from the path, the text's first line and config globs.
 */
import { compiledGlobs } from './glob';
import type { FileInfo, FileKind } from './types';

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

/** `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`, `dockerfile`, `Containerfile`. */
export function isDockerfileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'dockerfile' || lower === 'containerfile'
    || lower.startsWith('dockerfile.') || lower.startsWith('containerfile.')
    || lower.endsWith('.dockerfile') || lower.endsWith('.containerfile');
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
];

/** Compose files and Dockerfiles that exist to run tests or CI (`compose.cypress.yaml`, `relational.e2e.Dockerfile`, `.ci/`). */
const CONTAINER_TEST_PATTERNS = [
  /(?:^|\/)\.?ci\//, /(?:^|\/)[^/]*[.-](?:test|tests|e2e|cypress|ci|spec)[.-][^/]*$/i, /(?:^|\/)[^/]*\.(?:test|e2e|ci)$/i,
  // integration suites and test data of a project's own test harness (`internal/suites/`, `testdata/`, `fixtures/`)
  /(?:^|\/)(?:suites|testdata|fixtures?)\//i,
];

const TOOLING_PATTERNS = [
  /(?:^|\/)scripts?\//, /(?:^|\/)tools?\//, /(?:^|\/)bin\//, /(?:^|\/)fixtures?\//, /(?:^|\/)__fixtures__\//,
  /(?:^|\/)node_modules\//, /(?:^|\/)(?:dist|build|out|coverage|\.next)\//,
  /\.config\.[cm]?[jt]s$/, /(?:^|\/)[^/]*rc\.[cm]?js$/, /(?:^|\/)(?:Gruntfile|gulpfile|Jakefile)\.[cm]?[jt]s$/i,
  /(?:^|\/)webpack\.[^/]*$/, /(?:^|\/)rollup\.[^/]*$/, /(?:^|\/)vite\.[^/]*$/, /\.min\.js$/, /\.bundle\.js$/,
  /(?:^|\/)benchmarks?\//, /(?:^|\/)bench\//,
  /(?:^|\/)migrations?\//, /(?:^|\/)seeds?\//, /(?:^|\/)seeders?\//, /(?:^|\/)cli\.[cm]?[jt]s$/, /(?:^|\/)cli\//,
  /\.generated\.[cm]?[jt]sx?$/, /(?:^|\/)generated\//,
];

export interface AppScopeGlobs {
  /** Globs forced to count as application code. */
  include?: string[];
  /** Globs that never count as application code. */
  exclude?: string[];
}

export interface ClassifyOptions {
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

function looksGenerated(text: string): boolean {
  const head = text.slice(0, 400);
  if (/@generated|DO NOT EDIT|auto-generated|autogenerated/i.test(head)) return true;
  // minified: a very long first line in a sizeable file
  const nl = text.indexOf('\n');
  return text.length > 5000 && (nl < 0 || nl > 2000);
}

export function classifyFile(path: string, text: string, languageId: string | undefined, options: ClassifyOptions = {}): FileInfo | undefined {
  const normalized = toForwardSlashes(path);
  const kindInfo = classifyKind(normalized, languageId);
  if (!kindInfo) return undefined;
  const relative = toForwardSlashes(options.relativePath ?? normalized);
  const matchPath = '/' + relative.replace(/^\/+/, '');
  const isTest = TEST_PATTERNS.some((p) => p.test(matchPath))
    || (kindInfo.kind !== 'ts' && CONTAINER_TEST_PATTERNS.some((p) => p.test(matchPath)));
  let isApp = !isTest;
  if (kindInfo.kind === 'ts' && isApp) {
    if (TOOLING_PATTERNS.some((p) => p.test(matchPath))) isApp = false;
    else if (firstLine(text).startsWith('#!')) isApp = false;
    else if (options.binTargets?.has(normalized)) isApp = false;
    else if (looksGenerated(text)) isApp = false;
  }
  const globs = options.appScope;
  if (globs?.exclude?.length && compiledGlobs(globs.exclude)(relative)) isApp = false;
  else if (globs?.include?.length && compiledGlobs(globs.include)(relative)) isApp = true;
  return { path: normalized, kind: kindInfo.kind, scriptKind: kindInfo.scriptKind, isApp, isTest };
}
