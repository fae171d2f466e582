import type { Instruction } from 'dockerfile-ast';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { effectiveInstruction, rootImage } from '../support/dockerfile-commands';

/** Signal numbers Docker accepts in place of names (Linux x86/arm). */
const SIGNAL_NUMBERS: Readonly<Record<string, string>> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 9: 'SIGKILL', 10: 'SIGUSR1', 12: 'SIGUSR2', 15: 'SIGTERM', 28: 'SIGWINCH' };

/**
 * Servers whose graceful stop is another signal, documented by the project and set by its
 * official image: nginx, OpenResty and Kong (nginx-based) and php-fpm finish requests on
 * SIGQUIT, Apache httpd on SIGWINCH, PostgreSQL's fast shutdown is SIGINT, HAProxy's soft stop SIGUSR1, uWSGI stops on SIGINT/SIGQUIT (SIGTERM reloads it).
 */
const GRACEFUL: ReadonlyArray<{ program: RegExp; signals: readonly string[] }> = [
  { program: /\b(?:nginx|openresty|kong|php-?fpm\S*)\b/, signals: ['SIGQUIT'] },
  { program: /\b(?:httpd|apache2?(?:-foreground|ctl)?)\b/, signals: ['SIGWINCH'] },
  { program: /\b(?:postgres(?:ql)?|postgis|timescale\S*)\b/, signals: ['SIGINT'] },
  { program: /\bhaproxy\b/, signals: ['SIGUSR1'] },
  { program: /\buwsgi\b/, signals: ['SIGINT', 'SIGQUIT'] },
];

function signalName(raw: string): string {
  const value = raw.trim().toUpperCase();
  if (/^\d+$/.test(value)) return SIGNAL_NUMBERS[value] ?? value;
  return value.startsWith('SIG') ? value : `SIG${value}`;
}

/** What the image runs: its base image and its ENTRYPOINT/CMD, for the known servers above. */
function runs(ctx: RuleContext<ParsedDockerfile>): string {
  const final = ctx.parsed.finalStage;
  if (!final) return '';
  const commands = ['ENTRYPOINT', 'CMD'].map((k) => effectiveInstruction(final, k)?.getArgumentsContent() ?? '');
  return [rootImage(final), ...commands].join(' ').toLowerCase();
}

/** Comments that direct tools (suppressions, parser directives, test markers): not a reason. */
const DIRECTIVE = /^(?:expect:|hadolint\b|factorlint-|trivy:|checkov:|syntax=|escape=|check=)/i;

/** An own-line comment in the block right above the instruction that says something: the reason. */
function hasReasonComment(ctx: RuleContext<ParsedDockerfile>, instruction: Instruction): boolean {
  const lines = ctx.text.split(/\r?\n/);
  for (let line = instruction.getRange().start.line - 1; line >= 0; line--) {
    const text = lines[line].trim();
    if (!text.startsWith('#')) return false;
    const body = text.replace(/^#+/, '').trim();
    if (body.length > 0 && !DIRECTIVE.test(body)) return true;
  }
  return false;
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  const final = ctx.parsed.finalStage;
  if (!final) return;
  const instruction = effectiveInstruction(final, 'STOPSIGNAL');
  if (!instruction) return;
  const raw = instruction.getArgumentsContent() ?? '';
  if (raw.includes('$')) return; // chosen per build
  const signal = signalName(raw);
  if (signal === 'SIGTERM') return;
  const range = instruction.getArgumentsRange();
  if (!range) return;
  const at = { start: ctx.offsetAt(range.start), end: ctx.offsetAt(range.end) };
  if (signal === 'SIGKILL') {
    ctx.report({ messageId: 'kill', data: { signal }, ...at });
    return;
  }
  if (hasReasonComment(ctx, instruction)) return;
  const running = runs(ctx);
  if (GRACEFUL.some((g) => g.signals.includes(signal) && g.program.test(running))) return;
  ctx.report({ messageId: 'other', data: { signal }, ...at });
}

const rule: Rule = {
  meta: {
    id: 'disposability/stop-signal',
    factor: 'disposability',
    severity: 'info',
    description: '`STOPSIGNAL` other than SIGTERM with no comment giving the reason (always for SIGKILL).',
    rationale: 'Disposable processes stop gracefully when the platform asks (factor IX), and platforms ask with SIGTERM: Kubernetes, ECS, Cloud Run and Heroku send SIGTERM whatever the image\'s STOPSIGNAL says, so an app that only stops cleanly on another signal works under `docker stop` and is killed mid-request everywhere else. SIGKILL can never be handled at all.',
    messages: {
      kill: 'STOPSIGNAL {{signal}} cannot be caught: every stop kills the process without a chance to finish requests or close connections. Use SIGTERM (the default) and handle it.',
      other: 'STOPSIGNAL {{signal}}: platforms other than Docker (Kubernetes, ECS, Heroku) stop containers with SIGTERM regardless. Handle SIGTERM in the app and drop STOPSIGNAL, or say in a comment above it why this process needs {{signal}}.',
    },
    fix: 'none',
    roles: ['server'],
  },
  check: { dockerfile: check },
};

export default rule;
