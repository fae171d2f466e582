import type * as TS from 'typescript';
import type { Rule, RuleContext, StatementwiseCheck } from '../../engine/types';
import { statementwiseTs } from '../../engine/statement-memo';
import { crossPart, crossPartsKey, crossPartsKeyApartFromConsts, crossSummary, targetsInView, type CrossSummary, type CrossTarget, type TargetShape } from '../support/cross-statement';
import type { ParsedTs } from '../../parse/typescript';
import { constInitializer, readsEnv, unwrap } from '../support/ts-helpers';
import { bindingOf, resolveCallee } from '../support/module-imports';
import { propertyNamed, replacementFor } from '../support/ts-literals';
import { envExampleAppend } from '../support/env-example';
import { hasHint, textHint } from '../../parse/text-hint';

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
/** Every module `fromCall` accepts (the STORES keys and lowdb) contains one of these. */
const STORE_MODULE_HINT = textHint(['sqlite', 'lokijs', 'nedb', 'lowdb']);
/**
 * Every hit `fromOptions` or `new Sequelize('sqlite:…')` finds reads a literal (or a module name)
 * holding one of these, unless the source spells it with escapes (a backslash).
 */
const SQLITE_LITERAL_HINT = textHint(['sqlite', 'capacitor', 'cordova', '\\\\'], 'i');
const LOWDB_ADAPTERS = new Set(['JSONFile', 'JSONFileSync', 'FileSync', 'FileAsync', 'JSONFilePreset', 'JSONFileSyncPreset', 'JSONPreset', 'JSONSyncPreset', 'DataFile', 'DataFileSync', 'TextFile', 'TextFileSync', 'default']);

const IN_MEMORY = /^(?::memory:|file::memory:.*|)$/;

interface PathRef {
  text: string;
  node: TS.Expression;
  /** Fixed in code (literal, template, path.join of literals): the quick fix can move it to the environment. */
  fixed: boolean;
}

/**
 * The local file a store is opened on, as the code names it: fixed in code (literal, template,
 * `path.join` of literals, a same-file `const` holding one: then the node is the const's value) or
 * computed from config (`path.join(config.dataDir, 'app.db')`, a parameter). Undefined when there
 * is no file (`:memory:`, empty) or the environment names it (`process.env.SQLITE_PATH ?? './dev.db'`:
 * the deploy chose the location).
 */
function pathOf(ts: typeof TS, node: TS.Expression | undefined, depth = 0): PathRef | undefined {
  if (!node || depth > 3) return undefined;
  const e = unwrap(ts, node);
  if (readsEnv(ts, e)) return undefined;
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return IN_MEMORY.test(e.text) || /^(?:postgres|mysql|mongodb|redis)/i.test(e.text) ? undefined : { text: e.text, node: e, fixed: true };
  if (ts.isTemplateExpression(e)) return { text: e.getText(), node: e, fixed: e.templateSpans.every((span) => isFixed(ts, span.expression, depth + 1)) };
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(?:join|resolve)$/.test(e.expression.name.text)
    && ts.isIdentifier(e.expression.expression) && e.expression.expression.text === 'path' && e.arguments.length > 0) {
    if (e.arguments.some((a) => readsEnv(ts, a) || (ts.isIdentifier(a) && constInitializer(ts, a.text, a) !== undefined && pathOf(ts, a, depth + 1) === undefined))) return undefined;
    return { text: e.getText(), node: e, fixed: e.arguments.every((a) => isFixed(ts, a, depth + 1)) };
  }
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ts, e.text, e);
    if (init) return pathOf(ts, init, depth + 1);
  }
  if (ts.isIdentifier(e) && e.text === 'undefined') return undefined;
  // computed from config or a parameter: `config.dbPath`, `getDataDir()`, `filename`
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e)) return { text: e.getText(), node: e, fixed: false };
  return undefined;
}

/** A path part fixed in code: a literal, `__dirname`, `process.cwd()`, or a const holding a fixed path. */
function isFixed(ts: typeof TS, node: TS.Expression, depth: number): boolean {
  const e = unwrap(ts, node);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return true;
  if (ts.isIdentifier(e) && e.text === '__dirname') return true;
  if (e.getText() === 'process.cwd()' || e.getText() === 'import.meta.dirname') return true;
  if (ts.isIdentifier(e) && constInitializer(ts, e.text, e)) return pathOf(ts, e, depth)?.fixed === true;
  return false;
}

interface Hit { library: string; path: PathRef }

/** `hitsOf`'s passes, in order (`new` expressions, then calls, then options objects): the first hit of a node decides its finding. */
const enum Pass { New, Call, Options }

/** A hit where it was found: the pass and the call, `new` or options object. */
interface FoundHit extends Hit { pass: Pass; origin: TS.Node }

function fromCall(ctx: RuleContext<ParsedTs>, call: TS.CallExpression | TS.NewExpression): Hit | undefined {
  const { ts } = ctx.parsed;
  const resolved = resolveCallee(ctx.parsed, call.expression);
  if (!resolved) return undefined;
  const args = call.arguments ?? ts.factory.createNodeArray();
  if (resolved.module === 'lowdb' || resolved.module.startsWith('lowdb/')) {
    if (!LOWDB_ADAPTERS.has(resolved.member)) return undefined;
    // lowdb's default export is `low(adapter)` in lowdb ≤ 1 and an adapter in `lowdb/adapters/*`: only a path fixed in code says which
    const path = pathOf(ts, args[0]);
    return path?.fixed ? { library: 'lowdb', path } : undefined;
  }
  const store = STORES[resolved.module]?.[resolved.member];
  if (!store) return undefined;
  const first = args[0] && unwrap(ts, args[0]);
  if (first && ts.isObjectLiteralExpression(first)) {
    if (!store.optionKey) return undefined;
    const option = propertyNamed(ts, first, store.optionKey);
    const path = option && pathOf(ts, option.initializer);
    return path && { library: store.library, path };
  }
  if (store.pathArg === undefined) return undefined;
  const path = pathOf(ts, args[store.pathArg]);
  return path && { library: store.library, path };
}

/** Knex's `client`: a name (`'sqlite3'`) or a dialect class imported from a SQLite dialect module (`knex/lib/dialects/sqlite3`). */
function knexClient(parsed: ParsedTs, node: TS.Expression | undefined): string | undefined {
  const { ts } = parsed;
  const name = literalText(ts, node);
  if (name !== undefined) return name;
  const e = node && unwrap(ts, node);
  if (!e || !ts.isIdentifier(e)) return undefined;
  const binding = bindingOf(parsed, e.text);
  return binding && /(?:^|\/)dialects\/(?:sqlite3|better-sqlite3)(?:\/|$)/.test(binding.module) ? 'SQLite dialect' : undefined;
}

function literalText(ts: typeof TS, node: TS.Expression | undefined): string | undefined {
  const e = node && unwrap(ts, node);
  return e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) ? e.text : undefined;
}

/** ORM options: TypeORM/MikroORM `type: 'sqlite', database|dbName`, Sequelize `dialect: 'sqlite', storage`, Knex `client: 'sqlite3', connection: { filename }`. */
function fromOptions(parsed: ParsedTs, object: TS.ObjectLiteralExpression): Hit | undefined {
  const { ts } = parsed;
  const type = literalText(ts, propertyNamed(ts, object, 'type')?.initializer);
  if (type && /^(?:sqlite|better-sqlite3|capacitor|cordova)$/.test(type)) {
    const option = propertyNamed(ts, object, 'database') ?? propertyNamed(ts, object, 'dbName');
    const path = option && pathOf(ts, option.initializer);
    return path && { library: `TypeORM (type: '${type}')`, path };
  }
  const dialect = literalText(ts, propertyNamed(ts, object, 'dialect')?.initializer);
  if (dialect === 'sqlite') {
    const option = propertyNamed(ts, object, 'storage');
    const path = option && pathOf(ts, option.initializer);
    return path && { library: 'Sequelize (dialect: \'sqlite\')', path };
  }
  const client = knexClient(parsed, propertyNamed(ts, object, 'client')?.initializer);
  if (client && /^(?:sqlite3?|better-sqlite3|SQLite dialect)$/.test(client)) {
    const connection = propertyNamed(ts, object, 'connection');
    const option = connection && propertyNamed(ts, connection.initializer, 'filename');
    const path = option && pathOf(ts, option.initializer);
    return path && { library: client === 'SQLite dialect' ? 'Knex (SQLite dialect)' : `Knex (client: '${client}')`, path };
  }
  return undefined;
}

/** Every hit of the nodes in view, in the order the first one decides. */
function hitsOf(ctx: RuleContext<ParsedTs>): FoundHit[] {
  const { ts } = ctx.parsed;
  const hits: FoundHit[] = [];
  // a store's calls resolve to an import or require of its module, whose name is in the text:
  // without one, resolving every call's origin (per keystroke in the editor) finds nothing
  const mayCallStore = hasHint(ctx.parsed, ctx.text, STORE_MODULE_HINT);
  // every other hit is an options object or `new Sequelize()` with a SQLite-ish literal: without one, nothing to walk
  if (!mayCallStore && !hasHint(ctx.parsed, ctx.text, SQLITE_LITERAL_HINT)) return [];
  for (const call of [...ctx.parsed.nodesOfKind<TS.NewExpression>(ts.SyntaxKind.NewExpression), ...ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)]) {
    const hit = mayCallStore ? fromCall(ctx, call) : undefined;
    const pass = ts.isNewExpression(call) ? Pass.New : Pass.Call;
    if (hit) hits.push({ ...hit, pass, origin: call });
    // new Sequelize('sqlite:./data.sqlite')
    if (ts.isNewExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'Sequelize') {
      const text = literalText(ts, call.arguments?.[0]);
      if (text && /^sqlite:(?!:memory:|$)/.test(text) && text !== 'sqlite::memory:') hits.push({ library: 'Sequelize', path: { text, node: unwrap(ts, call.arguments![0]), fixed: true }, pass, origin: call });
    }
  }
  for (const object of ctx.parsed.nodesOfKind<TS.ObjectLiteralExpression>(ts.SyntaxKind.ObjectLiteralExpression)) {
    const hit = fromOptions(ctx.parsed, object);
    if (hit) hits.push({ ...hit, pass: Pass.Options, origin: object });
  }
  return hits;
}

function checkTs(ctx: RuleContext<ParsedTs>, summary: () => StoreSummary): void {
  const { ts, sourceFile } = ctx.parsed;
  // a statement view (an edited document's new statements) judges its own nodes only, with the hits other statements have in them
  const hits = ctx.parsed.whole ? targetsInView(ctx.parsed, SHAPE, hitsOf(ctx), summary().cross) : hitsOf(ctx);
  const seen = new Set<TS.Node>();
  for (const hit of hits) {
    const node = hit.path.node;
    if (seen.has(node)) continue;
    seen.add(node);
    const start = node.getStart(sourceFile);
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
    const data = { library: hit.library, path: hit.path.text.length > 80 ? `${hit.path.text.slice(0, 77)}…` : hit.path.text };
    // a location computed from config stays a local file: nothing safe to rewrite it into
    if (!hit.path.fixed) {
      ctx.report({ messageId: 'localFileFromConfig', data, start, end: node.end });
      continue;
    }
    ctx.report({
      messageId: 'localFile',
      data,
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

/** How `crossSummary` and `targetsInView` read a hit (support/cross-statement.ts). */
const SHAPE: TargetShape<FoundHit> = {
  at: (h) => h.path.node,
  origin: (h) => h.origin,
  pass: (h) => h.pass,
  describe: (h) => `${h.library}\u0001${h.path.text}\u0001${h.path.fixed}`,
  relocate: (h, node) => ({ ...h, path: { ...h.path, node: node as TS.Expression } }),
};

interface StoreSummary extends CrossSummary<FoundHit> {
  /** Where the fix's `.env.example` goes (project facts). */
  packageDir: string | undefined;
}

/**
 * Split per top-level statement (engine/statement-memo.ts). A path's finding reads its
 * statement, the import bindings and top-level consts, the package folder, and the hits other
 * statements have in it: `new sqlite3.Database(DB_FILE)` reports at a top-level const's value,
 * judged by its first hit (support/cross-statement.ts).
 */
const statementwise: StatementwiseCheck<readonly CrossTarget<FoundHit>[], StoreSummary> = {
  partsKey: (ctx) => crossPartsKey(ctx.parsed),
  part: (ctx) => crossPart(ctx.parsed, SHAPE, hitsOf(ctx)),
  summary: (ctx, parts) => ({ ...crossSummary(ctx.parsed, SHAPE, parts), packageDir: ctx.project.nearestPackage?.dir }),
  sameSummary: (a, b) => a.key === b.key && a.packageDir === b.packageDir,
  // the parts and the check follow a name to a top-level const only through `constResolver`/`constInitializer`
  constsByName: { partsKey: (ctx) => crossPartsKeyApartFromConsts(ctx.parsed), sameSummary: (a, b) => statementwise.sameSummary(a, b) },
  check: checkTs,
};

const rule: Rule = {
  meta: {
    id: 'backing-services/local-database-file',
    factor: 'backing-services',
    severity: 'warning',
    description: 'The app\'s database is a file on the local disk (SQLite, lowdb, NeDB, LokiJS) instead of an attached service.',
    rationale: 'Backing services are attached resources, located by config and swappable without code changes (factor IV). A database file on the container\'s disk disappears on redeploy, is not shared between instances (so the app cannot scale out, factor VIII), and ties the app to one machine (factor VI: processes are stateless).',
    messages: {
      localFileFromConfig: '{{library}} keeps the app\'s data in a local file ({{path}}): wherever config points it, the file is on this instance\'s disk, lost on redeploy and not shared between instances. Attach a database service and locate it through the environment (DATABASE_URL).',
      localFile: '{{library}} keeps the app\'s data in the local file {{path}}: it is lost on redeploy and not shared between instances. Attach a database service and locate it through the environment (DATABASE_URL).',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { ts: statementwiseTs(statementwise) },
  statementwise,
};

export default rule;
