import { isSeq, type Node } from 'yaml';
import type { Fix, Rule, RuleContext, TextEdit } from '../../engine/types';
import { resolveNode, scalarString, type ParsedCompose } from '../../parse/compose';
import { dedupe, imageOf, isContainerManager, isInterpolated, ownerMap, removePairEdit, removeSeqItemEdit, volumeEntries } from '../support/compose';

const DOCKER_SOCKET = /^(?:\/var)?\/run\/docker\.sock$/;

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  const first = dedupe();
  const report = (messageId: string, service: string, node: Node | null | undefined, edit: TextEdit | undefined, title: string) => {
    if (!node?.range || !first(node.range[0])) return;
    const fixes: Fix[] = edit ? [{ title, kind: 'unsafe', edits: [edit] }] : [];
    ctx.report({ messageId, data: { service }, start: node.range[0], end: node.range[1], fixes });
  };
  for (const service of ctx.parsed.services) {
    for (const [key, expected, messageId] of [['privileged', 'true', 'privileged'], ['network_mode', 'host', 'hostNetwork'], ['pid', 'host', 'hostPid']] as const) {
      const pair = service.pair(key);
      const value = resolveNode(service.doc, pair?.value);
      if (!pair || scalarString(value) !== expected) continue;
      const owner = ownerMap(service.doc, pair);
      report(messageId, service.name, value, owner ? removePairEdit(ctx.text, owner, pair) : undefined, `Remove ${key}: ${expected}`);
    }
    const volumes = service.get('volumes');
    // traefik, nginx-proxy, portainer, watchtower…: watching or running containers is the job
    const image = imageOf(service);
    if (image && !isInterpolated(image.value) && isContainerManager(image.ref)) continue;
    for (const volume of volumeEntries(service)) {
      if (!volume.source || !DOCKER_SOCKET.test(volume.source.replace(/\/+$/, ''))) continue;
      const edit = isSeq(volumes) && volumes.items.includes(volume.node as never) ? removeSeqItemEdit(ctx.text, volumes, volume.node) : undefined;
      const at = volume.long ? (volume.sourcePair?.value as Node | undefined) ?? volume.node : volume.node;
      report('dockerSocket', service.name, at, edit, 'Remove the Docker socket mount');
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'security/privileged',
    factor: 'security',
    severity: 'warning',
    description: 'Compose services running privileged, in the host\'s network or PID namespace, or with the Docker socket mounted.',
    rationale: 'Each of these hands the container the host: `privileged: true` disables the kernel isolation, `network_mode: host` shares the host\'s network stack and ports, `pid: host` its process table, and the Docker socket (read-only or not) lets the process start a privileged container. A compromise of the service becomes a compromise of the machine.',
    messages: {
      privileged: 'Service "{{service}}" runs privileged: the container has every capability and device of the host. Grant only the capabilities it needs (cap_add) instead.',
      hostNetwork: 'Service "{{service}}" uses network_mode: host: it shares the host\'s network stack, bypasses port mapping and cannot be scaled. Publish the ports it needs instead.',
      hostPid: 'Service "{{service}}" uses pid: host: it sees and can signal every process of the host (and of other containers). Keep the container in its own PID namespace.',
      dockerSocket: 'Service "{{service}}" mounts the Docker socket: whoever controls this container controls the Docker host (even read-only). Use a socket proxy with a restricted API if it must watch containers.',
    },
    fix: 'unsafe',
  },
  check: { compose: checkCompose },
};

export default rule;
