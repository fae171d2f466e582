/**
 * Which Compose services are jobs (migrations, seeds, setup, test runs) rather than long-running
 * processes: shared by the rules that only judge long-running services (healthchecks, restart policies).
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { mapPairs, resolveNode, scalarString, type ComposeService } from '../../parse/compose';

/** Commands that run to completion: migrations, seeds, one-shot setup. */
const MIGRATION_COMMAND = /(?:\b|:)(?:migrat\w*|seed\w*|db:(?:migrate|seed|setup|create|push)|prisma\s+(?:migrate|db\s+push)|alembic\s+upgrade|manage\.py\s+(?:migrate|collectstatic)|flyway|liquibase)\b/i;
/** Looser hints, trusted only together with `restart: "no"`. */
const ONE_SHOT_HINT = /\b(?:setup|init|install|build|test|tests|jest|vitest|pytest|create-\w+|bootstrap)\b/i;
/** Service names of jobs: test runners, setup, migrations, seeds (trusted only without a restart policy). */
const ONE_OFF_NAME = /(?:^|[-_.])(?:tests?|e2e|cypress|playwright|setup|init|migrate|migrations?|seed|seeder)(?:$|[-_.])|(?:Tests?|Setup|Migrate|Migration|Seed)$/;
/** Words of a long-running command, which wins over a migration run before the server starts. */
const LONG_RUNNING = /\b(?:start|serve|server|run\s+dev|watch|listen|worker|daemon)\b|&&\s*(?:exec\s+)?(?:node|python3?|java|bun|deno|gunicorn|uvicorn)\s+(?![^&;]*(?:migrat|seed))/i;

export function commandText(service: ComposeService, key: string): string | undefined {
  const node = service.get(key);
  if (isScalar(node)) return scalarString(node);
  if (isSeq(node)) return node.items.map((i) => scalarString(resolveNode(service.doc, i)) ?? '').join(' ');
  return undefined;
}

/** A one-off service (migration, seed, setup job) exits by design: a healthcheck means nothing for it. */
export function isOneOff(service: ComposeService): boolean {
  const restart = scalarString(service.get('restart'));
  const command = `${commandText(service, 'entrypoint') ?? ''} ${commandText(service, 'command') ?? ''}`;
  if (MIGRATION_COMMAND.test(command) && !LONG_RUNNING.test(command)) return true;
  // Compose's default restart policy is "no": an opt-in profile service without restart is a tool run by hand
  const explicitNoRestart = restart === 'no' || restart === 'false' || restart === 'on-failure';
  if (LONG_RUNNING.test(command)) return false;
  if (explicitNoRestart && (service.pair('profiles') || ONE_SHOT_HINT.test(command) || ONE_OFF_NAME.test(service.name))) return true;
  if (restart === undefined && (service.pair('profiles') || ONE_OFF_NAME.test(service.name))) return true;
  const deploy = service.get('deploy');
  if (isMap(deploy)) {
    const policy = resolveNode(service.doc, mapPairs(service.doc, deploy).find((p) => p.key.value === 'restart_policy')?.value);
    if (isMap(policy) && scalarString(resolveNode(service.doc, mapPairs(service.doc, policy).find((p) => p.key.value === 'condition')?.value)) === 'none') return true;
  }
  return false;
}


/**
 * Positive evidence that a service keeps running: it serves ports, has a healthcheck, runs a
 * datastore/broker/proxy image, or its command starts a server or worker. Used where a wrong
 * "long-running" guess costs more than a missed one (an explicit `restart: "no"` is mostly a job's).
 */
export function looksLongRunning(service: ComposeService, imageFamily: string | undefined): boolean {
  if (service.pair('ports') || service.pair('expose')) return true;
  const healthcheck = service.get('healthcheck');
  if (isMap(healthcheck) && scalarString(resolveNode(service.doc, mapPairs(service.doc, healthcheck).find((p) => p.key.value === 'disable')?.value)) !== 'true') return true;
  if (imageFamily !== undefined && imageFamily !== 'tool') return true;
  const command = `${commandText(service, 'entrypoint') ?? ''} ${commandText(service, 'command') ?? ''}`;
  return LONG_RUNNING.test(command);
}
