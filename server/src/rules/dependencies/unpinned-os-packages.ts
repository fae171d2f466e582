import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { programArgv } from '../../engine/command-model';
import { basename, type Word } from '../../parse/shell';
import { instructionEnd, instructionStart, scriptOf } from '../support/dockerfile-commands';

/** Options that take a separate value, per tool (the value is not a package). */
const APT_VALUE_OPTIONS = new Set(['-t', '--target-release', '-o', '--option', '-c', '--config-file', '-a', '--host-architecture']);
const APK_VALUE_OPTIONS = new Set(['-t', '--virtual', '-X', '--repository', '--root', '-p', '--keys-dir', '--repositories-file', '--cache-dir', '--arch']);

/** `pkg=1.2`, `pkg=~1.2` (apk fuzzy), `pkg~1.2`, `pkg>1.2`, `pkg<2`: a version constraint is given. */
function isPinned(spec: Word): boolean {
  return spec.expands || /[=<>~]/.test(spec.value) || /\.(?:deb|apk)$/.test(spec.value) || spec.value.startsWith('/') || spec.value.startsWith('./');
}

function packagesOf(words: readonly Word[]): { tool: string; packages: Word[] } | undefined {
  const values = words.map((w) => w.value);
  const program = basename(values[0] ?? '');
  let from: number;
  let valueOptions: Set<string>;
  if (program === 'apt-get' || program === 'apt') {
    from = values.indexOf('install');
    valueOptions = APT_VALUE_OPTIONS;
  } else if (program === 'apk') {
    from = values.indexOf('add');
    valueOptions = APK_VALUE_OPTIONS;
  } else {
    return undefined;
  }
  if (from < 0) return undefined;
  const packages: Word[] = [];
  for (let i = 1; i < words.length; i++) {
    if (i === from) continue;
    const v = values[i];
    if (valueOptions.has(v)) { i++; continue; }
    if (v.startsWith('-')) continue;
    if (i < from) continue; // options and their values before the subcommand
    packages.push(words[i]);
  }
  return { tool: `${program} ${values[from]}`, packages };
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  for (const instruction of ctx.parsed.dockerfile.getInstructions()) {
    if (instruction.getKeyword() !== 'RUN') continue;
    const script = scriptOf(ctx, instruction);
    if (!script) continue;
    // one finding per RUN step, naming every unpinned package of its install commands
    const tools = new Set<string>();
    const names: string[] = [];
    for (const command of script.commands) {
      const found = packagesOf(programArgv(command));
      if (!found) continue;
      const unpinned = found.packages.filter((p) => !isPinned(p));
      if (unpinned.length === 0) continue;
      tools.add(found.tool);
      names.push(...unpinned.map((p) => p.value));
    }
    if (names.length === 0) continue;
    ctx.report({
      messageId: 'unpinned',
      data: { tool: [...tools].join('", "'), packages: names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ') },
      start: instructionStart(ctx, instruction),
      end: instructionEnd(ctx, instruction),
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'dependencies/unpinned-os-packages',
    factor: 'dependencies',
    severity: 'info',
    description: 'apt-get install / apk add of OS packages without versions.',
    rationale: 'Every dependency, system packages included, is declared explicitly (factor II). Without versions, two builds of the same commit install whatever the mirror serves that day, so images drift and a rebuild can break with no code change.',
    messages: {
      unpinned: '"{{tool}}" installs {{packages}} without versions: pin them (apt: pkg=1.2.*, apk: pkg=~1.2) so rebuilds install the versions you tested.',
    },
    fix: 'none',
    // factor V is about the release artifact: test and CI images (e2e test data, integration
    // suites) are rebuilt with the suite and never shipped, as for security/runs-as-root
    roles: ['server', 'browser', 'script', 'tooling'],
  },
  check: { dockerfile: check },
};

export default rule;
