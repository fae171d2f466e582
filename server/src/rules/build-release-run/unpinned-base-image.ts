import type { From } from 'dockerfile-ast';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { officialName, splitImage } from '../support/images';

/**
 * Current major (or release line) of well-known official images, as a tag that keeps the
 * image's variant: `node` → `node:22`, not `node:22-slim` (that would change the OS layer).
 * Offered as an unsafe fix: the user checks it is the version they test with.
 */
export const CURRENT_TAGS: Readonly<Record<string, string>> = {
  alpine: '3.22',
  busybox: '1.37',
  caddy: '2',
  debian: '12',
  golang: '1.25',
  httpd: '2.4',
  mariadb: '11.4',
  mongo: '8.0',
  mysql: '8.4',
  nginx: '1.29',
  node: '22',
  postgres: '17',
  python: '3.13',
  rabbitmq: '4',
  redis: '8',
  ruby: '3.4',
  rust: '1',
  ubuntu: '24.04',
};

function check(ctx: RuleContext<ParsedDockerfile>): void {
  const earlierNames = new Set<string>();
  for (const stage of ctx.parsed.stages) {
    const image = stage.image;
    const from: From = stage.from;
    const known = earlierNames.has(image.toLowerCase());
    if (stage.name) earlierNames.add(stage.name);
    if (!image || known || stage.parent || image.toLowerCase() === 'scratch') continue;
    // an ARG without a (pinned) default cannot be judged from the file
    if (image.includes('$')) continue;
    const { name, tag, digest } = splitImage(image);
    if (digest) continue;
    if (tag !== undefined && tag.toLowerCase() !== 'latest') continue;
    const imageRange = from.getImageRange();
    if (!imageRange) continue;
    const start = ctx.offsetAt(imageRange.start);
    const end = ctx.offsetAt(imageRange.end);
    const fixes: Fix[] = [];
    const official = officialName(name);
    const current = official ? CURRENT_TAGS[official] : undefined;
    // the fix edits the image as written; an image built from ARGs is fixed at the ARG instead
    if (current && stage.rawImage === image) {
      fixes.push({
        title: `Pin the base image to ${name}:${current} (check it is the version you test with)`,
        kind: 'unsafe',
        edits: [{ start, end, newText: `${name}:${current}` }],
      });
    }
    ctx.report({
      messageId: tag === undefined ? 'noTag' : 'latest',
      data: { image, suggestion: current ? ` (e.g. ${name}:${current})` : '' },
      start,
      end,
      fixes,
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'build-release-run/unpinned-base-image',
    factor: 'build-release-run',
    severity: 'warning',
    description: 'FROM without a tag or with `:latest`: the base image changes under the same Dockerfile.',
    rationale: 'A build must turn one commit into one reproducible artifact (factor V). A floating base image makes two builds of the same commit ship different OS packages and runtimes, so a rebuild can break or change behaviour with no code change, and a rollback does not restore the old release.',
    messages: {
      noTag: 'Base image "{{image}}" has no tag, so it means :latest and changes under you: pin a version{{suggestion}} or a digest.',
      latest: 'Base image "{{image}}" floats with :latest: pin a version{{suggestion}} or a digest.',
    },
    fix: 'unsafe',
  },
  check: { dockerfile: check },
};

export default rule;
