import type { Node } from 'yaml';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedCompose } from '../../parse/compose';
import { dedupe, hasKey, isInterpolated, volumeEntries } from '../support/compose';

/** Path segments that name runtime data, not code or config. */
const DATA_SEGMENT = /^(?:data|uploads?|storage|files|media|attachments|avatars|db|database|sqlite|state|persist(?:ent|ence)?|blobs?|userdata|user-data|user_data)$/i;
/** Files by extension: config or code, mounted to configure, not to persist. */
const FILE_EXTENSION = /\.(?:conf|cfg|ini|ya?ml|json|toml|js|mjs|cjs|ts|env|pem|crt|key|sh|xml|properties|html|txt|lua|sql)$/i;

function segments(path: string): string[] {
  return path.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.' && s !== '..' && !s.startsWith('$'));
}

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  const first = dedupe();
  for (const service of ctx.parsed.services) {
    // only services built from this codebase: datastores persisting to a bind mount are a backing service's business
    if (hasKey(ctx.parsed, service, 'build') !== true) continue;
    for (const volume of volumeEntries(service)) {
      if (volume.type !== 'bind' || !volume.source || !volume.target || volume.readOnly) continue;
      if (/docker\.sock$/.test(volume.source)) continue;
      const source = segments(volume.source);
      if (source.some((s) => /^(?:src|source|app|lib|packages|apps)$/i.test(s))) continue; // code under a source tree
      const target = segments(volume.target);
      if (FILE_EXTENSION.test(source[source.length - 1] ?? '') || FILE_EXTENSION.test(target[target.length - 1] ?? '')) continue;
      // a data directory is named as one on either side; `.:/app`, `./src:/app/src` are code mounts
      const named = [source[source.length - 1], target[target.length - 1]].find((s) => s !== undefined && DATA_SEGMENT.test(s));
      if (!named && !(isInterpolated(volume.source) && target.some((s) => DATA_SEGMENT.test(s)))) continue;
      const at: Node = volume.long ? (volume.sourcePair?.value as Node | undefined) ?? volume.node : volume.node;
      if (!at.range || !first(at.range[0])) continue;
      ctx.report({ messageId: 'bind', data: { service: service.name, source: volume.source, target: volume.target }, start: at.range[0], end: at.range[1] });
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'processes/bind-mounted-state',
    factor: 'processes',
    severity: 'info',
    description: 'App services that keep data in a bind-mounted host directory.',
    rationale: 'Processes are stateless and share-nothing (factor VI): anything that must outlive a process belongs in a backing service. Data in a host directory ties the service to one machine, cannot be shared by replicas and is lost or diverges when the container moves.',
    messages: {
      bind: 'Service "{{service}}" keeps data in host directory {{source}} (mounted at {{target}}): the data lives on one machine and replicas do not share it. Store it in a backing service (object storage, a database).',
    },
    fix: 'none',
  },
  check: { compose: checkCompose },
};

export default rule;
