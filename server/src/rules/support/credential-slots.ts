/**
 * Credential slots of known APIs: the argument or option where a library expects a secret
 * (`session({ secret })`, `cookieParser(secret)`, `jwt.sign(payload, key)`, a database client's
 * `password`, `createHmac(alg, key)`, a passport strategy's `clientSecret`, `new Stripe(key)`).
 * A literal there is a secret whatever it says (`'keyboard cat'`, `'shhhhh'`): the slot, not
 * the value, is the evidence. Everything here is read from the shared parse and the import tracker.
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../../parse/typescript';
import { originOf, resolveCallee, wholeModuleOf } from './module-imports';
import { calleeName, dottedName, nameOf, throughConst, unwrap } from './ts-helpers';

export interface CredentialSlot {
  /** What receives the literal, for messages: `session() secret`, `jwt.sign()`. */
  sink: string;
  /** The env var name a fix would read the value from. */
  envName: string;
}

/** Positional secrets: `module.member(…)` (or a bare call of the member) and the argument index. */
const POSITIONAL: ReadonlyArray<{ modules: readonly string[]; members: readonly string[]; index: number; sink: string; env: string }> = [
  { modules: ['jsonwebtoken'], members: ['sign', 'verify'], index: 1, sink: 'jwt.{{member}}()', env: 'JWT_SECRET' },
  { modules: ['crypto'], members: ['createHmac'], index: 1, sink: 'createHmac()', env: 'HMAC_SECRET' },
  { modules: ['cookie-parser'], members: ['default'], index: 0, sink: 'cookieParser()', env: 'COOKIE_SECRET' },
  { modules: ['stripe'], members: ['default'], index: 0, sink: 'Stripe()', env: 'STRIPE_SECRET_KEY' },
  { modules: ['@sendgrid/mail'], members: ['setApiKey'], index: 0, sink: 'setApiKey()', env: 'SENDGRID_API_KEY' },
  { modules: ['twilio'], members: ['default'], index: 1, sink: 'twilio()', env: 'TWILIO_AUTH_TOKEN' },
  { modules: ['sequelize'], members: ['default', 'Sequelize'], index: 2, sink: 'new Sequelize() password', env: 'DB_PASSWORD' },
];

/** Modules whose options hold a session or signing secret under `secret`/`keys`. */
const SESSION_MODULES = new Set(['express-session', 'cookie-session', 'koa-session', '@fastify/session', '@fastify/secure-session', '@fastify/cookie', 'fastify-cookie', 'express-jwt', '@fastify/jwt', 'fastify-jwt', 'koa-jwt', '@nestjs/jwt', 'passport-jwt', 'iron-session', 'next-auth']);
/** Option names that hold a secret in those modules' options. */
const SESSION_OPTIONS = new Set(['secret', 'secretOrKey', 'secretOrPrivateKey', 'privateKey', 'keys', 'password']);

/** Database, cache, queue and mail clients whose connection options carry a `password`. */
const CLIENT_MODULES = new Set(['mysql', 'mysql2', 'mysql2/promise', 'pg', 'postgres', 'sequelize', 'knex', 'mongoose', 'mongodb', 'redis', 'ioredis', 'typeorm',
  'mssql', 'tedious', 'oracledb', 'nodemailer', 'amqplib', 'cassandra-driver', 'neo4j-driver', 'mariadb', '@mikro-orm/core', 'bullmq', 'bull', 'kafkajs']);
/** Option names that hold a client's password. */
const CLIENT_PASSWORD_OPTIONS = new Set(['password', 'pass', 'pwd']);
/** Constructors named like these hold client credentials even when their import is not visible (a wrapper module). */
const CLIENT_CALLEES = /^(?:createConnection|createPool|createClient|createTransport|Pool|Client|Sequelize|DataSource|Redis|knex|Knex)$/;

/** Callee names that can be a positional slot when called on a receiver (`jwt.sign`, `crypto.createHmac`). */
const POSITIONAL_NAMES = new Set(['sign', 'verify', 'createHmac', 'setApiKey', 'Sequelize', 'Stripe', 'cookieParser']);
/** Every option name any option slot below knows: other keys exit before import resolution. */
const OPTION_KEYS = new Set([...SESSION_OPTIONS, ...CLIENT_PASSWORD_OPTIONS, 'clientSecret', 'consumerSecret', 'apiKey']);

function positionalSlot(parsed: ParsedTs, call: TS.CallExpression | TS.NewExpression, index: number): CredentialSlot | undefined {
  const { ts } = parsed;
  const name = calleeName(ts, call);
  // cheap exit first: most calls with a string argument (`t('key')`, `res.send('ok')`) are no API of these
  if (index > 2 || name === undefined || (!POSITIONAL_NAMES.has(name) && !ts.isIdentifier(call.expression))) return undefined;
  const resolved = resolveCallee(parsed, call.expression);
  for (const slot of POSITIONAL) {
    if (slot.index !== index) continue;
    const byImport = resolved && slot.modules.includes(resolved.module) && slot.members.includes(resolved.member);
    // `jwt.sign(…)` / `crypto.createHmac(…)` where the receiver's import is out of sight (a re-export, a global)
    const byName = !resolved && name !== undefined && slot.members.includes(name) && slot.members[0] !== 'default' && receiverLooksLike(ts, call.expression, slot.modules[0]);
    if (byImport || byName) return { sink: slot.sink.replace('{{member}}', resolved?.member ?? name ?? ''), envName: slot.env };
  }
  if (!resolved && index === 0 && ts.isIdentifier(call.expression) && call.expression.text === 'cookieParser') return { sink: 'cookieParser()', envName: 'COOKIE_SECRET' };
  if (!resolved && index === 0 && ts.isNewExpression(call) && name === 'Stripe') return { sink: 'Stripe()', envName: 'STRIPE_SECRET_KEY' };
  return undefined;
}

/** `jwt.sign` for jsonwebtoken, `crypto.createHmac` for crypto: the receiver's name says which library. */
function receiverLooksLike(ts: typeof TS, callee: TS.Expression, module: string): boolean {
  if (ts.isIdentifier(callee)) return module === 'crypto'; // a bare createHmac(…) is crypto's
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return false;
  const receiver = callee.expression.text.toLowerCase();
  return module === 'jsonwebtoken' ? /^(?:jwt|jsonwebtoken)$/.test(receiver) : receiver === module;
}

/** The call or `new` an options object (possibly nested: `{ connection: { password } }`, `{ auth: { pass } }`) is passed to. */
function optionsCall(ts: typeof TS, object: TS.ObjectLiteralExpression): TS.CallExpression | TS.NewExpression | undefined {
  let node: TS.Node = object;
  for (let depth = 0; depth < 3; depth++) {
    const parent = node.parent;
    if (!parent) return undefined;
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(node as TS.Expression)) return parent;
    if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)) { node = parent.parent; continue; }
    return undefined;
  }
  return undefined;
}

function optionSlot(parsed: ParsedTs, property: TS.PropertyAssignment | TS.ShorthandPropertyAssignment): CredentialSlot | undefined {
  const { ts } = parsed;
  const key = nameOf(ts, property.name);
  if (!key || !OPTION_KEYS.has(key) || !ts.isObjectLiteralExpression(property.parent)) return undefined;
  const call = optionsCall(ts, property.parent);
  if (!call) return undefined;
  const resolved = resolveCallee(parsed, call.expression);
  const name = calleeName(ts, call);
  if (SESSION_OPTIONS.has(key) && property.parent.parent === call && (resolved ? SESSION_MODULES.has(resolved.module) : name === 'session' || name === 'cookieSession' || name === 'expressSession')) {
    return { sink: `${name ?? 'session'}() ${key}`, envName: 'SESSION_SECRET' };
  }
  // Fastify plugins get their options beside them: fastify.register(fastifyJwt, { secret: 'supersecret' })
  const plugin = SESSION_OPTIONS.has(key) && name === 'register' && property.parent.parent === call ? registeredPlugin(parsed, call, property.parent) : undefined;
  if (plugin) return { sink: `register(${plugin}) ${key}`, envName: /jwt/.test(plugin) ? 'JWT_SECRET' : /cookie/.test(plugin) ? 'COOKIE_SECRET' : 'SESSION_SECRET' };
  if ((key === 'secret' || key === 'secretOrPrivateKey') && name === 'register' && ts.isPropertyAccessExpression(call.expression) && dottedName(ts, call.expression.expression) === 'JwtModule') {
    return { sink: `JwtModule.register() ${key}`, envName: 'JWT_SECRET' };
  }
  if (CLIENT_PASSWORD_OPTIONS.has(key) && (resolved ? CLIENT_MODULES.has(resolved.module) : name !== undefined && CLIENT_CALLEES.test(name))) {
    return { sink: `${name ?? 'client'}() ${key}`, envName: 'DB_PASSWORD' };
  }
  // passport strategies: new GitHubStrategy({ clientSecret: '…' }), new TwitterStrategy({ consumerSecret })
  if ((key === 'clientSecret' || key === 'consumerSecret') && ts.isNewExpression(call) && name !== undefined && /Strategy$/.test(name)) {
    return { sink: `new ${name}() ${key}`, envName: envNameOfStrategy(name, key) };
  }
  // new OpenAI({ apiKey }), new Anthropic({ apiKey }): SDK clients constructed with their key
  if (key === 'apiKey' && ts.isNewExpression(call) && property.parent.parent === call && resolved && resolved.module !== '' && !resolved.module.startsWith('.')) {
    return { sink: `new ${name ?? 'client'}() apiKey`, envName: 'API_KEY' };
  }
  return undefined;
}

/** The session/JWT/cookie plugin module a `register(plugin, options)` call registers with these options. */
function registeredPlugin(parsed: ParsedTs, call: TS.CallExpression | TS.NewExpression, options: TS.ObjectLiteralExpression): string | undefined {
  const args = call.arguments ?? [];
  if (args.length < 2 || args[1] !== options) return undefined;
  const { ts } = parsed;
  let plugin = args[0];
  if (ts.isAwaitExpression(plugin)) plugin = plugin.expression; // register(await import('@fastify/jwt'), …)
  const module = wholeModuleOf(parsed, plugin) ?? originOf(parsed, plugin)?.module;
  return module !== undefined && SESSION_MODULES.has(module) ? module : undefined;
}

function envNameOfStrategy(strategy: string, key: string): string {
  const provider = strategy.replace(/Strategy$/, '').replace(/[^A-Za-z0-9]/g, '').toUpperCase(); // GitHub → GITHUB, not GIT_HUB
  return `${provider ? provider + '_' : ''}${key === 'clientSecret' ? 'CLIENT_SECRET' : 'CONSUMER_SECRET'}`;
}

/**
 * The credential slot a string literal sits in, if any: directly as an argument or option
 * value, or as an element of a `keys`/`secret` array (`cookieSession({ keys: ['a', 'b'] })`).
 */
export function credentialSlotOf(parsed: ParsedTs, literal: TS.Expression): CredentialSlot | undefined {
  const { ts } = parsed;
  let node: TS.Node = literal;
  if (ts.isArrayLiteralExpression(node.parent)) node = node.parent; // secret: ['new', 'old'] rotations
  const slot = slotOfValue(parsed, literal, node);
  // each key of a rotation list gets its own variable (KEYS_1, KEYS_2), not one variable twice
  if (slot && ts.isArrayLiteralExpression(node) && node.elements.length > 1) return { ...slot, envName: `${slot.envName}_${node.elements.indexOf(literal) + 1}` };
  return slot;
}

function slotOfValue(parsed: ParsedTs, literal: TS.Expression, node: TS.Node): CredentialSlot | undefined {
  const { ts } = parsed;
  const parent = node.parent;
  if (!parent) return undefined;
  if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && node === literal) {
    const index = parent.arguments?.indexOf(literal) ?? -1;
    return index >= 0 ? positionalSlot(parsed, parent, index) : undefined;
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) return optionSlot(parsed, parent);
  if (ts.isBinaryExpression(parent) && parent.right === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return koaKeysSlot(parsed, parent.left);
  return undefined;
}

/** Koa signs its cookies with `app.keys = ['…']`, `app` being a `new Koa()` of this file. */
function koaKeysSlot(parsed: ParsedTs, target: TS.Expression): CredentialSlot | undefined {
  const { ts } = parsed;
  if (!ts.isPropertyAccessExpression(target) || target.name.text !== 'keys' || !ts.isIdentifier(target.expression)) return undefined;
  const app = throughConst(ts, target.expression);
  if (!app || !ts.isNewExpression(app) || wholeModuleOf(parsed, app.expression) !== 'koa') return undefined;
  return { sink: `${target.expression.text}.keys (Koa cookie signing keys)`, envName: 'COOKIE_KEYS' };
}

/**
 * The names the declarations among `parsed`'s nodes bind to a string literal: `throughConst`
 * answers a string only for such a name, so the other identifiers are skipped before its scope
 * walk (it scans every enclosing block). A fold over statements (a statementwise part).
 */
export function stringBoundNames(parsed: ParsedTs): readonly string[] {
  const { ts } = parsed;
  let names: string[] | undefined;
  for (const d of parsed.nodesOfKind<TS.VariableDeclaration>(ts.SyntaxKind.VariableDeclaration)) {
    const init = d.initializer && unwrap(ts, d.initializer);
    if (init && ts.isIdentifier(d.name) && (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init))) (names ??= []).push(d.name.text);
  }
  return names ?? NO_NAMES;
}
const NO_NAMES: readonly string[] = Object.freeze([]);

/**
 * Literals that reach a credential slot through a `const` of the same file
 * (`const jwtSecret = 'my_super_secret'; jwt.sign(p, jwtSecret)`): the slot is the evidence,
 * reported at the literal, where the secret is written.
 */
export function slotsThroughConsts(parsed: ParsedTs, stringNames: ReadonlySet<string> = new Set(stringBoundNames(parsed))): Map<TS.Node, CredentialSlot> {
  const { ts } = parsed;
  const found = new Map<TS.Node, CredentialSlot>();
  if (stringNames.size === 0) return found;
  const consider = (argument: TS.Expression) => {
    if (!ts.isIdentifier(argument) || !stringNames.has(argument.text)) return;
    const value = throughConst(ts, argument);
    if (!value || !(ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) || found.has(value)) return;
    const slot = credentialSlotOf(parsed, argument);
    if (slot) found.set(value, slot);
  };
  for (const kind of [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression]) {
    for (const call of parsed.nodesOfKind<TS.CallExpression | TS.NewExpression>(kind)) call.arguments?.forEach(consider);
  }
  for (const property of parsed.nodesOfKind<TS.PropertyAssignment>(ts.SyntaxKind.PropertyAssignment)) consider(property.initializer);
  for (const shorthand of parsed.nodesOfKind<TS.ShorthandPropertyAssignment>(ts.SyntaxKind.ShorthandPropertyAssignment)) {
    // session({ secret }) with `const secret = '…'`: the shorthand's name is the option and the const
    if (!stringNames.has(shorthand.name.text)) continue;
    const init = throughConst(ts, shorthand.name);
    if (!init || !(ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) || found.has(init)) continue;
    const slot = optionSlot(parsed, shorthand);
    if (slot) found.set(init, slot);
  }
  return found;
}
