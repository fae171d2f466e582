import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { buildStep, devServer, isDevelopmentName, programArgv } from '../../engine/command-model';
import type { SimpleCommand } from '../../parse/shell';
import type { ChainHit, ChainText, CommandChain } from '../../workspace/command-chains';
import { instructionEnd, instructionStart, scriptOf, stageEntrypoints } from '../support/dockerfile-commands';

/** What a command builds or serves in development mode at start; dev servers only where the file is not meant for development. */
function runtimeBuild(command: SimpleCommand, devAllowed: boolean): { step: string; dev: boolean } | undefined {
  const words = programArgv(command);
  const step = buildStep(words);
  if (step) return { step, dev: false };
  const dev = devAllowed ? undefined : devServer(words);
  return dev ? { step: dev, dev: true } : undefined;
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  const finalStage = ctx.parsed.stages[ctx.parsed.stages.length - 1];
  const devFile = isDevelopmentName(ctx.file.path);
  for (const { stage, instruction } of stageEntrypoints(ctx.parsed)) {
    // a development server is wrong in the image that ships: the final stage of a file not meant for development
    const devAllowed = devFile || stage !== finalStage || isDevelopmentName(stage.name ?? '');
    const script = scriptOf(ctx, instruction);
    if (!script) continue;
    // `ENTRYPOINT ["yarn"]` takes its subcommand from CMD (`CMD ["start"]`): alone it says nothing
    if (script.form === 'exec' && instruction.getKeyword() === 'ENTRYPOINT' && script.execArgs!.length === 1) continue;
    for (const command of script.commands) {
      const found = runtimeBuild(command, devAllowed);
      if (!found) continue;
      ctx.report({
        messageId: found.dev ? 'devServer' : 'buildAtRuntime',
        data: { keyword: instruction.getKeyword(), step: found.step },
        start: instructionStart(ctx, instruction),
        end: instructionEnd(ctx, instruction),
      });
      break;
    }
  }
}

const meta: Rule['meta'] = {
  id: 'build-release-run/build-at-runtime',
  factor: 'build-release-run',
  severity: 'error',
  description: 'CMD/ENTRYPOINT, Compose command or the scripts they run that install dependencies, build the app or start a development server when the container starts.',
  rationale: 'Build, release and run are separate stages (factor V): the image is the build artifact and the container only runs it. Installing or compiling at start makes every start slow and network-dependent, lets two containers of the same release run different code, and fails exactly when the registry is down.',
  messages: {
    buildAtRuntime: '{{keyword}} runs "{{step}}" at container start: install and build in a RUN step of the build stage, so the image already contains the result.',
    devServer: '{{keyword}} runs "{{step}}", a development tool (dev server, watcher or on-the-fly compiler): build in a RUN step and run the built app (node dist/…) in the image that ships.',
    chainBuild: '{{chain}}: every start runs "{{step}}". Install and build in a RUN step of the build stage, so the image already contains the result.',
    chainDevServer: '{{chain}}: the container starts "{{step}}", a development tool (dev server, watcher or on-the-fly compiler). Build in the image and run the built app (node dist/…).',
  },
  fix: 'none',
};

const rule: Rule = { meta, check: { dockerfile: check } };

/** Whether the single-file check flags this declaration (the chain then adds nothing). */
function flaggedDirectly(text: ChainText, devAllowed: boolean): boolean {
  return text.commands.some((c) => runtimeBuild(c, devAllowed) !== undefined);
}

/**
 * The same problem behind `npm start`, `npm run start:prod`, a Compose `command:` or an
 * entrypoint script: `tsc && node dist`, `nest start`, `react-scripts start`, `ts-node`,
 * `nodemon`, `next dev`. Files and Compose files meant for development run dev servers on
 * purpose and stay silent; one-off services (a builder job) too.
 */
export function judgeChain(chain: CommandChain): ChainHit | undefined {
  if (chain.oneOff || chain.devFile || chain.declared.some((t) => flaggedDirectly(t, false))) return undefined;
  for (const text of chain.judged) {
    for (const command of text.commands) {
      const hit = runtimeBuild(command, false);
      if (hit) return { messageId: hit.dev ? 'chainDevServer' : 'chainBuild', data: { step: hit.step }, text, command };
    }
  }
  return undefined;
}

export default rule;
