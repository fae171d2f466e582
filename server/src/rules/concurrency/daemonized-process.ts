import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { backgrounded, daemonizing, programArgv } from '../../engine/command-model';
import { argv, type SimpleCommand } from '../../parse/shell';
import type { ChainHit, CommandChain } from '../../workspace/command-chains';
import { instructionEnd, instructionStart, replaceWordEdit, scriptOf, stageEntrypoints, type Script } from '../support/dockerfile-commands';

/** How a command daemonizes, and the fix when there is one. */
type Daemonizing = { what: string; fix?: Fix; twoProcesses?: boolean };

function daemonizes(script: Script | undefined, commands: readonly SimpleCommand[], i: number): Daemonizing | undefined {
  const found = daemonizing(commands[i]);
  if (found) {
    const pm2 = found.pm2;
    const fix: Fix | undefined = pm2 && script ? { title: 'Use pm2-runtime, which stays in the foreground', kind: 'unsafe', edits: replaceWordEdit(script, pm2, pm2.value.replace(/pm2$/, 'pm2-runtime')) } : undefined;
    return { what: found.what, fix };
  }
  const background = backgrounded(commands, i);
  // `node app.js &` as the last thing: the shell exits (or waits) and the app is orphaned
  if (background === 'trailing') return { what: 'a trailing &' };
  // `node worker.js & node server.js`: two processes in one container, the first unsupervised
  if (background === 'two-processes') return { what: `"${programArgv(commands[i]).map((w) => w.value).join(' ')} &" beside another process`, twoProcesses: true };
  return undefined;
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  for (const { instruction } of stageEntrypoints(ctx.parsed)) {
    const script = scriptOf(ctx, instruction);
    if (!script) continue;
    const commands = script.commands.filter((c) => argv(c).length > 0);
    for (let i = 0; i < commands.length; i++) {
      const found = daemonizes(script, commands, i);
      if (!found) continue;
      ctx.report({
        messageId: found.twoProcesses ? 'twoProcesses' : 'daemonized',
        data: { keyword: instruction.getKeyword(), what: found.what },
        start: instructionStart(ctx, instruction),
        end: instructionEnd(ctx, instruction),
        fixes: found.fix ? [found.fix] : [],
      });
      break;
    }
  }
}

const meta: Rule['meta'] = {
  id: 'concurrency/daemonized-process',
  factor: 'concurrency',
  severity: 'warning',
  description: 'CMD/ENTRYPOINT, Compose command or the scripts they run that background or daemonize the app (`&`, nohup, pm2 start, forever start, service … start) or run two processes in one container.',
  rationale: 'Processes never daemonize or write PID files (factor VIII): the process manager (Docker, Kubernetes, systemd) runs them in the foreground, restarts them when they crash and scales them by count. A daemonized app escapes supervision: the container either exits at once or keeps running with the app dead.',
  messages: {
    daemonized: '{{keyword}} daemonizes with {{what}}: run the app in the foreground as the main process (pm2-runtime instead of pm2 start, one process per container).',
    twoProcesses: '{{keyword}} starts {{what}}: one process per container, so each is supervised, restarted and scaled on its own (a second service or container for the other).',
    chainDaemonized: '{{chain}}: the container daemonizes with {{what}}. Run the app in the foreground as the main process (pm2-runtime instead of pm2 start).',
    chainTwoProcesses: '{{chain}}: the container runs {{what}}. Run one process per container, so each is supervised, restarted and scaled on its own.',
  },
  fix: 'unsafe',
};

const rule: Rule = { meta, check: { dockerfile: check } };

/**
 * The same problems behind the scripts a container runs, and two processes started side by side
 * (`node worker.js & node server.js`, `concurrently`, `run-p`) as its main process.
 */
export function judgeChain(chain: CommandChain): ChainHit | undefined {
  if (chain.oneOff || chain.declared.some((t) => t.commands.some((_c, i) => daemonizes(undefined, t.commands, i)))) return undefined;
  for (const text of chain.judged) {
    for (let i = 0; i < text.commands.length; i++) {
      const command = text.commands[i];
      const hit = daemonizes(undefined, text.commands, i)
        ?? (text.parallel && i === 0 && chain.texts.some((t) => t !== text && t.parallel && t.trail.length === text.trail.length) ? { what: 'two processes side by side', twoProcesses: true } : undefined);
      if (hit) return { messageId: hit.twoProcesses ? 'chainTwoProcesses' : 'chainDaemonized', data: { what: hit.what }, text, command };
    }
  }
  return undefined;
}

export default rule;
