import { isMap, isScalar, isSeq } from 'yaml';
import type { Rule, RuleContext } from '../../engine/types';
import { mapPairs, resolveNode, scalarString, type ParsedCompose } from '../../parse/compose';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { argv, basename, shellCommands, type SimpleCommand } from '../../parse/shell';
import { dedupe } from '../support/compose';
import { effectiveInstruction } from '../support/dockerfile-commands';

/** Commands that succeed without looking at anything. */
function isNoop(command: SimpleCommand): boolean {
  // `echo > /dev/tcp/host/port` is bash's TCP connect: a redirection makes any command a probe
  if (command.redirects.length > 0) return false;
  const words = argv(command).map((w) => w.value);
  const program = basename(words[0] ?? '');
  if (program === 'true' || program === ':') return true;
  if (program === 'exit') return words.length === 1 || words[1] === '0';
  return program === 'echo' || program === 'printf' || program === 'sleep';
}

type Verdict = 'nothing' | 'alwaysPasses' | undefined;

/**
 * What a shell probe checks: `nothing` when every command is a no-op (`true`, `exit 0`,
 * `echo ok`), `alwaysPasses` when a real probe is followed by `|| true`, `|| exit 0` or `; exit 0`
 * (its failure can never reach Docker).
 */
export function judgeProbe(script: string): Verdict {
  const commands = shellCommands(script).filter((c) => argv(c).length > 0);
  if (commands.length === 0) return undefined;
  if (commands.every(isNoop)) return 'nothing';
  const last = commands[commands.length - 1];
  if (isNoop(last) && (last.before === '||' || last.before === ';')) return 'alwaysPasses';
  return undefined;
}

/** A Compose `test:`: `["CMD", prog, …]` runs the program, `["CMD-SHELL", "…"]` and a string run a shell. */
function composeProbe(node: unknown, resolve: (n: unknown) => unknown): Verdict {
  if (isScalar(node)) return judgeProbe(scalarString(node) ?? '');
  if (!isSeq(node)) return undefined;
  const items = node.items.map((i) => scalarString(resolve(i)) ?? '');
  if (items[0] === 'CMD-SHELL') return judgeProbe(items.slice(1).join(' '));
  if (items[0] === 'CMD') {
    const [program, flag, body] = items.slice(1);
    if (/^(?:\/bin\/)?(?:sh|bash|ash|dash)$/.test(program ?? '') && /^-[a-z]*c/.test(flag ?? '') && body !== undefined) return judgeProbe(body);
    const words = items.slice(1);
    if (words.length === 0) return undefined;
    const name = basename(words[0]);
    return name === 'true' || (name === 'echo' && words.length <= 2) ? 'nothing' : undefined;
  }
  return undefined;
}

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  const first = dedupe();
  for (const service of ctx.parsed.services) {
    const healthcheck = service.get('healthcheck');
    if (!isMap(healthcheck)) continue;
    const pairs = mapPairs(service.doc, healthcheck);
    if (scalarString(resolveNode(service.doc, pairs.find((p) => p.key.value === 'disable')?.value)) === 'true') continue;
    const test = resolveNode(service.doc, pairs.find((p) => p.key.value === 'test')?.value);
    const verdict = composeProbe(test, (n) => resolveNode(service.doc, n));
    if (!verdict || !test?.range || !first(test.range[0])) continue;
    ctx.report({ messageId: verdict, data: { where: `Service "${service.name}"` }, start: test.range[0], end: test.range[1] });
  }
}

/** The HEALTHCHECK the shipped image ends up with (the last one in the final stage or what it builds on). */
function checkDockerfile(ctx: RuleContext<ParsedDockerfile>): void {
  const final = ctx.parsed.finalStage;
  const instruction = final && effectiveInstruction(final, 'HEALTHCHECK');
  if (!instruction) return;
  const content = instruction.getArgumentsContent() ?? '';
  // options first (`--interval=5s CMD …`), then CMD and the probe in shell or exec form
  const m = /(?:^|\s)CMD\s+([\s\S]*)$/i.exec(content);
  if (!m) return;
  let probe = m[1].trim();
  if (probe.startsWith('[')) {
    let args: unknown;
    try { args = JSON.parse(probe); } catch { return; }
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) return;
    const [program, flag, body] = args as string[];
    probe = /^(?:\/bin\/)?(?:sh|bash|ash|dash)$/.test(program ?? '') && /^-[a-z]*c/.test(flag ?? '') && body !== undefined ? body : (args as string[]).map((a) => JSON.stringify(a)).join(' ');
  }
  const verdict = judgeProbe(probe);
  if (!verdict) return;
  const range = instruction.getArgumentsRange()!;
  ctx.report({ messageId: verdict, data: { where: 'The HEALTHCHECK' }, start: ctx.offsetAt(range.start), end: ctx.offsetAt(range.end) });
}

const rule: Rule = {
  meta: {
    id: 'telemetry/noop-healthcheck',
    factor: 'telemetry',
    severity: 'warning',
    description: 'A healthcheck that probes nothing (`true`, `exit 0`, `echo ok`) or whose failure is swallowed (`… || true`, `… || exit 0`).',
    rationale: 'A healthcheck tells the platform whether the process can do its job (factor XIV): restarts, rolling deploys and `depends_on: condition: service_healthy` all trust it. A probe that always succeeds reports a hung or broken process as healthy, which is worse than no healthcheck: it looks monitored.',
    messages: {
      nothing: '{{where}} probes nothing: it succeeds whether or not the service works. Probe what the service does (an HTTP health route, pg_isready, redis-cli ping), or remove it.',
      alwaysPasses: '{{where}} always succeeds: the final `|| true`/`exit 0` swallows the probe\'s failure. End with `|| exit 1` (or nothing) so a failing probe marks the container unhealthy.',
    },
    fix: 'none',
  },
  check: { compose: checkCompose, dockerfile: checkDockerfile },
};

export default rule;
