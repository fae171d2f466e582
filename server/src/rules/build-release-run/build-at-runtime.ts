import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { basename, instructionEnd, instructionStart, programArgv, scriptOf, stageEntrypoints, type Word } from '../support/dockerfile-commands';
import { packageAction, packageManagerOf } from '../support/package-commands';

/** What a command installs or builds, as a short label, when it does. */
function buildStep(words: readonly Word[]): string | undefined {
  if (words.length === 0) return undefined;
  const values = words.map((w) => w.value);
  const program = basename(values[0]);
  const pm = packageManagerOf(program);
  if (pm) {
    const { action } = packageAction(pm, words.slice(1));
    if (action === 'install' || action === 'add' || action === 'build') return values.slice(0, 3).join(' ');
    return undefined;
  }
  if (program === 'npx' || program === 'pnpx') {
    const tool = values.slice(1).find((v) => !v.startsWith('-'));
    return tool && /^(?:tsc|typescript|webpack|vite|next|nest|rollup|esbuild|tsup|parcel)$/.test(tool) && (tool === 'tsc' || values.includes('build')) ? values.slice(0, 3).join(' ') : undefined;
  }
  if (program === 'tsc') return 'tsc';
  if (/^pip[\d.]*$/.test(program) && values[1] === 'install') return `${program} install`;
  if (/^python[\d.]*$/.test(program) && values[1] === '-m' && /^pip[\d.]*$/.test(values[2] ?? '') && values[3] === 'install') return `${program} -m pip install`;
  if ((program === 'poetry' || program === 'pipenv' || program === 'bundle' || program === 'composer') && values[1] === 'install') return `${program} install`;
  if ((program === 'apt-get' || program === 'apt' || program === 'yum' || program === 'dnf' || program === 'microdnf') && values.includes('install')) return `${program} install`;
  if (program === 'apk' && values[1] === 'add') return 'apk add';
  if ((program === 'go' || program === 'cargo') && values[1] === 'build') return `${program} build`;
  if ((program === 'mvn' || program === 'mvnw' || program === 'gradle' || program === 'gradlew') && values.some((v) => /^(?:package|install|build|assemble)$/.test(v))) return program;
  return undefined;
}

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
