import type { Instruction } from 'dockerfile-ast';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile, Stage } from '../../parse/dockerfile';
import { argv, basename, type SimpleCommand, type Word } from '../../parse/shell';
import { scriptEdits, scriptOf, type Script } from '../support/dockerfile-commands';

/** The user a RUN step runs as: the last USER before it in its stage or the stages it builds on; root when none. */
function userBefore(stage: Stage, run: Instruction): string {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage, seen = new Set<Stage>(); s && !seen.has(s); s = s.parent) { seen.add(s); chain.unshift(s); }
  let user = 'root';
  for (const s of chain) {
    for (const instruction of s.instructions) {
      if (instruction === run) return user;
      if (instruction.getKeyword() === 'USER') user = (instruction.getArgumentsContent() ?? '').trim().split(':')[0];
    }
  }
  return user;
}

const isRoot = (user: string) => user === 'root' || user === '0';

/** The `sudo` word of a command (`sudo apt-get …`, `exec sudo …`), when the command runs sudo. */
function sudoWord(command: SimpleCommand): Word | undefined {
  const words = argv(command);
  const first = words[0]?.value === 'exec' ? words[1] : words[0];
  return first && basename(first.value) === 'sudo' ? first : undefined;
}

/** As root, `sudo cmd` is `cmd`: drop the word (only without options: `-u postgres`, `-E` change what runs). */
function removeSudoFix(script: Script, command: SimpleCommand, word: Word): Fix | undefined {
  const words = command.words;
  const next = words[words.indexOf(word) + 1];
  if (!next || next.value.startsWith('-') || script.form === 'exec') return undefined;
  return { title: 'Remove sudo (the step already runs as root)', kind: 'unsafe', edits: scriptEdits(script, [{ start: word.start, end: next.start, newText: '' }]) };
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  for (const stage of ctx.parsed.stages) {
    for (const instruction of stage.instructions) {
      if (instruction.getKeyword() !== 'RUN') continue;
      const script = scriptOf(ctx, instruction);
      if (!script) continue;
      for (const command of script.commands) {
        const word = sudoWord(command);
        if (!word) continue;
        const user = userBefore(stage, instruction);
        const root = isRoot(user);
        const fix = root ? removeSudoFix(script, command, word) : undefined;
        // offsets of an exec-shell script index the decoded string: report on the instruction's arguments then
        const inDocument = script.form !== 'exec-shell';
        const range = instruction.getArgumentsRange()!;
        ctx.report({
          messageId: root ? 'asRoot' : 'asUser',
          data: { user },
          start: inDocument ? word.start : ctx.offsetAt(range.start),
          end: inDocument ? word.end : ctx.offsetAt(range.end),
          fixes: fix ? [fix] : [],
        });
      }
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'security/sudo-in-run',
    factor: 'security',
    severity: 'warning',
    description: '`sudo` in a RUN step.',
    rationale: 'A build step runs as the USER set before it, so sudo is either a no-op (as root) or a way around the USER the image chose: it needs sudo and a sudoers grant in the image, which any process in the container can then use to become root. Switch USER for the steps that need root and back afterwards; use gosu/su-exec when an entrypoint must drop privileges.',
    messages: {
      asRoot: 'sudo in a RUN step that already runs as root: it does nothing but require sudo in the image. Remove it.',
      asUser: 'sudo in a RUN step running as USER {{user}}: the image must ship sudo and a sudoers grant that lets the container become root. Put USER root before this step and USER {{user}} after it instead.',
    },
    fix: 'unsafe',
  },
  check: { dockerfile: check },
};

export default rule;
