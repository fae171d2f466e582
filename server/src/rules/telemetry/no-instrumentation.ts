import { isApiRoute, isTelemetryLibrary } from '../../knowledge/libraries';
import type { PackageFact, RouteFact } from '../../workspace/model-types';
import { isUnder } from '../../workspace/paths';
import { packageDirOf } from '../../workspace/resolve';
import type { WorkspaceRule } from '../../workspace/workspace-rule';

/**
 * A service that serves an API but has no metrics or tracing instrumentation: none of its
 * package.json files (its own, or a workspace root above it) declares OpenTelemetry, a Prometheus
 * client or an APM agent. Once per service, at the entry point (the `listen` call).
 */
const rule: WorkspaceRule = {
  meta: {
    id: 'telemetry/no-instrumentation',
    factor: 'telemetry',
    severity: 'info',
    description: 'A service with HTTP routes and no metrics or tracing instrumentation.',
    rationale: 'Telemetry (factor XIV) means every instance reports how it is doing — request rates, latencies, errors, traces across services — to a system outside the process, so the platform and its operators can see and act. Logs alone do not give rates, latencies or traces.',
    messages: {
      noInstrumentation: 'This service serves {{count}} HTTP route(s) but declares no metrics or tracing instrumentation (OpenTelemetry, prom-client, an APM agent such as dd-trace, newrelic, elastic-apm-node): add one so request rates, latencies and errors are observable.',
    },
    fix: 'none',
  },
  checkWorkspace(model, report) {
    const byPackage = new Map<string, RouteFact[]>();
    for (const route of model.routes) {
      if (!model.sourceFile(route.path)?.isApp || !isApiRoute(route.method, route.route)) continue;
      const dir = packageDirOf(model, route.path);
      const list = byPackage.get(dir);
      if (list) list.push(route); else byPackage.set(dir, [route]);
    }
    const declares = (p: PackageFact) => [...p.dependencies, ...p.devDependencies].some(isTelemetryLibrary);
    for (const [dir, routes] of [...byPackage].sort(([a], [b]) => a.localeCompare(b))) {
      // the package itself or a workspace root above it (shared instrumentation in a monorepo)
      if (model.packages.some((p) => (p.dir === dir || (p.dir === '' || isUnder(dir, p.dir))) && declares(p))) continue;
      const listen = model.listens.find((l) => packageDirOf(model, l.path) === dir && model.sourceFile(l.path)?.isApp);
      const at = listen?.loc ?? routes[0].loc;
      report({ messageId: 'noInstrumentation', data: { count: routes.length }, path: at.path, range: at.range });
    }
  },
};

export default rule;
