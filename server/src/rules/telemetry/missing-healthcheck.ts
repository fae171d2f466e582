import type { Arg, Instruction } from 'dockerfile-ast';
import { checkComposeHealthcheck, COMPOSE_HEALTHCHECK_MESSAGES } from './missing-healthcheck-compose';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import { resolveArgs, type ParsedDockerfile, type Stage } from '../../parse/dockerfile';
import { programArgv } from '../../engine/command-model';
import { chainInstructions, effectiveInstruction, mainCommand, rootImage, scriptOf } from '../support/dockerfile-commands';
import { NOT_A_SERVER, serverCommand } from '../support/server-command';
import { finalStageShips, imageBaseName, splitImage } from '../support/images';

/** Build ARG defaults declared along the chain (ARG values are not in the runtime environment). */
function argDefaults(instructions: readonly Instruction[]): Map<string, string | undefined> {
  const args = new Map<string, string | undefined>();
  for (const i of instructions) {
    if (i.getKeyword() !== 'ARG') continue;
    const p = (i as Arg).getProperty();
    if (p) args.set(p.getName(), p.getValue() ?? undefined);
  }
  return args;
}

/** The port the image serves on: the first EXPOSE of the chain, else `${PORT}` when ENV PORT is set. */
function servedPort(stage: Stage): string | undefined {
  const instructions = chainInstructions(stage);
  const expose = instructions.find((i) => i.getKeyword() === 'EXPOSE');
  const raw = expose?.getArguments()[0]?.getValue().replace(/\/(?:tcp|udp)$/i, '');
  // `EXPOSE $PORT`, `EXPOSE ${PORT:-3000}`: resolve build ARG defaults, else keep the variable
  // (HEALTHCHECK's shell form expands ENV variables at run time)
  const first = raw === undefined ? undefined : resolveArgs(raw, argDefaults(instructions));
  if (first && /^\d+$/.test(first)) return first;
  if (first && /^\$\{?[A-Za-z_][A-Za-z0-9_]*(?::-\d+)?\}?$/.test(first)) return first.startsWith('${') ? first : `\${${first.slice(1)}}`;
  if (instructions.some((i) => i.getKeyword() === 'ENV' && /(?:^|\s)PORT[=\s]/.test(i.getArguments().map((a) => a.getValue()).join(' ') + ' '))) return '${PORT}';
  // web servers whose base image EXPOSEs the port for them
  return SERVER_IMAGE_PORTS[imageBaseName(rootImage(stage))];
}

/** Web-server images that serve a known port without an EXPOSE in this file. */
const SERVER_IMAGE_PORTS: Readonly<Record<string, string>> = { nginx: '80', 'nginx-unprivileged': '8080', httpd: '80', caddy: '80' };

/**
 * A probe the base image can run: node images have node (http.get works on every Node
 * version, unlike fetch), python images have python, busybox-based images have wget,
 * nginx images ship curl. Images without a shell (distroless, scratch) or of unknown
 * content get no template: a probe that cannot run marks a healthy container unhealthy.
 */
export function probeFor(image: string, port: string): string | undefined {
  const url = `http://localhost:${port}/health`;
  const tag = splitImage(image).tag ?? '';
  const base = imageBaseName(image);
  if (/distroless|chainguard|^scratch$/.test(image)) return undefined;
  if (base === 'node') return `node -e "require('http').get('${url}', (r) => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))"`;
  if (base === 'python' || base === 'pypy') return `python -c "import urllib.request; urllib.request.urlopen('${url}', timeout=2)"`;
  if (base === 'alpine' || base === 'busybox' || tag.includes('alpine')) return `wget -q -O /dev/null ${url} || exit 1`;
  if (base === 'nginx' || base === 'nginx-unprivileged') return `curl -fsS -o /dev/null ${url} || exit 1`;
  return undefined;
}

/** The server command the final stage starts (CMD, else ENTRYPOINT), through package.json scripts. */
function startedServer(ctx: RuleContext<ParsedDockerfile>, final: Stage): string | undefined {
  // `apps/worker/Dockerfile`, `FROM base AS worker`: the image says what it is whatever it starts
  if (NOT_A_SERVER.test(ctx.file.path.split('/').slice(-2).join('/')) || (final.name && NOT_A_SERVER.test(final.name))) return undefined;
  for (const keyword of ['CMD', 'ENTRYPOINT']) {
    const instruction = effectiveInstruction(final, keyword);
    const script = instruction && scriptOf(ctx, instruction);
    const main = script && mainCommand(script);
    if (!main || main.after === '&') continue;
    const server = serverCommand(programArgv(main), ctx.project.packageBesideFile?.json);
    if (server) return server.command;
  }
  return undefined;
}

function checkDockerfile(ctx: RuleContext<ParsedDockerfile>): void {
  const final = ctx.parsed.finalStage;
  if (!final || !finalStageShips(ctx.file.path, final.name)) return;
  const chain = chainInstructions(final);
  // HEALTHCHECK NONE is an explicit choice; any HEALTHCHECK along the chain is inherited
  if (chain.some((i) => i.getKeyword() === 'HEALTHCHECK')) return;
  // a base image (no CMD/ENTRYPOINT of its own or from a parent stage here) is not a service yet
  const entry = effectiveInstruction(final, 'ENTRYPOINT') ?? effectiveInstruction(final, 'CMD');
  if (!entry) return;
  // an image that serves no port (a worker, a job, a tool) has nothing an HTTP probe could check,
  // unless what it starts is a server by name (`node dist/main.js`, `npm start` → `node server.js`, `next start`)
  const port = servedPort(final);
  if (!port) {
    const server = startedServer(ctx, final);
    if (server) {
      const fromRange = final.from.getRange();
      ctx.report({
        messageId: 'dockerfileMissingServer',
        data: { stage: final.name ? ` "${final.name}"` : '', command: server },
        start: ctx.offsetAt(fromRange.start),
        end: ctx.offsetAt(fromRange.end),
      });
    }
    return;
  }
  const fixes: Fix[] = [];
  const probe = probeFor(rootImage(final), port);
  if (probe) {
    const anchor: Instruction | undefined = final.instructions.find((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT');
    const at = anchor ? ctx.offsetAt({ line: anchor.getRange().start.line, character: 0 }) : ctx.text.length;
    const lead = !anchor && ctx.text.length > 0 && !ctx.text.endsWith('\n') ? '\n' : '';
    fixes.push({
      title: `Add a HEALTHCHECK probing ${`http://localhost:${port}/health`} (adjust the path)`,
      kind: 'unsafe',
      edits: [{ start: at, end: at, newText: `${lead}HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD ${probe}\n` }],
    });
  }
  const fromRange = final.from.getRange();
  ctx.report({
    messageId: 'dockerfileMissing',
    data: { stage: final.name ? ` "${final.name}"` : '' },
    start: ctx.offsetAt(fromRange.start),
    end: ctx.offsetAt(fromRange.end),
    fixes,
  });
}

/**
 * One rule for images and compose services (one id users configure everywhere): the
 * Dockerfile check is here; the compose check is added beside it as `check.compose`.
 */
const rule: Rule = {
  meta: {
    id: 'telemetry/missing-healthcheck',
    factor: 'telemetry',
    severity: 'info',
    description: 'A service image (or compose service) without a health check.',
    rationale: 'Telemetry includes health (factor XIV): the platform can only route traffic away from, and restart, an instance it knows is unhealthy. Without a health check a container that is up but hung, or still starting, counts as healthy; `depends_on: condition: service_healthy` and rolling updates cannot work.',
    messages: {
      dockerfileMissing: 'The final stage{{stage}} runs a service but has no HEALTHCHECK: add one that probes the app\'s health endpoint, or HEALTHCHECK NONE if the orchestrator probes it.',
      dockerfileMissingServer: 'The final stage{{stage}} starts a server ({{command}}) but has no HEALTHCHECK: add one that probes the app\'s health endpoint, or HEALTHCHECK NONE if the orchestrator probes it.',
      ...COMPOSE_HEALTHCHECK_MESSAGES,
    },
    fix: 'unsafe',
    // test and CI containers (e2e stacks, integration suites, test runners) never serve traffic
    roles: ['server', 'browser', 'script', 'tooling'],
  },
  check: { dockerfile: checkDockerfile, compose: checkComposeHealthcheck },
};

export default rule;
