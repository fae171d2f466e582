import { BACKING_SERVICE_CLIENTS, isHealthRoute } from '../../knowledge/libraries';
import type { RouteFact } from '../../workspace/model-types';
import { packageDirOf } from '../../workspace/resolve';
import type { WorkspaceRule } from '../../workspace/workspace-rule';

/**
 * Every health route of a service answers a constant (`res.send('OK')`) while the service
 * depends on a database, cache or queue client: the platform's probe says "ready" while the
 * database is down. A hint: a constant liveness route is right, readiness is what is missing.
 */
const rule: WorkspaceRule = {
  meta: {
    id: 'telemetry/constant-health-route',
    factor: 'telemetry',
    severity: 'hint',
    description: 'The only health routes answer a constant while the service uses backing services: readiness checks nothing.',
    rationale: 'Telemetry (factor XIV) includes telling the platform when an instance can serve. A health route that always answers OK keeps traffic flowing to an instance whose database, cache or queue is unreachable; a readiness route that checks the backing services lets the platform hold traffic until they answer. A constant liveness route is fine beside it.',
    messages: {
      constant: '{{route}} always answers the same while this service uses {{clients}}: add a readiness route that checks them (e.g. a `SELECT 1` or a ping) and keep this one for liveness.',
    },
    fix: 'none',
  },
  checkWorkspace(model, report) {
    const byPackage = new Map<string, RouteFact[]>();
    for (const r of model.routes) {
      if (r.method === 'USE' || !isHealthRoute(r.route, r.method) || !model.sourceFile(r.path)?.isApp) continue;
      const dir = packageDirOf(model, r.path);
      const list = byPackage.get(dir);
      if (list) list.push(r); else byPackage.set(dir, [r]);
    }
    for (const [dir, routes] of [...byPackage].sort(([a], [b]) => a.localeCompare(b))) {
      if (!routes.every((r) => r.constant)) continue; // one probe that checks something is enough
      if (model.healthLibraries.some((h) => packageDirOf(model, h.path) === dir)) continue;
      const pkg = model.packages.find((p) => p.dir === dir);
      const clients = pkg ? pkg.dependencies.filter((d) => BACKING_SERVICE_CLIENTS.has(d)).sort() : [];
      if (clients.length === 0) continue;
      report({
        messageId: 'constant',
        data: { route: `${routes[0].method} ${routes[0].route}`, clients: clients.join(', ') },
        path: routes[0].path,
        range: routes[0].loc.range,
        related: [
          ...routes.slice(1).map((r) => ({ path: r.path, range: r.loc.range, message: `also constant: ${r.method} ${r.route}` })),
          { path: pkg!.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `backing service clients: ${clients.join(', ')}` },
        ],
      });
    }
  },
};

export default rule;
