import type * as TS from 'typescript';
import type { Fix, Rule, RuleContext, StatementwiseCheck } from '../../engine/types';
import { statementwiseTs } from '../../engine/statement-memo';
import { crossPart, crossPartsKey, crossPartsKeyApartFromConsts, crossSummary, targetsInView, type CrossSummary, type CrossTarget, type TargetShape } from '../support/cross-statement';
import type { ParsedTs } from '../../parse/typescript';
import { nameWords } from '../../engine/secrets';
import { constResolver, nameOf, unwrap, type ConstResolver } from '../support/ts-helpers';
import { envExampleAppend } from '../support/env-example';
import { bindingOf, namedModules, namesAny, resolveCallee } from '../support/module-imports';
import { hasHint, textHint } from '../../parse/text-hint';
import { parseMemo } from '../../parse/parse-memo';
import { envFirstDefault, isDocumentationValue, replacementFor } from '../support/ts-literals';
import { envStemFromHost, isBareHost, isBindAllAddress, isDeploySpecificHost, isLoopbackHost, isWellKnownHost, parseHttpUrl } from '../support/urls';

/** HTTP client modules and the members whose first argument is a URL. */
const CLIENT_MODULES = new Set(['axios', 'got', 'ky', 'superagent', 'request', 'node-fetch', 'cross-fetch', 'isomorphic-fetch', 'undici', 'http', 'https', 'ofetch', 'needle', 'phin', 'bent', 'wretch', 'socket.io-client']);
const URL_METHODS = new Set(['default', 'get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'request', 'fetch', 'stream', 'connect', 'io', 'ofetch', '$fetch']);
/** Members whose first argument is a config object holding `url`. */
const CONFIG_METHODS = new Set(['default', 'request']);
/** Calls whose `{ host }` option locates a service (not `url.format({ host })`, serializers, loggers). */
const CLIENT_CALLEE = /(?:connect|client|pool|connection|transport|request|^get$|^post$|agent|socket|redis|cluster|sequelize|knex|mongo|datasource|database|producer|consumer|kafka|amqp|nats|elastic|forRoot|forRootAsync|register|init|configure)/i;
const WEBSOCKET_CONSTRUCTORS = new Set(['WebSocket', 'EventSource', 'ReconnectingWebSocket']);

type Usage = 'call' | 'base' | 'host' | 'origin' | 'link';

/** CORS middleware modules: the `origin` of their options names the frontend allowed to call the API. */
const CORS_MODULES = new Set(['cors', '@fastify/cors', 'fastify-cors', '@koa/cors', 'koa2-cors', 'koa-cors', '@hapi/cors']);
/** Backing-service clients: a single-label `host` (`'db'`, `'session-db'`) is a service name there, not a word. */
const BACKING_CLIENT = /(?:redis|pool|cluster|sequelize|knex|mongo|datasource|database|store|kafka|amqp|rabbit|nats|elastic|memcache|createConnection|createClient|^Client$|mysql|postgres|^pg$)/i;
/** Paths of the links a service mails to its users (password reset, verification, invitations). */
const ACCOUNT_LINK = /^\/(?:[\w-]+\/)*(?:reset|verify|verification|confirm|activate|activation|invite|invitation|unsubscribe|magic|magic-link|passwordless|set-password|reset-password|verify-email|confirm-email)(?:[\w-]*)(?:[/?#]|$)/i;

const SELF_PROBE = /^(?::\d+)?\/(?:health|healthz|healthcheck|ready|readyz|readiness|live|livez|liveness|ping|status)\b/;
const DUMMY_HOSTS = /^(?:x|a|n|dummy|base|host|unused|placeholder|local|foo|bar|noop|ignored)$/;

/** `new URL(req.url, 'http://localhost')`: a dummy base only there to parse a relative URL. */
function isDummyBase(target: Target, host: string, origin: string, rest: string): boolean {
  if (target.usage !== 'base' || target.via || rest.replace(/\/$/, '') !== '') return false;
  return DUMMY_HOSTS.test(host) || (isLoopbackHost(host) && !/:\d+$/.test(origin));
}

interface Target {
  literal: TS.StringLiteral | TS.NoSubstitutionTemplateLiteral | TS.TemplateExpression;
  usage: Usage;
  via?: string;
  /** A `host:` of a backing-service client: a single-label name (`'db'`) counts. */
  backing?: boolean;
  /** Where the URL starts in the literal's (head) text: a link inside HTML (`<a href="https://…`). */
  urlOffset?: number;
  /** One element of a list (`origin: ['https://a', 'https://b']`): no single value to move to the environment. */
  inList?: boolean;
}

/** Which of `collectTargets`' passes found a target (its order: the first target of a literal decides). */
const enum Pass { Call, New, Property, Cors, Link }

/** A target where it was found: the pass and the node (a call, `new`, property or template) it was found at. */
interface FoundTarget extends Target {
  pass: Pass;
  origin: TS.Node;
}

/** Follows an argument to the literal it is (`consts`: `constInitializer`, see `constResolver`): directly, through a same-file `const`, the left of `+`, or a template's head. */
function literalOf(ts: typeof TS, consts: ConstResolver, expression: TS.Expression | undefined, usage: Usage, depth = 0): Target | undefined {
  if (!expression || depth > 4) return undefined;
  const e = unwrap(ts, expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { literal: e, usage };
  if (ts.isTemplateExpression(e)) {
    if (e.head.text) return { literal: e, usage };
    return literalOf(ts, consts, e.templateSpans[0].expression, usage, depth + 1); // `${BASE}/users`
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return literalOf(ts, consts, e.left, usage, depth + 1);
  if (ts.isIdentifier(e)) {
    const init = consts(e.text, e);
    const target = init && literalOf(ts, consts, init, 'base', depth + 1);
    return target ? { ...target, usage: usage === 'host' ? 'host' : 'base', via: target.via ?? e.text } : undefined;
  }
  return undefined;
}

/** `namesClient`: the file names one of `CLIENT_MODULES` (else no callee can resolve to one: not resolved). */
function isClientCall(ctx: RuleContext<ParsedTs>, call: TS.CallExpression, namesClient: boolean): 'url' | 'config' | undefined {
  const { ts } = ctx.parsed;
  const callee = call.expression;
  if (ts.isIdentifier(callee) && (callee.text === 'fetch' || callee.text === '$fetch') && !bindingOf(ctx.parsed, callee.text)) return 'url';
  if (!namesClient) return undefined;
  const resolved = resolveCallee(ctx.parsed, callee);
  if (!resolved || !CLIENT_MODULES.has(resolved.module)) return undefined;
  if (resolved.module === 'http' || resolved.module === 'https') return resolved.member === 'get' || resolved.member === 'request' ? 'url' : undefined;
  if (URL_METHODS.has(resolved.member)) {
    const first = call.arguments[0] && unwrap(ts, call.arguments[0]);
    if (first && ts.isObjectLiteralExpression(first)) return CONFIG_METHODS.has(resolved.member) ? 'config' : undefined;
    return 'url';
  }
  return undefined;
}

/** True when an object literal is (nested in) an argument of a call or `new`, i.e. client options. */
function inCallArguments(ts: typeof TS, object: TS.Node): TS.CallExpression | TS.NewExpression | undefined {
  let node: TS.Node = object;
  while (ts.isObjectLiteralExpression(node) && ts.isPropertyAssignment(node.parent) && ts.isObjectLiteralExpression(node.parent.parent)) node = node.parent.parent;
  const parent = node.parent;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(node as TS.Expression)) return parent;
  return undefined;
}

function isBaseUrlName(name: string): boolean {
  if (!/ur[il][^a-z0-9]*$/i.test(name)) return false; // cheap: the last word must be url/uri
  const words = nameWords(name);
  const last = words[words.length - 1];
  const prev = words[words.length - 2];
  return (last === 'url' || last === 'uri') && (prev === 'base' || prev === 'prefix' || prev === 'api' || prev === 'service' || prev === 'server');
}

/**
 * The targets of a parse or statement view, once per view: an edit's new statement is
 * collected for its part and again for its check, through the same view (`statementView`), and
 * nothing else of the context decides them (the imports and the text are the whole file's).
 */
const targetsCache = parseMemo<readonly FoundTarget[]>('hardcoded-endpoint: targets');
function targetsOf(ctx: RuleContext<ParsedTs>): readonly FoundTarget[] {
  let targets = targetsCache.get(ctx.parsed);
  if (!targets) {
    endpointTargetStats.collections++;
    targets = targetsCache.set(ctx.parsed, collectTargets(ctx));
  }
  return targets;
}

/** Counts since the process started (a test counts collections per edit; nothing is timed). */
export const endpointTargetStats = { collections: 0 };

function collectTargets(ctx: RuleContext<ParsedTs>): FoundTarget[] {
  const { ts } = ctx.parsed;
  const targets: FoundTarget[] = [];
  const found = (t: Target | undefined, pass: Pass, origin: TS.Node): void => { if (t) targets.push({ ...t, pass, origin }); };
  // every fetch(BASE + …) of a file resolves BASE through the same blocks: each block's consts are read once
  const consts = constResolver(ts);
  // callees resolve only to modules the file names: most files name no HTTP client
  const named = namedModules(ctx.parsed);
  const namesClient = namesAny(named, CLIENT_MODULES);
  for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const kind = isClientCall(ctx, call, namesClient);
    if (!kind) continue;
    const resolved = resolveCallee(ctx.parsed, call.expression);
    const urlArg = resolved?.module === 'needle' && resolved.member === 'default' ? call.arguments[1] : call.arguments[0];
    if (kind === 'url') {
      found(literalOf(ts, consts, urlArg, 'call'), Pass.Call, call);
    } else {
      const object = unwrap(ts, call.arguments[0]) as TS.ObjectLiteralExpression;
      for (const p of object.properties) {
        if (ts.isPropertyAssignment(p) && (nameOf(ts, p.name) === 'url' || nameOf(ts, p.name) === 'uri')) found(literalOf(ts, consts, p.initializer, 'call'), Pass.Call, call);
      }
    }
  }
  for (const construct of ctx.parsed.nodesOfKind<TS.NewExpression>(ts.SyntaxKind.NewExpression)) {
    const callee = construct.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name === 'URL' && construct.arguments?.length === 2) {
      found(literalOf(ts, consts, construct.arguments[1], 'base'), Pass.New, construct);
    } else if (name && WEBSOCKET_CONSTRUCTORS.has(name)) {
      found(literalOf(ts, consts, construct.arguments?.[0], 'base'), Pass.New, construct);
    } else if (named.has('undici')) {
      const resolved = resolveCallee(ctx.parsed, callee);
      if (resolved?.module === 'undici' && ['Pool', 'Client', 'Agent'].includes(resolved.member)) found(literalOf(ts, consts, construct.arguments?.[0], 'base'), Pass.New, construct);
    }
  }
  for (const property of ctx.parsed.nodesOfKind<TS.PropertyAssignment>(ts.SyntaxKind.PropertyAssignment)) {
    const name = nameOf(ts, property.name);
    if (!name) continue;
    if (isBaseUrlName(name)) {
      found(literalOf(ts, consts, property.initializer, 'base'), Pass.Property, property);
      continue;
    }
    const call = inCallArguments(ts, property.parent);
    if (!call) continue;
    const callee = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ts.isIdentifier(call.expression) ? call.expression.text : '';
    if (/^(?:listen|createServer|bind)$/.test(callee)) continue; // a bind address, not an endpoint
    if (name === 'endpoint' || name === 'endpointUrl') {
      found(literalOf(ts, consts, property.initializer, 'base'), Pass.Property, property);
    } else if ((name === 'host' || name === 'hostname') && (ts.isNewExpression(call) || CLIENT_CALLEE.test(callee))) {
      const t = literalOf(ts, consts, property.initializer, 'host');
      found(t && { ...t, backing: BACKING_CLIENT.test(callee) }, Pass.Property, property);
    }
  }
  targets.push(...corsOrigins(ctx), ...accountLinks(ctx));
  return targets;
}

/** Every CORS origin option names `origin`: without the word, no options object to walk (answered once per version, around the edit). */
const MENTIONS_ORIGIN = textHint(['origin']);

/** Whether an options object configures CORS: passed to a CORS middleware or `enableCors`, or the value of a `cors:` option. */
function isCorsOptions(ctx: RuleContext<ParsedTs>, object: TS.ObjectLiteralExpression): boolean {
  const { ts } = ctx.parsed;
  const parent = object.parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === object) return nameOf(ts, parent.name) === 'cors';
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(object)) {
    if (ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'enableCors') return true;
    if (ts.isCallExpression(parent) && parent.arguments.length >= 2 && parent.arguments[1] === object && ts.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'register') {
      const plugin = unwrap(ts, parent.arguments[0]);
      const module = ts.isIdentifier(plugin) ? bindingOf(ctx.parsed, plugin.text)?.module : undefined;
      return !!module && CORS_MODULES.has(module); // fastify.register(cors, { origin })
    }
    const resolved = resolveCallee(ctx.parsed, parent.expression);
    return !!resolved && CORS_MODULES.has(resolved.module);
  }
  return false;
}

/** `cors({ origin: 'https://app.acme.io' })`, `enableCors({ origin: [...] })`, `{ cors: { origin } }`: the allowed frontend, written into the code. */
function corsOrigins(ctx: RuleContext<ParsedTs>): FoundTarget[] {
  const { ts } = ctx.parsed;
  if (!hasHint(ctx.parsed, ctx.text, MENTIONS_ORIGIN)) return [];
  const out: FoundTarget[] = [];
  for (const property of ctx.parsed.nodesOfKind<TS.PropertyAssignment>(ts.SyntaxKind.PropertyAssignment)) {
    if (nameOf(ts, property.name) !== 'origin' || !isCorsOptions(ctx, property.parent as TS.ObjectLiteralExpression)) continue;
    const value = unwrap(ts, property.initializer);
    const values = ts.isArrayLiteralExpression(value) ? value.elements.map((e) => unwrap(ts, e as TS.Expression)) : [value];
    for (const v of values) {
      // a wildcard is security/permissive-cors's; regexes, functions and env reads are not a fixed origin
      if ((ts.isStringLiteral(v) || ts.isNoSubstitutionTemplateLiteral(v)) && v.text !== '*') out.push({ literal: v, usage: 'origin', inList: values.length > 1 || v !== value, pass: Pass.Cors, origin: property });
    }
  }
  return out;
}

/** `` `https://app.acme.io/reset-password?token=${token}` ``: a link the service sends out, on a host written into the code. */
function accountLinks(ctx: RuleContext<ParsedTs>): FoundTarget[] {
  const { ts } = ctx.parsed;
  const out: FoundTarget[] = [];
  for (const template of ctx.parsed.nodesOfKind<TS.TemplateExpression>(ts.SyntaxKind.TemplateExpression)) {
    const head = template.head.text;
    // the link may open the text or sit in markup (`<a href="https://…/reset?token=${token}">`)
    const at = head.search(/(?:^|["'(\s=>])https?:\/\//i);
    if (at < 0) continue;
    const urlOffset = /^https?:/i.test(head.slice(at)) ? at : at + 1;
    const url = parseHttpUrl(head.slice(urlOffset));
    if (url && ACCOUNT_LINK.test(url.rest)) out.push({ literal: template, usage: 'link', urlOffset, pass: Pass.Link, origin: template });
  }
  return out;
}

function escapeTemplate(text: string): string {
  return text.replace(/[`\\]|\$\{/g, (m) => `\\${m}`);
}

function envNameFor(target: Target, host: string): string {
  if (target.usage === 'origin') return 'CORS_ORIGIN';
  if (target.usage === 'link') return 'APP_URL';
  const suffix = target.usage === 'host' ? 'HOST' : 'URL';
  if (target.via) {
    const words = nameWords(target.via).filter((w) => !['url', 'uri', 'base', 'endpoint', 'host', 'hostname', 'address', 'addr', 'default'].includes(w));
    if (words.length > 0) return `${words.join('_').toUpperCase()}_${suffix}`;
  }
  const stem = envStemFromHost(host);
  return `${stem ?? (target.usage === 'host' ? 'SERVICE' : 'API')}_${suffix}`;
}

function checkTs(ctx: RuleContext<ParsedTs>, summary: () => EndpointSummary): void {
  const { ts, sourceFile } = ctx.parsed;
  const seen = new Set<TS.Node>();
  const ownNames = ctx.project.nearestPackage?.json.name ? [ctx.project.nearestPackage.json.name.toLowerCase()] : [];
  // a statement view (an edited document's new statements) judges its own literals only, with the targets other statements have in them
  const targets = ctx.parsed.whole ? targetsInView(ctx.parsed, SHAPE, targetsOf(ctx), summary().cross) : targetsOf(ctx);
  for (const target of targets) {
    const { literal } = target;
    if (seen.has(literal)) continue;
    seen.add(literal);
    if (envFirstDefault(ts, literal) !== undefined || isDocumentationValue(ts, literal)) continue;
    const at = target.urlOffset ?? 0;
    const text = (ts.isTemplateExpression(literal) ? literal.head.text : literal.text).slice(at);
    let host: string;
    let origin: string;
    let rest: string;
    if (target.usage === 'host') {
      // loopback hosts in options are mostly bind addresses or dev defaults (Hapi `server({ host: 'localhost' })`)
      const serviceName = target.backing && /^[a-z][a-z0-9-]{0,62}$/i.test(text);
      if (!(isBareHost(text) || serviceName) || isLoopbackHost(text) || isBindAllAddress(text) || ts.isTemplateExpression(literal)) continue;
      host = text.toLowerCase();
      origin = text;
      rest = '';
    } else {
      const url = parseHttpUrl(text);
      if (!url) continue;
      host = url.host;
      origin = url.origin;
      rest = url.rest;
      if (isDummyBase(target, url.host, url.origin, url.rest)) continue;
      // the app calling itself: `'http://localhost:' + port`, a health probe of its own container
      if (isLoopbackHost(url.host) && (rest.startsWith(':') || SELF_PROBE.test(rest))) continue;
    }
    if (isWellKnownHost(host)) continue;
    // a vendor's fixed public endpoint is the same in every deploy: only deploy-specific URLs are config
    // (a `host:` option always locates the app's own backing service)
    // (a CORS origin and the links the service mails out name the app's own frontend: any host is this deploy's)
    if ((target.usage === 'call' || target.usage === 'base') && !isDeploySpecificHost(host, /:\d+$/.test(origin), ownNames)) continue;
    const envName = envNameFor(target, host);
    const start = literal.getStart(sourceFile);
    const end = literal.end;
    let edit: { start: number; end: number; newText: string } | undefined;
    if (ts.isTemplateExpression(literal)) {
      const raw = ctx.text.slice(start + 1 + at, start + 1 + at + origin.length);
      if (raw === origin) edit = { start: start + 1 + at, end: start + 1 + at + origin.length, newText: `\${process.env.${envName}}` };
    } else if (target.inList) {
      edit = undefined;
    } else if (target.usage === 'call' && rest !== '' && rest !== '/') {
      edit = { start, end, newText: replacementFor(ts, literal, `\`\${process.env.${envName}}${escapeTemplate(rest)}\``) };
    } else {
      edit = { start, end, newText: replacementFor(ts, literal, `process.env.${envName}`) };
    }
    const wholeValue = target.usage === 'base' && !ts.isTemplateExpression(literal) ? text : origin;
    const fixes: Fix[] = edit ? [{
      title: `Read the ${target.usage === 'host' ? 'host' : target.usage === 'origin' ? 'allowed origin' : target.usage === 'link' ? "app's public URL" : 'endpoint'} from process.env.${envName} (and add it to .env.example)`,
      kind: 'unsafe',
      edits: [edit],
      otherFiles: [envExampleAppend(ctx.project, envName, wholeValue)],
    }] : [];
    ctx.report({
      messageId: target.usage === 'host' || target.usage === 'origin' || target.usage === 'link' ? target.usage : target.via ? 'viaConst' : 'url',
      data: { value: wholeValue, env: envName, name: target.via ?? '' },
      start,
      end,
      fixes,
    });
  }
}

/** How `crossSummary` and `targetsInView` read a target (support/cross-statement.ts). */
const SHAPE: TargetShape<FoundTarget> = {
  at: (t) => t.literal,
  origin: (t) => t.origin,
  pass: (t) => t.pass,
  describe: (t) => `${t.usage}|${t.via ?? ''}|${t.backing ?? ''}|${t.urlOffset ?? ''}|${t.inList ?? ''}`,
  relocate: (t, literal) => ({ ...t, literal: literal as Target['literal'] }),
};

interface EndpointSummary extends CrossSummary<FoundTarget> {
  ownName: string | undefined;
  /** Where the fix's `.env.example` goes (project facts). */
  packageDir: string | undefined;
}

/**
 * Split per top-level statement (engine/statement-memo.ts). A literal's finding reads its
 * statement, the import bindings and top-level consts, the package, and the targets other
 * statements have in it: a literal is judged by its first target, and a use of a top-level
 * `const` (`fetch(BASE)`) is a target in the const's statement (support/cross-statement.ts).
 */
const statementwise: StatementwiseCheck<readonly CrossTarget<FoundTarget>[], EndpointSummary> = {
  partsKey: (ctx) => crossPartsKey(ctx.parsed),
  part: (ctx) => crossPart(ctx.parsed, SHAPE, targetsOf(ctx)),
  summary(ctx, parts) {
    const pkg = ctx.project.nearestPackage;
    return { ...crossSummary(ctx.parsed, SHAPE, parts), ownName: pkg?.json.name, packageDir: pkg?.dir };
  },
  sameSummary: (a, b) => a.key === b.key && a.ownName === b.ownName && a.packageDir === b.packageDir,
  // the parts and the check follow a name to a top-level const only through `constResolver`/`constInitializer`
  constsByName: { partsKey: (ctx) => crossPartsKeyApartFromConsts(ctx.parsed), sameSummary: (a, b) => statementwise.sameSummary(a, b) },
  check: checkTs,
};

const rule: Rule = {
  meta: {
    id: 'config/hardcoded-endpoint',
    factor: 'config',
    severity: 'info',
    description: 'HTTP/WebSocket endpoints and service hosts written into the code that calls them.',
    rationale: 'The URL of an API or service the app calls differs between deploys (a sandbox in staging, the real one in production, a local stub in development). Config that varies between deploys belongs in the environment (factor III); attached resources are swapped by changing config, not code (factor IV).',
    messages: {
      url: 'Hardcoded endpoint {{value}}: read it from the environment (process.env.{{env}}) so each deploy can point elsewhere.',
      viaConst: '{{name}} holds a hardcoded endpoint {{value}}: read it from the environment (process.env.{{env}}) so each deploy can point elsewhere.',
      host: 'Hardcoded host {{value}}: read it from the environment (process.env.{{env}}) so each deploy can point elsewhere.',
      origin: 'Hardcoded CORS origin {{value}}: read the allowed origin from the environment (process.env.{{env}}) so each deploy allows its own frontend.',
      link: 'Links this service sends out point at the hardcoded host {{value}}: read the app\'s public URL from the environment (process.env.{{env}}) so each deploy links to itself.',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { ts: statementwiseTs(statementwise) },
  statementwise,
};

export default rule;
