import { isMap, isScalar, type Node, type Scalar } from 'yaml';
import type { Fix, Rule, RuleContext, TextEdit } from '../../engine/types';
import type { ParsedCompose } from '../../parse/compose';
import type { ComposeService } from '../../parse/compose';
import { dedupe, imageFamily, imageOf, indentOf, isAllInterfaces, isDatastore, isInterpolated, parseImageRef, portEntries, rewriteScalar, type PortEntry } from '../support/compose';

const LOOPBACK = '127.0.0.1';

function shortFix(text: string, node: Scalar, port: PortEntry): TextEdit {
  const value = String(node.value);
  let newValue: string;
  if (port.hostIp === undefined) newValue = port.published === undefined ? `${LOOPBACK}::${value}` : `${LOOPBACK}:${value}`;
  else if (value.startsWith('[')) newValue = `${LOOPBACK}:${value.slice(value.indexOf(']') + 2)}`;
  else newValue = `${LOOPBACK}:${value.slice(port.hostIp.length + 1)}`;
  return rewriteScalar(text, node, newValue);
}

function longFix(text: string, port: PortEntry): TextEdit | undefined {
  if (port.hostIpPair && isScalar(port.hostIpPair.value)) return rewriteScalar(text, port.hostIpPair.value, LOOPBACK);
  const map = port.node;
  if (!isMap(map)) return undefined;
  const firstKey = map.items[0]?.key;
  if (!isScalar(firstKey) || !firstKey.range) return undefined;
  if (map.flow) return { start: firstKey.range[0], end: firstKey.range[0], newText: `host_ip: ${LOOPBACK}, ` };
  const indent = indentOf(text, map);
  if (indent === undefined) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { start: firstKey.range[0], end: firstKey.range[0], newText: `host_ip: ${LOOPBACK}${eol}${indent}` };
}

/** The port each datastore listens on by default, by image family or name: what a service named `postgres` publishes. */
const DEFAULT_PORTS: Readonly<Record<string, readonly string[]>> = {
  postgres: ['5432'], mysql: ['3306', '33060'], mariadb: ['3306'], mongo: ['27017'], redis: ['6379'], valkey: ['6379'],
  rabbitmq: ['5672'], elasticsearch: ['9200', '9300'], opensearch: ['9200', '9300'], memcached: ['11211'], cassandra: ['9042'],
  scylla: ['9042'], clickhouse: ['8123', '9000'], 'clickhouse-server': ['8123', '9000'], couchdb: ['5984'], neo4j: ['7687'],
  influxdb: ['8086'], mssql: ['1433'], etcd: ['2379'], meilisearch: ['7700'], typesense: ['8108'], qdrant: ['6333'],
};

/**
 * What the service runs, when it is a datastore. The image says so (any published port counts);
 * when the image is not in this file (an override file adding ports, a `build:`) or its repository is
 * interpolated, a service named like a datastore counts only for that datastore's default port.
 */
function datastoreOf(service: ComposeService): { label: string; ports?: readonly string[] } | undefined {
  const image = imageOf(service);
  if (image) {
    const repositoryKnown = !isInterpolated(image.ref.repository) && !isInterpolated(image.ref.registry ?? '');
    // `postgres:${PG_VERSION:-16}`: only the tag is chosen per deploy, the repository says what runs
    if (repositoryKnown) return isDatastore(image.ref) ? { label: image.value } : undefined;
  }
  const byName = parseImageRef(service.name);
  const family = imageFamily(byName);
  const ports = DEFAULT_PORTS[family === 'datastore' ? byName.name : family ?? ''];
  return family && ports && isDatastore(byName) ? { label: image ? image.value : 'a datastore by its name', ports } : undefined;
}

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  const first = dedupe();
  for (const service of ctx.parsed.services) {
    const datastore = datastoreOf(service);
    if (!datastore) continue;
    for (const port of portEntries(service)) {
      if (datastore.ports && !datastore.ports.includes(port.target.replace(/\/(?:tcp|udp)$/, ''))) continue;
      if (port.hostIp !== undefined && isInterpolated(port.hostIp)) continue;
      if (!isAllInterfaces(port.hostIp)) continue;
      let at: Node = port.node;
      let edit: TextEdit | undefined;
      if (!port.long && isScalar(port.node)) edit = shortFix(ctx.text, port.node, port);
      else {
        at = ((port.publishedPair ?? port.targetPair)?.value as Node | undefined) ?? port.node;
        edit = longFix(ctx.text, port);
      }
      if (!at.range || !first(at.range[0])) continue;
      const fixes: Fix[] = edit ? [{ title: `Publish only on ${LOOPBACK} (reachable from this host, not the network)`, kind: 'unsafe', edits: [edit] }] : [];
      ctx.report({
        messageId: 'published',
        data: { service: service.name, image: datastore.label, port: port.published ?? `(ephemeral) → ${port.target}`, where: port.hostIp ? port.hostIp : 'all interfaces' },
        start: at.range[0],
        end: at.range[1],
        fixes,
      });
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'security/published-database-port',
    factor: 'security',
    severity: 'warning',
    description: 'Database, cache and broker services publishing their port on every network interface.',
    rationale: 'Backing services are attached resources reached over the Compose network by service name; publishing a database port on 0.0.0.0 exposes it to the LAN or the internet (Docker bypasses host firewalls such as ufw), and default credentials are then a breach away.',
    messages: {
      published: 'Service "{{service}}" ({{image}}) publishes port {{port}} on {{where}}: anyone who can reach this host can reach the datastore. Bind it to 127.0.0.1, or drop ports: and reach it by service name.',
    },
    fix: 'unsafe',
  },
  check: { compose: checkCompose },
};

export default rule;
