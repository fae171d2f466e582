import { isMap, isScalar, type Node } from 'yaml';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedCompose } from '../../parse/compose';
import { dedupe, isAppService, isInterpolated, isRange, ownerMap, portEntries, removePairEdit, rewriteScalar } from '../support/compose';

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  const first = dedupe();
  for (const service of ctx.parsed.services) {
    if (!isAppService(ctx.parsed, service)) continue;
    for (const port of portEntries(service)) {
      const { published } = port;
      // an interpolated host port is already chosen per deploy; a range lets replicas pick one each
      if (published === undefined || published === '' || isInterpolated(published) || isRange(published) || isRange(port.target)) continue;
      if (port.hostIp !== undefined && isInterpolated(port.hostIp)) continue;
      const fixes: Fix[] = [];
      let at: Node = port.node;
      if (!port.long && isScalar(port.node)) {
        const value = String(port.node.value);
        const proto = /\/[a-z]+$/i.exec(value)?.[0] ?? '';
        const hostIp = port.hostIp === undefined ? '' : value.startsWith('[') ? `[${port.hostIp}]::` : `${port.hostIp}::`;
        const newValue = `${hostIp}${port.target}${proto}`;
        fixes.push({ title: `Publish container port ${port.target} on an ephemeral host port`, kind: 'unsafe', edits: [rewriteScalar(ctx.text, port.node, newValue)] });
      } else if (port.publishedPair && isMap(port.node)) {
        at = (port.publishedPair.value as Node) ?? port.node;
        const owner = ownerMap(service.doc, port.publishedPair);
        const edit = owner ? removePairEdit(ctx.text, owner, port.publishedPair) : undefined;
        if (edit) fixes.push({ title: `Remove published: ${published} (Docker picks a free host port per container)`, kind: 'unsafe', edits: [edit] });
      }
      if (!at.range || !first(at.range[0])) continue;
      ctx.report({ messageId: 'fixed', data: { service: service.name, published, target: port.target }, start: at.range[0], end: at.range[1], fixes });
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'concurrency/fixed-host-port',
    factor: 'concurrency',
    severity: 'info',
    description: 'App services in Compose publishing a fixed host port, which blocks scaling out.',
    rationale: 'Processes scale out horizontally (factor VIII). A fixed host port can be bound by one container only, so `docker compose up --scale app=3` fails; route traffic through a proxy or let Docker pick the host ports.',
    messages: {
      fixed: 'Service "{{service}}" publishes fixed host port {{published}} (→ {{target}}): a second replica cannot bind it, so the service cannot scale. Publish only the container port, or put a proxy in front.',
    },
    fix: 'unsafe',
  },
  check: { compose: checkCompose },
};

export default rule;
