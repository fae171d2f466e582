import type { Rule, RuleContext } from '../../engine/types';
import type { DotenvEntry, ParsedDotenv } from '../../parse/dotenv';

/** The earlier definition's lines, line break included: deleting them keeps what every reader already uses. */
function deleteEntry(text: string, entry: DotenvEntry): { start: number; end: number; newText: string } {
  let end = entry.end;
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return { start: entry.lineStart, end, newText: '' };
}

function check(ctx: RuleContext<ParsedDotenv>): void {
  const last = new Map<string, DotenvEntry>();
  for (const entry of ctx.parsed.entries) last.set(entry.key, entry);
  for (const entry of ctx.parsed.entries) {
    const winner = last.get(entry.key)!;
    if (winner === entry) continue;
    ctx.report({
      messageId: 'duplicate',
      data: { key: entry.key, line: winner.line + 1 },
      start: entry.keyStart,
      end: entry.keyEnd,
      fixes: [{ title: `Remove this overridden ${entry.key} (line ${winner.line + 1} wins)`, kind: 'safe', edits: [deleteEntry(ctx.text, entry)] }],
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'config/duplicate-env-key',
    factor: 'config',
    severity: 'warning',
    description: 'A key set twice in one .env file: the earlier value is silently ignored.',
    rationale: 'Config must be unambiguous per deploy (factor III). dotenv, Compose env_file and docker --env-file all keep the last of two assignments, so the first one is dead text that looks like configuration: someone edits it and nothing changes.',
    messages: {
      duplicate: '{{key}} is set again on line {{line}}, which wins: this value is ignored by dotenv, Compose and docker --env-file. Remove one of them.',
    },
    fix: 'safe',
  },
  check: { dotenv: check },
};

export default rule;
