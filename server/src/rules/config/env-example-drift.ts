import { baseName } from '../../engine/classify';
import type { Rule, RuleContext } from '../../engine/types';
import { parseDotenv, type ParsedDotenv } from '../../parse/dotenv';

/** The templates a project documents its .env with, in the order they are looked for beside it. */
const TEMPLATES = ['.env.example', '.env.sample', '.env.template', '.env.dist'];
/** A commented-out assignment in a template (`# SENTRY_DSN=`): an optional variable, documented. */
const COMMENTED = /^[ \t]*#[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*=/gm;

/** Names an env file knows: its assignments, bare names and commented-out assignments. */
function documentedNames(text: string): Set<string> {
  const parsed = parseDotenv(text);
  const names = new Set([...parsed.entries.map((e) => e.key), ...parsed.bareNames.map((b) => b.key)]);
  for (const m of text.matchAll(COMMENTED)) names.add(m[1]);
  return names;
}

function checkLocal(ctx: RuleContext<ParsedDotenv>, read: (path: string) => string | undefined): void {
  const template = TEMPLATES.map((name) => ({ name, text: read(name) })).find((t) => t.text !== undefined);
  if (!template) return; // no template: nothing to drift from (committed-env-file suggests one)
  const documented = documentedNames(template.text!);
  const seen = new Set<string>();
  for (const entry of ctx.parsed.entries) {
    if (documented.has(entry.key) || seen.has(entry.key)) continue;
    seen.add(entry.key);
    ctx.report({
      messageId: 'notInTemplate',
      data: { key: entry.key, template: template.name },
      start: entry.keyStart,
      end: entry.keyEnd,
      // the name only: the value stays in .env
      fixes: [{ title: `Add ${entry.key}= to ${template.name}`, kind: 'safe', edits: [], otherFiles: [{ path: template.name, append: `${entry.key}=\n`, unlessLineStartsWith: `${entry.key}=` }] }],
    });
  }
}

function checkTemplate(ctx: RuleContext<ParsedDotenv>, read: (path: string) => string | undefined): void {
  const local = read('.env');
  if (local === undefined) return; // no local .env (a fresh checkout): nothing to compare
  // a commented-out assignment in .env (`# LOG_LEVEL=`) says "this checkout runs without it" on purpose
  const set = documentedNames(local);
  const seen = new Set<string>();
  for (const entry of [...ctx.parsed.entries, ...ctx.parsed.bareNames.map((b) => ({ key: b.key, keyStart: b.start, keyEnd: b.end }))]) {
    if (set.has(entry.key) || seen.has(entry.key)) continue;
    seen.add(entry.key);
    ctx.report({ messageId: 'notInLocal', data: { key: entry.key, template: baseName(ctx.file.path) }, start: entry.keyStart, end: entry.keyEnd });
  }
}

function check(ctx: RuleContext<ParsedDotenv>): void {
  const read = ctx.project.readWorkspaceFile;
  if (!read) return;
  const name = baseName(ctx.file.path);
  if (name === '.env') checkLocal(ctx, read);
  else if (TEMPLATES.includes(name) && TEMPLATES.find((t) => t === name || read(t) !== undefined) === name) checkTemplate(ctx, read);
}

const rule: Rule = {
  meta: {
    id: 'config/env-example-drift',
    factor: 'config',
    severity: 'info',
    description: 'Keys set in .env that the .env.example beside it does not document, and keys the template documents that .env does not set.',
    rationale: 'The codebase says which config a deploy needs; each deploy says the values (factor III). The committed template is how the next developer or deploy learns the names: a key only in someone\'s .env is config nobody else knows to set, and a documented key missing from .env is a setting this checkout runs without.',
    messages: {
      notInTemplate: '{{key}} is set in .env but {{template}} does not document it: the next deploy will not know it needs {{key}}. Add the name (not the value) to {{template}}.',
      notInLocal: '{{key}} is documented in {{template}} but the .env beside it does not set it: this checkout runs without it (or with a default). Set it in .env (or list it there commented out, `# {{key}}=`, to run without it), or comment it out in {{template}} if it is optional.',
    },
    fix: 'safe',
  },
  check: { dotenv: check },
};

export default rule;
