/**
 * The command rules over command chains: each Dockerfile/Compose command rule keeps its
 * single-file check for what a Dockerfile says itself, and exports a `judgeChain` for what the
 * container really runs (package.json scripts, entrypoint scripts, Compose `command:`,
 * Procfile). This module runs those judges as workspace rules with the rule's own meta (one
 * id, one severity, one docs page), one finding per chain and rule, at the declaration it comes from, with
 * the way there (`CMD npm run start:prod → package.json "start:prod" → prisma migrate deploy`)
 * in the message and the script lines as related locations.
 */
import type { RuleMeta } from '../engine/types';
import { judgeChain as adminTaskInCmd, default as adminTaskInCmdRule } from '../rules/admin-processes/admin-task-in-cmd';
import { judgeChain as buildAtRuntime, default as buildAtRuntimeRule } from '../rules/build-release-run/build-at-runtime';
import { judgeChain as daemonizedProcess, default as daemonizedProcessRule } from '../rules/concurrency/daemonized-process';
import { judgeChain as packageManagerAsPid1, default as packageManagerAsPid1Rule } from '../rules/disposability/package-manager-as-pid1';
import { judgeChain as shellWrappedExecForm, default as shellWrappedExecFormRule } from '../rules/disposability/shell-wrapped-exec-form';
import { judgeChain as logFileRedirect, default as logFileRedirectRule } from '../rules/logs/log-file-redirect';
import { chainRelated, commandChains, describeChain, type ChainHit, type CommandChain } from './command-chains';
import type { WorkspaceRule } from './workspace-rule';

function chainRule(meta: RuleMeta, judge: (chain: CommandChain) => ChainHit | undefined): WorkspaceRule {
  return {
    meta,
    checkWorkspace(model, report) {
      for (const chain of commandChains(model)) {
        const hit = judge(chain);
        if (!hit) continue;
        const found = hit.text && hit.command ? { text: hit.text, command: hit.command } : undefined;
        report({
          messageId: hit.messageId,
          data: { ...hit.data, chain: found ? describeChain(found.text, found.command) : chain.start.label },
          // at the instruction the found command comes from (ENTRYPOINT or CMD), else the chain's start
          path: found ? found.text.trail[0].loc.path : chain.path,
          range: (found ? found.text.trail[0].loc : chain.start.loc).range,
          ...(found && found.text.trail.length > 1 ? { related: chainRelated(chain, found.text, found.command) } : {}),
        });
      }
    },
  };
}

export const adminTaskInCmdChain = chainRule(adminTaskInCmdRule.meta, adminTaskInCmd);
export const buildAtRuntimeChain = chainRule(buildAtRuntimeRule.meta, buildAtRuntime);
export const daemonizedProcessChain = chainRule(daemonizedProcessRule.meta, daemonizedProcess);
export const packageManagerAsPid1Chain = chainRule(packageManagerAsPid1Rule.meta, packageManagerAsPid1);
export const shellWrappedExecFormChain = chainRule(shellWrappedExecFormRule.meta, shellWrappedExecForm);
export const logFileRedirectChain = chainRule(logFileRedirectRule.meta, logFileRedirect);
