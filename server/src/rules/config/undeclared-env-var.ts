import type { RelatedLocation } from '../../engine/types';
import type { EnvReadFact, ProjectModel } from '../../workspace/model-types';
import { dirOf, isUnder, joinPath } from '../../workspace/project-model';
import { packageDirOf } from '../../workspace/resolve';
import type { WorkspaceRule } from '../../workspace/workspace-rule';
import { scriptAssignedVars } from '../support/script-env';

/**
 * Variables the platform, the runtime or the CI sets: reading them needs no declaration.
 * Documented in docs/rules/config/undeclared-env-var.md; keep both in sync.
 */
export const PLATFORM_VARS: ReadonlySet<string> = new Set([
  'CI', 'DEBUG', 'FORCE_COLOR', 'HOME', 'HOST', 'HOSTNAME', 'LANG', 'LC_ALL', 'NO_COLOR', 'NODE_DEBUG', 'NODE_ENV',
  'NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS', 'NODE_TLS_REJECT_UNAUTHORIZED', 'PATH', 'PORT', 'PWD', 'SHELL', 'TEMP', 'TERM',
  'TMP', 'TMPDIR', 'TZ', 'USER', 'JEST_WORKER_ID', 'VITEST', 'DYNO', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION',
  'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV',
  'GOOGLE_CLOUD_PROJECT', 'FUNCTION_TARGET', 'FUNCTION_SIGNATURE_TYPE', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'NEXT_RUNTIME', 'NEXT_PHASE',
  'FUNCTIONS_CUSTOMHANDLER_PORT', 'AZURE_FUNCTIONS_ENVIRONMENT', 'LAMBDA_TASK_ROOT', 'ECS_CONTAINER_METADATA_URI', 'ECS_CONTAINER_METADATA_URI_V4',
]);

/**
 * Prefixes of variables set by package managers and hosting platforms: Azure App Service
 * (`WEBSITE_*`), Azure Container Apps (`CONTAINER_APP_*`), App Engine (`GAE_*`) among them.
 */
export const PLATFORM_PREFIXES: readonly string[] = ['npm_', 'AWS_LAMBDA_', 'FLY_', 'RAILWAY_', 'RENDER_', 'VERCEL_', 'GITHUB_', 'RUNNER_', 'HEROKU_', 'OTEL_', 'WEBSITE_', 'CONTAINER_APP_', 'GAE_'];

export function isPlatformVar(name: string): boolean {
  return PLATFORM_VARS.has(name) || PLATFORM_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * Build-time browser variables: the bundler inlines them into client code when it builds (CRA,
 * Next.js, Vite, Vue CLI, Gatsby, Expo, SvelteKit/Astro); they are build config, not deploy config.
 */
export const BUILD_TIME_PREFIXES: readonly string[] = ['REACT_APP_', 'NEXT_PUBLIC_', 'VITE_', 'VUE_APP_', 'GATSBY_', 'EXPO_PUBLIC_', 'NUXT_PUBLIC_', 'PUBLIC_'];

export function isBuildTimeBrowserVar(name: string): boolean {
  return name === 'PUBLIC_URL' || BUILD_TIME_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * Per-environment files: `.env.production`, `.env.development.local` (a stage named, as an app
 * loads them with `dotenv.config({ path: `.env.${NODE_ENV}.local` })`). Not `.env` or `.env.local`,
 * the current developer's own values. Files a .gitignore excludes never reach the model.
 */
function isStageEnvFile(base: string): boolean {
  return /^\.env\.[^.]+(?:\.local)?$/.test(base) && base !== '.env.local';
}

/**
 * Every name the deploy declares: env templates and per-environment files, compose
 * environment/env_file, Dockerfile ENV/ARG, other deploy manifests (Kubernetes, Helm, Heroku
 * `app.json`), and variables a package.json script sets (`BUILD_ENV=pre npm run build`).
 */
function declaredNames(model: ProjectModel): Set<string> {
  const names = new Set<string>();
  for (const file of model.envFiles) {
    const base = file.path.slice(file.path.lastIndexOf('/') + 1);
    if (file.kind === 'template' || isStageEnvFile(base)) for (const n of file.names) names.add(n.name);
  }
  for (const d of model.deployEnv) names.add(d.name);
  for (const pkg of model.packages) for (const script of Object.values(pkg.scripts)) for (const n of scriptAssignedVars(script)) names.add(n);
  for (const service of model.composeServices) {
    for (const e of service.environment) names.add(e.name);
    for (const ref of service.envFiles) {
      const target = model.envFiles.find((f) => f.path === joinPath(dirOf(service.path), ref.path));
      for (const n of target?.names ?? []) names.add(n.name);
    }
  }
  for (const d of model.dockerfiles) {
    for (const e of d.env) names.add(e.name);
    for (const a of d.args) names.add(a.name);
  }
  return names;
}

/** The `.env.example` to extend: an existing template nearest to the file, else one beside its package.json. */
function targetTemplate(model: ProjectModel, read: EnvReadFact): string {
  const templates = model.envFiles.filter((f) => f.kind === 'template' && isUnder(read.path, dirOf(f.path)))
    .sort((a, b) => dirOf(b.path).length - dirOf(a.path).length || a.path.localeCompare(b.path));
  if (templates[0]) return templates[0].path;
  const dir = packageDirOf(model, read.path);
  return dir ? `${dir}/.env.example` : '.env.example';
}

/** FileAppend paths are absolute or relative to the analysed file's folder. */
function relativeTo(fromFile: string, target: string): string {
  if (/^(?:\/|[A-Za-z]:\/)/.test(target)) return target;
  const from = dirOf(fromFile).split('/').filter(Boolean);
  const to = target.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/') || target;
}

const rule: WorkspaceRule = {
  meta: {
    id: 'config/undeclared-env-var',
    factor: 'config',
    severity: 'info',
    description: 'Code reads an environment variable that no deploy file declares (.env.example, Compose, Dockerfile).',
    rationale: 'Config lives in the environment (factor III), so the set of variables is the app\'s config contract: a variable read in code but declared nowhere a deploy defines config is discovered in production, when the app starts without it.',
    messages: {
      undeclared: 'process.env.{{name}} is read here but declared nowhere the deploy defines config (.env.example, Compose environment/env_file, Dockerfile ENV/ARG): add it to {{template}}.',
    },
    fix: 'safe',
  },
  checkWorkspace(model, report) {
    // With no deploy files at all there is nowhere to compare against: stay silent.
    const hasDeployConfig = model.envFiles.some((f) => f.kind === 'template') || model.composeServices.length > 0 || model.dockerfiles.length > 0 || model.deployEnv.length > 0;
    if (!hasDeployConfig) return;
    const declared = declaredNames(model);
    const seen = new Set<string>();
    // every app read by name, indexed once: the related "also read here" list is a lookup, not a scan per read
    const appReads = new Map<string, typeof model.envReads[number][]>();
    for (const r of model.envReads) {
      if (!model.sourceFile(r.path)?.isApp) continue;
      const list = appReads.get(r.name);
      if (!list) appReads.set(r.name, [r]);
      else if (list.length <= 6) list.push(r);
    }
    for (const read of model.envReads) {
      const source = model.sourceFile(read.path);
      if (!source?.isApp) continue;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(read.name) || isPlatformVar(read.name) || isBuildTimeBrowserVar(read.name) || declared.has(read.name)) continue;
      // `process.env.ACKEE_MONGODB || process.env.MONGODB_URI`: another name of a declared setting
      if (read.alternatives?.some((alt) => declared.has(alt))) continue;
      const key = `${read.path}\u0000${read.name}`;
      if (seen.has(key)) continue; // one finding per variable and file: the first read
      seen.add(key);
      const template = targetTemplate(model, read);
      const others: RelatedLocation[] = (appReads.get(read.name) ?? [])
        .filter((r) => r !== read)
        .slice(0, 5)
        .map((r) => ({ path: r.path, range: r.loc.range, message: `process.env.${read.name} is also read here` }));
      report({
        messageId: 'undeclared',
        data: { name: read.name, template },
        path: read.path,
        range: read.loc.range,
        related: others.length > 0 ? others : undefined,
        fixes: [{
          title: `Add ${read.name} to ${template}`,
          kind: 'safe',
          edits: [],
          otherFiles: [{ path: relativeTo(read.path, template), append: `${read.name}=\n`, unlessLineStartsWith: `${read.name}=` }],
        }],
      });
    }
  },
};

export default rule;
