import type * as TS from 'typescript';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { constInitializer, envVarRead, unwrap } from '../support/ts-helpers';
import { isBareHost, isLoopbackHost, isWellKnownHost, parseConnectionString, parseHttpUrl } from '../support/urls';

/** Variables that name the deploy environment. */
const ENV_NAMES = new Set(['NODE_ENV', 'APP_ENV', 'ENV', 'ENVIRONMENT', 'STAGE', 'DEPLOY_ENV', 'APP_STAGE']);
const ENV_VALUES = /^(?:prod|production|dev|development|staging|stage|test|testing|qa|uat|local|preprod|preview)$/i;
/** Properties whose literal value is a backing service or host. */
const CONFIG_KEYS = /^(?:host|hostname|url|uri|baseURL|baseUrl|endpoint|connectionString|connection|database|dsn|bucket|server|servers|brokers|nodes|apiUrl|apiBase)$/;

/** `process.env.NODE_ENV`, `env` (a const read from it), `app.get('env')`: the name read, or undefined. */
function envRef(ts: typeof TS, node: TS.Expression, depth = 0): string | undefined {
  const e = unwrap(ts, node);
  const read = envVarRead(ts, e);
  if (read && ENV_NAMES.has(read.toUpperCase())) return read;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'get' && e.arguments.length === 1) {
    const arg = e.arguments[0];
    if (ts.isStringLiteral(arg) && arg.text === 'env') return "app.get('env')";
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return envRef(ts, e.left, depth);
  if (ts.isIdentifier(e) && depth < 3) {
    const init = constInitializer(ts, e.text, e);
    return init ? envRef(ts, init, depth + 1) : undefined;
  }
  return undefined;
}

/** A condition that tests the environment: `NODE_ENV === 'production'`, `isProd`, `!isDev && x`. */
function envCondition(ts: typeof TS, node: TS.Expression, depth = 0): string | undefined {
  const e = unwrap(ts, node);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) {
      for (const [a, b] of [[e.left, e.right], [e.right, e.left]]) {
        const ref = envRef(ts, a);
        const other = unwrap(ts, b);
        if (ref && (ts.isStringLiteral(other) || ts.isNoSubstitutionTemplateLiteral(other)) && ENV_VALUES.test(other.text)) return `${ref} ${e.operatorToken.getText()} '${other.text}'`;
      }
      return undefined;
    }
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) return envCondition(ts, e.left, depth) ?? envCondition(ts, e.right, depth);
    return undefined;
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return envCondition(ts, e.operand, depth);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'includes' && e.arguments[0] && envRef(ts, e.arguments[0])) return `${envRef(ts, e.arguments[0])} in a list`;
  if (ts.isIdentifier(e) && depth < 3) {
    const init = constInitializer(ts, e.text, e);
    return init ? envCondition(ts, init, depth + 1) : undefined;
  }
  return undefined;
}

function isConfigLiteral(text: string): boolean {
  // a loopback value (a dev server, a local proxy) on its own is dev tooling, not a deploy's backing service
  const url = parseHttpUrl(text);
  if (url) return !isWellKnownHost(url.host) && !isLoopbackHost(url.host);
  const conn = parseConnectionString(text);
  if (conn) return !conn.isLocal;
  return isBareHost(text) && !isLoopbackHost(text) && !isWellKnownHost(text);
}

const LOG_CALLEES = /^(?:log|info|warn|error|debug|trace|fatal)$/;

/** True when the subtree selects a backing service or host: URL/host literals, config-key values, per-env config requires. */
function selectsConfig(ts: typeof TS, root: TS.Node | undefined): boolean {
  if (!root) return false;
  let found = false;
  const visit = (node: TS.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (LOG_CALLEES.test(name)) return; // a log line mentioning a host is not config
      if ((name === 'require' || callee.kind === ts.SyntaxKind.ImportKeyword) && node.arguments[0] && ts.isStringLiteral(node.arguments[0]) && /(?:^|\/)(?:config|settings|env)s?(?:\/|\.|$)/i.test(node.arguments[0].text)) { found = true; return; }
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const parent = node.parent;
      const key = ts.isPropertyAssignment(parent) && parent.initializer === node ? parent.name.getText() : undefined;
      if (isConfigLiteral(node.text) || (key && CONFIG_KEYS.test(key) && /[./:]/.test(node.text) && !/^\.{0,2}\//.test(node.text))) { found = true; return; }
    }
    if (ts.isTemplateExpression(node) && isConfigLiteral(node.head.text)) { found = true; return; }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/** `require('./config/' + env)`, `` import(`./config/${process.env.NODE_ENV}.js`) ``: per-environment config modules. */
function perEnvModule(ts: typeof TS, call: TS.CallExpression): boolean {
  const callee = call.expression;
  const isLoader = (ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword;
  const arg = call.arguments[0];
  if (!isLoader || !arg || ts.isStringLiteral(arg)) return false;
  let usesEnv = false;
  const visit = (node: TS.Node): void => {
    if (usesEnv) return;
    if (ts.isExpression(node) && envRef(ts, node)) { usesEnv = true; return; }
    ts.forEachChild(node, visit);
  };
  visit(arg);
  return usesEnv;
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts, sourceFile } = ctx.parsed;
  // Cheap pre-filter: every finding reads an ENV_NAMES variable (names contain env/stage, in any case) or `app.get('env')`.
  if (!/env|stage/i.test(ctx.text)) return;
  const report = (at: TS.Node, messageId: string, condition: string) => ctx.report({ messageId, data: { condition }, start: at.getStart(sourceFile), end: at.end });
  for (const statement of ctx.parsed.nodesOfKind<TS.IfStatement>(ts.SyntaxKind.IfStatement)) {
    if (ts.isIfStatement(statement.parent) && statement.parent.elseStatement === statement && envCondition(ts, statement.parent.expression)) continue; // else-if chain: reported once, on the first test
    const condition = envCondition(ts, statement.expression);
    if (!condition) continue;
    if (selectsConfig(ts, statement.thenStatement) || selectsConfig(ts, statement.elseStatement)) report(statement.expression, 'branch', condition);
  }
  for (const conditional of ctx.parsed.nodesOfKind<TS.ConditionalExpression>(ts.SyntaxKind.ConditionalExpression)) {
    const condition = envCondition(ts, conditional.condition);
    if (!condition) continue;
    if (selectsConfig(ts, conditional.whenTrue) || selectsConfig(ts, conditional.whenFalse)) report(conditional.condition, 'branch', condition);
  }
  for (const statement of ctx.parsed.nodesOfKind<TS.SwitchStatement>(ts.SyntaxKind.SwitchStatement)) {
    const ref = envRef(ts, statement.expression);
    if (!ref) continue;
    if (statement.caseBlock.clauses.some((clause) => clause.statements.some((s) => selectsConfig(ts, s)))) report(statement.expression, 'switch', ref);
  }
  for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    if (perEnvModule(ts, call)) report(call, 'perEnvModule', '');
  }
  for (const access of ctx.parsed.nodesOfKind<TS.ElementAccessExpression>(ts.SyntaxKind.ElementAccessExpression)) {
    // require('./knexfile')[process.env.NODE_ENV]: one config block per environment
    const object = unwrap(ts, access.expression);
    if (ts.isCallExpression(object) && ts.isIdentifier(object.expression) && object.expression.text === 'require' && envRef(ts, access.argumentExpression)) report(access, 'perEnvModule', '');
  }
}

const rule: Rule = {
  meta: {
    id: 'dev-prod-parity/env-branching',
    factor: 'dev-prod-parity',
    severity: 'info',
    description: 'Code that picks different backing services, hosts or config files depending on NODE_ENV/APP_ENV.',
    rationale: 'Dev/prod parity (factor X) keeps development, staging and production as similar as possible; config (factor III) varies per deploy through the environment, not through code paths named after environments. A branch on NODE_ENV that selects a different database or host means the production path only ever runs in production, and every new environment (a preview, a second region) needs a code change.',
    messages: {
      branch: 'Branching on {{condition}} selects a different backing service, host or config value: read that value from the environment instead, so every environment runs the same code path.',
      switch: 'switch on {{condition}} selects different backing services, hosts or config values per environment: read them from the environment instead, so every environment runs the same code path.',
      perEnvModule: 'Loading a config module per environment (config/<env>) keeps deploy config in the codebase: read each value from the environment instead, so a new environment needs no code change.',
    },
    fix: 'none',
    roles: ['server'],
  },
  check: { ts: checkTs },
};

export default rule;
