import type { From } from 'dockerfile-ast';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { floatingTag, officialName, splitImage } from '../support/images';

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
    const official = officialName(name);
    const floating = floatingTag(official, tag);
    if (!floating) continue;
    const imageRange = from.getImageRange();
    if (!imageRange) continue;
    const start = ctx.offsetAt(imageRange.start);
    const end = ctx.offsetAt(imageRange.end);
    const fixes: Fix[] = [];
    const current = official ? CURRENT_TAGS[official] : undefined;
    // the fix edits the image as written; an image built from ARGs is fixed at the ARG instead.
    // Only a missing tag or :latest is rewritten: a variant or channel tag has no safe equivalent to guess.
    if (current && floating === 'latest' && stage.rawImage === image) {
      fixes.push({
        title: `Pin the base image to ${name}:${current} (check it is the version you test with)`,
        kind: 'unsafe',
        edits: [{ start, end, newText: `${name}:${current}` }],
      });
    }
    ctx.report({
      messageId: tag === undefined ? 'noTag' : floating,
      data: { image, tag: tag ?? '', suggestion: current ? ` (e.g. ${name}:${current}${floating === 'variant' ? `-${tag}` : ''})` : '' },
      // an LTS tag follows a published support policy: worth knowing, not a warning
      severity: floating === 'lts' ? 'info' : undefined,
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
    description: 'FROM without a tag, with `:latest`, or with a tag that floats across releases (`node:alpine`, `nginx:stable`, `node:lts`): the base image changes under the same Dockerfile.',
    rationale: 'A build must turn one commit into one reproducible artifact (factor V). A floating base image makes two builds of the same commit ship different OS packages and runtimes, so a rebuild can break or change behaviour with no code change, and a rollback does not restore the old release.',
    messages: {
      noTag: 'Base image "{{image}}" has no tag, so it means :latest and changes under you: pin a version{{suggestion}} or a digest.',
      latest: 'Base image "{{image}}" floats with :latest: pin a version{{suggestion}} or a digest.',
      variant: 'Base image "{{image}}": the tag ":{{tag}}" names a variant but no version, so it follows the newest release: pin a version{{suggestion}} or a digest.',
      channel: 'Base image "{{image}}": ":{{tag}}" is a release channel that moves with every upstream release: pin a version or a digest.',
      lts: 'Base image "{{image}}": ":{{tag}}" moves to the next LTS major when one is promoted: pin the major you test with (a version in the tag) or a digest.',
    },
    fix: 'unsafe',
    // factor V is about the release artifact: test and CI images (e2e test data, integration
    // suites) are rebuilt with the suite and never shipped, as for security/runs-as-root
    roles: ['server', 'browser', 'script', 'tooling'],
  },
  check: { dockerfile: check },
};

export default rule;
