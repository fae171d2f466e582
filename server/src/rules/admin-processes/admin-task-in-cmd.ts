import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { isAdminTask, programArgv } from '../../engine/command-model';
import { argv } from '../../parse/shell';
import type { SimpleCommand } from '../../parse/shell';
import type { ChainHit, ChainText, CommandChain } from '../../workspace/command-chains';
import { instructionEnd, instructionStart, scriptOf, stageEntrypoints } from '../support/dockerfile-commands';

/** An admin task run before the app: chained before more commands, or in a text that is not the long-running one (a `prestart` hook, `npm run migrate && node main`). */
function adminTaskBeforeApp(text: ChainText): { command: SimpleCommand; task: string } | undefined {
  for (let i = 0; i < text.commands.length; i++) {
    const command = text.commands[i];
    const task = isAdminTask(programArgv(command));
    if (!task) continue;
    const chainedBefore = i < text.commands.length - 1 && (command.after === '&&' || command.after === ';');
    if (chainedBefore || !text.main) return { command, task };
  }
  return undefined;
}

/** Whether the single-file check flags this declaration (the chain then adds nothing). */
function flaggedDirectly(text: ChainText): boolean {
  return text.commands.some((c, i) => i < text.commands.length - 1 && (c.after === '&&' || c.after === ';') && isAdminTask(programArgv(c)) !== undefined);
}

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

const meta: Rule['meta'] = {
  id: 'admin-processes/admin-task-in-cmd',
  factor: 'admin-processes',
  severity: 'warning',
  description: 'CMD/ENTRYPOINT, Compose command or Procfile line that runs a migration or seed before starting the app, directly or through the scripts it runs.',
  rationale: 'Admin tasks run as one-off processes against a release (factor XII), not as part of every start. Migrating in the CMD runs the migration once per container: scaled out, replicas race each other; a failed migration crash-loops the app; a restart re-runs it.',
  messages: {
    adminTask: '{{keyword}} runs "{{task}}" before the app: run migrations as a one-off process (a separate migrate stage/target, a compose service or a release job), then start the app alone.',
    chainAdminTask: '{{chain}}: every start runs "{{task}}" before the app. Run migrations and seeds as a one-off process (a release job, a compose service with restart: "no"), then start the app alone.',
  },
  fix: 'none',
};

const rule: Rule = { meta, check: { dockerfile: check } };

/**
 * The same problem followed through what the container runs: a package.json script or an
 * entrypoint script that migrates or seeds before the app (`CMD npm run start:prod` →
 * `"start:prod": "prisma migrate deploy && node dist/main"`), Compose `command:` and Procfile
 * lines. Reported at the declaration with the script lines as related locations; one-off
 * services (a `migrate` job, a Procfile `release`) are the right place for it and stay silent.
 */
export function judgeChain(chain: CommandChain): ChainHit | undefined {
  if (chain.oneOff || chain.declared.some(flaggedDirectly)) return undefined;
  for (const text of chain.judged) {
    const found = adminTaskBeforeApp(text);
    if (found) return { messageId: 'chainAdminTask', data: { task: found.task }, text, command: found.command };
  }
  return undefined;
}

export default rule;
