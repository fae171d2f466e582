/** Image references: splitting `registry/ns/name:tag@digest` and recognising Docker Official Images. */

/** Splits `registry:5000/ns/name:tag@digest` into name, tag and digest. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at); }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

/** `node`, `library/node`, `docker.io/library/node:22` → `node`; other namespaces and registries → undefined. */
export function officialName(image: string): string | undefined {
  const m = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?(?:library\/)?([a-z0-9._-]+)$/.exec(splitImage(image.toLowerCase()).name);
  return m ? m[1] : undefined;
}

/** The last path component of the image name: `gcr.io/distroless/nodejs22-debian12:nonroot` → `nodejs22-debian12`. */
export function imageBaseName(image: string): string {
  const { name } = splitImage(image.toLowerCase());
  return name.slice(name.lastIndexOf('/') + 1);
}

/** A final stage named like this is a deliberate development/test target (`docker build --target dev`), not what ships. */
export const DEV_STAGE_NAME = /^(?:dev|develop|development|debug|test|tests|testing|local|e2e|ci)(?:[-_]\w+)?$/i;

/** A Dockerfile named for development or tests (`Dockerfile.dev`, `dev.Dockerfile`, `relational.e2e.Dockerfile`): its image does not ship. */
export function isDevDockerfile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (/(?:^|[._-])(?:dev|develop|development|local|debug|test|tests|testing|e2e|ci)(?:[._-]|$)/i.test(base)) return true;
  // a Dockerfile in a folder named for development (`envs/local/Dockerfile`, `docker/dev/Dockerfile`)
  const parent = path.slice(0, Math.max(0, path.lastIndexOf('/')));
  return /(?:^|\/)(?:dev|develop|development|local)$/i.test(parent);
}

/** The final stage ships unless it is a development target or the file is a development/test Dockerfile. */
export function finalStageShips(path: string, finalStageName: string | undefined): boolean {
  return !isDevDockerfile(path) && !(finalStageName && DEV_STAGE_NAME.test(finalStageName));
}
