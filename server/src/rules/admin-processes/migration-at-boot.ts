import type * as TS from 'typescript';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { dottedName, nameOf, unwrap } from '../support/ts-helpers';
import { resolveCallee } from '../support/module-imports';
import { booleanValue, propertyNamed } from '../support/ts-literals';

/** Keys that make an object literal TypeORM data-source options rather than any `{ synchronize }`. */
const TYPEORM_KEYS = ['type', 'entities', 'database', 'url', 'autoLoadEntities', 'migrations', 'host'];

function isTruthyOption(ts: typeof TS, object: TS.Expression | undefined, key: string): boolean {
  const p = propertyNamed(ts, object, key);
  if (!p) return false;
  const v = unwrap(ts, p.initializer);
  return booleanValue(ts, v) === true || ts.isObjectLiteralExpression(v);
}

/** Migration runners called from code: what they are, when the call is one. */
function migrationCall(ctx: RuleContext<ParsedTs>, call: TS.CallExpression): string | undefined {
  const { ts } = ctx.parsed;
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const receiver = dottedName(ts, callee.expression) ?? '';
    if (method === 'latest' && /(?:^|\.)migrate$/.test(receiver)) return `${receiver}.latest()`; // knex.migrate.latest()
    if (method === 'runMigrations') return `${receiver || '…'}.runMigrations()`; // TypeORM DataSource
    if (method === 'up' && /(?:^|\.)(?:umzug|migrator|migrations)$/i.test(receiver)) return `${receiver}.up()`;
    if (method === 'migrate' && /(?:^|\.)(?:umzug|migrator)$/i.test(receiver)) return `${receiver}.migrate()`;
  }
  const resolved = resolveCallee(ctx.parsed, callee);
  if (resolved && resolved.member === 'migrate' && /^drizzle-orm\/.+\/migrator$/.test(resolved.module)) return 'migrate() (drizzle)';
  return undefined;
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts, sourceFile } = ctx.parsed;
  // Cheap pre-filters: each check needs its key or method name in the text.
  const text = ctx.text;
  const synchronize = text.includes('synchronize');
  const sync = text.includes('sync');
  const migrations = /migrat|umzug/i.test(text);
  if (!synchronize && !sync && !migrations) return;
  // TypeORM synchronize: true — the schema is rewritten from the entities every time the app starts
  for (const property of synchronize ? ctx.parsed.nodesOfKind<TS.PropertyAssignment>(ts.SyntaxKind.PropertyAssignment) : []) {
    if (nameOf(ts, property.name) !== 'synchronize' || booleanValue(ts, property.initializer) !== true) continue;
    const object = property.parent as TS.ObjectLiteralExpression;
    const looksLikeOrm = object.properties.some((p) => p !== property && TYPEORM_KEYS.includes(nameOf(ts, p.name) ?? ''));
    if (!looksLikeOrm) continue;
    ctx.report({
      messageId: 'synchronize',
      start: property.getStart(sourceFile),
      end: property.end,
      fixes: [{
        title: "Synchronize only when DB_SYNCHRONIZE=true",
        kind: 'unsafe',
        edits: [{ start: property.initializer.getStart(sourceFile), end: property.initializer.end, newText: "process.env.DB_SYNCHRONIZE === 'true'" }],
      }],
    });
  }
  const calls = ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression);
  // Sequelize sync({ force }) drops tables; sync({ alter }) rewrites them
  for (const call of sync ? calls : []) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'sync') continue;
    const options = call.arguments[0];
    const mode = isTruthyOption(ts, options, 'force') ? 'force' : isTruthyOption(ts, options, 'alter') ? 'alter' : undefined;
    if (!mode) continue;
    ctx.report({ messageId: 'sync', data: { mode, effect: mode === 'force' ? 'drops and recreates every table' : 'alters tables to match the models' }, start: call.getStart(sourceFile), end: call.end });
  }
  // migration runners in a file that starts the server, before it listens
  if (!migrations) return;
  const listens = calls.filter((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'listen');
  if (listens.length === 0) return;
  const lastListen = Math.max(...listens.map((c) => c.getStart(sourceFile)));
  for (const call of calls) {
    const what = migrationCall(ctx, call);
    if (!what || call.getStart(sourceFile) > lastListen) continue;
    ctx.report({ messageId: 'migrate', data: { what }, start: call.getStart(sourceFile), end: call.end });
  }
}

const rule: Rule = {
  meta: {
    id: 'admin-processes/migration-at-boot',
    factor: 'admin-processes',
    severity: 'warning',
    description: 'Schema changes run by the app at start-up: TypeORM synchronize, Sequelize sync({ force/alter }), migrations before listen.',
    rationale: 'Admin tasks such as migrations run as one-off processes against a release (factor XII), not inside every web process. When each instance migrates on boot, scaling out races several migrations at once, a failed migration crash-loops the app, and synchronize/sync({ alter }) can silently drop columns in production.',
    messages: {
      synchronize: 'synchronize: true rewrites the database schema from the entities every time the app starts (and can drop data): run migrations as a one-off process instead.',
      sync: 'sync({ {{mode}}: true }) {{effect}} every time the app starts: run migrations as a one-off process instead.',
      migrate: '{{what}} runs migrations in the server process before it listens: every instance migrates on boot (racing each other when scaled). Run them as a one-off process (a release step, a job, `npm run migrate`).',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { ts: checkTs },
};

export default rule;
