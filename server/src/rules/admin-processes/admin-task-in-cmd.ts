import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { isAdminTask, programArgv } from '../../engine/command-model';
import { argv } from '../../parse/shell';
import { instructionEnd, instructionStart, scriptOf, stageEntrypoints } from '../support/dockerfile-commands';

function check(ctx: RuleContext<ParsedDockerfile>): void {
  for (const { instruction } of stageEntrypoints(ctx.parsed)) {
    const script = scriptOf(ctx, instruction);
    if (!script) continue;
    const commands = script.commands.filter((c) => argv(c).length > 0);
    // a CMD that only migrates is a dedicated migration image/stage: fine. Flag a task chained before the app.
    for (let i = 0; i < commands.length - 1; i++) {
      const task = isAdminTask(programArgv(commands[i]));
      if (!task || !(commands[i].after === '&&' || commands[i].after === ';')) continue;
      ctx.report({
        messageId: 'adminTask',
        data: { keyword: instruction.getKeyword(), task },
        start: instructionStart(ctx, instruction),
        end: instructionEnd(ctx, instruction),
      });
      break;
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'admin-processes/admin-task-in-cmd',
    factor: 'admin-processes',
    severity: 'warning',
    description: 'CMD/ENTRYPOINT that runs a migration or seed before starting the app.',
    rationale: 'Admin tasks run as one-off processes against a release (factor XII), not as part of every start. Migrating in the CMD runs the migration once per container: scaled out, replicas race each other; a failed migration crash-loops the app; a restart re-runs it.',
    messages: {
      adminTask: '{{keyword}} runs "{{task}}" before the app: run migrations as a one-off process (a separate migrate stage/target, a compose service or a release job), then start the app alone.',
    },
    fix: 'none',
  },
  check: { dockerfile: check },
};

export default rule;
