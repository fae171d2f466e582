import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { hasFlag, operands, packageManagerOf, programArgv, subcommand } from '../../engine/command-model';
import { basename, type Word } from '../../parse/shell';
import { insertArgAfterEdit, instructionEnd, instructionStart, replaceWordEdit, scriptOf, type Script } from '../support/dockerfile-commands';

/**
 * A package operand is pinned when it names an exact version (`pkg@1.2.3`, `@scope/pkg@2`),
 * or is not a registry package at all (a path, a tarball, a git URL). `$VERSION` counts as
 * pinned: the value is decided elsewhere.
 */
export function isPinnedOperand(spec: Word): boolean {
  const v = spec.value;
  if (spec.expands) return true;
  if (/^(?:\.{0,2}\/|file:|git[+:]|https?:|github:|link:|workspace:)/.test(v) || /\.tgz$/.test(v)) return true;
  const at = v.lastIndexOf('@');
  if (at <= 0) return false;
  return /^v?\d/.test(v.slice(at + 1));
}

/**
 * Yarn 2+ (berry) spells the frozen install `--immutable`; v1 `--frozen-lockfile`. The Dockerfile
 * says berry when it copies `.yarnrc.yml`/`.yarn/releases` or sets the version; package.json when
 * its Corepack `packageManager` is `yarn@2` or later.
 */
function usesYarnBerry(text: string, packageManager: string | undefined): boolean {
  if (packageManager && /^yarn@(?:[2-9]|\d{2,})/.test(packageManager)) return true;
  return /\.yarnrc\.yml|yarn set version (?:berry|stable|[2-9])|yarn@[2-9]|\.yarn\/releases/.test(text);
}

/** `bun install`/`bun add`: pinned operands, and the frozen install (`--frozen-lockfile`, or `bun ci`). */
function checkBun(ctx: RuleContext<ParsedDockerfile>, script: Script, args: readonly Word[], start: number, end: number): void {
  const { word: sub, index } = subcommand(args);
  if (!sub || !['install', 'i', 'add', 'a'].includes(sub.value)) return;
  const packages = operands(args, index + 1);
  if (packages.length > 0 || sub.value === 'add' || sub.value === 'a') {
    const unpinned = packages.filter((p) => !isPinnedOperand(p));
    if (unpinned.length > 0) ctx.report({ messageId: 'unpinnedPackages', data: { pm: 'bun', packages: unpinned.map((p) => p.value).join(', ') }, start, end });
    return;
  }
  if (hasFlag(args, '-g', '--global', '--frozen-lockfile')) return;
  const fix: Fix = { title: 'Add --frozen-lockfile (fail instead of changing the lockfile)', kind: 'unsafe', edits: insertArgAfterEdit(script, sub, '--frozen-lockfile') };
  ctx.report({ messageId: 'frozen', data: { command: `bun ${sub.value}`, flag: '--frozen-lockfile' }, start, end, fixes: [fix] });
}

function checkScript(ctx: RuleContext<ParsedDockerfile>, script: Script): void {
  const start = instructionStart(ctx, script.instruction);
  const end = instructionEnd(ctx, script.instruction);
  for (const command of script.commands) {
    const words = programArgv(command);
    if (basename(words[0]?.value ?? '') === 'bun') { checkBun(ctx, script, words.slice(1), start, end); continue; }
    const pm = packageManagerOf(words[0]?.value ?? '');
    if (!pm) continue;
    let args = words.slice(1);
    // `yarn global add x`
    const global = pm === 'yarn' && subcommand(args, pm).word?.value === 'global';
    if (global) args = args.slice(subcommand(args, pm).index + 1);
    const { word: sub, index } = subcommand(args, pm);
    const subValue = sub?.value;
    const installs = subValue === undefined ? pm === 'yarn' && !global && !hasFlag(args, '-v', '--version', '-h', '--help') : ['install', 'i', 'isntall', 'add'].includes(subValue);
    if (!installs) continue;
    const packages = operands(args, index + 1, pm);
    if (packages.length > 0 || subValue === 'add') {
      const unpinned = packages.filter((p) => !isPinnedOperand(p));
      if (unpinned.length === 0) continue;
      ctx.report({ messageId: 'unpinnedPackages', data: { pm, packages: unpinned.map((p) => p.value).join(', ') }, start, end });
      continue;
    }
    if (hasFlag(args, '-g', '--global')) continue;
    if (pm === 'npm') {
      if (hasFlag(args, '--package-lock-only', '--no-package-lock')) continue;
      const fix: Fix = { title: 'Use npm ci (installs exactly the lockfile)', kind: 'unsafe', edits: replaceWordEdit(script, sub!, 'ci') };
      ctx.report({ messageId: 'npmInstall', data: { command: `npm ${subValue}` }, start, end, fixes: [fix] });
    } else if (pm === 'yarn') {
      if (hasFlag(args, '--frozen-lockfile', '--immutable')) continue;
      const flag = usesYarnBerry(ctx.text, ctx.project.packageBesideFile?.json.packageManager) ? '--immutable' : '--frozen-lockfile';
      const anchor = sub ?? words[0];
      const fix: Fix = { title: `Add ${flag} (fail instead of changing the lockfile)`, kind: 'unsafe', edits: insertArgAfterEdit(script, anchor, flag) };
      ctx.report({ messageId: 'frozen', data: { command: subValue ? `yarn ${subValue}` : 'yarn', flag }, start, end, fixes: [fix] });
    } else {
      // `pnpm install --offline` after `pnpm fetch` cannot resolve anything new
      if (hasFlag(args, '--frozen-lockfile', '--offline')) continue;
      const fix: Fix = { title: 'Add --frozen-lockfile (fail instead of changing the lockfile)', kind: 'unsafe', edits: insertArgAfterEdit(script, sub!, '--frozen-lockfile') };
      ctx.report({ messageId: 'frozen', data: { command: `pnpm ${subValue}`, flag: '--frozen-lockfile' }, start, end, fixes: [fix] });
    }
  }
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  for (const instruction of ctx.parsed.dockerfile.getInstructions()) {
    if (instruction.getKeyword() !== 'RUN') continue;
    const script = scriptOf(ctx, instruction);
    if (script) checkScript(ctx, script);
  }
}

const rule: Rule = {
  meta: {
    id: 'dependencies/npm-install-without-lockfile',
    factor: 'dependencies',
    severity: 'warning',
    description: 'RUN npm install / yarn install / pnpm install / bun install that may resolve versions other than the lockfile\'s, or installs unpinned packages.',
    rationale: 'Dependencies are declared explicitly and isolated (factor II): the lockfile is the declaration. `npm install` and unfrozen yarn/pnpm installs may resolve newer versions than the ones tested and rewrite the lockfile inside the image, so two builds of the same commit ship different code.',
    messages: {
      npmInstall: '"{{command}}" may install versions other than package-lock.json\'s: use "npm ci", which installs exactly the lockfile and fails when it is out of date.',
      frozen: '"{{command}}" may update the lockfile instead of installing it: add {{flag}} so the build fails when the lockfile is out of date.',
      unpinnedPackages: '{{pm}} installs {{packages}} without a pinned version: pin an exact version (name@1.2.3) or declare it in package.json and the lockfile.',
    },
    fix: 'unsafe',
  },
  check: { dockerfile: check },
};

export default rule;
