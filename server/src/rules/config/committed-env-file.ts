import { baseName, isEnvTemplateName } from '../../engine/classify';
import { findCredential, maskSecret, maskUrlCredentials } from '../../engine/secrets';
import type { FileAppend, Rule, RuleContext } from '../../engine/types';
import type { ParsedDotenv } from '../../parse/dotenv';
import { isSecretEntry, urlPassword } from '../support/env-secrets';

/** `.env` and `.env.<stage>`; test env files (`.env.test`, `.env.ci`) conventionally hold throwaway values and are committed on purpose. */
function isLocalEnvName(name: string): boolean {
  if (name !== '.env' && !name.startsWith('.env.')) return false;
  if (isEnvTemplateName(name)) return false;
  return !/^\.env\.(?:test|testing|ci|e2e)(?:\.|$)/i.test(name);
}

function checkDotenv(ctx: RuleContext<ParsedDotenv>): void {
  const name = baseName(ctx.file.path);
  if (!isLocalEnvName(name)) return;
  const { isTracked, isGitIgnored } = ctx.project;
  const ignored = isGitIgnored?.(ctx.file.path);
  // without git facts we cannot tell a committed file from a local one: stay silent
  const exposed = isTracked === true || ignored === false;
  if (!exposed) return;
  const secrets = ctx.parsed.entries.filter(isSecretEntry);
  if (secrets.length === 0) return;
  const first = secrets[0];
  const credential = findCredential(first.value);
  const masked = credential ? maskSecret(first.value.slice(credential.start, credential.end))
    : urlPassword(first.value) !== undefined ? maskUrlCredentials(first.value) : maskSecret(first.value);
  const otherFiles: FileAppend[] = [];
  if (ignored !== true) otherFiles.push({ path: '.gitignore', append: `${name}\n`, unlessLineEquals: name });
  // one append per key so an existing .env.example only gains the keys it lacks
  const seen = new Set<string>();
  for (const entry of ctx.parsed.entries) {
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    otherFiles.push({ path: '.env.example', append: `${entry.key}=\n`, unlessLineStartsWith: `${entry.key}=` });
  }
  const untrack = isTracked === true ? ` and run \`git rm --cached ${name}\`` : '';
  ctx.report({
    messageId: isTracked === true ? 'tracked' : 'notIgnored',
    data: { file: name, key: first.key, value: masked, count: secrets.length },
    start: first.valueStart,
    end: first.valueEnd,
    fixes: [{ title: `Ignore ${name} in .gitignore and document its keys in .env.example${untrack}`, kind: 'unsafe', edits: [], otherFiles }],
  });
}

const rule: Rule = {
  meta: {
    id: 'config/committed-env-file',
    factor: 'config',
    severity: 'warning',
    description: '.env files holding secrets that are committed to git or not ignored by .gitignore.',
    rationale: 'Config, and above all credentials, lives in the environment of each deploy, not in the codebase (factor III). A committed .env file shares its secrets with everyone who can read the repository and its history; commit a .env.example with the keys and blank values instead.',
    messages: {
      tracked: '{{file}} is committed to git and holds {{count}} secret-like value(s), first {{key}}={{value}}: remove it from the repository (git rm --cached), ignore it, rotate the secrets, and commit a .env.example instead.',
      notIgnored: '{{file}} is not ignored by .gitignore and holds {{count}} secret-like value(s), first {{key}}={{value}}: one `git add .` away from being committed. Ignore it and commit a .env.example instead.',
    },
    fix: 'unsafe',
  },
  check: { dotenv: checkDotenv },
};

export default rule;
