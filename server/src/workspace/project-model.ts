/**
 * The project model: read-only facts about a whole workspace, built from file texts the host
 * hands over (no file system here). `ProjectModelBuilder` keeps one small fact record per file
 * so the editor can update or remove a single file; `model()` aggregates them in a
 * deterministic order (by path, then position).
 */
import { baseName, classifyKind, isEnvTemplateName, type AppScopeGlobs, type RoleGlobs } from '../engine/classify';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/config';
import { sanitizePackageJson } from '../engine/project-context';
import { LineIndex } from '../engine/line-index';
import { isLikelyBinary } from '../engine/run';
import { parseDotenv } from '../parse/dotenv';
import { parseTypescript, type ParsedTs } from '../parse/typescript';
import { mayHandleShutdown } from '../rules/support/shutdown';
import { envExportsOf, mayExportEnvFlags } from '../rules/support/env-flags';
import { packageScripts, procfile } from './extract-commands';
import { extractCompose } from './extract-compose';
import { extractDockerfile } from './extract-docker';
import { appJsonEnvNames } from './extract-app-json';
import { deployEnvNames } from './extract-deploy-yaml';
import { openApiOperations } from './extract-openapi';
import { extractTs, shutdownFacts, type PrepassTsFacts, type TsFacts } from './extract-ts';
import { fileHints, type FileHints } from './file-hints';
import { erasedImportSpecifiers, mayHaveErasedImports } from './erased-imports';
import { decideRoles, type RoleInputs } from './roles';
import type { RoleMemo } from './role-memo';
import { deepestContaining, dirOf } from './paths';
import { fileCandidates, resolveLocalImport } from './relative-imports';
import { configExtends, mappedImportPaths, pathMappingsOf } from '../engine/path-aliases';
import type { EnvExports } from '../engine/project-context';
import type { RoleDecision } from '../engine/types';
import type {
  ComposeServiceFact, DockerfileFact, EnvFileFact, Loc, PackageFact, PackageScriptsFact, ProcfileFact, ProjectModel, SchemaFileFact, SchemaKind, ScriptFact, TsFileFact,
} from './model-types';

export * from './model-types';
export { dirOf, isUnder, joinPath } from './paths';

/** One file handed to the model: a workspace path (forward slashes) and its text. */
export interface WorkspaceFile { path: string; text: string }

/** What the model learns from one file: plain data (it crosses worker threads and the cache). */
export interface FileFacts {
  package?: PackageFact;
  dockerfile?: DockerfileFact;
  compose?: ComposeServiceFact[];
  envFile?: EnvFileFact;
  schema?: SchemaFileFact;
  /** TS/JS files (and extension-less node scripts): the role pre-pass (imports, text evidence). */
  hints?: FileHints;
  ts?: TsFacts;
  /** `serverless.yml` function handlers. */
  serverless?: string[];
  /** `<script src>` of an HTML page. */
  htmlScripts?: string[];
  /** outDir/rootDir (roles: compiled entry → source) and `paths` made workspace paths (env-flag imports through aliases). */
  tsconfig?: { outDir?: string; rootDir?: string; pathMappings?: Record<string, string[]>; extends?: string };
  script?: ScriptFact;
  gitignore?: boolean;
  lockfile?: boolean;
  deployEnv?: Array<{ name: string; loc: Loc }>;
  /** Command sources for the command chains (`extract-commands.ts`). */
  packageScripts?: PackageScriptsFact;
  procfile?: ProcfileFact;
}

const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock']);
const MAX_SCRIPT_SIZE = 100_000;
const MAX_MANIFEST_SIZE = 512_000;

/**
 * Whether a file can contribute facts to the project model: every kind the engine analyses,
 * plus manifests, ignore files, lockfiles, JSON/YAML (API schemas, deploy manifests), GraphQL
 * schemas, shell scripts and extension-less files (maybe an entrypoint script; `factsOf`
 * checks the shebang). The one predicate of the CLI's walk and the editor's index.
 */
export function isModelFile(absOrRel: string): boolean {
  if (classifyKind(absOrRel)) return true;
  const name = baseName(normalize(absOrRel));
  if (name === 'package.json' || name === '.gitignore' || LOCKFILES.has(name) || isRoleEvidenceFile(absOrRel)) return true;
  if (/\.(?:ya?ml|json|graphqls?|gql|sh|bash)$/i.test(name)) return true;
  return !name.includes('.') || /entrypoint/i.test(name);
}


function normalize(path: string): string {
  return path.replace(/\\/g, '/');
}

/** The kind of API schema a file is, by name first, then by its first lines. */
export function schemaKind(path: string, text: string): SchemaKind | undefined {
  const name = baseName(path).toLowerCase();
  if (/\.(?:graphql|gql|graphqls)$/.test(name)) return 'graphql';
  if (!/\.(?:ya?ml|json)$/.test(name)) return undefined;
  if (/^(?:openapi|swagger)(?:[.-][^/]*)?\.(?:ya?ml|json)$/.test(name)) return 'openapi';
  if (/^asyncapi(?:[.-][^/]*)?\.(?:ya?ml|json)$/.test(name)) return 'asyncapi';
  const head = text.slice(0, 4000);
  const m = /^\s*["']?(openapi|swagger|asyncapi)["']?\s*:/m.exec(head) ?? /^\s*\{\s*"(openapi|swagger|asyncapi)"\s*:/.exec(head);
  if (!m) return undefined;
  return m[1] === 'asyncapi' ? 'asyncapi' : 'openapi';
}

function isShellScript(path: string, text: string): boolean {
  const name = baseName(path);
  if (/\.(?:sh|bash)$/i.test(name)) return true;
  if (name.includes('.')) return false;
  return /^#!\s*\S*\b(?:sh|bash|ash|dash|zsh)\b/.test(text);
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function packageFact(path: string, text: string): PackageFact {
  const dir = dirOf(path);
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ""));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch { /* invalid JSON: an empty package */ }
  const name = typeof json?.name === 'string' ? json.name : undefined;
  const exportTargets: string[] = [];
  const collect = (value: unknown, depth: number) => {
    if (typeof value === 'string') { if (value.startsWith('./') && !value.includes('*')) exportTargets.push(value); return; }
    if (depth < 4 && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) if (!/^(?:types|typings|browser|style|default-types)$/.test(key)) collect(v, depth + 1);
    }
  };
  collect(json?.exports, 0);
  const prisma = json?.prisma as Record<string, unknown> | undefined;
  const seed = prisma && typeof prisma === 'object' && typeof prisma.seed === 'string' ? prisma.seed : undefined;
  const bin = typeof json?.bin === 'string' ? (name ? { [name.replace(/^@[^/]+\//, '')]: json.bin } : { bin: json.bin }) : stringRecord(json?.bin);
  return {
    path,
    dir,
    name,
    main: typeof json?.main === 'string' ? json.main : undefined,
    ...(exportTargets.length ? { exports: [...new Set(exportTargets)].sort() } : {}),
    ...(seed ? { seed } : {}),
    bin,
    scripts: stringRecord(json?.scripts),
    dependencies: Object.keys(stringRecord(json?.dependencies)).sort(),
    devDependencies: Object.keys(stringRecord(json?.devDependencies)).sort(),
    engines: stringRecord(json?.engines),
    valid: json !== undefined,
    manifest: sanitizePackageJson(json) ?? {},
  };
}

function envFileFact(path: string, text: string): EnvFileFact {
  const lines = new LineIndex(text);
  const parsed = parseDotenv(text);
  return {
    path,
    kind: isEnvTemplateName(baseName(path)) ? 'template' : 'env',
    // a bare `KEY` line declares the name too (Docker and Compose pass the host's value)
    names: [...parsed.entries.map((e) => ({ key: e.key, start: e.keyStart, end: e.keyEnd })), ...parsed.bareNames]
      .map((e) => ({ name: e.key, loc: { path, range: { start: lines.positionAt(e.start), end: lines.positionAt(e.end) } } })),
  };
}

export interface FactsOptions {
  /**
   * The role pre-pass only, for TS/JS: hints (a scanner, no parse) and shutdown facts (a parse
   * only for the rare text that mentions SIGTERM or a shutdown library). The CLI runs it on
   * every file before the rules, then replaces it with the facts of the engine's one parse.
   */
  light?: boolean;
  /**
   * Makes the parse the light pass needs (a text that may handle shutdown): the CLI parses
   * through the engine and keeps the parse for the file's analysis, so that file is parsed once.
   */
  parseTs?: () => ParsedTs;
  /**
   * The role pre-pass's hints of this exact text at this path (`erasedImports` included): the
   * CLI's scan reuses them instead of scanning the text again. Never mutated here.
   */
  hints?: FileHints;
  /** The role pre-pass's light facts of this exact text at this path (its `ts`): the CLI's scan reuses them with `hints`. */
  prepassTs?: PrepassTsFacts;
}

const EMPTY_TS: TsFacts = { routes: [], envReads: [], listens: [], shutdown: [], healthLibraries: [], viewEngines: [], authSites: [], authFunctions: [] };

/** Facts of one file; an empty record for files the model has no use for. `parsedTs`: a parse of this text to reuse. */
export function factsOf(rawPath: string, text: string, parsedTs?: ParsedTs, options: FactsOptions = {}): FileFacts {
  const path = normalize(rawPath);
  if (/(?:^|\/)node_modules\//.test(path)) return {};
  const name = baseName(path);
  if (name === 'package.json') return { package: packageFact(path, text), ...optional('packageScripts', packageScripts(path, text)) };
  if (/^Procfile(?:\.[\w-]+)?$/.test(name)) return optional('procfile', procfile(path, text));
  if (LOCKFILES.has(name)) return { lockfile: true };
  if (name === '.gitignore') return { gitignore: true };
  // the host enforces its own limits; these keep a stray bundle or binary from costing a parse
  if (text.length > DEFAULT_MAX_FILE_SIZE || isLikelyBinary(text)) return {};
  const kind = classifyKind(path);
  try {
    switch (kind?.kind) {
      case 'dockerfile': return { dockerfile: extractDockerfile(path, text) };
      case 'compose': return { compose: extractCompose(path, text) };
      case 'dotenv': return { envFile: envFileFact(path, text) };
      case 'ts': {
        const known = options.hints;
        const hints = known ?? fileHints(text, path);
        if (hints.vendored) return { hints }; // never parsed
        let parsedOnce = parsedTs && parsedTs.sourceFile.text === text ? parsedTs : undefined;
        const parse = () => (parsedOnce ??= options.parseTs?.() ?? parseTypescript(text, { path, scriptKind: kind.scriptKind ?? 'ts' }));
        // type-only imports never run: they lend no role (the same text test in both passes, so they agree)
        if (!known && mayHaveErasedImports(text, path)) {
          const erasedImports = erasedImportSpecifiers(parse(), path);
          if (erasedImports.length > 0) hints.erasedImports = erasedImports;
        }
        if (options.light) {
          // a parse only for the rare texts that may handle shutdown or export environment flags (config modules)
          const shutdown = mayHandleShutdown(text);
          const envFlags = mayExportEnvFlags(text);
          if (!shutdown && !envFlags) return { hints, ts: EMPTY_TS };
          const parsed = parse();
          const envExports = envFlags ? envExportsOf(parsed) : {};
          return { hints, ts: { ...EMPTY_TS, shutdown: shutdown ? shutdownFacts(path, parsed) : [], ...(Object.keys(envExports).length > 0 ? { envExports } : {}) } };
        }
        return { hints, ts: extractTs({ path, scriptKind: kind.scriptKind }, text, parsedOnce ?? parsedTs, known && options.prepassTs) };
      }
      default: break;
    }
  } catch {
    return {}; // a file the parsers cannot read contributes nothing rather than breaking the model
  }
  if (/^tsconfig(?:\.[\w-]+)?\.json$/.test(name)) {
    const pathMappings = pathMappingsOf(path, text);
    const extendsPath = configExtends(path, text);
    return { tsconfig: { ...tsconfigDirs(text), ...(pathMappings ? { pathMappings } : {}), ...(extendsPath ? { extends: extendsPath } : {}) } };
  }
  if (/\.html?$/i.test(name)) return { htmlScripts: htmlScriptSources(text) };
  if (/^serverless(?:\.[\w-]+)?\.ya?ml$/i.test(name)) return { serverless: [...text.matchAll(/^\s*handler:\s*['"]?([\w./-]+)/gm)].map((m) => m[1]) };
  if (name === 'app.json' && text.length <= MAX_MANIFEST_SIZE) {
    const names = appJsonEnvNames(path, text);
    if (names.length > 0) return { deployEnv: names };
  }
  const schema = schemaKind(path, text);
  if (schema === 'openapi' && text.length <= MAX_MANIFEST_SIZE) {
    const described = openApiOperations(path, text);
    return { schema: described ? { path, kind: schema, ...described } : { path, kind: schema } };
  }
  if (schema) return { schema: { path, kind: schema } };
  if (/\.ya?ml$/i.test(name) && text.length <= MAX_MANIFEST_SIZE) {
    try {
      const names = deployEnvNames(path, text);
      if (names.length > 0) return { deployEnv: names };
    } catch { /* not a manifest we understand */ }
  }
  if (text.length <= MAX_SCRIPT_SIZE && isShellScript(path, text)) return { script: { path, text } };
  // `bin/www`: an extension-less node script (express-generator's entry point)
  if (!name.includes('.') && text.length <= MAX_SCRIPT_SIZE && /^#!.*\bnode\b/.test(text)) return { hints: fileHints(text) };
  // `env_file: docker/app.conf`: Compose may name a file of any name; a KEY=value file counts
  // as one (it declares variables only where a Compose env_file names it, see undeclared-env-var)
  if (text.length <= MAX_MANIFEST_SIZE && isKeyValueFile(text)) return { envFile: envFileFact(path, text) };
  return {};
}

/** Every non-blank, non-comment line is `KEY=value` (optionally `export KEY=value`), and there is one. */
function isKeyValueFile(text: string): boolean {
  let assignments = 0;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (!/^(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/.test(trimmed)) return false;
    assignments++;
  }
  return assignments > 0;
}

/** `{ key: value }` when there is a value: facts stay free of undefined fields (they are cached as JSON). */
function optional<K extends keyof FileFacts>(key: K, value: FileFacts[K] | undefined): FileFacts {
  return value === undefined ? {} : { [key]: value } as FileFacts;
}

/** Files whose only use to the model is evidence for file roles: Procfile, tsconfig, HTML pages, serverless.yml, `bin/www`. */
export function isRoleEvidenceFile(path: string): boolean {
  const p = normalize(path);
  const name = baseName(p);
  return /^Procfile(?:\.[\w-]+)?$/.test(name) || /^tsconfig(?:\.[\w-]+)?\.json$/.test(name) || /\.html?$/i.test(name)
    || /^serverless(?:\.[\w-]+)?\.ya?ml$/i.test(name) || /(?:^|\/)bin\/www$/.test(p);
}

function tsconfigDirs(text: string): { outDir?: string; rootDir?: string } {
  const value = (key: string) => new RegExp(`"${key}"\\s*:\\s*"([^"]*)"`).exec(text)?.[1];
  const outDir = value('outDir');
  const rootDir = value('rootDir');
  return { ...(outDir ? { outDir } : {}), ...(rootDir ? { rootDir } : {}) };
}

function htmlScriptSources(text: string): string[] {
  return [...text.slice(0, 200_000).matchAll(/<script\b[^>]*\ssrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]);
}

const byLoc = (a: { loc: Loc }, b: { loc: Loc }) =>
  a.loc.path.localeCompare(b.loc.path) || a.loc.range.start.line - b.loc.range.start.line || a.loc.range.start.character - b.loc.range.start.character;

/** Keeps per-file facts; `update`/`remove` one file at a time, `model()` aggregates (cached). */
export interface ProjectModelOptions {
  /** Configured role globs (`roles` and the deprecated `appOnly`): they override evidence. */
  roleGlobs?: RoleGlobs;
  appScope?: AppScopeGlobs;
}

export class ProjectModelBuilder {
  private readonly facts = new Map<string, FileFacts>();
  private cached: ProjectModel | undefined;
  /** The last role decision and its evidence (see `aggregate`). */
  private decided: { inputs: RoleInputs; roles: ReadonlyMap<string, RoleDecision> } | undefined;

  /** Roles kept between runs (see `role-memo.ts`); none by default. */
  private roleMemo: RoleMemo | undefined;

  constructor(private options: ProjectModelOptions = {}) {}

  /** Takes roles from `memo` when the evidence hashes as it did when they were kept, and keeps those decided here. */
  setRoleMemo(memo: RoleMemo | undefined): void {
    this.roleMemo = memo;
  }

  /** New role globs (the configuration changed): roles are decided again on the next `model()`. */
  setOptions(options: ProjectModelOptions): void {
    if (JSON.stringify(options) === JSON.stringify(this.options)) return;
    this.options = options;
    this.cached = undefined;
  }

  /** `parsedTs`: an existing parse of this exact TS/JS text (the engine's), reused instead of parsing again. */
  update(path: string, text: string, parsedTs?: ParsedTs, options?: FactsOptions): void {
    this.facts.set(normalize(path), factsOf(path, text, parsedTs, options));
    this.cached = undefined;
  }

  /** The facts recorded for this path, if any (the CLI hands the pre-pass's hints to the scan). */
  factsFor(path: string): FileFacts | undefined {
    return this.facts.get(normalize(path));
  }

  /** Facts computed elsewhere (a scan worker, the cache) for this path. */
  setFacts(path: string, facts: FileFacts): void {
    this.facts.set(normalize(path), facts);
    this.cached = undefined;
  }

  remove(path: string): void {
    if (this.facts.delete(normalize(path))) this.cached = undefined;
  }

  has(path: string): boolean { return this.facts.has(normalize(path)); }

  model(): ProjectModel {
    return (this.cached ??= this.aggregate());
  }

  /** The roles of this evidence: as kept in the memo for the same evidence, else decided (and kept). */
  private decide(inputs: RoleInputs): ReadonlyMap<string, RoleDecision> {
    return this.roleMemo ? this.roleMemo.rolesOf(inputs, decideRoles) : decideRoles(inputs);
  }

  private aggregate(): ProjectModel {
    const paths = [...this.facts.keys()].sort();
    const all = paths.map((p) => this.facts.get(p)!);
    const pick = <T>(f: (x: FileFacts) => T | undefined): T[] => all.map(f).filter((x): x is T => x !== undefined);
    const packages = pick((x) => x.package);
    const dockerfiles = pick((x) => x.dockerfile);
    const with_ = <T>(f: (x: FileFacts) => T | undefined) => paths.map((p) => ({ path: p, value: f(this.facts.get(p)!) })).filter((x): x is { path: string; value: T } => x.value !== undefined);
    const sources = new Map(with_((x) => x.hints).map((x) => [x.path, x.value]));
    const roleInputs: RoleInputs = {
      sources,
      packages,
      dockerfiles,
      procfiles: with_((x) => x.procfile).map((x) => ({ path: x.path, processes: x.value.processes })),
      serverless: with_((x) => x.serverless).map((x) => ({ path: x.path, handlers: x.value })),
      htmlScripts: with_((x) => x.htmlScripts).map((x) => ({ path: x.path, srcs: x.value })),
      tsconfigs: with_((x) => x.tsconfig).map((x) => ({ path: x.path, outDir: x.value.outDir, rootDir: x.value.rootDir })),
      roleGlobs: this.options.roleGlobs,
      appScope: this.options.appScope,
    };
    // roles are a pure function of their evidence: facts replaced by equal ones (the CLI's scan
    // after its pre-pass, an edit that changes no import) keep the roles already decided
    const roles = this.decided && sameRoleInputs(this.decided.inputs, roleInputs) ? this.decided.roles : this.decide(roleInputs);
    this.decided = { inputs: roleInputs, roles };
    // analysed sources only (an extension-less `bin/www` lends its imports, it is not analysed)
    const sourceFiles: TsFileFact[] = [...roles].filter(([p]) => classifyKind(p)?.kind === 'ts').map(([p, r]) => ({ path: p, role: r.role, reason: r.reason, isApp: r.role === 'server', isTest: r.role === 'test' }));
    const sourceByPath = new Map(sourceFiles.map((s) => [s.path, s]));
    const ts = pick((x) => x.ts);
    const tsconfigs = new Map(with_((x) => x.tsconfig).map((x) => [x.path, x.value]));
    const envImportsOf = envImportsResolver(paths, sources, packages, new Map(with_((x) => x.ts?.envExports).map((x) => [x.path, x.value])), tsconfigs);
    return {
      files: paths,
      packages,
      dockerfiles,
      composeServices: all.flatMap((x) => x.compose ?? []),
      composeFiles: paths.filter((p) => this.facts.get(p)!.compose !== undefined),
      envFiles: pick((x) => x.envFile),
      deployEnv: all.flatMap((x) => x.deployEnv ?? []),
      gitignores: paths.filter((p) => this.facts.get(p)!.gitignore),
      lockfiles: paths.filter((p) => this.facts.get(p)!.lockfile),
      schemas: pick((x) => x.schema),
      sourceFiles,
      routes: ts.flatMap((t) => t.routes).sort(byLoc),
      unresolvedRoutes: ts.flatMap((t) => t.unresolvedRoutes ?? []).sort(byLoc),
      envReads: ts.flatMap((t) => t.envReads).sort(byLoc),
      listens: ts.flatMap((t) => t.listens).sort(byLoc),
      shutdown: ts.flatMap((t) => t.shutdown).sort(byLoc),
      healthLibraries: ts.flatMap((t) => t.healthLibraries).sort(byLoc),
      viewEngines: ts.flatMap((t) => t.viewEngines ?? []).sort(byLoc),
      authSites: ts.flatMap((t) => t.authSites ?? []).sort(byLoc),
      authFunctions: with_((x) => x.ts?.authFunctions).flatMap((x) => x.value.map((name) => ({ path: x.path, name }))),
      scripts: pick((x) => x.script),
      packageScripts: pick((x) => x.packageScripts),
      procfiles: pick((x) => x.procfile),
      sourceFile: (path) => sourceByPath.get(normalize(path)),
      roleOf: (path) => roles.get(normalize(path)),
      envImportsOf: (path) => envImportsOf(normalize(path)),
    };
  }
}

/** Whether two sets of role evidence are equal: the same objects, or objects with the same JSON. */
function sameRoleInputs(a: RoleInputs, b: RoleInputs): boolean {
  if (a.sources.size !== b.sources.size) return false;
  const bSources = b.sources.entries();
  for (const [path, hints] of a.sources) {
    const [otherPath, other] = bSources.next().value as [string, FileHints];
    if (path !== otherPath || !sameFacts(hints, other)) return false;
  }
  return sameList(a.packages, b.packages) && sameList(a.dockerfiles, b.dockerfiles) && sameList(a.procfiles, b.procfiles)
    && sameList(a.serverless, b.serverless) && sameList(a.htmlScripts, b.htmlScripts) && sameList(a.tsconfigs, b.tsconfigs)
    && sameFacts(a.roleGlobs, b.roleGlobs) && sameFacts(a.appScope, b.appScope);
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => sameFacts(x, b[i]));
}

function sameFacts(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The environment flags of each file's local imports, resolved on first ask (most files import
 * no flag module; the editor asks per open document).
 */
function envImportsResolver(
  paths: readonly string[], sources: ReadonlyMap<string, FileHints>, packages: readonly PackageFact[], exportsByPath: ReadonlyMap<string, EnvExports>,
  tsconfigs: ReadonlyMap<string, NonNullable<FileFacts['tsconfig']>>,
): (path: string) => Record<string, EnvExports> | undefined {
  if (exportsByPath.size === 0) return () => undefined;
  const known = new Set(paths);
  const exists = (p: string) => known.has(p);
  const packageOf = deepestContaining(packages.filter((p) => p.valid));
  const memo = new Map<string, Record<string, EnvExports> | undefined>();
  const mappingsOf = tsconfigPathMappings(tsconfigs);
  return (path) => {
    if (memo.has(path)) return memo.get(path);
    let out: Record<string, EnvExports> | undefined;
    const packageDir = packageOf(path)?.dir;
    for (const spec of sources.get(path)?.imports ?? []) {
      const target = resolveLocalImport(path, spec, exists, packageDir) ?? resolveMappedImport(spec, mappingsOf(dirOf(path)), exists);
      const flags = target && target !== path ? exportsByPath.get(target) : undefined;
      if (flags) (out ??= {})[spec] = flags;
    }
    memo.set(path, out);
    return out;
  };
}

/**
 * The `paths` of the tsconfig.json nearest to a folder (as TypeScript picks it: the first
 * `tsconfig.json` up the tree), following relative `extends` when the config maps nothing itself.
 */
function tsconfigPathMappings(tsconfigs: ReadonlyMap<string, NonNullable<FileFacts['tsconfig']>>): (dir: string) => Record<string, string[]> | undefined {
  const memo = new Map<string, Record<string, string[]> | undefined>();
  const ofConfig = (path: string, depth = 0): Record<string, string[]> | undefined => {
    const config = tsconfigs.get(path);
    if (!config) return undefined;
    return config.pathMappings ?? (config.extends && depth < 4 ? ofConfig(config.extends, depth + 1) : undefined);
  };
  const ofDir = (dir: string): Record<string, string[]> | undefined => {
    if (memo.has(dir)) return memo.get(dir);
    const config = dir === '' || dir === '.' ? 'tsconfig.json' : `${dir}/tsconfig.json`;
    const out = tsconfigs.has(config) ? ofConfig(config) : dir === '' || dir === '.' ? undefined : ofDir(dirOf(dir));
    memo.set(dir, out);
    return out;
  };
  return ofDir;
}

/** A bare specifier through tsconfig `paths` to a workspace file (`@config` → `src/config/index.ts`). */
function resolveMappedImport(specifier: string, mappings: Record<string, string[]> | undefined, exists: (path: string) => boolean): string | undefined {
  if (!mappings || specifier.startsWith('.')) return undefined;
  for (const base of mappedImportPaths(specifier, mappings)) {
    const found = fileCandidates(base.replace(/\/+$/, '')).find(exists);
    if (found) return found;
  }
  return undefined;
}

/** Builds the model of a set of files in one go. */
export function buildProjectModel(files: Iterable<WorkspaceFile>, options: ProjectModelOptions = {}): ProjectModel {
  const builder = new ProjectModelBuilder(options);
  for (const f of files) builder.update(f.path, f.text);
  return builder.model();
}
