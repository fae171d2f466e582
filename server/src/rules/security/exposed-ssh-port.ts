import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { resolveArgs } from '../../parse/dockerfile';
import { effectiveInstruction } from '../support/dockerfile-commands';

/** `22`, `22/tcp`, and ranges that contain 22 (`20-25`). */
function coversSsh(port: string): boolean {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(port);
  if (!m || m[3]?.toLowerCase() === 'udp') return false;
  const from = Number(m[1]);
  const to = m[2] !== undefined ? Number(m[2]) : from;
  return from <= 22 && 22 <= to;
}

/** The final image's main process is sshd itself: an SSH server (bastion, SFTP) whose job is port 22. */
function runsSshd(ctx: RuleContext<ParsedDockerfile>): boolean {
  const final = ctx.parsed.finalStage;
  if (!final) return false;
  return ['ENTRYPOINT', 'CMD'].some((k) => /(?:^|[\s"/\[,])sshd\b/.test(effectiveInstruction(final, k)?.getArgumentsContent() ?? ''));
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  if (runsSshd(ctx)) return;
  const args = new Map<string, string | undefined>();
  for (const stage of [...ctx.parsed.finalChain].reverse()) {
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (keyword === 'ARG' || keyword === 'ENV') {
        for (const arg of instruction.getArguments()) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(arg.getValue());
          if (m) args.set(m[1], m[2]);
        }
      }
      if (keyword !== 'EXPOSE') continue;
      for (const arg of instruction.getArguments()) {
        const port = resolveArgs(arg.getValue(), args);
        if (!coversSsh(port)) continue;
        const range = arg.getRange();
        ctx.report({ messageId: 'ssh', data: { port: arg.getValue() }, start: ctx.offsetAt(range.start), end: ctx.offsetAt(range.end) });
      }
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'security/exposed-ssh-port',
    factor: 'security',
    severity: 'warning',
    description: '`EXPOSE 22`: the image offers SSH next to its service.',
    rationale: 'Admin tasks run as one-off processes in an identical release (factor XII): `docker exec`, `kubectl exec`, `heroku run`, a Compose service with `profiles:`. An SSH daemon in an app container is a second, long-lived entry point with its own keys or passwords, a second process to supervise, and a door into every replica.',
    messages: {
      ssh: 'EXPOSE {{port}} offers SSH from an app image: run admin tasks as one-off processes (docker exec, kubectl exec, a job) instead of an SSH daemon in the container.',
    },
    fix: 'none',
    roles: ['server'],
  },
  check: { dockerfile: check },
};

export default rule;
