import { isMap, isScalar } from 'yaml';
import type { Rule, RuleContext } from '../../engine/types';
import { mapPairs, resolveNode, type ComposeService, type ParsedCompose } from '../../parse/compose';
import { dedupe, extendsBase, replicaCount } from '../support/compose';

function child(service: ComposeService, node: unknown, key: string): unknown {
  const map = resolveNode(service.doc, node);
  return isMap(map) ? resolveNode(service.doc, mapPairs(service.doc, map).find((p) => p.key.value === key)?.value) : undefined;
}

/** `deploy.resources.limits` (cpus/memory/pids) or the legacy `mem_limit`/`cpus`/`memswap_limit`, also through `extends`. */
function hasLimits(parsed: ParsedCompose, service: ComposeService, depth = 0): boolean {
  if (['mem_limit', 'cpus', 'cpu_quota', 'memswap_limit'].some((k) => service.pair(k))) return true;
  const limits = child(service, child(service, service.pair('deploy')?.value, 'resources'), 'limits');
  if (isMap(limits) && limits.items.length > 0) return true;
  if (depth > 10) return false;
  const base = extendsBase(parsed, service);
  return base === 'external' || (base !== undefined && hasLimits(parsed, base, depth + 1));
}

function check(ctx: RuleContext<ParsedCompose>): void {
  const first = dedupe();
  for (const service of ctx.parsed.services) {
    const replicas = replicaCount(ctx.parsed, service);
    if (replicas === undefined || replicas < 2 || hasLimits(ctx.parsed, service)) continue;
    const node = child(service, service.pair('deploy')?.value, 'replicas') ?? resolveNode(service.doc, service.pair('scale')?.value);
    const at = isScalar(node) && node.range ? node.range : service.key.range;
    if (!at || !first(at[0])) continue;
    ctx.report({ messageId: 'noLimits', data: { service: service.name, replicas }, start: at[0], end: at[1] });
  }
}

const rule: Rule = {
  meta: {
    id: 'concurrency/replicas-without-limits',
    factor: 'concurrency',
    severity: 'info',
    description: 'A Compose service scaled to several replicas with no CPU or memory limits.',
    rationale: 'Scaling out by running more processes (factor VIII) works when each process has a known size: replicas without limits compete for the same host, and one leaking or busy replica starves the others (and the rest of the stack) instead of being throttled or restarted.',
    messages: {
      noLimits: 'Service "{{service}}" runs {{replicas}} replicas without resource limits: one busy or leaking replica can starve the others. Set deploy.resources.limits (cpus, memory).',
    },
    fix: 'none',
    roles: ['server'],
  },
  check: { compose: check },
};

export default rule;
