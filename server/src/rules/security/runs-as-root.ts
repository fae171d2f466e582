import type { Instruction } from 'dockerfile-ast';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { chainInstructions, rootImage } from '../support/dockerfile-commands';
import { finalStageShips, imageBaseName, officialName } from '../support/images';
import { isOneShotImage } from '../support/finite-command';

/** Base images that already run as a non-root user (or have no users at all). */
const NON_ROOT_BASES = /^scratch$|[:-]nonroot\b|^(?:cgr\.dev\/)?chainguard\/|^(?:docker\.io\/)?bitnami\/|nginx-unprivileged/;

/**
 * Whether the base image is known to run as root by default: Docker Official Images and
 * distroless' root variants. A vendor image (`docker.elastic.co/…`, `grafana/grafana`) may
 * set its own USER, which the Dockerfile cannot show: those are only flagged for an explicit USER root.
 */
function runsAsRootByDefault(image: string): boolean {
  return officialName(image) !== undefined || /distroless\//.test(image);
}

/**
 * Official datastore images whose entrypoint script starts as root only to fix volume
 * ownership, then drops to the service's own user (gosu/su-exec) before running it.
 */
const PRIVILEGE_DROPPING_IMAGES = new Set(['mongo', 'postgres', 'redis', 'mysql', 'mariadb', 'rabbitmq', 'cassandra']);

function isRoot(user: string): boolean {
  const name = user.split(':')[0];
  return name === 'root' || name === '0';
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  const final = ctx.parsed.finalStage;
  if (!final || !finalStageShips(ctx.file.path, final.name)) return;
  const image = rootImage(final);
  if (NON_ROOT_BASES.test(image)) return;
  const users = chainInstructions(final).filter((i) => i.getKeyword() === 'USER');
  const last = users[users.length - 1];
  const user = last?.getArguments()[0]?.getValue();
  if (!last && !runsAsRootByDefault(image)) return;
  // `FROM mongo` keeping the image's entrypoint: the server already runs as mongodb
  const official = officialName(image);
  if (!last && official && PRIVILEGE_DROPPING_IMAGES.has(official) && !chainInstructions(final).some((i) => i.getKeyword() === 'ENTRYPOINT')) return;
  // USER $APP_UID: decided at build time, not something to judge here
  if (user !== undefined && (user.includes('$') || !isRoot(user))) return;
  // a one-shot job (a fixture loader, a certificate copy) serves nothing an attacker could reach
  if (isOneShotImage(ctx, final)) return;
  const fixes: Fix[] = [];
  const newUser = imageBaseName(image) === 'node' ? 'node' : /distroless\//.test(image) ? 'nonroot' : '1000';
  const anchor: Instruction | undefined = final.instructions.find((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT');
  // the new USER goes before the CMD/ENTRYPOINT, unless steps that may need root (RUN, USER root) come after it
  const rootSteps = final.instructions.filter((i) => i.getKeyword() === 'RUN' || i === last);
  const lastRootStep = rootSteps[rootSteps.length - 1];
  let at: number;
  if (lastRootStep && (!anchor || lastRootStep.getRange().start.line > anchor.getRange().start.line)) {
    const nl = ctx.text.indexOf('\n', ctx.offsetAt(lastRootStep.getRange().end));
    at = nl < 0 ? ctx.text.length : nl + 1;
  } else {
    at = anchor ? ctx.offsetAt({ line: anchor.getRange().start.line, character: 0 }) : ctx.text.length;
  }
  const lead = at === ctx.text.length && ctx.text.length > 0 && !ctx.text.endsWith('\n') ? '\n' : '';
  const label = newUser === 'node' ? 'the image\'s node user' : newUser === 'nonroot' ? 'distroless\' nonroot user' : 'UID 1000';
  fixes.push({ title: `Run as ${label} (USER ${newUser})`, kind: 'unsafe', edits: [{ start: at, end: at, newText: `${lead}USER ${newUser}\n` }] });
  const target = last ?? final.from;
  const range = target.getRange();
  ctx.report({
    messageId: last ? 'explicitRoot' : 'noUser',
    data: { user: user ?? 'root' },
    start: ctx.offsetAt(range.start),
    end: ctx.offsetAt(range.end),
    fixes,
  });
}

const rule: Rule = {
  meta: {
    id: 'security/runs-as-root',
    factor: 'security',
    severity: 'warning',
    description: 'The final stage runs as root (no USER, or USER root/0, including what it inherits).',
    rationale: 'Least privilege (factor XV): a process running as root inside the container turns any remote code execution in the app into root in the container, one kernel or runtime bug away from the host, and lets it rewrite its own image files.',
    messages: {
      noUser: 'The image runs as root: no USER is set in the final stage or the stages it builds on. Add a USER (node images have a "node" user) after the steps that need root.',
      explicitRoot: 'The image runs as {{user}}: switch to an unprivileged USER after the steps that need root.',
    },
    fix: 'unsafe',
    // test and CI containers (e2e stacks, integration suites, test runners) never serve traffic
    roles: ['server', 'browser', 'script', 'tooling'],
  },
  check: { dockerfile: check },
};

export default rule;
