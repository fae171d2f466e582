import type { RouteFact } from '../../workspace/model-types';
import { packageDirOf } from '../../workspace/resolve';
import type { WorkspaceRule } from '../../workspace/workspace-rule';

/** A route segment that names a health, readiness or liveness probe. */
const HEALTH_SEGMENT = /^_?(?:health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|alive|ping)$/i;

/** Names that are a probe only at the top of the API (`/status`, `/api/status`, `/-/heartbeat`), not `/orders/:id/status`. */
const TOP_LEVEL_PROBE = /^(?:status|heartbeat|healthy|up|alive|ping)$/i;
/** Prefix segments under which a top-level probe still reads as one. */
const PROBE_PREFIX = /^(?:|-|_|api|v\d+|internal|admin|system|sys|management|manage|actuator|monitoring|monitor|meta|ops)$/i;

/**
 * `method` (when known): a probe answers GET (or HEAD, or any method); `POST /status` on a
 * sub-router is an action of the API, not a probe.
 */
export function isHealthRoute(route: string, method?: string): boolean {
  const segments = route.split(/[?#]/)[0].split('/');
  if (segments.some((segment) => HEALTH_SEGMENT.test(segment))) return true;
  if (method !== undefined && !/^(?:GET|HEAD|ALL|USE)$/i.test(method)) return false;
  const last = segments.filter(Boolean).pop() ?? '';
  return TOP_LEVEL_PROBE.test(last) && segments.slice(0, segments.lastIndexOf(last)).every((s) => PROBE_PREFIX.test(s));
}

const rule: WorkspaceRule = {
  meta: {
    id: 'telemetry/missing-health-endpoint',
    factor: 'telemetry',
    severity: 'info',
    description: 'An HTTP service has no health, readiness or liveness endpoint.',
    rationale: 'Telemetry (factor XIV) starts with the platform knowing whether an instance is alive and ready: orchestrators, load balancers and Compose healthchecks probe /health or /ready to route traffic and restart stuck instances. Without one, a hung process keeps receiving requests.',
    messages: {
      noHealth: 'This HTTP service ({{count}} route(s)) has no health endpoint (/health, /healthz, /ready, /readyz, /live, /livez, /status, /ping): add one so the platform can probe it.',
    },
    fix: 'none',
  },
  checkWorkspace(model, report) {
    // linear in the routes (20,000 routes used to take a minute): one lookup per file, arrays appended in place
    const byPackage = new Map<string, RouteFact[]>();
    const dirOfApp = new Map<string, string | undefined>();
    for (const route of model.routes) {
      if (!dirOfApp.has(route.path)) dirOfApp.set(route.path, model.sourceFile(route.path)?.isApp ? packageDirOf(model, route.path) : undefined);
      const dir = dirOfApp.get(route.path);
      if (dir === undefined) continue;
      const list = byPackage.get(dir);
      if (list) list.push(route); else byPackage.set(dir, [route]);
    }
    for (const [dir, routes] of [...byPackage].sort(([a], [b]) => a.localeCompare(b))) {
      if (!routes.some((r) => r.method !== 'USE')) continue; // mounts only: the endpoints are elsewhere
      if (routes.some((r) => isHealthRoute(r.route, r.method))) continue;
      if (model.healthLibraries.some((h) => packageDirOf(model, h.path) === dir)) continue;
      const listen = model.listens.find((l) => packageDirOf(model, l.path) === dir && model.sourceFile(l.path)?.isApp);
      const endpoints = routes.filter((r) => r.method !== 'USE');
      const at = listen?.loc ?? endpoints[0].loc;
      report({
        messageId: 'noHealth',
        data: { count: endpoints.length },
        path: at.path,
        range: at.range,
        related: listen ? [{ path: endpoints[0].path, range: endpoints[0].loc.range, message: `first route: ${endpoints[0].method} ${endpoints[0].route}` }] : undefined,
      });
    }
  },
};

export default rule;
