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

/**
 * How a tag floats, or undefined when it pins a release: `latest`; `lts` (`lts`, `lts-alpine`:
 * moves to the next LTS major each year, a deliberate policy, so reported softer); `channel`
 * (`current`, `stable`, `edge`, `mainline`, `nightly`, `rolling` and their variants, on any image);
 * `variant` (an official image's tag with no version number at all: `node:alpine`, `redis:alpine`,
 * `nextcloud:apache`, `node:bookworm-slim`, which track the newest major).
 * A tag carrying a version number (`node:20-alpine`, `redis:7`, `traefik:v3`) pins a release line.
 */
export type FloatingKind = 'latest' | 'lts' | 'channel' | 'variant';

/** Release-channel tag words: they name "whatever is newest" on any image. */
const CHANNEL_TAG = /^(?:current|stable|edge|mainline|nightly|rolling)(?:[-_.]|$)/;
/** OS images whose codename tags (`debian:bookworm`, `ubuntu:noble`) name one release. */
const CODENAME_PINNED = new Set(['debian', 'ubuntu']);

export function floatingTag(officialImageName: string | undefined, tag: string | undefined): FloatingKind | undefined {
  if (tag === undefined) return 'latest';
  const t = tag.toLowerCase();
  if (t === 'latest') return 'latest';
  if (/^lts(?:[-_.]|$)/.test(t)) return 'lts';
  if (CHANNEL_TAG.test(t)) return 'channel';
  // private and vendor images name their tags as they like (`acme/app:prod`): only official ones are judged by shape
  if (officialImageName === undefined || /\d/.test(t)) return undefined;
  if (CODENAME_PINNED.has(officialImageName)) return undefined;
  return 'variant';
}
