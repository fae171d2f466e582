import { isHealthRoute } from '../../knowledge/libraries';
import { stringsOption } from '../../engine/rule-options';
import type { RouteFact } from '../../workspace/model-types';
import { packageDirOf } from '../../workspace/resolve';
import type { WorkspaceRule } from '../../workspace/workspace-rule';

/** `/Status/` and `/status?x` compare equal to `/status` (configured routes are written by hand). */
function normalizeRoute(route: string): string {
  return ('/' + route.split('?')[0].replace(/^\/+|\/+$/g, '')).toLowerCase();
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
  checkWorkspace(model, report, options) {
    const extraRoutes = new Set(stringsOption(options, 'healthRoutes').map(normalizeRoute));
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
      // Next.js route handlers with no image to run them: a serverless platform runs and probes them
      if (routes.every((r) => r.framework === 'next') && model.dockerfiles.length === 0) continue;
      if (routes.some((r) => isHealthRoute(r.route, r.method) || extraRoutes.has(normalizeRoute(r.route)))) continue;
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
