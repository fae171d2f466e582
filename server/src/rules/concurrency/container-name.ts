import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedCompose } from '../../parse/compose';
import { dedupe, isAppService, ownerMap, removePairEdit } from '../support/compose';

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  const first = dedupe();
  for (const service of ctx.parsed.services) {
    const pair = service.pair('container_name');
    if (!pair || !pair.key.range || !first(pair.key.range[0])) continue;
    // the pair may be merged in from an anchor: it is removed where it is written
    const owner = ownerMap(service.doc, pair);
    const edit = owner ? removePairEdit(ctx.text, owner, pair) : undefined;
    const fixes: Fix[] = edit ? [{ title: 'Remove container_name (Compose names containers <project>-<service>-<n>)', kind: 'unsafe', edits: [edit] }] : [];
    // Databases, caches and proxies run as one instance anyway: for them the fixed name only
    // risks clashing with another checkout on the host, so it is reported as info, not warning.
    const app = isAppService(ctx.parsed, service);
    ctx.report({ messageId: app ? 'fixed' : 'fixedSingleton', data: { service: service.name }, start: pair.key.range[0], end: pair.key.range[1], fixes, severity: app ? undefined : 'info' });
  }
}

const rule: Rule = {
  meta: {
    id: 'concurrency/container-name',
    factor: 'concurrency',
    severity: 'warning',
    description: 'Compose services with a fixed container_name, which cannot be scaled beyond one container.',
    rationale: 'Twelve-factor apps scale out by running more processes (factor VIII). A fixed container name is unique per Docker host, so `docker compose up --scale` fails and two checkouts of the project on one host collide.',
    messages: {
      fixed: 'Service "{{service}}" sets container_name: it cannot run more than one container (`--scale` fails) and clashes with other projects on the host. Address it by service name instead.',
      fixedSingleton: 'Service "{{service}}" sets container_name: a second checkout or CI job on the same host cannot start it. Other services reach it by service name; the fixed name is not needed.',
    },
    fix: 'unsafe',
  },
  check: { compose: checkCompose },
};

export default rule;
