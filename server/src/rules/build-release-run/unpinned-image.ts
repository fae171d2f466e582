import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedCompose } from '../../parse/compose';
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
    if (ref.tag !== undefined && ref.tag !== 'latest') continue;
    if (!first(node.range![0])) continue;
    const known = ref.registry === undefined || ref.registry === 'docker.io' ? KNOWN_IMAGE_TAGS[ref.repository] : undefined;
    const fixes: Fix[] = [];
    if (known) {
      const newValue = ref.tag === 'latest' ? value.replace(/:latest$/, `:${known}`) : `${value.trim()}:${known}`;
      fixes.push({ title: `Pin ${ref.repository} to :${known}`, kind: 'unsafe', edits: [rewriteScalar(ctx.text, node, newValue)] });
    }
    ctx.report({
      messageId: ref.tag === 'latest' ? 'latest' : 'untagged',
      data: { service: service.name, image: value.trim() },
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
    description: 'Compose services running an image without a tag or with :latest.',
    rationale: 'A release is a build combined with config, and must be reproducible (factor V). An untagged or :latest image changes under you at the next pull: two hosts running "the same" release run different code, and a rollback pulls the new image again.',
    messages: {
      untagged: 'Service "{{service}}" runs image "{{image}}" without a tag: every pull may bring a different release. Pin a version tag (or a digest).',
      latest: 'Service "{{service}}" runs "{{image}}": :latest moves with every upstream release. Pin a version tag (or a digest).',
    },
    fix: 'unsafe',
  },
  check: { compose: checkCompose },
};

export default rule;
