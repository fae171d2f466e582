import type * as TS from 'typescript';
import type { Rule, RuleContext, StatementwiseCheck } from '../../engine/types';
import { statementwiseTs } from '../../engine/statement-memo';
import type { ParsedTs } from '../../parse/typescript';
import { envCondition, envRef, testsOnlyTestEnv, ENV_VALUES, type EnvCondition, type EnvImports } from '../support/env-flags';
import { envFirstDefault } from '../support/ts-literals';
import { nameOf, unwrap } from '../support/ts-helpers';
import { isBareHost, isLoopbackHost, isWellKnownHost, parseConnectionString, parseHttpUrl } from '../support/urls';
import { flowOf } from '../support/value-flow';
import { importBindingsKey, isRelativeOrAbsolute } from '../support/module-imports';
import { enclosingScopeKey, joinedParts, topLevelVariableTexts } from '../support/statement-facts';

/** Properties whose literal value is a backing service or host. */
const CONFIG_KEYS = /^(?:host|hostname|url|uri|baseURL|baseUrl|endpoint|connectionString|connection|database|dsn|bucket|server|servers|brokers|nodes|apiUrl|apiBase)$/;
const LOG_LEVELS = /^(?:fatal|error|warn|warning|info|http|verbose|debug|silly|trace|log|silent|all|off|notice|crit|critical|alert|emerg)$/i;
/** Receivers that register middleware or plugins on a server (`app.use`, `fastify.register`, `passport.use`). */
const MIDDLEWARE_RECEIVER = /(?:^|\.)(?:app|server|router|api|fastify|koa|instance|express|passport|application|httpServer)$/i;
/** Middleware that is dev tooling or verbosity, not a behaviour of the service: request logs, error pages, bundler and docs UIs. */
const DEV_TOOLING = /morgan|logger|log\b|errorhandler|error-?handler|errorHandler|webpack|hot|devMiddleware|dev-?server|vite|swagger|graphiql|playground|voyager|livereload|reload|pretty|debug|static|responseTime|statusMonitor|expressStatus|devtool|sourcemap|inspector|bull-?board|serverAdapter/i;
/** Constructors of log transports: winston's `transports.X`, rotating files, cloud logging transports (not mail or HTTP client transports). */
const LOG_TRANSPORT = /(?:^|\.)transports\.\w+$|DailyRotateFile|LoggingWinston|LoggingBunyan|ElasticsearchTransport|WinstonCloudWatch|Syslog/;
/** Module names of per-environment config objects indexed by the environment's name. */
const CONFIG_MODULE = /(?:^|\/)(?:config|configs|settings|knexfile|ormconfig|database|db|environments?|env)s?(?:\.[cm]?[jt]s|\.json)?$/i;

function isConfigLiteral(text: string): boolean {
  // a loopback value (a dev server, a local proxy) on its own is dev tooling, not a deploy's backing service
  const url = parseHttpUrl(text);
  if (url) return !isWellKnownHost(url.host) && !isLoopbackHost(url.host);
  const conn = parseConnectionString(text);
  if (conn) return !conn.isLocal;
  return isBareHost(text) && !isLoopbackHost(text) && !isWellKnownHost(text);
}

const LOG_CALLEES = /^(?:log|info|warn|error|debug|trace|fatal)$/;

/** What a branch selects, as the message that explains it; most serious first. */
type Selection = 'branch' | 'middleware' | 'cors' | 'logDestination' | 'envFile';

function calleeNameOf(ts: typeof TS, call: TS.CallExpression | TS.NewExpression): string {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
}

function isEnvFileName(text: string): boolean {
  return /(?:^|\/)\.env(?:\.[\w-]+)*$/.test(text) && text !== '.env.example';
}

/** `app.use(helmet())`, `fastify.register(auth)`, `passport.use(strategy)`: a middleware or plugin that is not dev tooling. */
function isMiddlewareRegistration(ts: typeof TS, call: TS.CallExpression, sf: TS.SourceFile): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !/^(?:use|register)$/.test(callee.name.text) || call.arguments.length === 0) return false;
  if (!MIDDLEWARE_RECEIVER.test(callee.expression.getText(sf))) return false;
  const handlers = call.arguments.filter((a) => !ts.isStringLiteral(a)); // a mount path is not the middleware
  if (handlers.length === 0) return false;
  return !handlers.some((h) => DEV_TOOLING.test(h.getText(sf)) || isErrorHandler(ts, h));
}

/** `(err, req, res, next) => …`: an Express error handler, which differs per environment only in how much it shows. */
function isErrorHandler(ts: typeof TS, node: TS.Expression): boolean {
  const e = unwrap(ts, node);
  return (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) && e.parameters.length === 4;
}

/** What the subtree selects per environment: a backing service or host, middleware, CORS, a log destination or an env file. */
function selection(ts: typeof TS, root: TS.Node | undefined, sf: TS.SourceFile): Selection | undefined {
  if (!root) return undefined;
  const found = new Set<Selection>();
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const name = calleeNameOf(ts, node);
      if (LOG_CALLEES.test(name) && ts.isCallExpression(node)) return; // a log line mentioning a host is not config
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        if ((name === 'require' || callee.kind === ts.SyntaxKind.ImportKeyword) && node.arguments[0] && ts.isStringLiteral(node.arguments[0]) && /(?:^|\/)(?:config|settings|env)s?(?:\/|\.|$)/i.test(node.arguments[0].text)) { found.add('branch'); return; }
        if (name === 'cors' || name === 'enableCors') found.add('cors');
        else if (isMiddlewareRegistration(ts, node, sf)) found.add('middleware');
        // logger.add(new transports.Http(…)), log.addStream({ path }), pino.destination('app.log')
        if (name === 'addStream' || (name === 'destination' && /pino/.test(node.expression.getText(sf)))) found.add('logDestination');
      } else if (LOG_TRANSPORT.test(node.expression.getText(sf))) {
        found.add('logDestination');
      }
    }
    if (ts.isPropertyAssignment(node) && nameOf(ts, node.name) === 'origin') found.add('cors');
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const parent = node.parent;
      const key = ts.isPropertyAssignment(parent) && parent.initializer === node ? parent.name.getText(sf) : undefined;
      if (isEnvFileName(node.text) && !(ts.isCallExpression(parent) && /^(?:require|readFileSync|existsSync)$/.test(calleeNameOf(ts, parent)))) found.add('envFile');
      else if (isConfigLiteral(node.text) || (key && CONFIG_KEYS.test(key) && /[./:]/.test(node.text) && !/^\.{0,2}\//.test(node.text))) found.add('branch');
    }
    if (ts.isTemplateExpression(node) && isConfigLiteral(node.head.text)) found.add('branch');
    ts.forEachChild(node, visit);
  };
  visit(root);
  for (const s of ['branch', 'cors', 'middleware', 'logDestination', 'envFile'] as const) if (found.has(s)) return s;
  return undefined;
}

/** `require('./config/' + env)`, `` import(`./config/${process.env.NODE_ENV}.js`) ``: per-environment config modules. */
function perEnvModule(parsed: ParsedTs, call: TS.CallExpression, imports: EnvImports): boolean {
  const { ts } = parsed;
  const callee = call.expression;
  const isLoader = (ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword;
  const arg = call.arguments[0];
  if (!isLoader || !arg || ts.isStringLiteral(arg)) return false;
  return usesEnv(parsed, arg, imports);
}

function usesEnv(parsed: ParsedTs, root: TS.Node, imports: EnvImports): boolean {
  const { ts } = parsed;
  let found = false;
  const visit = (node: TS.Node): void => {
    if (found) return;
    if ((ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && envRef(parsed, node, imports)) { found = true; return; }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/** `` `.env.${NODE_ENV}` ``, `'.env.' + env`: an env file chosen by the environment's name. */
function perEnvFile(parsed: ParsedTs, node: TS.TemplateExpression | TS.BinaryExpression, imports: EnvImports): boolean {
  const { ts } = parsed;
  const head = ts.isTemplateExpression(node) ? node.head.text : ts.isStringLiteral(unwrap(ts, node.left)) ? (unwrap(ts, node.left) as TS.StringLiteral).text : undefined;
  if (head === undefined || !/(?:^|\/)\.env\.$/.test(head)) return false;
  return usesEnv(parsed, ts.isTemplateExpression(node) ? node.templateSpans[0].expression : node.right, imports);
}

/**
 * `configs[process.env.NODE_ENV]`: a config object with one block per environment (its keys are
 * environment names), or an imported config module (`require('./knexfile')[env]`).
 */
function isConfigMapAccess(parsed: ParsedTs, access: TS.ElementAccessExpression, imports: EnvImports): boolean {
  const { ts } = parsed;
  if (!envRef(parsed, access.argumentExpression, imports)) return false;
  const object = unwrap(ts, access.expression);
  if (ts.isCallExpression(object) && ts.isIdentifier(object.expression) && object.expression.text === 'require') return true;
  const flow = flowOf(parsed, object);
  if (flow.kind === 'import') return isRelativeOrAbsolute(flow.module) ? CONFIG_MODULE.test(flow.module) || flow.path.length > 0 : false;
  if (flow.kind !== 'value') return false;
  const value = unwrap(ts, flow.node);
  if (!ts.isObjectLiteralExpression(value)) return false;
  const envKeys = value.properties.filter((p) => p.name && ENV_VALUES.test(nameOf(ts, p.name) ?? ''));
  return envKeys.length >= 2;
}

/** `level: isProd ? 'info' : 'debug'`, `const logLevel = …`: a log level picked by the environment's name (not a default of LOG_LEVEL). */
function isLogLevelChoice(ts: typeof TS, conditional: TS.ConditionalExpression): boolean {
  const values = [conditional.whenTrue, conditional.whenFalse].map((v) => unwrap(ts, v));
  if (!values.every((v) => (ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v)) && LOG_LEVELS.test(v.text))) return false;
  if (envFirstDefault(ts, conditional) !== undefined) return false;
  let holder: TS.Node = conditional.parent;
  while (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder)) holder = holder.parent;
  const name = ts.isPropertyAssignment(holder) || ts.isVariableDeclaration(holder) ? nameOf(ts, holder.name) : undefined;
  // `LOG_LEVEL_DEFAULT`, `defaultLevel`: by its own name a fallback for a configured level
  return !!name && /level/i.test(name) && !/default/i.test(name);
}

/**
 * Cheap pre-filter: every finding reads an env-name variable or flag (names contain env/stage/prod/dev, in any case),
 * `app.get('env')`, or a module whose exports the project model found to be env flags.
 */
function mayBranchOnEnv(ctx: RuleContext<ParsedTs>): boolean {
  const imports = ctx.project.envImports;
  return /env|stage|prod|dev/i.test(ctx.text) || !!(imports && Object.keys(imports).length > 0);
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts, sourceFile } = ctx.parsed;
  const imports = ctx.project.envImports;
  if (!mayBranchOnEnv(ctx)) return;
  const parsed = ctx.parsed;
  const report = (at: TS.Node, messageId: string, condition: string) => ctx.report({ messageId, data: { condition }, start: at.getStart(sourceFile), end: at.end });
  /** Config selection counts for every environment name; the other behaviours only between dev and prod (a test switch is a test harness). */
  const judge = (condition: EnvCondition, ...branches: Array<TS.Node | undefined>): Selection | undefined => {
    const picks = branches.map((b) => selection(ts, b, sourceFile)).filter((x): x is Selection => !!x);
    const pick = picks.includes('branch') ? 'branch' : picks[0];
    if (!pick) return undefined;
    return pick === 'branch' || !testsOnlyTestEnv(condition) ? pick : undefined;
  };
  for (const statement of parsed.nodesOfKind<TS.IfStatement>(ts.SyntaxKind.IfStatement)) {
    if (ts.isIfStatement(statement.parent) && statement.parent.elseStatement === statement && envCondition(parsed, statement.parent.expression, imports)) continue; // else-if chain: reported once, on the first test
    const condition = envCondition(parsed, statement.expression, imports);
    if (!condition) continue;
    const pick = judge(condition, statement.thenStatement, statement.elseStatement);
    if (pick) report(statement.expression, pick, condition.text);
  }
  for (const conditional of parsed.nodesOfKind<TS.ConditionalExpression>(ts.SyntaxKind.ConditionalExpression)) {
    const condition = envCondition(parsed, conditional.condition, imports);
    if (!condition) continue;
    const pick = judge(condition, conditional.whenTrue, conditional.whenFalse);
    if (pick) report(conditional.condition, pick, condition.text);
    else if (!testsOnlyTestEnv(condition) && isLogLevelChoice(ts, conditional)) report(conditional.condition, 'logLevel', condition.text);
  }
  for (const statement of parsed.nodesOfKind<TS.SwitchStatement>(ts.SyntaxKind.SwitchStatement)) {
    const ref = envRef(parsed, statement.expression, imports);
    if (!ref) continue;
    const picks = statement.caseBlock.clauses.flatMap((clause) => clause.statements.map((s) => selection(ts, s, sourceFile))).filter((x): x is Selection => !!x);
    if (picks.length > 0) report(statement.expression, picks.includes('branch') ? 'switch' : picks[0], ref);
  }
  for (const call of parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    if (perEnvModule(parsed, call, imports)) report(call, 'perEnvModule', '');
  }
  for (const template of parsed.nodesOfKind<TS.TemplateExpression>(ts.SyntaxKind.TemplateExpression)) {
    if (perEnvFile(parsed, template, imports)) report(template, 'perEnvFile', '');
  }
  for (const binary of parsed.nodesOfKind<TS.BinaryExpression>(ts.SyntaxKind.BinaryExpression)) {
    if (binary.operatorToken.kind === ts.SyntaxKind.PlusToken && perEnvFile(parsed, binary, imports)) report(binary, 'perEnvFile', '');
  }
  for (const access of parsed.nodesOfKind<TS.ElementAccessExpression>(ts.SyntaxKind.ElementAccessExpression)) {
    if (isConfigMapAccess(parsed, access, imports)) report(access, 'perEnvModule', '');
  }
}

/** The name and the getters' and fields' texts of each class around `node`: what `this.x` resolves through. */
function enclosingClassesKey(parsed: ParsedTs, node: TS.Node): string {
  const { ts, sourceFile } = parsed;
  let key = '';
  for (let n: TS.Node | undefined = node; n; n = n.parent) {
    if (!ts.isClassLike(n)) continue;
    key += `${n.name?.text ?? ''}\u0001`;
    for (const member of n.members) if (ts.isGetAccessor(member) || ts.isPropertyDeclaration(member)) key += `${member.getText(sourceFile)}\u0001`;
    key += '\u0000';
  }
  return key;
}

interface BranchingSummary {
  /** The pre-filter, the import bindings and the env exports of imported modules, as one key. */
  key: string;
  /** The top-level variable statements' texts. */
  variables: string;
}

/**
 * Split per top-level statement (engine/statement-memo.ts). Every finding is reported at a node
 * of the statement it was found in (a condition, a call, a template, an element access) and
 * reads, besides that statement: the pre-filter over the whole text, the import bindings
 * (`flowOf` stops at an import), the file's top-level `const`s (`flowOf` follows a name to the
 * first top-level const declaring it and on through its initializer: variable statements'
 * texts, in order) and the project's facts about the imported modules' env exports. The summary
 * is those as one key; a part is its statements' variable statements' texts.
 */
const statementwise: StatementwiseCheck<readonly string[], BranchingSummary> = {
  part: (ctx, statements) => topLevelVariableTexts(ctx.parsed, statements),
  summary: (ctx, parts) => ({
    key: `${mayBranchOnEnv(ctx)}\u0002${importBindingsKey(ctx.parsed)}\u0002${JSON.stringify(ctx.project.envImports ?? null)}`,
    variables: joinedParts(parts),
  }),
  sameSummary: (a, b) => a.key === b.key && a.variables === b.variables,
  // `flowOf` reads a top-level const only by name (`constBinding`, after the import bindings)
  constsByName: { sameSummary: (a, b) => a.key === b.key },
  // below the top level a condition reads outside its statement the consts of the enclosing blocks (`flowOf` follows a name
  // to the first const declaring it) and, for `this.x`, the enclosing class's name and its getters and fields (env-flags.ts)
  nestedKey: (ctx, list) => `${enclosingScopeKey(ctx.parsed, list)}\u0003${enclosingClassesKey(ctx.parsed, list)}`,
  check: (ctx) => checkTs(ctx),
};

const rule: Rule = {
  meta: {
    id: 'dev-prod-parity/env-branching',
    factor: 'dev-prod-parity',
    severity: 'info',
    description: 'Code that picks different backing services, hosts, middleware, CORS, log settings or config files depending on NODE_ENV/APP_ENV.',
    rationale: 'Dev/prod parity (factor X) keeps development, staging and production as similar as possible; config (factor III) varies per deploy through the environment, not through code paths named after environments. A branch on NODE_ENV that selects a different database, middleware or log sink means the production path only ever runs in production, and every new environment (a preview, a second region) needs a code change.',
    messages: {
      branch: 'Branching on {{condition}} selects a different backing service, host or config value: read that value from the environment instead, so every environment runs the same code path.',
      switch: 'switch on {{condition}} selects different backing services, hosts or config values per environment: read them from the environment instead, so every environment runs the same code path.',
      middleware: 'Branching on {{condition}} installs different middleware or plugins per environment, so production runs a code path development never exercises: make the behaviour a setting of its own (an env var per feature), the same in every environment.',
      cors: 'Branching on {{condition}} changes the CORS policy per environment: read the allowed origins from the environment (e.g. CORS_ORIGIN) instead, so every environment runs the same code path.',
      logDestination: 'Branching on {{condition}} sends logs to different destinations per environment: write the event stream to stdout everywhere and let each deploy route it.',
      envFile: 'Branching on {{condition}} picks a different env file per environment: let each deploy provide its environment (one optional .env for local development at most).',
      logLevel: 'The log level is picked by {{condition}}: read it from the environment (e.g. LOG_LEVEL) so a deploy can change it without a code change.',
      perEnvModule: 'Loading a config module or block per environment (config/<env>, configs[NODE_ENV]) keeps deploy config in the codebase: read each value from the environment instead, so a new environment needs no code change.',
      perEnvFile: 'An env file named after the environment (.env.<NODE_ENV>) keeps one config file per environment in the codebase: let each deploy provide its environment instead.',
    },
    fix: 'none',
    roles: ['server'],
  },
  check: { ts: statementwiseTs(statementwise) },
  statementwise,
};

export default rule;
