import type { Fix, Rule, RuleContext } from '../../engine/types';
import { resolveNode, scalarString, type ParsedCompose } from '../../parse/compose';
import { dedupe, isInterpolated, ownerMap, removePairEdit, replicaCount } from '../support/compose';

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  const first = dedupe();
  for (const service of ctx.parsed.services) {
    const pair = service.pair('container_name');
    if (!pair || !pair.key.range) continue;
    // A fixed name breaks only a service that runs several containers: Compose refuses to
    // start replicas that share one name. A single-instance service with a readable name is
    // common practice in self-hosted stacks (and an interpolated name is already per deploy).
    const replicas = replicaCount(ctx.parsed, service);
    const name = scalarString(resolveNode(service.doc, pair.value));
    if (replicas === undefined || replicas < 2 || (name !== undefined && isInterpolated(name))) continue;
    if (!first(pair.key.range[0])) continue;
    // the pair may be merged in from an anchor: it is removed where it is written
    const owner = ownerMap(service.doc, pair);
    const edit = owner ? removePairEdit(ctx.text, owner, pair) : undefined;
    const fixes: Fix[] = edit ? [{ title: 'Remove container_name (Compose names containers <project>-<service>-<n>)', kind: 'unsafe', edits: [edit] }] : [];
    ctx.report({ messageId: 'fixed', data: { service: service.name, replicas }, start: pair.key.range[0], end: pair.key.range[1], fixes });
  }
}

const rule: Rule = {
  meta: {
    id: 'concurrency/container-name',
    factor: 'concurrency',
    severity: 'warning',
    description: 'Compose services that run several replicas but set a fixed container_name, which only one container can have.',
    rationale: 'Twelve-factor apps scale out by running more processes (factor VIII). A container name is unique per Docker host, so a service with `deploy.replicas` (or `scale`) above one and a fixed `container_name` cannot start its replicas.',
    messages: {
      fixed: 'Service "{{service}}" runs {{replicas}} replicas but sets container_name: container names are unique per host, so its replicas cannot start. Remove container_name and address the service by its name.',
    },
    fix: 'unsafe',
  },
  check: { compose: checkCompose },
};

export default rule;
