import { isMap, isScalar, type Node } from 'yaml';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedCompose } from '../../parse/compose';
import { dedupe, isInterpolated, isRange, isStackFile, ownerMap, portEntries, removePairEdit, replicaCount, rewriteScalar } from '../support/compose';

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  const first = dedupe();
  const stack = isStackFile(ctx.file.path);
  for (const service of ctx.parsed.services) {
    // Only a service that runs several containers collides on a fixed host port. A single
    // container publishing the port users reach (the web app, the API, a proxy) is how a
    // self-hosted stack is meant to be run: flagging it was noise on every real stack.
    const replicas = replicaCount(ctx.parsed, service);
    if (replicas === undefined || replicas < 2) continue;
    for (const port of portEntries(service)) {
      const { published } = port;
      // swarm's routing mesh shares an ingress-mode published port between replicas
      if (stack && port.mode !== 'host') continue;
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
      ctx.report({ messageId: 'fixed', data: { service: service.name, replicas, published, target: port.target }, start: at.range[0], end: at.range[1], fixes });
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'concurrency/fixed-host-port',
    factor: 'concurrency',
    severity: 'warning',
    description: 'Compose services that run several replicas but publish a fixed host port, which only one of them can bind.',
    rationale: 'Processes scale out horizontally (factor VIII). A fixed host port can be bound by one container only, so with `deploy.replicas` (or `scale`) above one every replica but the first fails to start; route traffic through a proxy or let Docker pick the host ports.',
    messages: {
      fixed: 'Service "{{service}}" runs {{replicas}} replicas but publishes fixed host port {{published}} (→ {{target}}): only one replica can bind it, the others fail to start. Publish only the container port, or put a proxy in front.',
    },
    fix: 'unsafe',
  },
  check: { compose: checkCompose },
};

export default rule;
