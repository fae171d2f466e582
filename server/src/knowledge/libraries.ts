/**
 * Shared knowledge about the Node ecosystem that rules, the project model and the report all
 * read: which libraries provide an API contract, handle shutdown or log structurally, and which
 * routes are health probes. Data and pure predicates only; it imports nothing, so any layer may
 * read it. Extend the lists here, never a copy in a rule.
 */

/**
 * Libraries that generate or enforce the contract from code (Swagger/OpenAPI decorators, schema
 * validators, GraphQL schema-first servers): a project using one has a contract, even without a file.
 */
export const CONTRACT_LIBRARIES: ReadonlySet<string> = new Set([
  '@nestjs/swagger', '@fastify/swagger', 'fastify-swagger', 'swagger-jsdoc', 'swagger-ui-express', 'tsoa',
  'express-openapi-validator', 'express-openapi', 'openapi-backend', '@asteasolutions/zod-to-openapi', '@hono/zod-openapi',
  'hono-openapi', 'express-zod-api', '@ts-rest/core', '@nestjs/graphql', 'type-graphql', '@apollo/server', 'apollo-server',
  'apollo-server-express', 'graphql-yoga', 'mercurius', '@asyncapi/parser',
  'koa-swagger-decorator', 'hapi-swagger', 'swagger-autogen', 'express-jsdoc-swagger', 'fastify-openapi-glue', '@loopback/rest',
  'routing-controllers-openapi', 'koa2-swagger-ui',
]);

/** A route segment that names a health, readiness or liveness probe. */
export const HEALTH_SEGMENT = /^_?(?:health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|alive|ping)$/i;

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

/** Libraries whose use means shutdown is handled for the process. */
export const SHUTDOWN_MODULES: ReadonlySet<string> = new Set([
  '@godaddy/terminus', 'terminus', 'lightship', 'close-with-grace', 'http-terminator', 'stoppable',
  'http-graceful-shutdown', 'fastify-graceful-shutdown', '@moebius/http-graceful-shutdown',
  'exit-hook', 'async-exit-hook', 'signal-exit', 'death', 'node-graceful-shutdown', '@nestjs/terminus-shutdown',
]);

/** Logging libraries whose use shows structured logs (the report's evidence). */
export const STRUCTURED_LOGGERS: readonly string[] = ['pino', 'winston', 'bunyan', 'roarr', 'loglevel', '@nestjs/common', 'consola', 'tslog'];

/**
 * Metrics and tracing instrumentation: OpenTelemetry, Prometheus clients and middleware, APM
 * agents (Datadog, New Relic, Elastic, Instana, Application Insights, Sentry with tracing…).
 * A name ending in `/` is a scope: every package under it counts.
 */
export const TELEMETRY_LIBRARIES: readonly string[] = [
  '@opentelemetry/', '@azure/monitor-opentelemetry', '@splunk/otel', '@honeycombio/opentelemetry-node', '@vercel/otel',
  'prom-client', 'express-prom-bundle', 'prometheus-api-metrics', 'fastify-metrics', '@willsoto/nestjs-prometheus', 'koa-prometheus-adv', 'swagger-stats', 'express-status-monitor', 'hot-shots', 'node-statsd', 'appmetrics',
  'dd-trace', 'newrelic', 'elastic-apm-node', '@instana/collector', 'applicationinsights', '@sentry/node', '@sentry/nestjs', '@sentry/nextjs',
  '@google-cloud/trace-agent', 'aws-xray-sdk', 'aws-xray-sdk-core', '@aws-lambda-powertools/tracer', '@aws-lambda-powertools/metrics', '@highlight-run/node', 'signoz', '@hyperdx/node-opentelemetry',
];

/** Whether a package name is a telemetry library (see `TELEMETRY_LIBRARIES`). */
export function isTelemetryLibrary(name: string): boolean {
  return TELEMETRY_LIBRARIES.some((t) => (t.endsWith('/') ? name.startsWith(t) : name === t));
}

/**
 * Routes every web server has that are no API: the landing page or SPA shell (`GET /`, `GET *`,
 * `/index.html`), crawler and browser files. With health probes, a server that has only these
 * defines no API.
 */
const NOT_API_PATHS = /^(?:|\/|\*|\/\*|\(\.\*\)|\/index\.html?|\/robots\.txt|\/favicon\.ico|\/manifest\.json|\/sitemap\.xml)$/;

/** Whether a route (method + path as written) is part of an API, not a page shell, a browser file or a probe. */
export function isApiRoute(method: string, route: string): boolean {
  if (method === 'USE') return false;
  if ((method === 'GET' || method === 'HEAD') && NOT_API_PATHS.test(route)) return false;
  return !isHealthRoute(route, method);
}

/**
 * Client libraries of networked backing services (databases, caches, queues, search): a service
 * that depends on one has something a readiness probe should check. SQLite and in-process stores
 * are not backing services.
 */
export const BACKING_SERVICE_CLIENTS: ReadonlySet<string> = new Set([
  'pg', 'postgres', 'mysql', 'mysql2', 'mariadb', 'mongodb', 'mongoose', 'redis', 'ioredis', '@redis/client', 'typeorm', 'sequelize', 'knex',
  '@prisma/client', '@mikro-orm/core', 'amqplib', 'amqp-connection-manager', 'kafkajs', 'nats', '@elastic/elasticsearch', 'memcached', 'cassandra-driver', 'bullmq', 'bull',
]);
