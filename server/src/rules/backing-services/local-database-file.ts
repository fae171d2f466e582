import type * as TS from 'typescript';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { constInitializer, readsEnv, unwrap } from '../support/ts-helpers';
import { resolveCallee } from '../support/module-imports';
import { propertyNamed, replacementFor } from '../support/ts-literals';
import { envExampleAppend } from '../support/env-example';

interface Store { library: string; pathArg?: number; optionKey?: string }

/** module → member → how the file path is passed. */
const STORES: Record<string, Record<string, Store>> = {
  sqlite3: { Database: { library: 'sqlite3', pathArg: 0 }, cached: { library: 'sqlite3', pathArg: 0 } },
  'better-sqlite3': { default: { library: 'better-sqlite3', pathArg: 0 } },
  sqlite: { open: { library: 'sqlite', optionKey: 'filename' } },
  lokijs: { default: { library: 'LokiJS', pathArg: 0 } },
  nedb: { default: { library: 'NeDB', pathArg: 0, optionKey: 'filename' } },
  '@seald-io/nedb': { default: { library: 'NeDB', pathArg: 0, optionKey: 'filename' } },
  'nedb-promises': { default: { library: 'NeDB', pathArg: 0, optionKey: 'filename' }, create: { library: 'NeDB', pathArg: 0, optionKey: 'filename' }, datastore: { library: 'NeDB', pathArg: 0, optionKey: 'filename' } },
};
const LOWDB_ADAPTERS = new Set(['JSONFile', 'JSONFileSync', 'FileSync', 'FileAsync', 'JSONFilePreset', 'JSONFileSyncPreset', 'JSONPreset', 'JSONSyncPreset', 'DataFile', 'DataFileSync', 'TextFile', 'TextFileSync', 'default']);

const IN_MEMORY = /^(?::memory:|file::memory:.*|)$/;

/** The file path an expression names, when it is fixed in code (literal, template, path.join of literals); undefined otherwise. */
function fixedPath(ts: typeof TS, node: TS.Expression | undefined, depth = 0): { text: string; node: TS.Expression } | undefined {
  if (!node || depth > 3) return undefined;
  const e = unwrap(ts, node);
  if (readsEnv(ts, e)) return undefined;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return IN_MEMORY.test(e.text) || /^(?:postgres|mysql|mongodb|redis)/i.test(e.text) ? undefined : { text: e.text, node: e };
  if (ts.isTemplateExpression(e)) return { text: e.getText(), node: e };
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(?:join|resolve)$/.test(e.expression.name.text)
    && ts.isIdentifier(e.expression.expression) && e.expression.expression.text === 'path' && e.arguments.length > 0
    && e.arguments.every((a) => ts.isStringLiteral(a) || (ts.isIdentifier(a) && (a.text === '__dirname' || fixedPath(ts, a, depth + 1) !== undefined)) || a.getText() === 'process.cwd()' || a.getText() === 'import.meta.dirname')) {
    return { text: e.getText(), node: e };
  }
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ts, e.text, e);
    return init ? fixedPath(ts, init, depth + 1) : undefined;
  }
  return undefined;
}

interface Hit { library: string; path: { text: string; node: TS.Expression } }

function fromCall(ctx: RuleContext<ParsedTs>, call: TS.CallExpression | TS.NewExpression): Hit | undefined {
  const { ts } = ctx.parsed;
  const resolved = resolveCallee(ctx.parsed, call.expression);
  if (!resolved) return undefined;
  const args = call.arguments ?? ts.factory.createNodeArray();
  if (resolved.module === 'lowdb' || resolved.module.startsWith('lowdb/')) {
    if (!LOWDB_ADAPTERS.has(resolved.member)) return undefined;
    const path = fixedPath(ts, args[0]);
    return path && { library: 'lowdb', path };
  }
  const store = STORES[resolved.module]?.[resolved.member];
  if (!store) return undefined;
  const first = args[0] && unwrap(ts, args[0]);
  if (first && ts.isObjectLiteralExpression(first)) {
    if (!store.optionKey) return undefined;
    const option = propertyNamed(ts, first, store.optionKey);
    const path = option && fixedPath(ts, option.initializer);
    return path && { library: store.library, path };
  }
  if (store.pathArg === undefined) return undefined;
  const path = fixedPath(ts, args[store.pathArg]);
  return path && { library: store.library, path };
}

function literalText(ts: typeof TS, node: TS.Expression | undefined): string | undefined {
  const e = node && unwrap(ts, node);
  return e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) ? e.text : undefined;
}

/** ORM options: TypeORM/MikroORM `type: 'sqlite', database|dbName`, Sequelize `dialect: 'sqlite', storage`, Knex `client: 'sqlite3', connection: { filename }`. */
function fromOptions(ts: typeof TS, object: TS.ObjectLiteralExpression): Hit | undefined {
  const type = literalText(ts, propertyNamed(ts, object, 'type')?.initializer);
  if (type && /^(?:sqlite|better-sqlite3|capacitor|cordova)$/.test(type)) {
    const option = propertyNamed(ts, object, 'database') ?? propertyNamed(ts, object, 'dbName');
    const path = option && fixedPath(ts, option.initializer);
    return path && { library: `TypeORM (type: '${type}')`, path };
  }
  const dialect = literalText(ts, propertyNamed(ts, object, 'dialect')?.initializer);
  if (dialect === 'sqlite') {
    const option = propertyNamed(ts, object, 'storage');
    const path = option && fixedPath(ts, option.initializer);
    return path && { library: 'Sequelize (dialect: \'sqlite\')', path };
  }
  const client = literalText(ts, propertyNamed(ts, object, 'client')?.initializer);
  if (client && /^(?:sqlite3?|better-sqlite3)$/.test(client)) {
    const connection = propertyNamed(ts, object, 'connection');
    const option = connection && propertyNamed(ts, connection.initializer, 'filename');
    const path = option && fixedPath(ts, option.initializer);
    return path && { library: `Knex (client: '${client}')`, path };
  }
  return undefined;
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts, sourceFile } = ctx.parsed;
  const hits: Hit[] = [];
  for (const call of [...ctx.parsed.nodesOfKind<TS.NewExpression>(ts.SyntaxKind.NewExpression), ...ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)]) {
    const hit = fromCall(ctx, call);
    if (hit) hits.push(hit);
    // new Sequelize('sqlite:./data.sqlite')
    if (ts.isNewExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'Sequelize') {
      const text = literalText(ts, call.arguments?.[0]);
      if (text && /^sqlite:(?!:memory:|$)/.test(text) && text !== 'sqlite::memory:') hits.push({ library: 'Sequelize', path: { text, node: unwrap(ts, call.arguments![0]) } });
    }
  }
  for (const object of ctx.parsed.nodesOfKind<TS.ObjectLiteralExpression>(ts.SyntaxKind.ObjectLiteralExpression)) {
    const hit = fromOptions(ts, object);
    if (hit) hits.push(hit);
  }
  const seen = new Set<TS.Node>();
  for (const hit of hits) {
    const node = hit.path.node;
    if (seen.has(node)) continue;
    seen.add(node);
    const start = node.getStart(sourceFile);
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
    ctx.report({
      messageId: 'localFile',
      data: { library: hit.library, path: hit.path.text.length > 80 ? `${hit.path.text.slice(0, 77)}…` : hit.path.text },
      start,
      end: node.end,
      fixes: [{
        title: 'Read the database location from process.env.DATABASE_URL',
        kind: 'unsafe',
        edits: [{ start, end: node.end, newText: replacementFor(ts, node, 'process.env.DATABASE_URL') }],
        otherFiles: [envExampleAppend(ctx.project, 'DATABASE_URL', literal ?? '')],
      }],
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'backing-services/local-database-file',
    factor: 'backing-services',
    severity: 'warning',
    description: 'The app\'s database is a file on the local disk (SQLite, lowdb, NeDB, LokiJS) instead of an attached service.',
    rationale: 'Backing services are attached resources, located by config and swappable without code changes (factor IV). A database file on the container\'s disk disappears on redeploy, is not shared between instances (so the app cannot scale out, factor VIII), and ties the app to one machine (factor VI: processes are stateless).',
    messages: {
      localFile: '{{library}} keeps the app\'s data in the local file {{path}}: it is lost on redeploy and not shared between instances. Attach a database service and locate it through the environment (DATABASE_URL).',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { ts: checkTs },
};

export default rule;
