import type * as TS from 'typescript';
import type { Fix, Rule, RuleContext, Severity, StatementwiseCheck } from '../../engine/types';
import { statementwiseTs } from '../../engine/statement-memo';
import { enclosingScopeKey, joinedParts, topLevelVariableTexts } from '../support/statement-facts';
import type { ParsedTs } from '../../parse/typescript';
import type { ParsedCompose } from '../../parse/compose';
import { constInitializer, nameOf, readsEnv, unwrap } from '../support/ts-helpers';
import { envExampleAppend } from '../support/env-example';
import { envFirstDefault, isDocumentationValue, leadingText, replacementFor, valueStrings, type StringLike } from '../support/ts-literals';
import { exampleConnectionString, maskConnectionString, parseConnectionString, type ConnectionString } from '../support/urls';
import { environmentEntries, requireFromEnvFix } from '../support/compose-env';

/** Calls whose literal argument is a pattern or prefix test, not a connection: `url.startsWith('redis://')`. */
const PREFIX_METHODS = new Set(['startsWith', 'endsWith', 'includes', 'indexOf', 'replace', 'replaceAll', 'match', 'test', 'split']);

function isPrefixCheck(ts: typeof TS, node: TS.Node): boolean {
  const parent = node.parent;
  if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && PREFIX_METHODS.has(parent.expression.name.text)) return true;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  }
  return ts.isCaseClause(parent);
}

/** The literal text of a template with its substitutions as `${…}` markers (so they read as interpolated). */
function templateText(ts: typeof TS, node: StringLike, sf: TS.SourceFile, forExample = false): string {
  if (!ts.isTemplateExpression(node)) return node.text;
  return node.head.text + node.templateSpans.map((span) => {
    const name = span.expression.getText(sf).replace(/[^A-Za-z0-9_.]/g, '');
    return (forExample ? `<${name || 'value'}>` : '${' + (name || 'x') + '}') + span.literal.text;
  }).join('');
}

/**
 * `nats://${cfg.host}:${cfg.port}`, `mongodb://${DB_HOST}:${DB_PORT}/${DB_NAME}`: every host is a
 * substitution, so which server to reach comes from configuration, not from the code. A
 * substitution of a const holding a string literal (`const HOST = 'db.internal'`) is still a literal.
 */
function hostFromConfig(ts: typeof TS, node: StringLike, conn: ConnectionString): boolean {
  if (!ts.isTemplateExpression(node) || conn.hasPassword) return false;
  const hosts = conn.host.split(',');
  if (hosts.length === 0 || !hosts.every((h) => h.startsWith('${'))) return false;
  return node.templateSpans.every((span) => {
    const e = unwrap(ts, span.expression);
    if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e)) return false;
    const init = ts.isIdentifier(e) ? constInitializer(ts, e.text, e) : undefined;
    return !(init && (ts.isStringLiteralLike(unwrap(ts, init)) || ts.isTemplateExpression(unwrap(ts, init))));
  });
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts, sourceFile } = ctx.parsed;
  for (const node of valueStrings(ctx.parsed)) {
    const head = leadingText(ts, node);
    if (!/^\s*(?:[a-z][a-z0-9+]*:\/\/|jdbc:)/i.test(head)) continue;
    // a URL assembled from the environment (`postgres://${process.env.DB_USER}:…`) is configuration, not a literal
    if (ts.isTemplateExpression(node) && node.templateSpans.some((span) => readsEnv(ts, span.expression))) continue;
    const value = templateText(ts, node, sourceFile);
    const conn = parseConnectionString(value);
    if (!conn || isPrefixCheck(ts, node) || isDocumentationValue(ts, node) || hostFromConfig(ts, node, conn)) continue;
    // a script a developer runs (setup, seed, migration) pointing at the database on their own machine
    if (conn.isLocal && (ctx.file.role === 'script' || ctx.file.role === 'tooling')) continue;
    if (!conn.hasPassword && isStoredDefault(ts, node)) continue;
    const start = node.getStart(sourceFile);
    const end = node.end;
    const fallbackOf = envFirstDefault(ts, node);
    const shown = maskConnectionString(value);
    const example = exampleConnectionString(templateText(ts, node, sourceFile, true));
    if (fallbackOf !== undefined) {
      const severity: Severity = conn.hasPassword ? 'error' : conn.isLocal ? 'hint' : 'warning';
      const envName = fallbackOf || conn.envName;
      const fixes: Fix[] = [];
      const binary = node.parent;
      if (ts.isBinaryExpression(binary) && binary.right === node) {
        fixes.push({
          title: `Remove the hardcoded default of ${envName} (and add ${envName} to .env.example)`,
          kind: 'unsafe',
          edits: [{ start: binary.left.end, end, newText: '' }],
          otherFiles: [envExampleAppend(ctx.project, envName, example)],
        });
      }
      ctx.report({ messageId: conn.hasPassword ? 'fallbackPassword' : 'fallback', data: { url: shown, env: envName }, start, end, severity, fixes });
      continue;
    }
    const replacement = replacementFor(ts, node, `process.env.${conn.envName}`);
    const devBlock = !conn.hasPassword && conn.isLocal && inDevelopmentBlock(ts, node);
    ctx.report({
      messageId: conn.hasPassword ? 'password' : 'literal',
      data: { url: shown, env: conn.envName, kind: kindOf(conn) },
      start,
      end,
      severity: conn.hasPassword ? 'error' : devBlock ? 'hint' : undefined,
      fixes: [{
        title: `Read the connection string from process.env.${conn.envName} (and add it to .env.example)`,
        kind: 'unsafe',
        edits: [{ start, end, newText: replacement }],
        otherFiles: [envExampleAppend(ctx.project, conn.envName, example)],
      }],
    });
  }
}

/**
 * The `defaultValue` of a field or setting declaration (`{ type: 'string', defaultValue: 'redis://…' }`:
 * an admin-editable setting seeded into the database, a Sequelize column default): data the app stores
 * and its users change, not the connection this code makes.
 */
interface ConnectionSummary {
  /** Top-level variable statements: `hostFromConfig` follows template spans to top-level consts. */
  variables: string;
  /** Where the fix's `.env.example` goes (project facts). */
  packageDir: string | undefined;
}

/**
 * Split per top-level statement (engine/statement-memo.ts): a literal's finding reads its own
 * statement, the top-level consts and the package folder, which the summary compares.
 */
const statementwise: StatementwiseCheck<readonly string[], ConnectionSummary> = {
  part: (ctx, statements) => topLevelVariableTexts(ctx.parsed, statements),
  summary: (ctx, parts) => ({ variables: joinedParts(parts), packageDir: ctx.project.nearestPackage?.dir }),
  sameSummary: (a, b) => a.variables === b.variables && a.packageDir === b.packageDir,
  // `hostFromConfig` reads a top-level const only through `constInitializer`
  constsByName: { sameSummary: (a, b) => a.packageDir === b.packageDir },
  // below the top level a literal reads outside its statement only the consts of its enclosing blocks (`hostFromConfig`) and the ancestors' kinds and property names (`inDevelopmentBlock`)
  nestedKey: (ctx, list) => enclosingScopeKey(ctx.parsed, list),
  check: (ctx) => checkTs(ctx),
};

function isStoredDefault(ts: typeof TS, node: TS.Node): boolean {
  const parent = node.parent;
  if (!ts.isPropertyAssignment(parent) || parent.initializer !== node || nameOf(ts, parent.name) !== 'defaultValue') return false;
  const object = parent.parent;
  return ts.isObjectLiteralExpression(object) && object.properties.some((p) => nameOf(ts, p.name) === 'type');
}

/** Inside the `development:`/`test:` block of per-environment config (a knexfile): a local default, not a deploy's config. */
function inDevelopmentBlock(ts: typeof TS, node: TS.Node): boolean {
  let depth = 0;
  for (let p: TS.Node | undefined = node.parent; p && depth < 6; p = p.parent, depth++) {
    if (ts.isPropertyAssignment(p) && /^(?:dev|development|local|test|testing)$/.test(p.name.getText().replace(/['"]/g, ''))) return true;
    if (ts.isFunctionLike(p) || ts.isSourceFile(p)) return false;
  }
  return false;
}

function kindOf(conn: ConnectionString): string {
  const names: Record<string, string> = { postgres: 'PostgreSQL', postgresql: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB', mongodb: 'MongoDB', 'mongodb+srv': 'MongoDB', redis: 'Redis', rediss: 'Redis', amqp: 'AMQP broker', amqps: 'AMQP broker', nats: 'NATS', kafka: 'Kafka', mssql: 'SQL Server', sqlserver: 'SQL Server', jdbc: 'JDBC' };
  return names[conn.scheme] ?? conn.scheme;
}

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  for (const entry of environmentEntries(ctx.parsed, ctx.text)) {
    const conn = parseConnectionString(entry.value);
    if (!conn || !conn.hasPassword) continue; // a compose file is where config lives: only embedded passwords are a problem
    ctx.report({
      messageId: 'compose',
      data: { service: entry.service.name, name: entry.name, url: maskConnectionString(entry.value) },
      start: entry.valueStart,
      end: entry.valueEnd,
      severity: 'error',
      fixes: [requireFromEnvFix(ctx.text, entry, ctx.project, exampleConnectionString(entry.value))],
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'config/hardcoded-connection-string',
    factor: 'config',
    severity: 'warning',
    description: 'Connection strings of backing services (databases, caches, brokers) written into code or compose files.',
    rationale: 'Which database, cache or broker a deploy talks to is config that varies between deploys (factor III), and backing services are attached resources swapped by changing config, not code (factor IV). A URL in the code ties every deploy to one host, and an embedded password leaks to everyone who can read the repository.',
    messages: {
      literal: 'Hardcoded {{kind}} connection string {{url}}: read it from the environment (process.env.{{env}}).',
      password: 'Hardcoded {{kind}} connection string with an embedded password {{url}}: read it from the environment (process.env.{{env}}) and rotate the password.',
      fallback: 'The default {{url}} is used whenever {{env}} is unset: prefer failing fast over silently connecting to a fixed host.',
      fallbackPassword: 'The default of {{env}} embeds a password ({{url}}): every deploy without {{env}} connects with it; remove the default and rotate the password.',
      compose: 'Service "{{service}}" sets {{name}} to a connection string with an embedded password ({{url}}): interpolate it from the environment instead.',
    },
    fix: 'unsafe',
    roles: ['server', 'browser', 'script', 'tooling'],
  },
  check: { ts: statementwiseTs(statementwise), compose: checkCompose },
  statementwise,
};

export default rule;
