import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { argv, basename, type SimpleCommand } from '../../parse/shell';
import { programArgv } from '../../engine/command-model';
import { instructionEnd, instructionStart, replaceWordEdit, scriptOf, stageEntrypoints, type Script } from '../support/dockerfile-commands';

/** How a command daemonizes, and the fix when there is one. */
type Daemonizing = { what: string; fix?: Fix };

function daemonizes(script: Script, command: SimpleCommand, isLast: boolean): Daemonizing | undefined {
  const raw = argv(command);
  if (raw.length === 0) return undefined;
  const words = programArgv(command);
  if (basename(raw[0].value) === 'nohup' || basename(words[0]?.value ?? '') === 'nohup') return { what: 'nohup' };
  const program = basename(words[0]?.value ?? '');
  const values = words.map((w) => w.value);
  if (program === 'pm2' && values[1] === 'start' && !values.includes('--no-daemon')) {
    return { what: 'pm2 start', fix: { title: 'Use pm2-runtime, which stays in the foreground', kind: 'unsafe', edits: replaceWordEdit(script, words[0], words[0].value.replace(/pm2$/, 'pm2-runtime')) } };
  }
  if (program === 'forever' && values[1] === 'start') return { what: 'forever start' };
  if (program === 'service' && values.length >= 3 && values[2] === 'start') return { what: `service ${values[1]} start` };
  if (program === 'systemctl' && values[1] === 'start') return { what: 'systemctl start' };
  if (/^\/etc\/init\.d\//.test(words[0]?.value ?? '') && values[1] === 'start') return { what: `${words[0].value} start` };
  // `node app.js &` as the last thing: the shell exits (or waits) and the app is orphaned
  if (isLast && command.after === '&') return { what: 'a trailing &' };
  return undefined;
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  for (const { instruction } of stageEntrypoints(ctx.parsed)) {
    const script = scriptOf(ctx, instruction);
    if (!script) continue;
    const commands = script.commands.filter((c) => argv(c).length > 0);
    for (let i = 0; i < commands.length; i++) {
      const found = daemonizes(script, commands[i], i === commands.length - 1);
      if (!found) continue;
      ctx.report({
        messageId: 'daemonized',
        data: { keyword: instruction.getKeyword(), what: found.what },
        start: instructionStart(ctx, instruction),
        end: instructionEnd(ctx, instruction),
        fixes: found.fix ? [found.fix] : [],
      });
      break;
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'concurrency/daemonized-process',
    factor: 'concurrency',
    severity: 'warning',
    description: 'CMD/ENTRYPOINT that backgrounds or daemonizes the app (`&`, nohup, pm2 start, forever start, service … start).',
    rationale: 'Processes never daemonize or write PID files (factor VIII): the process manager (Docker, Kubernetes, systemd) runs them in the foreground, restarts them when they crash and scales them by count. A daemonized app escapes supervision: the container either exits at once or keeps running with the app dead.',
    messages: {
      daemonized: '{{keyword}} daemonizes with {{what}}: run the app in the foreground as the main process (pm2-runtime instead of pm2 start, one process per container).',
    },
    fix: 'unsafe',
  },
  check: { dockerfile: check },
};

export default rule;
