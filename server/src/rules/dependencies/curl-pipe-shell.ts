import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { programArgv } from '../../engine/command-model';
import { basename } from '../../parse/shell';
import { instructionEnd, instructionStart, scriptOf, stageEntrypoints } from '../support/dockerfile-commands';

const DOWNLOADERS = /^(?:curl|wget)$/;
const SHELLS = /^(?:sh|bash|dash|ash|zsh|ksh)$/;
/** Interpreters run a piped script only when told to read stdin (`python3 -`), not with `-c code`. */
const INTERPRETERS = /^(?:python[\d.]*|node|perl|ruby|php)$/;

function check(ctx: RuleContext<ParsedDockerfile>): void {
  const instructions = [
    ...ctx.parsed.dockerfile.getInstructions().filter((i) => i.getKeyword() === 'RUN'),
    ...stageEntrypoints(ctx.parsed).map((e) => e.instruction),
  ];
  for (const instruction of instructions) {
    const script = scriptOf(ctx, instruction);
    if (!script) continue;
    for (let i = 0; i < script.commands.length; i++) {
      const command = script.commands[i];
      const program = basename(programArgv(command)[0]?.value ?? '');
      let found: string | undefined;
      // curl … | sh, wget -O- … | sudo bash
      if (DOWNLOADERS.test(program) && command.after === '|' && i + 1 < script.commands.length) {
        const nextArgv = programArgv(script.commands[i + 1]);
        const next = basename(nextArgv[0]?.value ?? '');
        const readsStdin = nextArgv.length === 1 || nextArgv[1].value === '-';
        if (SHELLS.test(next) || (INTERPRETERS.test(next) && readsStdin)) found = `${program} … | ${next}`;
      }
      // sh -c "$(curl -fsSL …)", bash <(curl …) is tokenized as a redirect from a subshell
      if (!found && SHELLS.test(program)) {
        const args = programArgv(command).slice(1);
        if (args.some((w) => /\$\(\s*(?:curl|wget)\s/.test(w.value))) found = `${program} -c "$(${/wget/.test(args.map((w) => w.value).join(' ')) ? 'wget' : 'curl'} …)"`;
      }
      if (!found) continue;
      ctx.report({
        messageId: 'pipe',
        data: { pattern: found },
        start: instructionStart(ctx, instruction),
        end: instructionEnd(ctx, instruction),
      });
      break;
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'dependencies/curl-pipe-shell',
    factor: 'dependencies',
    severity: 'warning',
    description: 'A script downloaded and piped straight into a shell (`curl … | sh`).',
    rationale: 'Dependencies must be declared and reproducible (factor II). A piped install script is an undeclared, unversioned dependency: it runs whatever the server returns that day, with no checksum, and a network hiccup can run a truncated script.',
    messages: {
      pipe: '"{{pattern}}" runs a downloaded script unverified: download a pinned version to a file, check its sha256, then run it (or use the distribution\'s package).',
    },
    fix: 'none',
  },
  check: { dockerfile: check },
};

export default rule;
