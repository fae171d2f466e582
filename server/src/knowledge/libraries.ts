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
]);

/** A route segment that names a health, readiness or liveness probe. */
export const HEALTH_SEGMENT = /^_?(?:health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|alive|ping)$/i;

export function isHealthRoute(route: string): boolean {
  return route.split('/').some((segment) => HEALTH_SEGMENT.test(segment));
}

/** Libraries whose use means shutdown is handled for the process. */
export const SHUTDOWN_MODULES: ReadonlySet<string> = new Set([
  '@godaddy/terminus', 'terminus', 'lightship', 'close-with-grace', 'http-terminator', 'stoppable',
  'http-graceful-shutdown', 'fastify-graceful-shutdown', '@moebius/http-graceful-shutdown',
  'exit-hook', 'async-exit-hook', 'signal-exit', 'death', 'node-graceful-shutdown', '@nestjs/terminus-shutdown',
]);

/** Logging libraries whose use shows structured logs (the report's evidence). */
export const STRUCTURED_LOGGERS: readonly string[] = ['pino', 'winston', 'bunyan', 'roarr', 'loglevel', '@nestjs/common', 'consola', 'tslog'];
