import type { Fix, Rule, RuleContext } from '../../engine/types';
import { isDevelopmentPath } from '../../engine/command-model';
import { resolveNode, scalarString, type ParsedCompose } from '../../parse/compose';
import { isScalar } from 'yaml';
import { isOneOff, looksLongRunning } from '../support/compose-jobs';
import { dedupe, imageFamily, imageOf, isInterpolated, rewriteScalar } from '../support/compose';

function check(ctx: RuleContext<ParsedCompose>): void {
  // development stacks are started by hand and stopped by hand: no restart is the point there
  if (isDevelopmentPath(ctx.file.path)) return;
  const first = dedupe();
  for (const service of ctx.parsed.services) {
    const pair = service.pair('restart');
    const value = resolveNode(service.doc, pair?.value);
    const restart = scalarString(value);
    if (!isScalar(value) || !value.range || (restart !== 'no' && restart !== 'false')) continue;
    if (!service.pair('image') && !service.pair('build') && !service.pair('extends')) continue; // a fragment, not a service
    if (isOneOff(service)) continue;
    // an explicit "no" is mostly written on jobs (bucket creation, init containers): only judge what shows it keeps running
    const image = imageOf(service);
    if (!looksLongRunning(service, image && !isInterpolated(image.ref.repository) ? imageFamily(image.ref) : undefined)) continue;
    if (!first(value.range[0])) continue;
    const fixes: Fix[] = restart === 'no' ? [{ title: 'Restart unless stopped (restart: unless-stopped)', kind: 'unsafe', edits: [rewriteScalar(ctx.text, value, 'unless-stopped')] }] : [];
    ctx.report({ messageId: 'disabled', data: { service: service.name }, start: value.range[0], end: value.range[1], fixes });
  }
}

const rule: Rule = {
  meta: {
    id: 'disposability/restart-disabled',
    factor: 'disposability',
    severity: 'info',
    description: 'Compose `restart: "no"` on a long-running service (not a one-off job, migration or test run).',
    rationale: 'Processes are disposable (factor IX) because the process manager brings a crashed one back: a long-running service with restart disabled stays down after a crash or a host reboot until someone notices. One-off jobs (migrations, seeds, setup) are meant to exit and are left alone.',
    messages: {
      disabled: 'Service "{{service}}" is long-running but has restart: "no": after a crash or a reboot it stays down. Use restart: unless-stopped (or on-failure).',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { compose: check },
};

export default rule;
