import type { Arg, Env, Instruction } from 'dockerfile-ast';
import { isSecretName } from '../../engine/secrets';
import type { Fix, Rule, RuleContext, TextEdit } from '../../engine/types';
import type { ParsedDockerfile, Stage } from '../../parse/dockerfile';

/** `$NAME`, `${NAME}`, `${NAME:-x}`: a reference to the build argument. */
function references(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\$(?:\\{${escaped}(?:[:}]|[-+?])|${escaped}(?![A-Za-z0-9_]))`).test(text);
}

/** The whole lines an instruction covers, line break included: deleting them leaves no blank line. */
function instructionLinesEdit(ctx: RuleContext<ParsedDockerfile>, instruction: Instruction): TextEdit {
  const range = instruction.getRange();
  const start = ctx.offsetAt({ line: range.start.line, character: 0 });
  const nextLine = ctx.offsetAt({ line: range.end.line + 1, character: 0 });
  const end = nextLine > ctx.offsetAt(range.end) ? nextLine : ctx.text.length;
  return { start, end, newText: '' };
}

/**
 * ARG NAME + RUN … → RUN --mount=type=secret,id=NAME,env=NAME …: the value reaches the same
 * commands as the same environment variable, and no layer or history entry records it. The
 * `env=` option needs the Dockerfile frontend 1.10+, so a `# syntax=` line is added when none is set.
 */
function secretMountFix(ctx: RuleContext<ParsedDockerfile>, arg: Arg, name: string, runs: Instruction[]): Fix {
  const mount = `--mount=type=secret,id=${name},env=${name} `;
  const edits: TextEdit[] = [instructionLinesEdit(ctx, arg)];
  for (const run of runs) {
    const keyword = run.getInstructionRange();
    const at = ctx.offsetAt(keyword.end);
    edits.push({ start: at, end: at, newText: ` ${mount.trimEnd()}` });
  }
  const hasSyntax = ctx.parsed.dockerfile.getDirectives().some((d) => d.getName().toLowerCase() === 'syntax');
  if (!hasSyntax) edits.push({ start: 0, end: 0, newText: '# syntax=docker/dockerfile:1\n' });
  return {
    title: `Pass ${name} as a build secret (RUN --mount=type=secret,id=${name},env=${name}); build with --secret id=${name},env=${name}`,
    kind: 'suggestion',
    edits,
  };
}

function checkStage(ctx: RuleContext<ParsedDockerfile>, stage: Stage): void {
  const shipped = ctx.parsed.finalChain.includes(stage);
  stage.instructions.forEach((instruction, i) => {
    if (instruction.getKeyword() !== 'ARG') return;
    const arg = instruction as Arg;
    const property = arg.getProperty();
    if (!property) return;
    const name = property.getName();
    if (!isSecretName(name)) return;
    const value = property.getValue();
    // a literal default is config/hardcoded-secret's finding (the value itself is in the Dockerfile)
    if (value && !value.startsWith('$')) return;
    const later = stage.instructions.slice(i + 1);
    const redeclared = later.findIndex((x) => x.getKeyword() === 'ARG' && (x as Arg).getProperty()?.getName() === name);
    const scope = redeclared >= 0 ? later.slice(0, redeclared) : later;
    const runs = scope.filter((x) => x.getKeyword() === 'RUN');
    const envCopies = scope.filter((x) => x.getKeyword() === 'ENV' && (x as Env).getProperties().some((p) => references(p.getValue() ?? '', name)));
    if (runs.length === 0 && envCopies.length === 0) return; // declared, never used: nothing records it
    const env = envCopies[0] as Env | undefined;
    const envName = env?.getProperties().find((p) => references(p.getValue() ?? '', name))?.getName();
    const explicit = runs.filter((r) => references(r.getArgumentsContent() ?? '', name));
    const fixes = envCopies.length === 0 ? [secretMountFix(ctx, arg, name, explicit.length > 0 ? explicit : runs)] : [];
    const messageId = envName ? (shipped ? 'envShipped' : 'envBuildStage') : (shipped ? 'runShipped' : 'runBuildStage');
    const nameRange = property.getNameRange();
    ctx.report({
      messageId,
      data: { name, env: envName ?? '', stage: stage.name ?? String(stage.index + 1), runs: runs.length },
      start: ctx.offsetAt(nameRange.start),
      end: ctx.offsetAt(nameRange.end),
      severity: shipped ? 'warning' : 'info',
      fixes,
    });
  });
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  for (const stage of ctx.parsed.stages) checkStage(ctx, stage);
}

const rule: Rule = {
  meta: {
    id: 'security/secret-build-arg',
    factor: 'security',
    severity: 'warning',
    description: 'A secret passed as a build argument (`ARG NPM_TOKEN` used by RUN or copied into ENV) instead of a build secret mount.',
    rationale: 'Build arguments are not secret: every RUN after an ARG records the argument\'s value in the image history (`docker history --no-trunc`), in the build cache and in any cache exported to a registry, and `ENV NAME=$NAME` bakes it into the image\'s configuration for every container. A build secret (`RUN --mount=type=secret`) reaches the command that needs it and leaves no trace in a layer, the history or the image.',
    messages: {
      runShipped: 'ARG {{name}} is a secret passed as a build argument: the {{runs}} RUN step(s) after it record its value in the history of the image you ship (docker history shows it). Mount it as a build secret instead (RUN --mount=type=secret,id={{name}},env={{name}} …).',
      runBuildStage: 'ARG {{name}} is a secret passed as a build argument in build stage "{{stage}}": the final image does not inherit that stage, but the value is recorded in the stage\'s history and the build cache (and a cache pushed to a registry). Mount it as a build secret instead (RUN --mount=type=secret,id={{name}},env={{name}} …).',
      envShipped: 'ARG {{name}} is a secret passed as a build argument and copied into ENV {{env}}: the value is baked into the image you ship, visible to docker inspect and to every container. Use a build secret for the build and set {{env}} at run time.',
      envBuildStage: 'ARG {{name}} is a secret passed as a build argument and copied into ENV {{env}} in build stage "{{stage}}": the value is stored in that stage\'s image configuration and the build cache. Use a build secret (RUN --mount=type=secret,id={{name}},env={{name}} …) for the steps that need it.',
    },
    fix: 'suggestion',
    roles: ['server', 'test'],
  },
  check: { dockerfile: check },
};

export default rule;
