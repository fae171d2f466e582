import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedCompose } from '../../parse/compose';
import { floatingTag } from '../support/images';
import { dedupe, hasKey, imageOf, isInterpolated, KNOWN_IMAGE_TAGS, rewriteScalar } from '../support/compose';

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  const first = dedupe();
  for (const service of ctx.parsed.services) {
    const image = imageOf(service);
    if (!image) continue;
    // with build:, image: names the image being built (tagged by the build), not a pull
    if (hasKey(ctx.parsed, service, 'build') !== false) continue;
    const { ref, value, node } = image;
    if (ref.digest || isInterpolated(value) || value.trim() === '') continue;
    const official = ref.registry === undefined || ref.registry === 'docker.io' || ref.registry === 'index.docker.io'
      ? (ref.repository.includes('/') ? undefined : ref.repository) : undefined;
    const floating = floatingTag(official, ref.tag);
    if (!floating) continue;
    if (!first(node.range![0])) continue;
    const known = ref.registry === undefined || ref.registry === 'docker.io' ? KNOWN_IMAGE_TAGS[ref.repository] : undefined;
    const fixes: Fix[] = [];
    // only a missing tag or :latest is rewritten: a variant or channel tag has no safe equivalent to guess
    if (known && floating === 'latest') {
      const newValue = ref.tag === 'latest' ? value.replace(/:latest$/, `:${known}`) : `${value.trim()}:${known}`;
      fixes.push({ title: `Pin ${ref.repository} to :${known}`, kind: 'unsafe', edits: [rewriteScalar(ctx.text, node, newValue)] });
    }
    ctx.report({
      messageId: ref.tag === undefined ? 'untagged' : floating,
      data: { service: service.name, image: value.trim(), tag: ref.tag ?? '' },
      // an LTS tag follows a published support policy: worth knowing, not a warning
      severity: floating === 'lts' ? 'info' : undefined,
      start: node.range![0],
      end: node.range![1],
      fixes,
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'build-release-run/unpinned-image',
    factor: 'build-release-run',
    severity: 'warning',
    description: 'Compose services running an image without a tag, with :latest, or with a tag that floats across releases (`redis:alpine`, `nginx:stable`).',
    rationale: 'A release is a build combined with config, and must be reproducible (factor V). An untagged or :latest image changes under you at the next pull: two hosts running "the same" release run different code, and a rollback pulls the new image again.',
    messages: {
      untagged: 'Service "{{service}}" runs image "{{image}}" without a tag: every pull may bring a different release. Pin a version tag (or a digest).',
      latest: 'Service "{{service}}" runs "{{image}}": :latest moves with every upstream release. Pin a version tag (or a digest).',
      variant: 'Service "{{service}}" runs "{{image}}": ":{{tag}}" names a variant but no version, so it follows the newest release. Pin a version tag (e.g. a major plus the variant) or a digest.',
      channel: 'Service "{{service}}" runs "{{image}}": ":{{tag}}" is a release channel that moves with every upstream release. Pin a version tag (or a digest).',
      lts: 'Service "{{service}}" runs "{{image}}": ":{{tag}}" moves to the next LTS major when one is promoted. Pin the major you test with (or a digest).',
    },
    fix: 'unsafe',
  },
  check: { compose: checkCompose },
};

export default rule;
