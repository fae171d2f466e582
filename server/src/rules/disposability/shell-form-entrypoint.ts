import type { Instruction, JSONInstruction } from 'dockerfile-ast';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile, Stage } from '../../parse/dockerfile';
import { toExecForm } from '../../parse/shell';
import { commandText } from '../support/dockerfile-commands';
import { isOneShotImage } from '../support/finite-command';

/** Init processes that reap zombies and forward signals: a shell-form CMD behind them is fine. */
const INIT_WRAPPERS = /(?:^|\/)(?:tini|tini-static|dumb-init|catatonit|s6-svscan|init)$/;

function isExecForm(instruction: Instruction): boolean {
  const json = instruction as JSONInstruction;
  return typeof json.getOpeningBracket === 'function' && json.getOpeningBracket() !== null && json.getClosingBracket() !== null;
}

/** The last instruction with this keyword in the stage or, failing that, in the stages it builds on. */
function effective(stage: Stage, keyword: 'CMD' | 'ENTRYPOINT'): Instruction | undefined {
  for (let s: Stage | undefined = stage, guard = 0; s && guard < 64; s = s.parent, guard++) {
    const found = s.instructions.filter((i) => i.getKeyword() === keyword);
    if (found.length > 0) return found[found.length - 1];
  }
  return undefined;
}

function entrypointIsInit(entrypoint: Instruction | undefined): boolean {
  if (!entrypoint || !isExecForm(entrypoint)) return false;
  const first = (entrypoint as JSONInstruction).getJSONStrings()[0]?.getJSONValue() ?? '';
  return INIT_WRAPPERS.test(first);
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  const reported = new Set<Instruction>();
  for (const stage of ctx.parsed.stages) {
    const entrypoint = effective(stage, 'ENTRYPOINT');
    const cmd = effective(stage, 'CMD');
    for (const instruction of [entrypoint, cmd]) {
      if (!instruction || reported.has(instruction) || !stage.instructions.includes(instruction)) continue;
      if (isExecForm(instruction)) continue;
      const keyword = instruction.getKeyword();
      if (keyword === 'CMD' && entrypointIsInit(entrypoint)) continue;
      const command = commandText(ctx.text, instruction, ctx.parsed.escapeChar, ctx.offsetAt);
      if (!command || command.text === '') continue;
      // a one-shot job image: nothing long-running waits for SIGTERM
      if (isOneShotImage(ctx, stage)) continue;
      reported.add(instruction);
      const { json, wrapped } = toExecForm(command.text);
      ctx.report({
        messageId: 'shellForm',
        data: { keyword },
        start: ctx.offsetAt(instruction.getRange().start),
        end: command.end,
        fixes: [{
          title: wrapped ? `Rewrite ${keyword} in exec form with sh -c "exec …"` : `Rewrite ${keyword} in exec form`,
          kind: 'safe',
          edits: [{ start: command.start, end: command.end, newText: json }],
        }],
      });
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'disposability/shell-form-entrypoint',
    factor: 'disposability',
    severity: 'warning',
    description: 'CMD or ENTRYPOINT in shell form: the app runs under /bin/sh, which does not forward SIGTERM.',
    rationale: 'Processes must shut down gracefully when they receive SIGTERM (factor IX). In shell form Docker starts `/bin/sh -c "…"` as PID 1; the shell does not pass signals to the app, so `docker stop` waits out its timeout and kills the app mid-request.',
    messages: {
      shellForm: '{{keyword}} in shell form runs the app under /bin/sh, which swallows SIGTERM: use the exec form (a JSON array).',
    },
    fix: 'safe',
  },
  check: { dockerfile: check },
};

export default rule;
