/**
 * The Compose check of `telemetry/missing-healthcheck` (the Dockerfile check lives in
 * missing-healthcheck.ts; both share one rule id and meta).
 */
import { isMap, isSeq } from 'yaml';
import type { Fix, RuleContext } from '../../engine/types';
import { mapPairs, resolveNode, scalarString, type ComposeService, type ParsedCompose } from '../../parse/compose';
import { LineIndex } from '../../engine/line-index';
import { parseDockerfile } from '../../parse/dockerfile';
import { isOneShotDockerfile } from '../support/finite-command';
import { buildOf } from '../../workspace/extract-compose';
import { builtDockerfilePath } from '../../workspace/resolve';
import { isOneOff } from '../support/compose-jobs';
import { hasKey, imageFamily, imageHasOwnHealthcheck, imageOf, indentOf, isAppService, isInterpolated, mapAppendOffset, portEntries, type ImageFamily } from '../support/compose';

export const COMPOSE_HEALTHCHECK_MESSAGES = {
  composeMissing: 'Service "{{service}}" has no healthcheck: Compose (and orchestrators) cannot tell a hung process from a healthy one.',
  composeMissingDependedOn: 'Service "{{service}}" has no healthcheck but {{dependents}} depend on it: they start as soon as its container starts, not when it is ready (depends_on condition: service_healthy needs a healthcheck).',
} as const;

/** `tty: true` with `stdin_open: true`: a shell kept open for `docker compose exec` (admin tools), not a server. */
function isInteractive(service: ComposeService): boolean {
  return scalarString(service.get('tty')) === 'true' && scalarString(service.get('stdin_open')) === 'true';
}

/** Names of the services listing `name` under depends_on (list or map form). */
function dependentsOf(parsed: ParsedCompose, target: ComposeService): string[] {
  const result: string[] = [];
  for (const service of parsed.services) {
    if (service.doc !== target.doc || service === target) continue;
    const deps = service.get('depends_on');
    const names = isSeq(deps) ? deps.items.map((i) => scalarString(resolveNode(service.doc, i)))
      : isMap(deps) ? mapPairs(service.doc, deps).map((p) => scalarString(p.key)) : [];
    if (names.includes(target.name)) result.push(service.name);
  }
  return result;
}

const TEMPLATES: Partial<Record<ImageFamily, string>> = {
  postgres: '["CMD-SHELL", "pg_isready -U $${POSTGRES_USER:-postgres} -d $${POSTGRES_DB:-postgres}"]',
  mysql: '["CMD-SHELL", "mysqladmin ping -h 127.0.0.1 --silent"]',
  mariadb: '["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"]',
  mongo: '["CMD", "mongosh", "--quiet", "--eval", "db.adminCommand(\'ping\').ok"]',
  redis: '["CMD", "redis-cli", "ping"]',
  valkey: '["CMD", "valkey-cli", "ping"]',
  rabbitmq: '["CMD", "rabbitmq-diagnostics", "-q", "ping"]',
};

/** The container port an app serves HTTP on, when the service says so unambiguously. */
function appPort(service: ComposeService): string | undefined {
  const targets = new Set(portEntries(service).map((p) => p.target).filter((t) => /^\d+$/.test(t)));
  const expose = service.get('expose');
  if (isSeq(expose)) for (const item of expose.items) { const v = scalarString(resolveNode(service.doc, item)); if (v && /^\d+$/.test(v)) targets.add(v); }
  return targets.size === 1 ? [...targets][0] : undefined;
}

function healthcheckFix(ctx: RuleContext<ParsedCompose>, service: ComposeService): Fix | undefined {
  const image = imageOf(service);
  const family = image ? imageFamily(image.ref) : undefined;
  let test = family ? TEMPLATES[family] : undefined;
  let title = `Add a ${family ?? ''} healthcheck`.replace('  ', ' ');
  let kind: Fix['kind'] = 'unsafe';
  if (!test && isAppService(ctx.parsed, service) && hasKey(ctx.parsed, service, 'build') === true) {
    const port = appPort(service);
    if (!port) return undefined;
    // Node 18+ has fetch: no curl/wget needed in slim images. The /health path is a guess: offered, not auto-applied.
    test = `["CMD", "node", "-e", "fetch('http://127.0.0.1:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`;
    title = `Add an HTTP healthcheck probing :${port}/health`;
    kind = 'suggestion';
  }
  if (!test) return undefined;
  const at = mapAppendOffset(ctx.text, service.map);
  const indent = indentOf(ctx.text, service.map);
  if (at === undefined || indent === undefined) return undefined;
  const nl = ctx.text.includes('\r\n') ? '\r\n' : '\n';
  const keyColumn = service.key.range![0] - (ctx.text.lastIndexOf('\n', service.key.range![0] - 1) + 1);
  const step = ' '.repeat(Math.max(2, indent.length - keyColumn));
  const lines = ['healthcheck:', `${step}test: ${test}`, `${step}interval: 10s`, `${step}timeout: 5s`, `${step}retries: 5`, `${step}start_period: 10s`];
  return { title, kind, edits: [{ start: at, end: at, newText: lines.map((l) => `${nl}${indent}${l}`).join('') }] };
}

/**
 * Whether the Dockerfile a service is built from gives its final stage a HEALTHCHECK (read
 * through the host's workspace index; unknown → false). The image's own HEALTHCHECK applies
 * to the container unless the service overrides it.
 */
function builtImageHasHealthcheck(ctx: RuleContext<ParsedCompose>, service: ComposeService): boolean {
  const read = ctx.project.readWorkspaceFile;
  if (!read) return false;
  if (!service.get('build')) return ownImageHasHealthcheck(ctx, service, read);
  return dockerfileHasHealthcheck(builtDockerfile(ctx, service, read));
}

/** A service that builds a one-shot job image (a fixture loader) and keeps its command: it exits by design. */
function buildsOneShotImage(ctx: RuleContext<ParsedCompose>, service: ComposeService): boolean {
  const read = ctx.project.readWorkspaceFile;
  if (!read || service.get('command') || service.get('entrypoint')) return false;
  const text = builtDockerfile(ctx, service, read);
  return text !== undefined && isOneShotDockerfile(text);
}

/** The text of the Dockerfile a service's `build:` names, read through the host's index; undefined when unknown (interpolated, remote). */
function builtDockerfile(ctx: RuleContext<ParsedCompose>, service: ComposeService, read: (path: string) => string | undefined): string | undefined {
  const build = buildOf(service);
  if (!build || isInterpolated(build.context) || (build.dockerfile && isInterpolated(build.dockerfile)) || /^[a-z]+:\/\/|^git@/i.test(build.context)) return undefined;
  return read(builtDockerfilePath(ctx.file.path, build));
}

/** Whether a Dockerfile's final stage (or the stages it builds on) declares a HEALTHCHECK other than NONE. */
function dockerfileHasHealthcheck(text: string | undefined): boolean {
  if (text === undefined) return false;
  const parsed = parseDockerfile(text, new LineIndex(text));
  for (const stage of parsed.finalChain) {
    const healthcheck = [...stage.instructions].reverse().find((i) => i.getKeyword() === 'HEALTHCHECK');
    if (healthcheck) return !/^\s*NONE\b/i.test(healthcheck.getArgumentsContent() ?? '');
  }
  return false;
}

/**
 * A service running the project's own published image (`image: electerious/ackee` in Ackee's
 * repository, whose package is named `ackee`): the image is built from the project's
 * Dockerfile, so a HEALTHCHECK there probes the service.
 */
function ownImageHasHealthcheck(ctx: RuleContext<ParsedCompose>, service: ComposeService, read: (path: string) => string | undefined): boolean {
  const pkg = ctx.project.nearestPackage;
  const image = imageOf(service);
  const name = pkg?.json.name?.replace(/^@[^/]+\//, '').toLowerCase();
  if (!pkg || !image || !name || image.ref.name !== name) return false;
  const base = pkg.dir && pkg.dir !== '.' ? `${pkg.dir}/` : '';
  return ['Dockerfile', 'docker/Dockerfile', 'docker/dockerfile'].some((p) => dockerfileHasHealthcheck(read(`${base}${p}`)));
}

/** Reports long-running Compose services without a healthcheck, on the service's key. */
export function checkComposeHealthcheck(ctx: RuleContext<ParsedCompose>): void {
  // an override file patches services defined elsewhere: their healthcheck may live in the base file
  if (/override/i.test(ctx.file.path.slice(ctx.file.path.lastIndexOf('/') + 1))) return;
  for (const service of ctx.parsed.services) {
    if (!service.key.range || !isMap(service.map) || service.map.flow) continue;
    if (hasKey(ctx.parsed, service, 'healthcheck') !== false) continue; // present (even `disable: true`) or unknown through extends
    if (!service.pair('image') && !service.pair('build') && !service.pair('extends')) continue; // not a runnable service (fragment)
    if (isOneOff(service)) continue;
    if (builtImageHasHealthcheck(ctx, service) || buildsOneShotImage(ctx, service)) continue;
    const image = imageOf(service);
    if (image && imageHasOwnHealthcheck(image.ref)) continue;
    const dependents = dependentsOf(ctx.parsed, service);
    // Mail catchers, admin UIs and demo backends (maildev, pgadmin, whoami…) and interactive
    // tool shells (tty + stdin_open) serve a developer, not other services: nobody waits on them.
    if (dependents.length === 0 && (isInteractive(service) || (image && !isInterpolated(image.ref.repository) && imageFamily(image.ref) === 'tool'))) continue;
    const fix = healthcheckFix(ctx, service);
    ctx.report({
      messageId: dependents.length > 0 ? 'composeMissingDependedOn' : 'composeMissing',
      data: { service: service.name, dependents: dependents.map((d) => `"${d}"`).join(', ') },
      severity: dependents.length > 0 ? 'warning' : 'info',
      start: service.key.range[0],
      end: service.key.range[1],
      fixes: fix ? [fix] : [],
    });
  }
}
