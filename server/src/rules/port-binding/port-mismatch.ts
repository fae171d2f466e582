import type { RelatedLocation } from '../../engine/types';
import type { ComposeServiceFact, DockerfileFact, ListenFact, Loc, ProjectModel } from '../../workspace/model-types';
import { isUnder } from '../../workspace/project-model';
import { contextOfService, contextsOf, servicesBuilding } from '../../workspace/resolve';
import type { WorkspaceReport, WorkspaceRule } from '../../workspace/workspace-rule';

interface AppPort { port: number; how: string; locs: RelatedLocation[] }

/** The one listen of the app code in a build context; several distinct ones are ambiguous. */
function listenIn(model: ProjectModel, context: string): ListenFact | undefined {
  const listens = model.listens.filter((l) => isUnder(l.path, context) && model.sourceFile(l.path)?.isApp);
  const distinct = new Set(listens.map((l) => `${l.envVar ?? ''}:${l.port ?? ''}`));
  return distinct.size === 1 ? listens[0] : undefined;
}

const describeListen = (l: ListenFact) => l.envVar ? `process.env.${l.envVar}${l.port !== undefined ? ` (default ${l.port})` : ''}` : `port ${l.port}`;

/**
 * The port the app binds inside the container: the env var's value from Compose, else from the
 * Dockerfile's ENV, else the code's default or literal.
 */
function appPort(listen: ListenFact | undefined, dockerfile: DockerfileFact, service?: ComposeServiceFact): AppPort | undefined {
  if (!listen) return undefined;
  const listenLoc: RelatedLocation = { path: listen.path, range: listen.loc.range, message: `the app listens on ${describeListen(listen)}` };
  if (listen.envVar) {
    const fromCompose = service?.environment.find((e) => e.name === listen.envVar);
    if (fromCompose) {
      const n = Number(fromCompose.value);
      if (fromCompose.value === undefined || !/^\d{1,5}$/.test(fromCompose.value)) return undefined; // set from outside: unknown
      return { port: n, how: `${listen.envVar}=${n} from Compose`, locs: [listenLoc, { path: fromCompose.loc.path, range: fromCompose.loc.range, message: `Compose sets ${listen.envVar}=${n}` }] };
    }
    const fromEnv = [...dockerfile.env].reverse().find((e) => e.finalStage && e.name === listen.envVar);
    if (fromEnv) {
      if (fromEnv.value === undefined || !/^\d{1,5}$/.test(fromEnv.value)) return undefined;
      return { port: Number(fromEnv.value), how: `${listen.envVar}=${fromEnv.value} from the Dockerfile`, locs: [listenLoc, { path: fromEnv.loc.path, range: fromEnv.loc.range, message: `the Dockerfile sets ENV ${listen.envVar}=${fromEnv.value}` }] };
    }
  }
  if (listen.port === undefined) return undefined;
  return { port: listen.port, how: describeListen(listen), locs: [listenLoc] };
}

const rel = (loc: Loc, message: string): RelatedLocation => ({ path: loc.path, range: loc.range, message });

const rule: WorkspaceRule = {
  meta: {
    id: 'port-binding/port-mismatch',
    factor: 'port-binding',
    severity: 'warning',
    description: 'The port the app listens on, the Dockerfile EXPOSE and the Compose port mapping disagree.',
    rationale: 'A twelve-factor app is exported by binding a port (factor VII); the image and the deploy must publish that same port. When the code, the EXPOSE and the Compose target disagree, traffic goes to a port nothing listens on and the service looks down.',
    messages: {
      exposeMismatch: 'EXPOSE {{exposed}} does not match the port the app listens on ({{app}}).',
      composeMismatch: 'Service "{{service}}" maps container port {{targets}}, but the app listens on {{app}}.',
      composeExposeMismatch: 'Service "{{service}}" maps container port {{targets}}, but its Dockerfile EXPOSEs {{exposed}}.',
      composeExposeMismatchPort: 'Service "{{service}}" sets PORT={{port}} and maps container port {{targets}}, but its Dockerfile EXPOSEs {{exposed}}: update the EXPOSE (or the mapping).',
    },
    fix: 'none',
  },
  checkWorkspace(model, report) {
    for (const dockerfile of model.dockerfiles) {
      const contexts = contextsOf(model, dockerfile);
      const exposed = [...new Set(dockerfile.expose.map((e) => e.port))].sort((a, b) => a - b);
      const exposeRel = dockerfile.expose.map((e) => rel(e.loc, `the Dockerfile EXPOSEs ${e.port}`));
      // A reverse proxy in the image (Caddy, nginx…) owns the EXPOSEd port and forwards to the app,
      // which may listen on any other port: only the image and the deploy must agree then.
      const fronted = dockerfile.proxy !== undefined;
      // code + Dockerfile: judged with the Dockerfile's own ENV
      const imageListen = contexts.length === 1 && !fronted ? listenIn(model, contexts[0]) : undefined;
      const imagePort = appPort(imageListen, dockerfile);
      if (imagePort && exposed.length > 0 && !exposed.includes(imagePort.port)) {
        const first = dockerfile.expose[0];
        report({
          messageId: 'exposeMismatch',
          data: { exposed: exposed.join(', '), app: `${imagePort.port}: ${imagePort.how}` },
          path: first.loc.path,
          range: first.loc.range,
          related: [...imagePort.locs, ...exposeRel.slice(1)],
        });
      }
      for (const service of servicesBuilding(model, dockerfile)) {
        // `build.target` picks the stage whose EXPOSE applies
        const stage = service.build?.target ? dockerfile.stages.find((s) => s.name === service.build!.target!.toLowerCase()) : undefined;
        const stageExpose = stage ? stage.expose : dockerfile.expose;
        const exposed = [...new Set(stageExpose.map((e) => e.port))].sort((a, b) => a - b);
        const exposeRel = stageExpose.map((e) => rel(e.loc, `the Dockerfile EXPOSEs ${e.port}`));
        const targets = [...new Set([...service.ports.map((p) => p.target), ...service.expose.map((e) => e.port)])].sort((a, b) => a - b);
        if (targets.length === 0) continue;
        const first = service.ports[0]?.loc ?? service.expose[0].loc;
        const targetRel = [...service.ports.map((p) => rel(p.loc, `Compose maps container port ${p.target}`)), ...service.expose.map((e) => rel(e.loc, `Compose exposes ${e.port}`))];
        // a service that runs another command from the same image (a worker, a metrics sidecar) is not the app
        if (service.overridesCommand) continue;
        const listen = fronted ? undefined : listenIn(model, contextOfService(service)!);
        const port = appPort(listen, dockerfile, service);
        let r: WorkspaceReport | undefined;
        if (port && !targets.includes(port.port)) {
          r = { messageId: 'composeMismatch', data: { service: service.name, targets: targets.join(', '), app: `${port.port} (${port.how})` }, path: first.path, range: first.range, related: [...port.locs, ...exposeRel, ...targetRel.slice(1)] };
        } else if (!port && !listen && exposed.length > 0 && !targets.some((t) => exposed.includes(t))) {
          // without a known app port, the image and the deploy still have to agree with each other
          const portEnv = service.environment.find((x) => x.name === 'PORT' && x.value !== undefined && targets.includes(Number(x.value)));
          r = portEnv
            ? { messageId: 'composeExposeMismatchPort', data: { service: service.name, port: portEnv.value!, targets: targets.join(', '), exposed: exposed.join(', ') }, path: first.path, range: first.range, related: [...exposeRel, rel(portEnv.loc, `Compose sets PORT=${portEnv.value}`), ...targetRel.slice(1)] }
            : { messageId: 'composeExposeMismatch', data: { service: service.name, targets: targets.join(', '), exposed: exposed.join(', ') }, path: first.path, range: first.range, related: [...exposeRel, ...targetRel.slice(1)] };
        }
        if (r) report(r);
      }
    }
  },
};

export default rule;
