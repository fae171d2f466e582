import type { Arg, Env, Property } from 'dockerfile-ast';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import { resolveArgs, type ParsedDockerfile } from '../../parse/dockerfile';
import { chainInstructions } from '../support/dockerfile-commands';
import { finalStageShips } from '../support/images';

/** Variables frameworks read to pick their environment. */
const ENV_VARS = /^(?:NODE_ENV|APP_ENV|APPLICATION_ENV|ENVIRONMENT|RAILS_ENV|RACK_ENV|FLASK_ENV|DJANGO_ENV|GO_ENV|MIX_ENV|ASPNETCORE_ENVIRONMENT|DOTNET_ENVIRONMENT)$/;
const DEV_VALUE = /^dev(?:elop(?:ment)?)?(?:[-_.]\w*)?$/i;

function check(ctx: RuleContext<ParsedDockerfile>): void {
  const final = ctx.parsed.finalStage;
  if (!final || !finalStageShips(ctx.file.path, final.name)) return;
  // the value that ships is the last assignment along the chain the final stage inherits
  const args = new Map<string, string | undefined>();
  const effective = new Map<string, { property: Property; value: string; literal: boolean }>();
  for (const instruction of chainInstructions(final)) {
    const keyword = instruction.getKeyword();
    if (keyword === 'ARG') {
      const p = (instruction as Arg).getProperty();
      if (p) args.set(p.getName(), p.getValue() ?? undefined);
    } else if (keyword === 'ENV') {
      for (const property of (instruction as Env).getProperties()) {
        const name = property.getName();
        const raw = property.getValue() ?? '';
        const value = resolveArgs(raw, args);
        effective.set(name, { property, value, literal: !raw.includes('$') });
        args.set(name, value);
      }
    }
  }
  for (const [name, { property, value, literal }] of effective) {
    if (!ENV_VARS.test(name) || !DEV_VALUE.test(value)) continue;
    const valueRange = property.getValueRange();
    if (!valueRange) continue;
    const start = ctx.offsetAt(valueRange.start);
    const end = ctx.offsetAt(valueRange.end);
    const production = name.startsWith('ASPNETCORE') || name.startsWith('DOTNET') ? 'Production' : 'production';
    const fixes: Fix[] = literal ? [{ title: `Set ${name} to ${production}`, kind: 'unsafe', edits: [{ start, end, newText: production }] }] : [];
    ctx.report({ messageId: 'devEnv', data: { name, value }, start: ctx.offsetAt(property.getRange().start), end, fixes });
  }
}

const rule: Rule = {
  meta: {
    id: 'dev-prod-parity/dev-environment-in-image',
    factor: 'dev-prod-parity',
    severity: 'warning',
    description: 'The image that ships sets NODE_ENV/APP_ENV (or similar) to development.',
    rationale: 'Development and production must stay as similar as possible (factor X), and the environment is set by the deploy, not baked into the artifact. An image that says "development" runs dev code paths in production: verbose errors with stack traces, dev dependencies, unminified assets, disabled caches.',
    messages: {
      devEnv: 'The final image sets {{name}}={{value}}: ship it as production and let a development deploy override the variable at run time.',
    },
    fix: 'unsafe',
  },
  check: { dockerfile: check },
};

export default rule;
