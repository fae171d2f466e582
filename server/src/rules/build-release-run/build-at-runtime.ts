import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { buildStep, programArgv } from '../../engine/command-model';
import { instructionEnd, instructionStart, scriptOf, stageEntrypoints } from '../support/dockerfile-commands';

function check(ctx: RuleContext<ParsedDockerfile>): void {
  for (const { instruction } of stageEntrypoints(ctx.parsed)) {
    const script = scriptOf(ctx, instruction);
    if (!script) continue;
    // `ENTRYPOINT ["yarn"]` takes its subcommand from CMD (`CMD ["start"]`): alone it says nothing
    if (script.form === 'exec' && instruction.getKeyword() === 'ENTRYPOINT' && script.execArgs!.length === 1) continue;
    for (const command of script.commands) {
      const step = buildStep(programArgv(command));
      if (!step) continue;
      ctx.report({
        messageId: 'buildAtRuntime',
        data: { keyword: instruction.getKeyword(), step },
        start: instructionStart(ctx, instruction),
        end: instructionEnd(ctx, instruction),
      });
      break;
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'build-release-run/build-at-runtime',
    factor: 'build-release-run',
    severity: 'error',
    description: 'CMD or ENTRYPOINT that installs dependencies or builds the app when the container starts.',
    rationale: 'Build, release and run are separate stages (factor V): the image is the build artifact and the container only runs it. Installing or compiling at start makes every start slow and network-dependent, lets two containers of the same release run different code, and fails exactly when the registry is down.',
    messages: {
      buildAtRuntime: '{{keyword}} runs "{{step}}" at container start: install and build in a RUN step of the build stage, so the image already contains the result.',
    },
    fix: 'none',
  },
  check: { dockerfile: check },
};

export default rule;
