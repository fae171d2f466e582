/**
 * Cross-file lookups over the project model: which Dockerfile a Compose service builds, which
 * build context a Dockerfile sees, which workspace script an ENTRYPOINT runs.
 */
import { baseName } from '../engine/classify';
import { dirOf, isUnder, joinPath } from './project-model';
import { firstContaining } from './paths';
import type { ComposeServiceFact, DockerCommandFact, DockerfileFact, PackageFact, ProjectModel, ScriptFact } from './model-types';

/** The Dockerfile a service builds, when it is in the model. */
export function dockerfileOfService(model: ProjectModel, service: ComposeServiceFact): DockerfileFact | undefined {
  if (!service.build) return undefined;
  const path = builtDockerfilePath(service.path, service.build);
  return model.dockerfiles.find((d) => d.path === path);
}

/** The workspace path of the Dockerfile a Compose file's `build:` names (`dockerfile` is relative to the context unless absolute). */
export function builtDockerfilePath(composePath: string, build: { context: string; dockerfile?: string }): string {
  return joinPath(joinPath(dirOf(composePath), build.context), build.dockerfile ?? 'Dockerfile');
}

/** The build context of a service (its folder in the workspace). */
export function contextOfService(service: ComposeServiceFact): string | undefined {
  return service.build ? joinPath(dirOf(service.path), service.build.context) : undefined;
}

/** The services that build a Dockerfile. */
export function servicesBuilding(model: ProjectModel, dockerfile: DockerfileFact): ComposeServiceFact[] {
  return model.composeServices.filter((s) => dockerfileOfService(model, s) === dockerfile);
}

/** Build contexts of a Dockerfile: those of the services building it, else its own folder. */
export function contextsOf(model: ProjectModel, dockerfile: DockerfileFact): string[] {
  const contexts = servicesBuilding(model, dockerfile).map((s) => contextOfService(s)!);
  return contexts.length > 0 ? [...new Set(contexts)].sort() : [dockerfile.dir];
}

const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash)$/;

/**
 * The script a container start command runs: `["./entrypoint.sh"]`, `["/usr/local/bin/x.sh", …]`
 * or `["sh", "/app/start.sh"]` (not `sh -c "…"`). Returns the command word naming it.
 */
export function scriptWord(command: DockerCommandFact): string | undefined {
  const args = command.args;
  if (args.length === 0) return undefined;
  let word = args[0];
  if (SHELLS.test(word)) {
    const next = args.slice(1).find((a) => !a.startsWith('-'));
    if (!next || args.slice(1).some((a) => a === '-c')) return undefined;
    word = next;
  }
  if (word === 'tini' || word.endsWith('/tini') || word === 'dumb-init' || word.endsWith('/dumb-init')) {
    const rest = args.slice(1).filter((a) => !a.startsWith('-') && a !== '--');
    word = rest[0] ?? '';
  }
  return /\.(?:sh|bash)$/.test(word) || /(?:^|\/)(?:docker-)?entrypoint$/.test(word) ? word : undefined;
}

/**
 * The workspace script a Dockerfile's ENTRYPOINT (or CMD when there is no ENTRYPOINT) runs:
 * a COPY source whose destination is the script's path, else a script of that name in the
 * build context.
 */
export function entrypointScript(model: ProjectModel, dockerfile: DockerfileFact): { script: ScriptFact; command: DockerCommandFact } | undefined {
  const command = dockerfile.entrypoint ?? dockerfile.cmd;
  if (!command) return undefined;
  const word = scriptWord(command);
  if (!word) return undefined;
  const name = baseName(word);
  const contexts = contextsOf(model, dockerfile);
  const candidates: string[] = [];
  for (const copy of dockerfile.copies) {
    if (copy.fromStage) continue;
    const dest = copy.dest;
    for (const source of copy.sources) {
      const destPath = dest.endsWith('/') || copy.sources.length > 1 ? `${dest.replace(/\/$/, '')}/${baseName(source)}` : dest;
      if (baseName(source) === name && (destPath === word || baseName(destPath) === name || word.endsWith(`/${name}`))) {
        for (const context of contexts) candidates.push(joinPath(context, source));
      }
    }
  }
  for (const path of candidates) {
    const script = model.scripts.find((s) => s.path === path);
    if (script) return { script, command };
  }
  const inContext = model.scripts.filter((s) => baseName(s.path) === name && contexts.some((c) => isUnder(s.path, c)))
    .sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
  return inContext[0] ? { script: inContext[0], command } : undefined;
}

/** The nearest package folder holding a path ('' when only the root has one or none exists). */
export function packageDirOf(model: ProjectModel, path: string): string {
  let lookup = nearestPackages.get(model.packages);
  if (!lookup) nearestPackages.set(model.packages, (lookup = nearestPackageLookup(model.packages)));
  return lookup(path)?.dir ?? '';
}

/** Per package list (a model's, immutable): the workspace rules ask for the package of thousands of routes, reads and listens. */
const nearestPackages = new WeakMap<readonly PackageFact[], (path: string) => PackageFact | undefined>();

/** The longest containing package dir; among equally long ones the last listed (as a scan keeping the last `>=` would). */
function nearestPackageLookup(packages: readonly PackageFact[]): (path: string) => PackageFact | undefined {
  const ordered = packages.map((p, i) => ({ p, i })).sort((a, b) => b.p.dir.length - a.p.dir.length || b.i - a.i).map((x) => x.p);
  return firstContaining(ordered);
}
