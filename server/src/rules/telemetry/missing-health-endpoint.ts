import { stringsOption } from '../../engine/rule-options';
import type { RouteFact } from '../../workspace/model-types';
import { packageDirOf } from '../../workspace/resolve';
import type { WorkspaceRule } from '../../workspace/workspace-rule';

/** `/Status/` and `/status?x` compare equal to `/status` (configured routes are written by hand). */
function normalizeRoute(route: string): string {
  return ('/' + route.split('?')[0].replace(/^\/+|\/+$/g, '')).toLowerCase();
}

/** A route segment that names a health, readiness or liveness probe. */
const HEALTH_SEGMENT = /^_?(?:health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|alive|ping)$/i;

export function isHealthRoute(route: string): boolean {
  return route.split('/').some((segment) => HEALTH_SEGMENT.test(segment));
}

const rule: WorkspaceRule = {
  meta: {
    id: 'telemetry/missing-health-endpoint',
    factor: 'telemetry',
    severity: 'info',
    description: 'An HTTP service has no health, readiness or liveness endpoint.',
    rationale: 'Telemetry (factor XIV) starts with the platform knowing whether an instance is alive and ready: orchestrators, load balancers and Compose healthchecks probe /health or /ready to route traffic and restart stuck instances. Without one, a hung process keeps receiving requests.',
    messages: {
      noHealth: 'This HTTP service ({{count}} route(s)) has no health endpoint (/health, /healthz, /ready, /readyz, /live, /livez): add one so the platform can probe it.',
    },
    fix: 'none',
  },
  checkWorkspace(model, report, options) {
    const extraRoutes = new Set(stringsOption(options, 'healthRoutes').map(normalizeRoute));
    const byPackage = new Map<string, RouteFact[]>();
    for (const route of model.routes) {
      if (!model.sourceFile(route.path)?.isApp) continue;
      const dir = packageDirOf(model, route.path);
      byPackage.set(dir, [...(byPackage.get(dir) ?? []), route]);
    }
    for (const [dir, routes] of [...byPackage].sort(([a], [b]) => a.localeCompare(b))) {
      if (!routes.some((r) => r.method !== 'USE')) continue; // mounts only: the endpoints are elsewhere
      if (routes.some((r) => isHealthRoute(r.route) || extraRoutes.has(normalizeRoute(r.route)))) continue;
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
