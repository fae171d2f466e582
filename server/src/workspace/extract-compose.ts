/**
 * Facts from one Compose file: per service its image, build context and Dockerfile, ports
 * (short and long syntax), expose, environment names, env files, depends_on and healthcheck.
 * Uses the shared Compose adapter, so `<<` merges and aliases are followed.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { LineIndex } from '../engine/line-index';
import { redactEnvValue } from '../engine/secrets';
import { mapPairs, parseCompose, resolveNode, scalarString, type ComposeService } from '../parse/compose';
import { composeCommand, isOneOffService } from './extract-commands';
import type { ComposePortFact, ComposeServiceFact, Loc } from './model-types';

/** The literal value of a compose value: `${X:-3000}` gives `3000`, `${X}` gives undefined. */
export function literalValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const whole = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?\}$/.exec(value);
  if (whole) return whole[1] === undefined || whole[1] === '' ? undefined : whole[1];
  if (value.includes('$')) return undefined;
  return value;
}

/** Short syntax: `3000`, `"8080:3000"`, `"127.0.0.1:8080:3000/tcp"`, `"3000-3005"` (range start). */
export function parseShortPort(value: string): { target: number; published?: string; hostIp?: string } | undefined {
  const v = value.trim().replace(/\/(tcp|udp|sctp)$/i, '');
  // IPv6 host addresses are bracketed: [::1]:8080:3000
  const m = /^(?:(\[[^\]]*\]|[^:]*):)??(?:([^:]*):)?([^:]+)$/.exec(v);
  if (!m) return undefined;
  const target = literalValue(m[3])?.split('-')[0];
  if (!target || !/^\d{1,5}$/.test(target)) return undefined;
  return { target: Number(target), published: m[2] || undefined, hostIp: m[1] || undefined };
}

export function extractCompose(path: string, text: string): ComposeServiceFact[] {
  const lines = new LineIndex(text);
  const parsed = parseCompose(text);
  const loc = (node: unknown): Loc => {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    const start = range ? range[0] : 0;
    const end = range ? range[1] : 0;
    return { path, range: { start: lines.positionAt(start), end: lines.positionAt(end) } };
  };
  const result: ComposeServiceFact[] = [];
  for (const service of parsed.services) result.push(serviceFact(path, service, loc, parsed.services));
  return result;
}

function serviceFact(path: string, service: ComposeService, loc: (node: unknown) => Loc, all: readonly ComposeService[]): ComposeServiceFact {
  const doc = service.doc;
  const fact: ComposeServiceFact = { path, name: service.name, loc: loc(service.key), ports: [], expose: [], environment: [], envFiles: [], dependsOn: [], overridesCommand: service.pair('command') !== undefined || service.pair('entrypoint') !== undefined };
  const image = service.get('image');
  const imageValue = scalarString(image);
  if (imageValue) fact.image = { value: imageValue, loc: loc(image) };

  const build = buildOf(service);
  if (build) fact.build = { ...build, loc: loc(isScalar(service.get('build')) ? service.get('build') : service.pair('build')?.key) };

  const ports = service.get('ports');
  if (isSeq(ports)) {
    for (const item of ports.items) {
      const node = resolveNode(doc, item);
      if (isScalar(node)) {
        const parsed = parseShortPort(String(node.value ?? ''));
        if (parsed) fact.ports.push({ ...parsed, loc: loc(node) } as ComposePortFact);
      } else if (isMap(node)) {
        const pairs = mapPairs(doc, node);
        const get = (k: string) => scalarString(resolveNode(doc, pairs.find((p) => p.key.value === k)?.value));
        const target = literalValue(get('target'));
        if (target && /^\d{1,5}$/.test(target)) fact.ports.push({ target: Number(target), published: get('published'), hostIp: get('host_ip'), loc: loc(node) });
      }
    }
  }
  const expose = service.get('expose');
  if (isSeq(expose)) {
    for (const item of expose.items) {
      const node = resolveNode(doc, item);
      const value = literalValue(scalarString(node))?.replace(/\/(tcp|udp)$/i, '').split('-')[0];
      if (value && /^\d{1,5}$/.test(value)) fact.expose.push({ port: Number(value), loc: loc(node) });
    }
  }

  const environment = service.get('environment');
  if (isMap(environment)) {
    for (const pair of mapPairs(doc, environment)) {
      const value = resolveNode(doc, pair.value);
      fact.environment.push({ name: String(pair.key.value), value: redactEnvValue(String(pair.key.value), literalValue(scalarString(value))), loc: loc(pair.key) });
    }
  } else if (isSeq(environment)) {
    for (const item of environment.items) {
      const node = resolveNode(doc, item);
      const entry = scalarString(node);
      if (!entry) continue;
      const eq = entry.indexOf('=');
      fact.environment.push({ name: eq < 0 ? entry : entry.slice(0, eq), value: eq < 0 ? undefined : redactEnvValue(entry.slice(0, eq), literalValue(entry.slice(eq + 1))), loc: loc(node) });
    }
  }

  const envFile = service.get('env_file');
  const envFileItems: unknown[] = isSeq(envFile) ? envFile.items : envFile ? [envFile] : [];
  for (const item of envFileItems) {
    const node = resolveNode(doc, item);
    if (isScalar(node) && scalarString(node)) fact.envFiles.push({ path: scalarString(node)!, loc: loc(node) });
    else if (isMap(node)) {
      const p = mapPairs(doc, node).find((x) => x.key.value === 'path');
      const value = scalarString(resolveNode(doc, p?.value));
      if (value) fact.envFiles.push({ path: value, loc: loc(node) });
    }
  }

  const dependsOn = service.get('depends_on');
  if (isSeq(dependsOn)) fact.dependsOn = dependsOn.items.map((i) => scalarString(resolveNode(doc, i))).filter((s): s is string => !!s);
  else if (isMap(dependsOn)) fact.dependsOn = mapPairs(doc, dependsOn).map((p) => String(p.key.value));
  fact.dependsOn.sort();

  const healthcheck = service.get('healthcheck');
  if (isMap(healthcheck)) {
    const pairs = mapPairs(doc, healthcheck);
    const disable = scalarString(resolveNode(doc, pairs.find((p) => p.key.value === 'disable')?.value));
    const test = resolveNode(doc, pairs.find((p) => p.key.value === 'test')?.value) as Node | undefined;
    const testNone = isSeq(test) && scalarString(resolveNode(doc, test.items[0])) === 'NONE';
    fact.healthcheck = { disabled: disable === 'true' || testNone, loc: loc(service.pair('healthcheck')?.key) };
  }
  const command = composeCommand(service, 'command', loc);
  const entrypoint = composeCommand(service, 'entrypoint', loc);
  if (command) fact.command = command;
  if (entrypoint) fact.entrypoint = entrypoint;
  if (isOneOffService(service, all)) fact.oneOff = true;
  return fact;
}

/**
 * A service's `build:` as written: the short form (`build: ./api`) or the map's context
 * (default `.`), Dockerfile and target. Shared by the model facts and the rules that read the
 * built Dockerfile, so both resolve a build the same way.
 */
export function buildOf(service: ComposeService): { context: string; dockerfile?: string; target?: string } | undefined {
  const build = service.get('build');
  if (isScalar(build)) { const context = scalarString(build); return context ? { context } : undefined; }
  if (!isMap(build)) return undefined;
  const pairs = mapPairs(service.doc, build);
  const get = (k: string) => scalarString(resolveNode(service.doc, pairs.find((p) => p.key.value === k)?.value));
  return { context: get('context') ?? '.', dockerfile: get('dockerfile'), target: get('target') };
}
