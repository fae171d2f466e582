/**
 * The project model's vocabulary: small, serialisable facts about a workspace, each with the
 * file and range it came from. No syntax trees are kept: the model must stay cheap to hold for
 * a whole workspace and to rebuild one file at a time.
 */
import type { EnvExports, PackageJsonFacts } from '../engine/project-context';
import type { FileRole, Range, RoleDecision } from '../engine/types';

/** Where a fact was written: a workspace path (forward slashes, as the host gave it) and a range. */
export interface Loc { path: string; range: Range }

export interface PackageFact {
  /** Path of the package.json. */
  path: string;
  /** Folder holding it ('' for the workspace root). */
  dir: string;
  name?: string;
  main?: string;
  /** String targets of `exports` (conditions flattened). */
  exports?: string[];
  /** `prisma.seed`: the command seeding the database. */
  seed?: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
  /** Declared runtime dependencies (names, sorted). */
  dependencies: string[];
  devDependencies: string[];
  engines: Record<string, string>;
  /** Whether the text parsed as JSON. */
  valid: boolean;
  /** The well-typed fields rules may read (`ProjectContext.nearestPackage.json`). */
  manifest: PackageJsonFacts;
}

export interface DockerCommandFact {
  keyword: 'CMD' | 'ENTRYPOINT';
  form: 'exec' | 'shell';
  /** Exec form: the JSON strings. Shell form: the shell words (best effort). */
  args: string[];
  /** The command as one line (shell form) or the words joined by spaces (exec form). */
  text: string;
  loc: Loc;
}

export interface DockerStageFact {
  name?: string;
  /** Base image, `${ARG}`s resolved from global ARG defaults where possible. */
  image: string;
  /** True for `scratch`, an earlier stage, a digest, or a tag other than `latest`. */
  pinned: boolean;
  /** EXPOSEd ports of this stage and the stages it inherits from (for Compose `build.target`). */
  expose: Array<{ port: number; protocol: string; loc: Loc }>;
  loc: Loc;
}

export interface DockerfileFact {
  path: string;
  dir: string;
  stages: DockerStageFact[];
  /** EXPOSEd ports of the final stage and the stages it inherits from. */
  expose: Array<{ port: number; protocol: string; loc: Loc }>;
  /** The effective ENTRYPOINT / CMD of the final stage. */
  entrypoint?: DockerCommandFact;
  cmd?: DockerCommandFact;
  /** The last USER of the final chain. */
  user?: { value: string; loc: Loc };
  /** The last HEALTHCHECK of the final chain (`NONE` disables it). */
  healthcheck?: { disabled: boolean; loc: Loc };
  /** ENV names set anywhere, with their literal values when they have one. */
  env: Array<{ name: string; value?: string; finalStage: boolean; loc: Loc }>;
  /** ARG names declared anywhere. */
  args: Array<{ name: string; loc: Loc }>;
  /** Dependency installs in RUN instructions, and whether they honour the lockfile. */
  installs: Array<{ command: string; lockfile: boolean; loc: Loc }>;
  /** COPY/ADD sources and destinations (build-context relative), for resolving scripts. */
  copies: Array<{ sources: string[]; dest: string; fromStage: boolean }>;
  /**
   * A reverse proxy in the final image (its base image, or a RUN that installs it): the port the
   * image EXPOSEs is then the proxy's, and the app behind it may listen elsewhere.
   */
  proxy?: { name: string; loc: Loc };
}

export interface ComposePortFact {
  /** Container-side port. */
  target: number;
  published?: string;
  /** Host IP the port is bound to, when given. */
  hostIp?: string;
  loc: Loc;
}

export interface ComposeServiceFact {
  /** The compose file. */
  path: string;
  name: string;
  loc: Loc;
  image?: { value: string; loc: Loc };
  /** Build context and Dockerfile, as written (relative to the compose file's folder). */
  build?: { context: string; dockerfile?: string; target?: string; loc: Loc };
  ports: ComposePortFact[];
  expose: Array<{ port: number; loc: Loc }>;
  /** `environment:` names with their literal value (undefined when unset or interpolated without default). */
  environment: Array<{ name: string; value?: string; loc: Loc }>;
  envFiles: Array<{ path: string; loc: Loc }>;
  dependsOn: string[];
  healthcheck?: { disabled: boolean; loc: Loc };
  /** The service overrides the image's process (`command:` or `entrypoint:`). */
  overridesCommand: boolean;
  /** `command:` and `entrypoint:` as written (for the command chains). */
  command?: ComposeCommandFact;
  entrypoint?: ComposeCommandFact;
  /** A one-off job (`restart: "no"`, `profiles:`, awaited with `service_completed_successfully`), not a long-running process. */
  oneOff?: boolean;
}

/** A Compose `command:`/`entrypoint:`: a string (Compose splits it into words, no shell) or a list. */
export interface ComposeCommandFact {
  keyword: 'command' | 'entrypoint';
  form: 'string' | 'list';
  args: string[];
  text: string;
  loc: Loc;
}

/** A package.json's scripts, each with the range of its command string. */
export interface PackageScriptsFact {
  path: string;
  dir: string;
  scripts: Array<{ name: string; command: string; loc: Loc }>;
}

/** A Procfile's processes (`web: node dist/server.js`). */
export interface ProcfileFact {
  path: string;
  dir: string;
  processes: Array<{ name: string; command: string; loc: Loc }>;
}

export type EnvFileKind = 'template' | 'env';

export interface EnvFileFact {
  path: string;
  /** `template` for `.env.example`/`.env.sample`/`.env.template`…; `env` for real values. */
  kind: EnvFileKind;
  names: Array<{ name: string; loc: Loc }>;
}

export type SchemaKind = 'openapi' | 'asyncapi' | 'graphql';

/** One operation an OpenAPI document describes: `get` + `/lists/{listId}`, at its path key's line. */
export interface ContractOperation { method: string; path: string; loc: Loc }

export interface SchemaFileFact {
  path: string;
  kind: SchemaKind;
  /** OpenAPI only: the documented operations (absent when the document could not be read). */
  operations?: ContractOperation[];
  /** OpenAPI only: the path part of each `servers[].url` (`/api/v1`), or Swagger 2's `basePath`; `['']` when none. */
  basePaths?: string[];
}

/**
 * A route registration whose full path the model cannot know: a path that is not a string literal
 * (`router.get(`${this.path}/:id`, …)`), a prefix applied where the model does not follow it
 * (Fastify `register(…, { prefix })`, koa-router `prefix`, Nest `setGlobalPrefix`). Contract
 * checks skip a package that has one rather than guess.
 */
export interface UnresolvedRouteFact { path: string; reason: string; loc: Loc }

export interface RouteFact {
  path: string;
  /** `GET`, `POST`…; `USE` for a mount (`app.use('/health', router)`), which is not an endpoint by itself. */
  method: string;
  /** The route as written (`/users/:id`); Nest routes include the controller prefix. */
  route: string;
  framework: 'express-like' | 'fastify' | 'nest' | 'next';
  loc: Loc;
  /**
   * Authentication in the route's own chain (middleware, route hooks, guards, a handler that
   * checks the caller): `auth`, or `unknown` for a step that might authenticate. Absent: none.
   */
  guard?: 'auth' | 'unknown';
  /** The handler's name when it is defined elsewhere (`userController.postSignup` → `postSignup`). */
  handler?: string;
  /** The router or app the route is registered on (`router`, `app`). */
  receiver?: string;
  /** For a mount (`USE`): the module specifier the mounted router comes from (`./routes/users`). */
  target?: string;
  /** A health route whose only, inline handler answers a constant (`res.send('OK')`): it checks nothing. */
  constant?: true;
}

/** An app- or router-level step that might authenticate every route after it. */
export interface AuthSiteFact {
  path: string;
  /** `use`: a path-less `x.use(mw)` that might authenticate; `mount`: a path-less `x.use(router)`; `hook`: a Fastify pre-handler hook; `global-guard`: Nest `APP_GUARD`/`useGlobalGuards`, hapi `server.auth.default`; `next-middleware`: a Next.js middleware that checks the caller. */
  kind: 'use' | 'hook' | 'global-guard' | 'next-middleware' | 'mount';
  receiver?: string;
  /** `none` only for `mount`: a path-less `app.use(router)` of a router from another module (`target`). */
  verdict: 'auth' | 'unknown' | 'none';
  target?: string;
  loc: Loc;
}

export interface EnvReadFact {
  path: string;
  name: string;
  loc: Loc;
  /**
   * The other variables of the same fallback chain (`process.env.A || process.env.B`, `??`):
   * names of one setting, so one declared name declares the setting. Absent when none.
   */
  alternatives?: string[];
}

export interface ListenFact {
  path: string;
  /** A literal port, or the default of an env-first expression (`process.env.PORT ?? 3000`). */
  port?: number;
  /** The variable read for the port, when the port comes from the environment. */
  envVar?: string;
  loc: Loc;
}

export interface ShutdownFact {
  path: string;
  /** `SIGTERM`, `SIGINT`, or the library/hook used (`lightship`, `enableShutdownHooks`…). */
  kind: string;
  loc: Loc;
}

export interface ScriptFact { path: string; text: string }

/** Facts from one source file: its role (decided over the whole workspace) and why. */
export interface TsFileFact {
  path: string;
  role: FileRole;
  /** Why the file has its role, in a short sentence. */
  reason: string;
  /** `role === 'server'`. */
  isApp: boolean;
  /** `role === 'test'`. */
  isTest: boolean;
}

export interface ProjectModel {
  /** Every path known to the model, sorted. */
  readonly files: readonly string[];
  readonly packages: readonly PackageFact[];
  readonly dockerfiles: readonly DockerfileFact[];
  readonly composeServices: readonly ComposeServiceFact[];
  /** Paths of compose files. */
  readonly composeFiles: readonly string[];
  readonly envFiles: readonly EnvFileFact[];
  /** Variables declared by other deploy manifests (Kubernetes, Helm values, Render, App Engine…). */
  readonly deployEnv: ReadonlyArray<{ name: string; loc: Loc }>;
  readonly gitignores: readonly string[];
  readonly lockfiles: readonly string[];
  readonly schemas: readonly SchemaFileFact[];
  readonly sourceFiles: readonly TsFileFact[];
  readonly routes: readonly RouteFact[];
  /** Route registrations whose full path is unknown (see `UnresolvedRouteFact`). */
  readonly unresolvedRoutes: readonly UnresolvedRouteFact[];
  readonly envReads: readonly EnvReadFact[];
  readonly listens: readonly ListenFact[];
  readonly shutdown: readonly ShutdownFact[];
  /** Shell scripts (`*.sh`, or a `#!` shell shebang) with their text, for entrypoint checks. */
  readonly scripts: readonly ScriptFact[];
  /** package.json scripts with locations, for following `npm run x` (see `command-chains.ts`). */
  readonly packageScripts: readonly PackageScriptsFact[];
  readonly procfiles: readonly ProcfileFact[];
  /** Health probes provided by a library (`@nestjs/terminus`, `lightship`…), by file. */
  readonly healthLibraries: readonly ShutdownFact[];
  /** Server-side view rendering set up (`app.set('view engine', …)`, `@fastify/view`…), by file. */
  readonly viewEngines: readonly ShutdownFact[];
  /** App- and router-level authentication steps (see `extract-auth.ts`). */
  readonly authSites: readonly AuthSiteFact[];
  /** Functions whose body checks the caller, by file (handlers registered in another file are judged by name). */
  readonly authFunctions: ReadonlyArray<{ path: string; name: string }>;
  /** Source files by path, for lookups. */
  sourceFile(path: string): TsFileFact | undefined;
  /** The role of a TS/JS file and why (undefined for other files and unknown paths). */
  roleOf(path: string): RoleDecision | undefined;
  /**
   * The environment flags of the workspace modules a TS/JS file imports (relative, `@/`, `~/`
   * specifiers), by specifier as written; undefined when none of them exports one.
   */
  envImportsOf(path: string): Record<string, EnvExports> | undefined;
}
