/**
 * Shared Compose knowledge for the Compose rules: image references and the families of
 * well-known images, `ports:` and `volumes:` in both syntaxes, `extends` within one file,
 * and text edits that remove or insert YAML lines without re-serialising the document.
 */
import { isMap, isScalar, isSeq, visit, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { mapPairs, resolveNode, scalarString, type ComposeService, type ParsedCompose } from '../../parse/compose';
import type { TextEdit } from '../../engine/types';

/** True when a Compose value uses interpolation (`${VAR}`, `$VAR`); `$$` is an escaped dollar. */
export function isInterpolated(value: string): boolean {
  return /\$\{?[A-Za-z_]/.test(value.replace(/\$\$/g, ''));
}

// ---------------------------------------------------------------------------------------------
// Images

export interface ImageRef {
  /** Registry host, when the reference names one (`ghcr.io`, `localhost:5000`). */
  registry?: string;
  /** Repository path without registry and tag (`library/postgres` → `postgres`, `bitnami/redis`). */
  repository: string;
  /** Last path component of the repository (`redis` for `bitnami/redis`). */
  name: string;
  tag?: string;
  digest?: string;
}

/** Splits `[registry/]repo[:tag][@digest]`; the registry is the first component when it has `.`/`:` or is `localhost`. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at); }
  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) registry = parts.shift();
  let last = parts[parts.length - 1] ?? '';
  let tag: string | undefined;
  const colon = last.indexOf(':');
  if (colon >= 0) { tag = last.slice(colon + 1); last = last.slice(0, colon); }
  parts[parts.length - 1] = last;
  let repository = parts.join('/');
  if ((registry === undefined || registry === 'docker.io' || registry === 'index.docker.io') && repository.startsWith('library/')) repository = repository.slice('library/'.length);
  return { registry, repository: repository.toLowerCase(), name: last.toLowerCase(), tag, digest };
}

export type ImageFamily = 'postgres' | 'mysql' | 'mariadb' | 'mongo' | 'redis' | 'valkey' | 'rabbitmq' | 'datastore' | 'proxy' | 'tool';

/** Databases, caches, brokers and search engines: single-instance backing services. */
const DATASTORE_NAMES: ReadonlyArray<[RegExp, ImageFamily]> = [
  [/^(?:postgres(?:ql)?(?:-.*)?|postgis|pgvector|timescaledb(?:-ha)?|supabase-postgres)$/, 'postgres'],
  [/^(?:mysql(?:-server)?|percona(?:-server)?)$/, 'mysql'],
  [/^mariadb$/, 'mariadb'],
  [/^(?:mongo|mongodb(?:-community-server)?)$/, 'mongo'],
  [/^(?:redis(?:-stack(?:-server)?)?|keydb|dragonfly)$/, 'redis'],
  [/^valkey$/, 'valkey'],
  [/^rabbitmq$/, 'rabbitmq'],
  [/^(?:elasticsearch|opensearch|clickhouse(?:-server)?|memcached|cassandra|scylla|(?:cp-)?kafka|(?:cp-)?zookeeper|nats|couchdb|couchbase|neo4j|influxdb|cockroach|etcd|arangodb|surrealdb|questdb|mssql|server|solr|meilisearch|typesense|qdrant|weaviate|milvus|eventstore|activemq|artemis|pulsar|redpanda)$/, 'datastore'],
];

/** Reverse proxies and load balancers: they own the published ports by design. */
const PROXY_NAMES = /^(?:nginx(?:-unprivileged)?|nginx-proxy|openresty|traefik|caddy|haproxy|envoy|httpd|apache2?|kong|varnish|cloudflared|acme-companion|docker-gen|oauth2-proxy|pomerium|swag|nginx-proxy-manager)$/;

/**
 * Well-known third-party tools usually run as single instances next to the app (admin UIs,
 * observability, mail catchers, object storage). Not "app services" for concurrency rules.
 */
const TOOL_NAMES = /^(?:minio|adminer|pgadmin4?|phpmyadmin|mongo-express|redis-commander|redisinsight|mailhog|mailpit|maildev|mailcatcher|smtp4dev|grafana|prometheus|alertmanager|loki|promtail|tempo|jaeger|all-in-one|jaeger-all-in-one|zipkin|otel-collector|opentelemetry-collector(?:-contrib)?|kibana|logstash|filebeat|metricbeat|fluentd|fluent-bit|portainer|localstack|azurite|keycloak|vault|consul|temporal|temporal-ui|admin-tools|ui|kafka-ui|kafdrop|schema-registry|elasticvue|cadvisor|node-exporter|watchtower|selenium|standalone-chrome|wiremock|swagger-ui|registry|verdaccio|gitea|sonarqube|pyroscope|elastic-agent|fleet-server|requestcatcher|altair|auto-setup(?:-tls)?|otel-lgtm|mongo-express|dynamodb-local|whoami|docker-socket-proxy|socket-proxy)$/;

/** Organisations publishing infrastructure only (workflow engines, observability). */
const TOOL_ORGANISATIONS = /^(?:temporalio|grafana|prom|jaegertracing|openzipkin|otel|elastic|bitnami\/(?:grafana|prometheus))\//;

export function imageFamily(image: ImageRef): ImageFamily | undefined {
  if (/(?:^|\/)mssql\//.test(image.repository)) return 'datastore';
  for (const [pattern, family] of DATASTORE_NAMES) {
    if (pattern.test(image.name) && (image.name !== 'server' || image.repository.includes('mssql'))) return family;
  }
  if (PROXY_NAMES.test(image.name) || image.repository === 'nginxproxy/nginx-proxy') return 'proxy';
  if (TOOL_NAMES.test(image.name) || TOOL_ORGANISATIONS.test(image.repository)) return 'tool';
  return undefined;
}

/**
 * Images whose job is to watch or run containers (reverse proxies with a Docker provider,
 * container managers, updaters, function executors, local cloud emulators): the Docker socket
 * is their purpose, not an accident of the deploy.
 */
const CONTAINER_MANAGER_NAMES = /^(?:traefik|nginx-proxy|docker-gen|acme-companion|portainer(?:-ce|-ee)?|watchtower|dockge|cadvisor|docker-socket-proxy|socket-proxy|dozzle|autoheal|localstack|gitlab-runner|diun|ouroboros)$/;
const CONTAINER_MANAGER_REPOSITORIES = /^(?:portainer\/agent|openruntimes\/executor|open-runtimes\/orchestrator\/orchestrator|docker)$/;

export function isContainerManager(image: ImageRef): boolean {
  return CONTAINER_MANAGER_NAMES.test(image.name) || CONTAINER_MANAGER_REPOSITORIES.test(image.repository);
}

/**
 * Published images known to declare a HEALTHCHECK in their own Dockerfile (checked in each
 * project's Dockerfile): a Compose service running them is probed without a `healthcheck:` key.
 */
const IMAGES_WITH_HEALTHCHECK = new Set(['louislam/uptime-kuma', 'louislam/dockge', 'electerious/ackee', 'stonith404/pingvin-share', 'clamav/clamav']);

export function imageHasOwnHealthcheck(image: ImageRef): boolean {
  return IMAGES_WITH_HEALTHCHECK.has(image.repository);
}

/** Backing stores whose ports must not face the network (minio is left out: browsers use its presigned URLs). */
export function isDatastore(image: ImageRef): boolean {
  const family = imageFamily(image);
  return family !== undefined && family !== 'proxy' && family !== 'tool';
}

/**
 * Current major (or major.minor) tags of official images, for the unpinned-image fix. Only
 * images listed here get a tag inserted: a guessed tag could name an image that does not exist.
 */
export const KNOWN_IMAGE_TAGS: Readonly<Record<string, string>> = {
  'postgres': '17', 'redis': '8', 'mysql': '8.4', 'mariadb': '11', 'mongo': '8', 'rabbitmq': '4', 'nginx': '1.29',
  'traefik': 'v3', 'caddy': '2', 'httpd': '2.4', 'haproxy': '3.2', 'node': '22', 'python': '3.13', 'golang': '1.25',
  'alpine': '3.22', 'busybox': '1.37', 'debian': 'bookworm', 'ubuntu': '24.04', 'memcached': '1.6', 'adminer': '5',
  'valkey/valkey': '8', 'nats': '2', 'influxdb': '2', 'eclipse-mosquitto': '2', 'registry': '3',
};

/** The service's `image:` value node and text, when it is a scalar. */
export function imageOf(service: ComposeService): { node: Scalar; value: string; ref: ImageRef } | undefined {
  const pair = service.pair('image');
  const node = resolveNode(service.doc, pair?.value);
  const value = scalarString(node);
  if (!isScalar(node) || value === undefined || !node.range) return undefined;
  return { node, value, ref: parseImageRef(value) };
}

/** The `extends:` base service in the same file (`extends: base` or `extends: { service: base }` without `file:`). */
export function extendsBase(parsed: ParsedCompose, service: ComposeService): ComposeService | undefined | 'external' {
  const ext = service.get('extends');
  if (!ext) return undefined;
  let name: string | undefined;
  if (isScalar(ext)) name = scalarString(ext);
  else if (isMap(ext)) {
    const pairs = mapPairs(service.doc, ext);
    if (pairs.some((p) => p.key.value === 'file')) return 'external';
    name = scalarString(resolveNode(service.doc, pairs.find((p) => p.key.value === 'service')?.value));
  }
  if (!name) return 'external';
  return parsed.services.find((s) => s.doc === service.doc && s.name === name && s !== service) ?? 'external';
}

/**
 * Whether a service (or the service it extends, transitively within the file) has a key.
 * `'unknown'` when the chain leaves the file (`extends: { file: … }`).
 */
export function hasKey(parsed: ParsedCompose, service: ComposeService, key: string, depth = 0): boolean | 'unknown' {
  if (service.pair(key)) return true;
  if (depth > 10) return 'unknown';
  const base = extendsBase(parsed, service);
  if (base === undefined) return false;
  if (base === 'external') return 'unknown';
  return hasKey(parsed, base, key, depth + 1);
}

/**
 * An app service: built from the workspace, or running an image that is no known
 * datastore/proxy/tool. A built service named after a datastore or tool (`elasticsearch:`
 * with `build: elasticsearch/`) is a customised image of that tool, not the app.
 */
export function isAppService(parsed: ParsedCompose, service: ComposeService): boolean {
  const image = imageOf(service);
  // an interpolated tag (`temporalio/auto-setup:${VERSION}`) still names the image; an interpolated repository does not
  const knownRepository = image !== undefined && !isInterpolated(image.ref.repository) && !isInterpolated(image.ref.registry ?? '');
  if (image && knownRepository && imageFamily(image.ref) !== undefined) return false;
  if (hasKey(parsed, service, 'build') === true) return image !== undefined || imageFamily(parseImageRef(service.name)) === undefined;
  return knownRepository;
}

/**
 * How many containers Compose starts for a service, when the file says so: `deploy.replicas`
 * or the legacy `scale:` (also through `extends` in the file). Undefined when not set or
 * interpolated: one container, or a number chosen per deploy.
 */
export function replicaCount(parsed: ParsedCompose, service: ComposeService, depth = 0): number | undefined {
  const scale = scalarString(resolveNode(service.doc, service.pair('scale')?.value));
  if (scale !== undefined && /^\d+$/.test(scale)) return Number(scale);
  const deploy = resolveNode(service.doc, service.pair('deploy')?.value);
  if (isMap(deploy)) {
    const replicas = scalarString(resolveNode(service.doc, mapPairs(service.doc, deploy).find((p) => p.key.value === 'replicas')?.value));
    if (replicas !== undefined && /^\d+$/.test(replicas)) return Number(replicas);
  }
  if (depth > 10) return undefined;
  const base = extendsBase(parsed, service);
  return base && base !== 'external' ? replicaCount(parsed, base, depth + 1) : undefined;
}

/** `docker-stack*.yml`: deployed with `docker stack deploy` (swarm), whose routing mesh shares a published port between replicas. */
export function isStackFile(path: string): boolean {
  return /^docker-stack(?:[.-][^/]*)?\.ya?ml$/i.test(path.slice(path.lastIndexOf('/') + 1));
}

// ---------------------------------------------------------------------------------------------
// Ports

export interface PortEntry {
  /** The list item: a scalar (short syntax) or a map (long syntax). */
  node: Node;
  long: boolean;
  hostIp?: string;
  /** Published host port (or range) as written; undefined when only the container port is given. */
  published?: string;
  target: string;
  /** Long syntax: the pairs, for edits. */
  hostIpPair?: Pair<Scalar, unknown>;
  publishedPair?: Pair<Scalar, unknown>;
  targetPair?: Pair<Scalar, unknown>;
  /** Long syntax `mode:` (`ingress` or `host`), when given. */
  mode?: string;
}

/** Splits on `:` outside `${…}`. */
function splitColons(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '$' && value[i + 1] === '{') { depth++; current += '${'; i++; continue; }
    if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0) { parts.push(current); current = ''; continue; }
    current += c;
  }
  parts.push(current);
  return parts;
}

/** Parses short syntax `[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]`, IPv6 hosts in brackets. */
export function parseShortPort(raw: string): { hostIp?: string; published?: string; target: string } {
  let value = raw.trim();
  const slash = value.lastIndexOf('/');
  if (slash > value.lastIndexOf('}')) value = value.slice(0, slash);
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    const hostIp = value.slice(1, close);
    const rest = splitColons(value.slice(close + 2));
    return rest.length >= 2 ? { hostIp, published: rest[0], target: rest[1] } : { hostIp, target: rest[0] ?? '' };
  }
  const parts = splitColons(value);
  if (parts.length === 1) return { target: parts[0] };
  if (parts.length === 2) return { published: parts[0], target: parts[1] };
  return { hostIp: parts.slice(0, -2).join(':'), published: parts[parts.length - 2], target: parts[parts.length - 1] };
}

export function portEntries(service: ComposeService): PortEntry[] {
  const ports = service.get('ports');
  if (!isSeq(ports)) return [];
  const entries: PortEntry[] = [];
  for (const raw of ports.items) {
    const item = resolveNode(service.doc, raw);
    if (!item || !item.range) continue;
    if (isScalar(item)) {
      const value = scalarString(item);
      if (value === undefined) continue;
      entries.push({ node: item, long: false, ...parseShortPort(value) });
    } else if (isMap(item)) {
      const pairs = mapPairs(service.doc, item);
      const find = (k: string) => pairs.find((p) => p.key.value === k);
      const text = (p: Pair<Scalar, unknown> | undefined) => scalarString(resolveNode(service.doc, p?.value));
      const targetPair = find('target');
      const target = text(targetPair);
      if (target === undefined) continue;
      entries.push({ node: item, long: true, hostIp: text(find('host_ip')), published: text(find('published')), target, hostIpPair: find('host_ip'), publishedPair: find('published'), targetPair, mode: text(find('mode')) });
    }
  }
  return entries;
}

export function isRange(port: string): boolean {
  return /-/.test(port.replace(/\$\{[^}]*\}/g, ''));
}

/** Host IPs that mean "every interface". */
export function isAllInterfaces(hostIp: string | undefined): boolean {
  return hostIp === undefined || hostIp === '' || hostIp === '0.0.0.0' || hostIp === '::' || hostIp === '[::]';
}

// ---------------------------------------------------------------------------------------------
// Volumes

export interface VolumeEntry {
  node: Node;
  long: boolean;
  type: 'bind' | 'volume' | 'tmpfs' | 'other';
  source?: string;
  target?: string;
  readOnly: boolean;
  /** Long syntax: the `source:` pair. */
  sourcePair?: Pair<Scalar, unknown>;
}

/** A short-syntax source is a host path when it starts like a path (or an interpolated path). */
export function isHostPath(source: string): boolean {
  return /^(?:\.{1,2}(?:\/|\\|$)|\/|~|\$|[A-Za-z]:[\\/])/.test(source);
}

export function volumeEntries(service: ComposeService): VolumeEntry[] {
  const volumes = service.get('volumes');
  if (!isSeq(volumes)) return [];
  const entries: VolumeEntry[] = [];
  for (const raw of volumes.items) {
    const item = resolveNode(service.doc, raw);
    if (!item || !item.range) continue;
    if (isScalar(item)) {
      const value = scalarString(item);
      if (value === undefined) continue;
      // Windows drive letters (`C:\data:/data`) hold a colon of their own
      const drive = /^[A-Za-z]:[\\/]/.test(value) ? value.slice(0, 2) : '';
      const parts = splitColons(value.slice(drive.length));
      parts[0] = drive + parts[0];
      if (parts.length === 1) { entries.push({ node: item, long: false, type: 'volume', target: parts[0], readOnly: false }); continue; }
      const mode = parts[2] ?? '';
      entries.push({ node: item, long: false, type: isHostPath(parts[0]) ? 'bind' : 'volume', source: parts[0], target: parts[1], readOnly: mode.split(',').includes('ro') });
    } else if (isMap(item)) {
      const pairs = mapPairs(service.doc, item);
      const find = (k: string) => pairs.find((p) => p.key.value === k);
      const text = (k: string) => scalarString(resolveNode(service.doc, find(k)?.value));
      const type = text('type');
      const readOnly = text('read_only') === 'true';
      entries.push({ node: item, long: true, type: type === 'bind' || type === 'volume' || type === 'tmpfs' ? type : 'other', source: text('source'), target: text('target'), readOnly, sourcePair: find('source') });
    }
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Edits

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just after the line break ending the line that holds `offset` (or the end of text). */
function afterLineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** End of the written value of a node: its range end, moved back over trailing blank lines. */
function contentEnd(text: string, node: Node | null | undefined, fallback: number): number {
  if (!node?.range) return fallback;
  let e = node.range[1];
  while (e > node.range[0] && /\s/.test(text[e - 1])) e--;
  return Math.max(e, node.range[0]);
}

/**
 * Removes a block-map pair (key line through the last line of its value). Undefined when the
 * pair lives in a flow map, shares its line with something else, or is the map's only pair.
 */
export function removePairEdit(text: string, map: YAMLMap, pair: Pair<Scalar, unknown>): TextEdit | undefined {
  if (map.flow || !pair.key.range || map.items.length < 2) return undefined;
  const keyStart = pair.key.range[0];
  const start = lineStartOf(text, keyStart);
  const before = text.slice(start, keyStart);
  if (before.trim() !== '' && before.trim() !== '-') return undefined;
  if (before.trim() === '-') return undefined; // first key of a list item: removing it would merge lines
  const valueNode = pair.value as Node | null;
  const end = contentEnd(text, valueNode, pair.key.range[1]);
  return { start, end: afterLineEnd(text, end), newText: '' };
}

/** Removes a block-sequence item (its `- ` line(s)). Undefined for flow sequences or single items. */
export function removeSeqItemEdit(text: string, seq: YAMLSeq, item: Node): TextEdit | undefined {
  if (seq.flow || !item.range || seq.items.length < 2) return undefined;
  const start = lineStartOf(text, item.range[0]);
  if (!/^\s*-\s*$/.test(text.slice(start, item.range[0]))) return undefined;
  return { start, end: afterLineEnd(text, contentEnd(text, item, item.range[1])), newText: '' };
}

/** The indentation (spaces) of the first key of a block map, as written. */
export function indentOf(text: string, map: YAMLMap): string | undefined {
  const first = map.items[0];
  const key = first && isScalar(first.key) ? first.key : undefined;
  if (!key?.range) return undefined;
  return ' '.repeat(key.range[0] - lineStartOf(text, key.range[0]));
}

/**
 * Where to append a new pair at the end of a block map: the end of the line holding the end
 * of its last value (before that line's break), so the new text starts with `\n<indent>`.
 */
export function mapAppendOffset(text: string, map: YAMLMap): number | undefined {
  if (map.flow || map.items.length === 0) return undefined;
  const last = map.items[map.items.length - 1];
  const keyEnd = isScalar(last.key) && last.key.range ? last.key.range[1] : undefined;
  if (keyEnd === undefined) return undefined;
  const end = contentEnd(text, last.value as Node | null, keyEnd);
  const nl = text.indexOf('\n', end);
  let lineEnd = nl < 0 ? text.length : nl;
  if (lineEnd > 0 && text[lineEnd - 1] === '\r') lineEnd--;
  return lineEnd;
}

/** Rewrites a scalar's text keeping its quoting style (plain, `'…'` or `"…"`); values must need no escaping. */
export function rewriteScalar(text: string, node: Scalar, newValue: string): TextEdit {
  const [start, end] = node.range!;
  const raw = text.slice(start, end);
  const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
  return { start, end, newText: `${quote}${newValue}${quote}` };
}

/** Services grouped per document, with every pair's owner service: used to de-duplicate anchor findings. */
export function dedupe(): (offset: number) => boolean {
  const seen = new Set<number>();
  return (offset) => {
    if (seen.has(offset)) return false;
    seen.add(offset);
    return true;
  };
}

/** The block map that holds a pair as written (the service's own map, or an anchored map merged into it). */
export function ownerMap(doc: Document, pair: Pair<Scalar, unknown>): YAMLMap | undefined {
  let found: YAMLMap | undefined;
  visit(doc, {
    Map(_key, map) {
      if ((map.items as unknown[]).includes(pair)) { found = map as YAMLMap; return visit.BREAK; }
      return undefined;
    },
  });
  return found;
}
