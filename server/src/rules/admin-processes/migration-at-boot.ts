import type * as TS from 'typescript';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { isAdminTask, programArgv } from '../../engine/command-model';
import { shellCommands, type Word } from '../../parse/shell';
import { dottedName, nameOf, unwrap } from '../support/ts-helpers';
import { importsAny, namedModules, resolveCallee } from '../support/module-imports';
import { booleanValue, propertyNamed } from '../support/ts-literals';
import { hasHint, textHint } from '../../parse/text-hint';

/** Keys that make an object literal TypeORM data-source options rather than any `{ synchronize }`. */
const TYPEORM_KEYS = ['type', 'entities', 'database', 'url', 'autoLoadEntities', 'migrations', 'host'];
const SEQUELIZE_MODULES = new Set(['sequelize', 'sequelize-typescript']);
const SPAWN_MODULES = new Set(['child_process', 'execa']);
const SPAWN_MEMBERS = /^(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|execa|execaSync|execaCommand|execaCommandSync|command|commandSync|\$|default)$/;
/** Route-registration methods: a function passed to them runs per request, not at boot. */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'route', 'handle']);
const ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'All', 'Mutation', 'Query', 'MessagePattern', 'EventPattern']);
/** Schema DDL: what a migration does, not what a request does. */
const DDL = /^\s*(?:CREATE|ALTER|DROP)\s+(?:(?:UNIQUE\s+)?INDEX|TABLE|SCHEMA|TYPE|EXTENSION|(?:MATERIALIZED\s+)?VIEW|SEQUENCE|TRIGGER)\b/i;
/** Calls that run SQL text (pg, mysql2, better-sqlite3, sqlite3, pg-promise, Sequelize, Knex, Prisma, postgres.js…). */
const SQL_METHODS = new Set(['query', 'exec', 'execute', 'run', 'raw', 'none', 'any', 'one', 'many', 'multi', 'unsafe', 'prepare', 'executeSql', '$executeRaw', '$executeRawUnsafe', '$queryRaw', '$queryRawUnsafe']);
const SQL_TAG = /^(?:sql|\$executeRaw|\$queryRaw)$/i;
/** The methods `migrationCall` names with their receiver. */
const RECEIVER_METHODS = new Set(['latest', 'runMigrations', 'up', 'migrate', 'syncIndexes']);
const KNEX_SCHEMA_METHODS = new Set(['createTable', 'createTableIfNotExists', 'alterTable', 'dropTable', 'dropTableIfExists', 'renameTable', 'createSchema', 'createSchemaIfNotExists', 'table']);

function isTruthyOption(ts: typeof TS, object: TS.Expression | undefined, key: string): boolean {
  const p = propertyNamed(ts, object, key);
  if (!p) return false;
  const v = unwrap(ts, p.initializer);
  return booleanValue(ts, v) === true || ts.isObjectLiteralExpression(v);
}

/**
 * Inside a request handler (a function passed to `app.get/post/…`, a NestJS `@Post()` method):
 * an admin endpoint that migrates on demand, not the boot path.
 */
function inRequestHandler(ts: typeof TS, node: TS.Node): boolean {
  for (let p: TS.Node | undefined = node.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (!ts.isFunctionLike(p)) continue;
    const parent = p.parent;
    if (parent && ts.isCallExpression(parent) && parent.arguments.includes(p as unknown as TS.Expression)
      && ts.isPropertyAccessExpression(parent.expression) && ROUTE_METHODS.has(parent.expression.name.text)) return true;
    if (ts.isMethodDeclaration(p) && ts.canHaveDecorators(p)) {
      for (const d of ts.getDecorators(p) ?? []) {
        const e = d.expression;
        const name = ts.isCallExpression(e) ? nameOf(ts, e.expression) : nameOf(ts, e);
        if (name && ROUTE_DECORATORS.has(name)) return true;
      }
    }
  }
  return false;
}

/** The innermost named function around a node (a declaration, method, or function held by a `const`/property); undefined at top level. */
function namedRoutine(ts: typeof TS, node: TS.Node): { fn: TS.Node; name: string } | undefined {
  for (let p: TS.Node | undefined = node.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (!ts.isFunctionLike(p)) continue;
    if ((ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p)) && p.name) return { fn: p, name: p.name.getText() };
    if (ts.isFunctionDeclaration(p) && !p.name) return { fn: p, name: 'default' }; // export default function () {}
    const holder = p.parent;
    if (holder && (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && ts.isIdentifier(holder.name)) return { fn: p, name: holder.name.text };
    // an anonymous callback (a promise executor, a `.then`): it runs when its enclosing routine does
  }
  return undefined;
}

/** The names this file exports: `export …` declarations, `export { … }`, `export default`, `module.exports = …`/`exports.x = …`. */
function exportedNames(ts: typeof TS, sf: TS.SourceFile): string[] {
  const names: string[] = [];
  for (const st of sf.statements) {
    const exported = ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault = ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (exported && (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st))) names.push(isDefault ? `default=${st.name?.text ?? 'default'}` : st.name?.text ?? '?');
    else if (exported && ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) names.push(d.name.getText(sf));
    else if (ts.isExportAssignment(st)) names.push(`default=${ts.isIdentifier(st.expression) ? st.expression.text : '?'}`);
    else if (ts.isExportDeclaration(st)) names.push(st.exportClause ? st.exportClause.getText(sf) : '*');
    else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = st.expression.left.getText(sf);
      const value = unwrap(ts, st.expression.right);
      if (target === 'module.exports') names.push(ts.isObjectLiteralExpression(value) ? `{${value.properties.length}}` : `default=${ts.isIdentifier(value) ? value.text : (ts.isFunctionLike(value) && (value as TS.FunctionExpression).name?.text) || '?'}`);
      else if (/^(?:module\.)?exports\./.test(target)) names.push(target);
    }
  }
  return names;
}

/**
 * Whether code in this file runs when the server starts, as far as one file can tell: the file
 * starts the server itself (it calls `listen`), or the code is at top level, or the routine holding
 * it is called in this file (`init()` calling `this.patch()`), or it is the module's only export
 * (a module whose one job is to migrate, imported by server code: the server imports it to run it).
 * A database module that also exports `migrateLatest()` for a CLI is not the start path.
 */
function startPathOf(ts: typeof TS, sf: TS.SourceFile, calls: readonly TS.CallExpression[]): (node: TS.Node) => boolean {
  const listens = calls.some((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'listen');
  let called: Set<string> | undefined;
  let exports: string[] | undefined;
  return (node) => {
    if (listens) return true;
    const routine = namedRoutine(ts, node);
    if (!routine) return true;
    called ??= new Set(calls.map((c) => (ts.isIdentifier(c.expression) ? c.expression.text : ts.isPropertyAccessExpression(c.expression) ? c.expression.name.text : '')));
    if (called.has(routine.name)) return true;
    exports ??= exportedNames(ts, sf);
    return exports.length === 1 && (exports[0] === `default=${routine.name}` || (routine.name === 'default' && exports[0].startsWith('default=')));
  };
}

/** Modules whose members `migrationCall` resolves (node-migrate, drizzle's migrators). */
function namesMigrator(module: string): boolean {
  return module === 'migrate' || /^drizzle-orm\/.+\/migrator$/.test(module);
}

/** Migration runners called from code: what they are, when the call is one. `resolve`: the file imports a module whose calls are resolved. */
function migrationCall(ctx: RuleContext<ParsedTs>, call: TS.CallExpression, resolve: boolean): string | undefined {
  const { ts } = ctx.parsed;
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const receiver = RECEIVER_METHODS.has(method) ? dottedName(ts, callee.expression) ?? '' : ''; // the receiver only matters to these
    if (method === 'latest' && /(?:^|\.)migrate$/.test(receiver)) return `${receiver}.latest()`; // knex.migrate.latest()
    if (method === 'runMigrations') return `${receiver || '…'}.runMigrations()`; // TypeORM DataSource
    if (method === 'up' && /(?:^|\.)(?:umzug|migrator|migrations)$/i.test(receiver)) return `${receiver}.up()`;
    if (method === 'migrate' && /(?:^|\.)(?:umzug|migrator)$/i.test(receiver)) return `${receiver}.migrate()`;
    if (method === 'syncIndexes') return `${receiver || '…'}.syncIndexes()`; // Mongoose: drops indexes the schema no longer has
    // MikroORM: orm.getMigrator().up(), orm.getSchemaGenerator().updateSchema()
    const inner = unwrap(ts, callee.expression);
    if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression)) {
      const getter = inner.expression.name.text;
      if (getter === 'getMigrator' && method === 'up') return 'getMigrator().up()';
      if (getter === 'getSchemaGenerator' && /^(?:updateSchema|createSchema|refreshDatabase|dropSchema)$/.test(method)) return `getSchemaGenerator().${method}()`;
    }
  }
  const resolved = resolve ? resolveCallee(ctx.parsed, callee) : undefined;
  if (resolved && resolved.member === 'migrate' && /^drizzle-orm\/.+\/migrator$/.test(resolved.module)) return 'migrate() (drizzle)';
  if (resolved && resolved.module === 'migrate' && resolved.member === 'load') return 'migrate.load() (node-migrate)';
  return undefined;
}

/** `execSync('npx prisma migrate deploy')`, `spawn('npx', ['prisma', 'migrate', 'deploy'])`: a migration CLI run from code. */
function spawnedAdminTask(ctx: RuleContext<ParsedTs>, call: TS.CallExpression): string | undefined {
  const { ts } = ctx.parsed;
  const resolved = resolveCallee(ctx.parsed, call.expression);
  if (!resolved || !SPAWN_MODULES.has(resolved.module) || !SPAWN_MEMBERS.test(resolved.member)) return undefined;
  const literal = (e: TS.Expression | undefined) => {
    const u = e && unwrap(ts, e);
    return u && (ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u)) ? u.text : undefined;
  };
  const program = literal(call.arguments[0]);
  if (program === undefined) return undefined;
  const second = call.arguments[1] && unwrap(ts, call.arguments[1]);
  if (second && ts.isArrayLiteralExpression(second)) {
    const args = second.elements.map((e) => literal(e as TS.Expression));
    if (args.some((a) => a === undefined)) return undefined;
    const words: Word[] = [program, ...(args as string[])].map((value) => ({ value, start: 0, end: 0, expands: false }));
    return isAdminTask(words);
  }
  for (const command of shellCommands(program)) {
    const task = isAdminTask(programArgv(command));
    if (task) return task;
  }
  return undefined;
}

function calleeName(ts: typeof TS, e: TS.Expression): string | undefined {
  return ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : undefined;
}

/** The DDL text a call runs (`db.query('CREATE TABLE …')`, sql`ALTER TABLE …`), or a knex schema builder call. */
function ddlCall(ctx: RuleContext<ParsedTs>, node: TS.CallExpression | TS.TaggedTemplateExpression): string | undefined {
  const { ts } = ctx.parsed;
  const head = (e: TS.Expression | undefined): string | undefined => {
    if (!e) return undefined;
    const u = unwrap(ts, e);
    if (ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u)) return u.text;
    if (ts.isTemplateExpression(u)) return u.head.text;
    return undefined;
  };
  const name = ts.isTaggedTemplateExpression(node) ? nameOf(ts, node.tag) ?? calleeName(ts, node.tag) : calleeName(ts, node.expression);
  if (!name) return undefined;
  const runsSql = ts.isTaggedTemplateExpression(node) ? SQL_TAG.test(name) : SQL_METHODS.has(name);
  const text = !runsSql ? undefined : ts.isTaggedTemplateExpression(node) ? head(node.template) : head(node.arguments[0]);
  const match = text && DDL.exec(text);
  if (match) return match[0].trim().replace(/\s+/g, ' ').toUpperCase();
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && KNEX_SCHEMA_METHODS.has(node.expression.name.text)) {
    const receiver = dottedName(ts, node.expression.expression) ?? '';
    if (/(?:^|\.)schema$/.test(receiver) && node.arguments.length >= 1) return `${receiver}.${node.expression.name.text}()`;
  }
  return undefined;
}

/** The outermost function around a node (or the file): DDL is reported once per boot routine. */
function routineOf(ts: typeof TS, node: TS.Node): TS.Node {
  let routine: TS.Node = node.getSourceFile();
  for (let p: TS.Node | undefined = node.parent; p && !ts.isSourceFile(p); p = p.parent) if (ts.isFunctionLike(p)) { routine = p; break; }
  return routine;
}

/** Cheap pre-filter: every check needs one of these words in the text (most files have none). */
export const RELEVANT = /\.sync\s*\(|synchronize|migrationsRun|syncIndexes|migrat|umzug|getMigrator|getSchemaGenerator|prisma|knex|typeorm|drizzle|mikro-orm|sequelize|manage\.py|rails|rake|alembic|flask|goose|dbmate|flyway|liquibase|\.schema\.|\b(?:CREATE|ALTER|DROP)\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|SCHEMA|TYPE|EXTENSION|VIEW|MATERIALIZED|SEQUENCE|TRIGGER)\b/i;
/**
 * `RELEVANT` as text hints (parse/text-hint.ts), re-tested around an edit only: its fixed words,
 * and the words without which its two unbounded alternatives (`.sync (`, `CREATE TABLE`) cannot
 * match. The text is relevant when the first matches, or the second does and `RELEVANT` too.
 */
const RELEVANT_WORDS = textHint(['synchronize', 'migrationsRun', 'syncIndexes', 'migrat', 'umzug', 'getMigrator', 'getSchemaGenerator', 'prisma', 'knex', 'typeorm', 'drizzle', 'mikro-orm', 'sequelize', 'manage\\.py', 'rails', 'rake', 'alembic', 'flask', 'goose', 'dbmate', 'flyway', 'liquibase', '\\.schema\\.'], 'i');
const MAY_BE_RELEVANT = textHint(['\\.sync', 'CREATE', 'ALTER', 'DROP'], 'i');

export function isRelevant(parsed: ParsedTs, text: string): boolean {
  return hasHint(parsed, text, RELEVANT_WORDS) || (hasHint(parsed, text, MAY_BE_RELEVANT) && RELEVANT.test(text));
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts, sourceFile } = ctx.parsed;
  const text = ctx.text;
  if (!isRelevant(ctx.parsed, text)) return;
  // TypeORM `synchronize: true` / `migrationsRun: true` — the schema changes every time the app starts
  const typeormFlags = text.includes('synchronize') || text.includes('migrationsRun');
  for (const property of typeormFlags ? ctx.parsed.nodesOfKind<TS.PropertyAssignment>(ts.SyntaxKind.PropertyAssignment) : []) {
    const key = nameOf(ts, property.name);
    if ((key !== 'synchronize' && key !== 'migrationsRun') || booleanValue(ts, property.initializer) !== true) continue;
    const object = property.parent as TS.ObjectLiteralExpression;
    const looksLikeOrm = object.properties.some((p) => p !== property && TYPEORM_KEYS.includes(nameOf(ts, p.name) ?? ''));
    if (!looksLikeOrm) continue;
    const env = key === 'synchronize' ? 'DB_SYNCHRONIZE' : 'DB_MIGRATIONS_RUN';
    ctx.report({
      messageId: key,
      start: property.getStart(sourceFile),
      end: property.end,
      fixes: [{
        title: `${key === 'synchronize' ? 'Synchronize' : 'Run migrations at start'} only when ${env}=true`,
        kind: 'unsafe',
        edits: [{ start: property.initializer.getStart(sourceFile), end: property.initializer.end, newText: `process.env.${env} === 'true'` }],
      }],
    });
  }
  const calls = ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression);
  const startPath = startPathOf(ts, sourceFile, calls);
  const onStartPath = (node: TS.Node) => !inRequestHandler(ts, node) && startPath(node);
  const usesSequelize = text.includes('sync') && importsAny(ctx.parsed, SEQUELIZE_MODULES);
  const reportedRoutines = new Set<TS.Node>();
  // callees resolve only to modules the file names: most files name no migrator and no spawner
  const modules = namedModules(ctx.parsed);
  const resolvesMigrators = [...modules].some(namesMigrator);
  const spawnsProcesses = [...SPAWN_MODULES].some((m) => modules.has(m));
  for (const call of calls) {
    const callee = call.expression;
    // Sequelize sync(): force drops tables, alter rewrites them, plain sync creates the missing ones
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'sync') {
      const options = call.arguments[0];
      const mode = isTruthyOption(ts, options, 'force') ? 'force' : isTruthyOption(ts, options, 'alter') ? 'alter' : undefined;
      if (mode) {
        ctx.report({ messageId: 'sync', data: { mode, effect: mode === 'force' ? 'drops and recreates every table' : 'alters tables to match the models' }, start: call.getStart(sourceFile), end: call.end });
        continue;
      }
      const receiver = dottedName(ts, callee.expression);
      const optionsOnly = call.arguments.length === 0 || (call.arguments.length === 1 && ts.isObjectLiteralExpression(unwrap(ts, call.arguments[0])));
      if (receiver && optionsOnly && (/sequelize$/i.test(receiver) || usesSequelize) && onStartPath(call)) {
        ctx.report({ messageId: 'syncCreate', data: { what: `${receiver}.sync()` }, start: call.getStart(sourceFile), end: call.end });
      }
      continue;
    }
    // TypeORM dataSource.synchronize()
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'synchronize' && call.arguments.length <= 1 && /(?:data-?source|connection|orm|db)$/i.test(dottedName(ts, callee.expression) ?? '')) {
      if (onStartPath(call)) ctx.report({ messageId: 'migrate', data: { what: `${dottedName(ts, callee.expression)}.synchronize()` }, start: call.getStart(sourceFile), end: call.end });
      continue;
    }
    const what = migrationCall(ctx, call, resolvesMigrators) ?? (() => { const task = spawnsProcesses ? spawnedAdminTask(ctx, call) : undefined; return task && `"${task}"`; })();
    if (what) {
      if (onStartPath(call)) ctx.report({ messageId: 'migrate', data: { what }, start: call.getStart(sourceFile), end: call.end });
      continue;
    }
    const ddl = ddlCall(ctx, call);
    if (ddl) reportDdl(call, ddl);
  }
  for (const tagged of ctx.parsed.nodesOfKind<TS.TaggedTemplateExpression>(ts.SyntaxKind.TaggedTemplateExpression)) {
    const ddl = ddlCall(ctx, tagged);
    if (ddl) reportDdl(tagged, ddl);
  }

  function reportDdl(node: TS.Node, ddl: string): void {
    if (!onStartPath(node)) return;
    const routine = routineOf(ts, node);
    if (reportedRoutines.has(routine)) return;
    reportedRoutines.add(routine);
    ctx.report({ messageId: 'ddl', data: { ddl }, start: node.getStart(sourceFile), end: node.end });
  }
}

const rule: Rule = {
  meta: {
    id: 'admin-processes/migration-at-boot',
    factor: 'admin-processes',
    severity: 'warning',
    description: 'Schema changes run by the server itself: TypeORM synchronize/migrationsRun, Sequelize sync(), migration runners, spawned migration CLIs and schema DDL in server code.',
    rationale: 'Admin tasks such as migrations run as one-off processes against a release (factor XII), not inside every web process. When each instance migrates on boot, scaling out races several migrations at once, a failed migration crash-loops the app, and synchronize/sync({ alter }) can silently drop columns in production.',
    messages: {
      synchronize: 'synchronize: true rewrites the database schema from the entities every time the app starts (and can drop data): run migrations as a one-off process instead.',
      migrationsRun: 'migrationsRun: true runs pending migrations every time the app starts, in every instance: run them as a one-off process (a release step, a job, `npm run migration:run`) instead.',
      sync: 'sync({ {{mode}}: true }) {{effect}} every time the app starts: run migrations as a one-off process instead.',
      syncCreate: '{{what}} creates the models\' tables from the server process every time it starts, in every instance (and never evolves them): manage the schema with migrations run as a one-off process.',
      migrate: '{{what}} runs migrations in the server process: every instance migrates on boot (racing each other when scaled). Run them as a one-off process (a release step, a job, `npm run migrate`).',
      ddl: 'The server runs schema DDL ({{ddl}} …) itself: every instance changes the schema on boot. Move it into a migration run as a one-off process.',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { ts: checkTs },
};

export default rule;
