/**
 * The project model: read-only facts about a whole workspace, built from file texts the host
 * hands over (no file system here). `ProjectModelBuilder` keeps one small fact record per file
 * so the editor can update or remove a single file; `model()` aggregates them in a
 * deterministic order (by path, then position).
 */
import { baseName, classifyFile, classifyKind, isEnvTemplateName } from '../engine/classify';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/config';
import { LineIndex } from '../engine/line-index';
import { isLikelyBinary } from '../engine/run';
import { parseDotenv } from '../parse/dotenv';
import type { ParsedTs } from '../parse/typescript';
import { extractCompose } from './extract-compose';
import { extractDockerfile } from './extract-docker';
import { deployEnvNames } from './extract-deploy-yaml';
import { extractTs, type TsFacts } from './extract-ts';
import type {
  ComposeServiceFact, DockerfileFact, EnvFileFact, Loc, PackageFact, ProjectModel, SchemaFileFact, SchemaKind, ScriptFact, TsFileFact,
} from './model-types';

export * from './model-types';

/** One file handed to the model: a workspace path (forward slashes) and its text. */
export interface WorkspaceFile { path: string; text: string }

/** What the model learns from one file: plain data (it crosses worker threads and the cache). */
export interface FileFacts {
  package?: PackageFact;
  dockerfile?: DockerfileFact;
  compose?: ComposeServiceFact[];
  envFile?: EnvFileFact;
  schema?: SchemaFileFact;
  source?: TsFileFact;
  ts?: TsFacts;
  script?: ScriptFact;
  gitignore?: boolean;
  lockfile?: boolean;
  deployEnv?: Array<{ name: string; loc: Loc }>;
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
  if (name === 'package.json' || name === '.gitignore' || LOCKFILES.has(name)) return true;
  if (/\.(?:ya?ml|json|graphqls?|gql|sh|bash)$/i.test(name)) return true;
  return !name.includes('.') || /entrypoint/i.test(name);
}

export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
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
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch { /* invalid JSON: an empty package */ }
  const name = typeof json?.name === 'string' ? json.name : undefined;
  const bin = typeof json?.bin === 'string' ? (name ? { [name.replace(/^@[^/]+\//, '')]: json.bin } : { bin: json.bin }) : stringRecord(json?.bin);
  return {
    path,
    dir,
    name,
    main: typeof json?.main === 'string' ? json.main : undefined,
    bin,
    scripts: stringRecord(json?.scripts),
    dependencies: Object.keys(stringRecord(json?.dependencies)).sort(),
    devDependencies: Object.keys(stringRecord(json?.devDependencies)).sort(),
    engines: stringRecord(json?.engines),
    valid: json !== undefined,
  };
}

function envFileFact(path: string, text: string): EnvFileFact {
  const lines = new LineIndex(text);
  const parsed = parseDotenv(text);
  return {
    path,
    kind: isEnvTemplateName(baseName(path)) ? 'template' : 'env',
    names: parsed.entries.map((e) => ({ name: e.key, loc: { path, range: { start: lines.positionAt(e.keyStart), end: lines.positionAt(e.keyEnd) } } })),
  };
}

/** Facts of one file; an empty record for files the model has no use for. `parsedTs`: a parse of this text to reuse. */
export function factsOf(rawPath: string, text: string, parsedTs?: ParsedTs): FileFacts {
  const path = normalize(rawPath);
  if (/(?:^|\/)node_modules\//.test(path)) return {};
  const name = baseName(path);
  if (name === 'package.json') return { package: packageFact(path, text) };
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
        const file = classifyFile(path, text, undefined);
        if (!file) return {};
        return { source: { path, isApp: file.isApp, isTest: file.isTest }, ts: extractTs(file, text, parsedTs) };
      }
      default: break;
    }
  } catch {
    return {}; // a file the parsers cannot read contributes nothing rather than breaking the model
  }
  const schema = schemaKind(path, text);
  if (schema) return { schema: { path, kind: schema } };
  if (/\.ya?ml$/i.test(name) && text.length <= MAX_MANIFEST_SIZE) {
    try {
      const names = deployEnvNames(path, text);
      if (names.length > 0) return { deployEnv: names };
    } catch { /* not a manifest we understand */ }
  }
  if (text.length <= MAX_SCRIPT_SIZE && isShellScript(path, text)) return { script: { path, text } };
  return {};
}

const byLoc = (a: { loc: Loc }, b: { loc: Loc }) =>
  a.loc.path.localeCompare(b.loc.path) || a.loc.range.start.line - b.loc.range.start.line || a.loc.range.start.character - b.loc.range.start.character;

/** Keeps per-file facts; `update`/`remove` one file at a time, `model()` aggregates (cached). */
export class ProjectModelBuilder {
  private readonly facts = new Map<string, FileFacts>();
  private cached: ProjectModel | undefined;

  /** `parsedTs`: an existing parse of this exact TS/JS text (the engine's), reused instead of parsing again. */
  update(path: string, text: string, parsedTs?: ParsedTs): void {
    this.facts.set(normalize(path), factsOf(path, text, parsedTs));
    this.cached = undefined;
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

  private aggregate(): ProjectModel {
    const paths = [...this.facts.keys()].sort();
    const all = paths.map((p) => this.facts.get(p)!);
    const pick = <T>(f: (x: FileFacts) => T | undefined): T[] => all.map(f).filter((x): x is T => x !== undefined);
    const packages = pick((x) => x.package);
    // package.json `bin` targets are CLIs, not application code
    const binTargets = new Set(packages.flatMap((p) => Object.values(p.bin).map((b) => joinPath(p.dir, b))));
    const sourceFiles = pick((x) => x.source).map((s) => (binTargets.has(s.path) ? { ...s, isApp: false } : s));
    const sourceByPath = new Map(sourceFiles.map((s) => [s.path, s]));
    const ts = pick((x) => x.ts);
    return {
      files: paths,
      packages,
      dockerfiles: pick((x) => x.dockerfile),
      composeServices: all.flatMap((x) => x.compose ?? []),
      composeFiles: paths.filter((p) => this.facts.get(p)!.compose !== undefined),
      envFiles: pick((x) => x.envFile),
      deployEnv: all.flatMap((x) => x.deployEnv ?? []),
      gitignores: paths.filter((p) => this.facts.get(p)!.gitignore),
      lockfiles: paths.filter((p) => this.facts.get(p)!.lockfile),
      schemas: pick((x) => x.schema),
      sourceFiles,
      routes: ts.flatMap((t) => t.routes).sort(byLoc),
      envReads: ts.flatMap((t) => t.envReads).sort(byLoc),
      listens: ts.flatMap((t) => t.listens).sort(byLoc),
      shutdown: ts.flatMap((t) => t.shutdown).sort(byLoc),
      healthLibraries: ts.flatMap((t) => t.healthLibraries).sort(byLoc),
      scripts: pick((x) => x.script),
      sourceFile: (path) => sourceByPath.get(normalize(path)),
    };
  }
}

/** Builds the model of a set of files in one go. */
export function buildProjectModel(files: Iterable<WorkspaceFile>): ProjectModel {
  const builder = new ProjectModelBuilder();
  for (const f of files) builder.update(f.path, f.text);
  return builder.model();
}

/** Joins a relative path to a folder, resolving `.` and `..` (never above the root). */
export function joinPath(dir: string, relative: string): string {
  const rel = normalize(relative);
  const absolute = rel.startsWith('/');
  const parts = (absolute ? rel : dir ? `${dir}/${rel}` : rel).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') { if (out.length > 0 && out[out.length - 1] !== '..') out.pop(); else if (!dir.startsWith('/')) out.push('..'); continue; }
    out.push(part);
  }
  const leadingSlash = (absolute || dir.startsWith('/')) ? '/' : '';
  return leadingSlash + out.join('/');
}

/** True when `path` is `dir` or lies under it ('' is the workspace root). */
export function isUnder(path: string, dir: string): boolean {
  if (dir === '' || dir === '.') return !path.startsWith('../');
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
