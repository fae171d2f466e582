/**
 * Evidence of good practice, read from the project model: what the service already does right,
 * per factor, with locations. The report shows it beside the findings so it teaches, not only
 * blames. Every list is sorted; the same model gives the same evidence.
 */
import type { FactorSlug } from '../engine/types';
import type { Loc, ProjectModel } from '../workspace/model-types';
import { CONTRACT_LIBRARIES, isHealthRoute, STRUCTURED_LOGGERS, TELEMETRY_LIBRARIES } from '../knowledge/libraries';
import { compareContracts } from '../workspace/contract-sync';
import { entrypointScript } from '../workspace/resolve';

export interface Evidence {
  /** Stable id, e.g. `sigterm-handler`. */
  id: string;
  factor: FactorSlug;
  title: string;
  /** A short explanation of why it is good practice. */
  detail: string;
  locations: Loc[];
}

const MAX_LOCATIONS = 8;
const fileLoc = (path: string): Loc => ({ path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });

const SECURITY_LIBRARIES = ['helmet', '@fastify/helmet', 'koa-helmet', 'passport', '@nestjs/passport', 'jsonwebtoken', 'jose', 'express-jwt', '@fastify/jwt', 'express-rate-limit', '@fastify/rate-limit'];
const STATE_STORES = ['connect-redis', 'connect-pg-simple', 'connect-mongo', '@aws-sdk/client-s3', 'ioredis', 'redis', '@google-cloud/storage', '@azure/storage-blob'];
const BACKING_NAME = /(?:_URL|_URI|_DSN|_HOST|_CONNECTION_STRING)$|^(?:DATABASE|DB|REDIS|MONGO|AMQP|RABBITMQ|KAFKA|NATS|S3|SMTP)_/;
const BACKING_IMAGES = /(?:^|\/)(?:postgres|postgis|mysql|mariadb|mongo|redis|valkey|rabbitmq|kafka|nats|elasticsearch|opensearch|memcached|minio|localstack)(?:[:@]|$)/;

function depsWith(model: ProjectModel, names: readonly string[]): Array<{ name: string; loc: Loc }> {
  const out: Array<{ name: string; loc: Loc }> = [];
  for (const p of model.packages) for (const d of [...p.dependencies, ...p.devDependencies]) if (names.includes(d) || names.some((n) => n.endsWith('/') && d.startsWith(n))) out.push({ name: d, loc: fileLoc(p.path) });
  return out;
}

function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function list(names: string[], max = 4): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** All evidence found in the model, sorted by factor order then id. */
export function collectEvidence(model: ProjectModel): Evidence[] {
  const out: Evidence[] = [];
  const add = (factor: FactorSlug, id: string, title: string, detail: string, locations: Loc[]) => {
    if (locations.length === 0) return;
    const sorted = [...locations].sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line);
    out.push({ factor, id, title, detail, locations: sorted.slice(0, MAX_LOCATIONS) });
  };
  const appReads = model.envReads.filter((r) => model.sourceFile(r.path)?.isApp);
  const finalImages = model.dockerfiles.filter((d) => d.stages.length > 0);

  // I. Codebase
  add('codebase', 'gitignore', '.gitignore present', 'Build output, dependencies and local secrets stay out of revision control.', model.gitignores.map(fileLoc));
  // II. Dependencies
  add('dependencies', 'lockfile', 'Lockfile committed', 'Every build installs the exact dependency tree that was tested.', model.lockfiles.map(fileLoc));
  add('dependencies', 'lockfile-install', 'Lockfile-based install in the image', '`npm ci` / frozen-lockfile installs fail instead of drifting when package.json and the lockfile disagree.', model.dockerfiles.flatMap((d) => d.installs.filter((i) => i.lockfile).map((i) => i.loc)));
  add('dependencies', 'engines', 'Runtime version declared', '`engines` in package.json states the Node.js version the app needs.', model.packages.filter((p) => p.engines.node).map((p) => fileLoc(p.path)));
  // III. Config
  add('config', 'env-template', 'Config documented in an env template', 'A committed .env.example lists every variable a deploy must set, without values.', model.envFiles.filter((f) => f.kind === 'template').map((f) => fileLoc(f.path)));
  const readNames = uniqueSorted(appReads.map((r) => r.name));
  add('config', 'env-reads', `Config read from the environment (${readNames.length} variable${readNames.length === 1 ? '' : 's'})`, `The code takes its config from process.env: ${list(readNames)}.`, readNames.map((n) => appReads.find((r) => r.name === n)!.loc));
  add('config', 'compose-env-file', 'Compose passes config through env files', 'env_file keeps per-deploy values out of the Compose file.', model.composeServices.flatMap((s) => s.envFiles.map((e) => e.loc)));
  // IV. Backing services
  const backing = readNames.filter((n) => BACKING_NAME.test(n));
  add('backing-services', 'attached-by-url', 'Backing services attached through config', `Connection settings come from the environment (${list(backing)}), so a resource can be swapped without a code change.`, backing.map((n) => appReads.find((r) => r.name === n)!.loc));
  // V. Build, release, run
  add('build-release-run', 'pinned-base-images', 'Base images pinned', 'Every FROM names a fixed tag or digest: rebuilding the same commit gives the same image.', finalImages.filter((d) => d.stages.every((s) => s.pinned)).map((d) => d.stages[0].loc));
  add('build-release-run', 'multi-stage', 'Multi-stage build', 'Build tools stay in the build stage; the runtime image holds only the release.', model.dockerfiles.filter((d) => d.stages.length > 1).map((d) => d.stages[d.stages.length - 1].loc));
  // VI. Processes
  add('processes', 'external-state', 'State kept in backing services', `Sessions and files go to external stores (${list(uniqueSorted(depsWith(model, STATE_STORES).map((d) => d.name)))}), not the process.`, depsWith(model, STATE_STORES).map((d) => d.loc));
  // VII. Port binding
  add('port-binding', 'port-from-env', 'Port read from the environment', 'The server binds the port the platform assigns (process.env.PORT).', model.listens.filter((l) => l.envVar && model.sourceFile(l.path)?.isApp).map((l) => l.loc));
  add('port-binding', 'expose', 'Port declared by the image', 'EXPOSE documents the port the container serves.', model.dockerfiles.flatMap((d) => d.expose.map((e) => e.loc)));
  // VIII. Concurrency
  add('concurrency', 'foreground-process', 'One foreground process per container', 'The container runs the app directly (exec form), so it scales by running more containers.', finalImages.filter((d) => (d.entrypoint ?? d.cmd)?.form === 'exec' && !/\bpm2\b|\bforever\b/.test((d.entrypoint ?? d.cmd)!.text)).map((d) => (d.entrypoint ?? d.cmd)!.loc));
  // IX. Disposability
  add('disposability', 'sigterm-handler', 'Graceful shutdown on SIGTERM', 'The app handles SIGTERM (or uses a shutdown library) to finish in-flight work before exiting.', model.shutdown.map((s) => s.loc));
  add('disposability', 'exec-form', 'Exec-form CMD/ENTRYPOINT', 'The app is PID 1 (or runs under an init) and receives SIGTERM directly.', finalImages.flatMap((d) => [d.entrypoint, d.cmd].filter((c) => c?.form === 'exec').map((c) => c!.loc)));
  add('disposability', 'entrypoint-exec', 'Entrypoint script hands over with exec', 'The entrypoint script replaces itself with the app, so signals reach it.', finalImages.map((d) => entrypointScript(model, d)).filter((e) => e && /(?:^|\n)\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*exec\s[^\n]*\s*$/.test(e.script.text)).map((e) => fileLoc(e!.script.path)));
  // X. Dev/prod parity
  const devBacking = model.composeServices.filter((s) => s.image && BACKING_IMAGES.test(s.image.value));
  add('dev-prod-parity', 'compose-backing-services', 'Same backing services in development', `Compose runs real backing services locally (${list(uniqueSorted(devBacking.map((s) => s.image!.value)))}) instead of substitutes.`, devBacking.map((s) => s.image!.loc));
  add('dev-prod-parity', 'production-env', 'Image built for production', 'The runtime stage sets NODE_ENV=production.', model.dockerfiles.flatMap((d) => d.env.filter((e) => e.finalStage && e.name === 'NODE_ENV' && e.value === 'production').map((e) => e.loc)));
  // XI. Logs
  const loggers = depsWith(model, STRUCTURED_LOGGERS.filter((l) => l !== '@nestjs/common'));
  add('logs', 'structured-logger', 'Structured logger', `Logs are events written by one logger (${list(uniqueSorted(loggers.map((l) => l.name)))}) to stdout.`, loggers.map((l) => l.loc));
  // XII. Admin processes
  const adminScripts = model.packages.filter((p) => Object.keys(p.scripts).some((s) => /^(?:migrate|migration|seed|db)(?:[:\-_]|$)/i.test(s)));
  add('admin-processes', 'admin-scripts', 'Admin tasks as one-off scripts', 'Migrations and seeds run as package scripts in the release environment, not inside the server.', adminScripts.map((p) => fileLoc(p.path)));
  // XIII. API first
  add('api-first', 'contract-file', 'API contract published', 'An OpenAPI/AsyncAPI/GraphQL schema describes the API for its consumers.', model.schemas.map((s) => fileLoc(s.path)));
  const inSync = compareContracts(model).filter((c) => c.undocumented.length === 0 && c.unimplemented.length === 0);
  add('api-first', 'contract-in-sync', 'Contract in sync with the code', `Every route of ${list(inSync.map((c) => c.dir === '' ? 'the service' : c.dir))} is documented and every documented operation has a handler.`, inSync.flatMap((c) => c.schemas.map((s) => fileLoc(s.path))));
  const contractLibs = depsWith(model, [...CONTRACT_LIBRARIES]);
  add('api-first', 'contract-library', 'Contract generated from code', `The API contract is produced or enforced by ${list(uniqueSorted(contractLibs.map((c) => c.name)))}.`, contractLibs.map((c) => c.loc));
  // XIV. Telemetry
  add('telemetry', 'health-route', 'Health endpoint', 'A health/readiness route lets the platform probe the service.', [...model.routes.filter((r) => isHealthRoute(r.route, r.method)).map((r) => r.loc), ...model.healthLibraries.map((h) => h.loc)]);
  add('telemetry', 'healthcheck', 'Container healthchecks', 'HEALTHCHECK / Compose healthcheck tells the orchestrator when an instance is ready.', [
    ...model.dockerfiles.filter((d) => d.healthcheck && !d.healthcheck.disabled).map((d) => d.healthcheck!.loc),
    ...model.composeServices.filter((s) => s.healthcheck && !s.healthcheck.disabled).map((s) => s.healthcheck!.loc),
  ]);
  const telemetry = depsWith(model, TELEMETRY_LIBRARIES);
  add('telemetry', 'instrumentation', 'Metrics and traces', `Instrumented with ${list(uniqueSorted(telemetry.map((t) => t.name)))}.`, telemetry.map((t) => t.loc));
  // XV. Security
  add('security', 'non-root-user', 'Runs as a non-root user', 'The final image drops root, limiting what a compromised process can do.', model.dockerfiles.filter((d) => d.user && !/^(?:root|0)(?::|$)/.test(d.user.value)).map((d) => d.user!.loc));
  const security = depsWith(model, SECURITY_LIBRARIES);
  add('security', 'security-middleware', 'Security middleware', `Uses ${list(uniqueSorted(security.map((s) => s.name)))} for headers, authentication or rate limiting.`, security.map((s) => s.loc));
  const authSteps = [
    ...model.routes.filter((r) => r.guard === 'auth' && model.sourceFile(r.path)?.isApp).map((r) => r.loc),
    ...model.authSites.filter((s) => s.verdict === 'auth' && model.sourceFile(s.path)?.isApp).map((s) => s.loc),
  ];
  add('security', 'authentication', 'Authentication in the request chain', 'Routes pass an authentication step (middleware, guard or hook) before their handler, at the route, router or app level.', authSteps);
  add('security', 'loopback-ports', 'Ports bound to localhost', 'Compose publishes these ports on 127.0.0.1 only.', model.composeServices.flatMap((s) => s.ports.filter((p) => p.hostIp === '127.0.0.1' || p.hostIp === '[::1]').map((p) => p.loc)));
  return out;
}
