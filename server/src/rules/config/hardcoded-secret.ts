import type * as TS from 'typescript';
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Env, Arg, Property } from 'dockerfile-ast';
import { envNameFor, findCredential, hasSecretValueShape, isPlaceholder, isVersionLike, isSecretName, isTemplatePlaceholder, maskSecret, nameWords, type CredentialMatch } from '../../engine/secrets';
import { credentialSlotOf, slotsThroughConsts, stringBoundNames, type CredentialSlot } from '../support/credential-slots';
import type { Fix, Rule, RuleContext, StatementwiseCheck } from '../../engine/types';
import { statementwiseTs } from '../../engine/statement-memo';
import { importBindingsKey } from '../support/module-imports';
import { enclosingScopeKey, joinedParts, topLevelNodeKey, topLevelVariableTexts, unionOfParts } from '../support/statement-facts';
import type { ParsedTs } from '../../parse/typescript';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import { mapPairs, type ParsedCompose } from '../../parse/compose';
import { envVarRead, nameOf, readsEnv, unwrap } from '../support/ts-helpers';
import { envExampleAppend } from '../support/env-example';

import { anchoredPatterns, stringsOption } from '../../engine/rule-options';

/** The config's `allowPatterns` option: values the project says are not secrets (whole-value match, bounded length). */
function isAllowed(ctx: RuleContext<unknown>, value: string): boolean {
  const patterns = stringsOption(ctx.options.rule, 'allowPatterns');
  if (patterns.length === 0 || value.length > 1000) return false;
  return anchoredPatterns(patterns).some((re) => re.test(value));
}

/** A literal that reads as prose or a label (`"Password"`, `"Enter your API key"`) is not a secret. */
function looksLikeLabel(value: string, name: string | undefined): boolean {
  const trimmed = value.trim();
  if (/\s/.test(trimmed)) {
    // prose: "Password is required", "Enter your API key", "Token:" — but `secret: 'keyboard cat'` is a secret
    const words = trimmed.split(/\s+/);
    const nameParts = name ? nameWords(name) : [];
    if (/^[A-Z]/.test(trimmed) || /[.:!?]$/.test(trimmed) || words.length > 4) return true;
    if (nameParts.some((part) => part.length > 2 && trimmed.toLowerCase().includes(part))) return true;
  }
  if (/^[A-Z][a-z]+(?:[ -][A-Za-z]+)*[:.]?$/.test(value)) return true; // "Password", "Secret:"
  if (/^[A-Z][A-Z0-9_]*$/.test(value)) return true; // an env var name, not its value
  if (name && nameWords(value).join('') === nameWords(name).join('')) return true; // { password: 'password' }
  if (/^(?:\.{0,2}\/|https?:\/\/|[a-z]+:\/\/)/i.test(value)) return true; // paths and URLs (connection strings have their own rule)
  // fetch's `credentials` mode is an enum, not a credential
  if (name && /^credentials$/i.test(name) && /^(?:include|same-origin|omit)$/.test(value)) return true;
  if (/^[a-z]+(?:[._-][a-z]+)*$/.test(value) && value.length <= 12 && /^(?:string|number|boolean|bearer|basic|hidden|text|required|optional|header|cookie|query|body|secret|token|password|jwt|oauth2?|apikey|api-key|x-api-key|authorization)$/.test(value)) return true;
  return false;
}

/**
 * A value that a secret-named slot holds and that itself looks like a secret: not a label, a
 * placeholder, a phrase (`incorrectPassword`, `auth.password.tooShort`), a version or a hash.
 */
function valueSaysSecret(value: string, name: string): boolean {
  return value.length >= 3 && !isPlaceholder(value) && !looksLikeLabel(value, name) && hasSecretValueShape(value);
}

/**
 * Dockerfile and Compose: a credential format anywhere, or a literal (not a placeholder or a
 * label) in a variable whose name says secret: deployment config hands such a variable to the
 * app as its credential, so the name is a slot. The password variables of official database
 * images are slots even for placeholder words (`MYSQL_ROOT_PASSWORD: example` is the password).
 */
function secretValueOf(value: string, name: string | undefined, credential = findCredential(value)): 'name' | 'format' | undefined {
  if (credential) return 'format';
  if (!name || !isSecretName(name)) return undefined;
  if (IMAGE_PASSWORD_VARIABLES.test(name)) return isTemplatePlaceholder(value) ? undefined : 'name';
  if (value.length < 3 || isPlaceholder(value) || isVersionLike(value) || looksLikeLabel(value, name)) return undefined;
  return 'name';
}

/** Password variables that official database images read at first start: a literal there is the password. */
const IMAGE_PASSWORD_VARIABLES = /^(?:MYSQL_(?:ROOT_)?PASSWORD|MARIADB_(?:ROOT_)?PASSWORD|POSTGRES_PASSWORD|PGPASSWORD|PG_PASSWORD|SA_PASSWORD|MSSQL_SA_PASSWORD|MONGO_INITDB_ROOT_PASSWORD|RABBITMQ_DEFAULT_PASS|REDIS_PASSWORD|ELASTIC_PASSWORD)$/;

/** For a generic key (`password`), borrow the enclosing object's name: `db = { password }` → DB_PASSWORD. */
function envNameForNode(ts: typeof TS, name: string, node: TS.Node): string {
  if (nameWords(name).length > 1) return envNameFor(name);
  for (let p: TS.Node | undefined = node.parent?.parent; p; p = p.parent) {
    if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) {
      const owner = nameOf(ts, p.name);
      if (owner && !isSecretName(owner)) return envNameFor(`${owner}_${name}`);
      break;
    }
    if (ts.isCallExpression(p) || ts.isNewExpression(p)) {
      const callee = p.expression;
      const calleeText = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (calleeText === 'session' || calleeText === 'cookieSession') return envNameFor(`session_${name}`);
      if (calleeText && /connection|pool|client|sequelize|datasource|knex/i.test(calleeText)) return envNameFor(`db_${name}`);
      break;
    }
  }
  return envNameFor(name);
}

/** Where a literal flows: the name that receives it (`password` in `{ password: '…' }`). */
function receivingName(ts: typeof TS, literal: TS.Node): string | undefined {
  const parent = literal.parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === literal) return nameOf(ts, parent.name);
  if (ts.isVariableDeclaration(parent) && parent.initializer === literal) return nameOf(ts, parent.name);
  if (ts.isPropertyDeclaration(parent) && parent.initializer === literal) return nameOf(ts, parent.name);
  if (ts.isParameter(parent) && parent.initializer === literal) return nameOf(ts, parent.name);
  if (ts.isBindingElement(parent) && parent.initializer === literal) return nameOf(ts, parent.name);
  if (ts.isBinaryExpression(parent) && parent.right === literal && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return nameOf(ts, parent.left);
  return undefined;
}

/**
 * A literal compared with something (`value === 'changeme'`, `case 'secret':`, a deny-list's
 * `.includes(value)`): the code checks a value, it does not hold one, and no fix may rewrite it.
 */
function isComparedValue(ts: typeof TS, literal: TS.Node): boolean {
  let node: TS.Node = literal;
  if (ts.isArrayLiteralExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsEqualsToken
      || op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
  }
  if (ts.isCaseClause(parent) && parent.expression === node) return true;
  // ['changeme', 'secret'].includes(value), new Set([...]).has(value)
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node && /^(?:includes|indexOf|has|some|find)$/.test(parent.name.text)) return true;
  return ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) && /^(?:includes|indexOf|has)$/.test(parent.expression.name.text) && parent.arguments[0] === node;
}

/** `process.env.X ?? 'literal'` / `|| 'literal'`: the env var whose fallback this literal is. */
function envFallbackOf(ts: typeof TS, literal: TS.Node): string | undefined {
  const parent = literal.parent;
  if (!ts.isBinaryExpression(parent) || parent.right !== literal) return undefined;
  const op = parent.operatorToken.kind;
  if (op !== ts.SyntaxKind.QuestionQuestionToken && op !== ts.SyntaxKind.BarBarToken) return undefined;
  const left = unwrap(ts, parent.left);
  return envVarRead(ts, left) ?? (readsEnv(ts, left) ? '' : undefined);
}

/**
 * A name and a value's shape are weak evidence, too weak in scripts (seeds, setup and release
 * scripts): there a `password = 'admin123'` is the demo user a seed creates, not a credential of
 * the running service. Slots, credential formats and env fallbacks stay evidence everywhere.
 */
function nameEvidenceIsWeak(ctx: RuleContext<ParsedTs>): boolean {
  return ctx.file.role === 'script';
}

function checkTs(ctx: RuleContext<ParsedTs>, summary: () => SecretSummary): void {
  const { ts, sourceFile } = ctx.parsed;
  const literals = [
    ...ctx.parsed.nodesOfKind<TS.StringLiteral>(ts.SyntaxKind.StringLiteral),
    ...ctx.parsed.nodesOfKind<TS.NoSubstitutionTemplateLiteral>(ts.SyntaxKind.NoSubstitutionTemplateLiteral),
  ];
  // a statement view (an edited document's new statements) reads the whole file's from the summary; a whole-file check finds them itself, once, if asked
  let viaConst: Map<TS.Node, CredentialSlot> | undefined;
  const slotThroughConst = (literal: TS.Node) => (viaConst ??= ctx.parsed.whole ? summary().viaConst : slotsThroughConsts(ctx.parsed)).get(literal);
  for (const literal of literals) {
    const parent = literal.parent;
    // type positions, imports, enum members, property keys are not values
    if (ts.isLiteralTypeNode(parent) || ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent)
      || ts.isEnumMember(parent) || ts.isImportTypeNode(parent)
      || (ts.isPropertyAssignment(parent) && parent.name === literal) || ts.isModuleDeclaration(parent)) continue;
    if (ts.isCallExpression(parent) && parent.expression.kind === ts.SyntaxKind.ImportKeyword) continue;
    if (ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'require') continue;
    const value = literal.text;
    // every verdict below needs a character (credential formats need 16): skip the empty ones cheaply
    if (value.length === 0) continue;
    const credential = findCredential(value);
    if (isComparedValue(ts, literal)) {
      // a real credential compared against is still committed; but no fix rewrites a comparison
      if (credential) reportFormat(ctx, literal, value, credential, []);
      continue;
    }
    const slot = credentialSlotOf(ctx.parsed, literal)
      ?? (ts.isVariableDeclaration(parent) ? slotThroughConst(literal) : undefined);
    const name = receivingName(ts, literal);
    const fallbackOf = envFallbackOf(ts, literal);
    let evidence: 'format' | 'slot' | 'named' | 'fallback' | undefined;
    if (slot && !isTemplatePlaceholder(value)) evidence = 'slot';
    else if (credential) evidence = 'format';
    else if (fallbackOf && isSecretName(fallbackOf) && value.length >= 3 && !isPlaceholder(value) && !looksLikeLabel(value, fallbackOf)) evidence = 'fallback';
    else if (name && isSecretName(name) && valueSaysSecret(value, name) && !nameEvidenceIsWeak(ctx)) evidence = 'named';
    if (!evidence || isAllowed(ctx, value)) continue;
    const start = literal.getStart(sourceFile);
    const end = literal.end;
    // high confidence (a credential format, a credential slot): the fix may be the preferred one
    const preferred = evidence === 'format' || evidence === 'slot';
    const envName = fallbackOf || (slot ? slot.envName : name ? envNameForNode(ts, name, literal) : 'SECRET');
    const fixes: Fix[] = [];
    if (fallbackOf) {
      // `process.env.X ?? 'secret'`: drop the fallback so a missing variable fails loudly instead of using the literal
      const binary = parent as TS.BinaryExpression;
      fixes.push({ title: `Remove the hardcoded fallback of ${fallbackOf}`, kind: 'unsafe', preferred, edits: [{ start: binary.left.end, end, newText: '' }] });
    } else {
      fixes.push({
        title: `Read the secret from process.env.${envName} (and add ${envName} to .env.example)`,
        kind: 'unsafe',
        preferred,
        edits: [{ start, end, newText: `process.env.${envName}` }],
        otherFiles: [envExampleAppend(ctx.project, envName)],
      });
    }
    const masked = maskSecret(credential ? value.slice(credential.start, credential.end) : value);
    if (fallbackOf) ctx.report({ messageId: 'fallback', data: { env: fallbackOf, value: masked }, start, end, fixes });
    else if (evidence === 'slot') ctx.report({ messageId: 'sink', data: { name: slot!.sink, value: masked, env: envName }, start, end, fixes });
    else if (credential && (!name || !isSecretName(name))) ctx.report({ messageId: 'format', data: { format: credential.format, value: masked, env: envName }, start, end, fixes });
    else ctx.report({ messageId: 'named', data: { name: name ?? 'value', value: masked, env: envName }, start, end, fixes });
  }
}

interface SecretPart {
  /** Its top-level variable statements' texts. */
  variables: readonly string[];
  /** The names its declarations bind to a string (`stringBoundNames`): `viaConst` follows only those. */
  stringNames: readonly string[];
}

interface SecretSummary {
  /** Import bindings: the slots resolve callees and plugins through them. */
  imports: string;
  /** Top-level variable statements: `throughConst` (a Koa `app`, a const passed to a slot) resolves names through them. */
  variables: string;
  /** Literals that reach a credential slot through a const (the whole file's uses). */
  viaConst: Map<TS.Node, CredentialSlot>;
  /**
   * `viaConst` for the literals of top-level variable statements, by place (not by node): the
   * only ones whose slot can come from a use in another top-level statement (a const in a
   * function or block is seen only inside it), so a kept statement's findings stay right while
   * this is equal.
   */
  viaConstKey: string;
  /** `viaConst` by the literal's `pos`, ascending (`nestedUnitKey` reads a unit's). */
  viaConstByPos: ReadonlyArray<{ pos: number; slot: CredentialSlot }>;
  /** Where the fix's `.env.example` goes (project facts). */
  packageDir: string | undefined;
}

/**
 * Split per top-level statement (engine/statement-memo.ts): a literal's finding reads its own
 * statement, the imports, the top-level consts, the consts' slots found across the file and the
 * package folder, which the summary compares. Findings are always at the literal judged.
 */
const statementwise: StatementwiseCheck<SecretPart, SecretSummary> = {
  part: (ctx, statements) => ({ variables: topLevelVariableTexts(ctx.parsed, statements), stringNames: stringBoundNames(ctx.parsed) }),
  summary(ctx, parts) {
    const whole = ctx.parsed.whole ?? ctx.parsed;
    const viaConst = slotsThroughConsts(whole, unionOfParts(parts.map((p) => p.stringNames)));
    let viaConstKey = '';
    for (const [literal, slot] of viaConst) {
      const place = topLevelNodeKey(whole, literal);
      if (place !== undefined) viaConstKey += `${place}\u0001${slot.sink}\u0001${slot.envName}\u0000`;
    }
    const viaConstByPos = [...viaConst].map(([literal, slot]) => ({ pos: literal.pos, slot })).sort((a, b) => a.pos - b.pos);
    return { imports: importBindingsKey(whole), variables: joinedParts(parts.map((p) => p.variables)), viaConst, viaConstKey, viaConstByPos, packageDir: ctx.project.nearestPackage?.dir };
  },
  sameSummary: (a, b) => a.imports === b.imports && a.variables === b.variables && a.viaConstKey === b.viaConstKey && a.packageDir === b.packageDir,
  // the slots and `throughConst` read a top-level const only through `constInitializer`; `viaConstKey` is compared whole
  constsByName: { sameSummary: (a, b) => a.imports === b.imports && a.viaConstKey === b.viaConstKey && a.packageDir === b.packageDir },
  // below the top level a literal reads outside its statement the consts of its enclosing blocks (`throughConst`), the
  // ancestors' names and callees (`envNameForNode`), and, for a const's literal, the slot its uses elsewhere reach (`viaConst`)
  nestedKey: (ctx, list) => enclosingScopeKey(ctx.parsed, list),
  nestedUnitKey: (_ctx, unit, summary) => slotsInside(summary.viaConstByPos, unit),
  check: checkTs,
};

/** The slots of `viaConst` literals inside `unit`, by offset in it. */
function slotsInside(byPos: SecretSummary['viaConstByPos'], unit: TS.Node): string {
  let lo = 0;
  let hi = byPos.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byPos[mid].pos < unit.pos) lo = mid + 1;
    else hi = mid;
  }
  let key = '';
  for (let i = lo; i < byPos.length && byPos[i].pos < unit.end; i++) key += `${byPos[i].pos - unit.pos}\u0001${byPos[i].slot.sink}\u0001${byPos[i].slot.envName}\u0000`;
  return key;
}

function reportFormat(ctx: RuleContext<ParsedTs>, literal: TS.Node, value: string, credential: CredentialMatch, fixes: Fix[]): void {
  const masked = maskSecret(value.slice(credential.start, credential.end));
  ctx.report({ messageId: 'format', data: { format: credential.format, value: masked, env: 'SECRET' }, start: literal.getStart(ctx.parsed.sourceFile), end: literal.end, fixes });
}

function dockerPropertyFix(ctx: RuleContext<ParsedDockerfile>, instruction: Env | Arg, property: Property): Fix {
  const name = property.getName();
  const nameRange = property.getNameRange();
  const valueRange = property.getValueRange();
  if (instruction.getKeyword() === 'ARG' && valueRange) {
    // ARG NAME=value → ARG NAME: the value is passed with --build-arg (or better, a build secret)
    return { title: `Remove the default value of ARG ${name}`, kind: 'unsafe', edits: [{ start: ctx.offsetAt(nameRange.end), end: ctx.offsetAt(valueRange.end), newText: '' }] };
  }
  const properties = (instruction as Env).getProperties();
  const instrRange = instruction.getRange();
  const comment = `# ${name} is a secret: provide it at run time (docker run -e ${name}, compose environment/secrets), never in the image`;
  if (properties.length === 1) {
    return { title: `Remove ENV ${name} from the image and document it`, kind: 'unsafe', edits: [{ start: ctx.offsetAt(instrRange.start), end: ctx.offsetAt(instrRange.end), newText: comment }] };
  }
  // several properties on one ENV: drop this one (and the space before it)
  const start = ctx.offsetAt(property.getRange().start);
  const end = ctx.offsetAt(property.getRange().end);
  let s = start;
  while (s > 0 && /[ \t]/.test(ctx.text[s - 1])) s--;
  return { title: `Remove ${name} from ENV`, kind: 'unsafe', edits: [{ start: s, end, newText: '' }] };
}

function checkDockerfile(ctx: RuleContext<ParsedDockerfile>): void {
  const dockerfile = ctx.parsed.dockerfile;
  const instructions = [...dockerfile.getENVs(), ...dockerfile.getARGs()];
  for (const instruction of instructions) {
    const properties = instruction.getKeyword() === 'ARG' ? [(instruction as Arg).getProperty()].filter((p): p is Property => !!p) : (instruction as Env).getProperties();
    for (const property of properties) {
      const name = property.getName();
      const value = property.getValue();
      const valueRange = property.getValueRange();
      if (value === null || value === '' || !valueRange) continue;
      if (/\$\{?[A-Za-z_]/.test(value) && !findCredential(value)) continue; // ${VAR} reference
      const kind = secretValueOf(value, name);
      if (!kind || isAllowed(ctx, value)) continue;
      const credential = findCredential(value);
      const masked = maskSecret(credential ? value.slice(credential.start, credential.end) : value);
      ctx.report({
        messageId: kind === 'format' && !isSecretName(name) ? 'format' : 'dockerNamed',
        data: { name, value: masked, format: credential?.format ?? '', keyword: instruction.getKeyword(), env: name },
        start: ctx.offsetAt(valueRange.start),
        end: ctx.offsetAt(valueRange.end),
        severity: 'error',
        fixes: [dockerPropertyFix(ctx, instruction as Env | Arg, property)],
      });
    }
  }
}

/** Replaces the value with `${NAME:?…}` (NAME: the variable to read, `key` the entry's own name in list form). */
function composeValueFix(ctx: RuleContext<ParsedCompose>, node: Scalar, name: string, listForm: boolean, key = name): Fix {
  const [start, end] = node.range!;
  const interpolation = `\${${name}:?${name} is required}`;
  if (listForm) {
    // `- NAME=value` → `- NAME=${NAME:?…}`, keeping the item's quoting
    const raw = ctx.text.slice(start, end);
    const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
    const text = quote === "'" ? `'${key}=${interpolation}'` : quote === '"' ? `"${key}=${interpolation}"` : `${key}=${interpolation}`;
    return { title: `Require ${name} from the environment`, kind: 'unsafe', edits: [{ start, end, newText: text }], otherFiles: [envExampleAppend(ctx.project, name)] };
  }
  return { title: `Require ${name} from the environment`, kind: 'unsafe', edits: [{ start, end, newText: `"${interpolation}"` }], otherFiles: [envExampleAppend(ctx.project, name)] };
}

/** `${API_TOKEN:-dev-token}` / `${API_TOKEN-dev-token}` as the whole value: the variable and its literal default. */
function interpolationDefault(value: string): { variable: string; value: string } | undefined {
  const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?-([^${}]*)\}$/.exec(value.trim());
  return m && m[2] !== '' ? { variable: m[1], value: m[2] } : undefined;
}

/**
 * A default in a Compose interpolation is a literal too: when the variable is unset (the usual
 * case on a fresh checkout and in every deploy that forgets it) the service runs with it.
 * Judged like a literal, by the entry's or the variable's name.
 */
function reportComposeDefault(ctx: RuleContext<ParsedCompose>, service: string, entry: { name: string; node: Scalar; valueStart: number; listForm: boolean }, fallback: { variable: string; value: string }, seen: Set<number>): void {
  const slot = [entry.name, fallback.variable].find((n) => IMAGE_PASSWORD_VARIABLES.test(n)) ?? [entry.name, fallback.variable].find((n) => isSecretName(n));
  const kind = slot ? secretValueOf(fallback.value, slot) : secretValueOf(fallback.value, undefined);
  if (!kind || seen.has(entry.valueStart) || isAllowed(ctx, fallback.value)) return;
  seen.add(entry.valueStart);
  const credential = findCredential(fallback.value);
  const masked = maskSecret(credential ? fallback.value.slice(credential.start, credential.end) : fallback.value);
  ctx.report({
    messageId: 'composeDefault',
    data: { name: entry.name, variable: fallback.variable, value: masked, service },
    start: entry.valueStart,
    end: entry.node.range![1],
    fixes: [composeValueFix(ctx, entry.node, fallback.variable, entry.listForm, entry.name)],
  });
}

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  const seen = new Set<number>();
  for (const service of ctx.parsed.services) {
    const environment = service.get('environment');
    const entries: Array<{ name: string; value: string; node: Scalar; valueStart: number; listForm: boolean }> = [];
    if (isMap(environment)) {
      for (const item of mapPairs(service.doc, environment)) {
        if (!isScalar(item.key) || !isScalar(item.value)) continue;
        const raw = item.value.value;
        if (raw === null || raw === undefined || typeof raw === 'object') continue;
        entries.push({ name: String(item.key.value), value: String(raw), node: item.value, valueStart: item.value.range![0], listForm: false });
      }
    } else if (isSeq(environment)) {
      for (const item of environment.items) {
        if (!isScalar(item) || typeof item.value !== 'string') continue;
        const eq = item.value.indexOf('=');
        if (eq <= 0) continue;
        const rawText = ctx.text.slice(item.range![0], item.range![1]);
        const offsetInRaw = rawText.indexOf('=');
        entries.push({ name: item.value.slice(0, eq), value: item.value.slice(eq + 1), node: item, valueStart: item.range![0] + offsetInRaw + 1, listForm: true });
      }
    }
    for (const entry of entries) {
      const { name, value } = entry;
      if (/_FILE$/i.test(name)) continue; // *_FILE points at /run/secrets
      const fallback = interpolationDefault(value);
      if (fallback) {
        reportComposeDefault(ctx, service.name, entry, fallback, seen);
        continue;
      }
      if (value === '' || /\$\{?[A-Za-z_]/.test(value.replace(/\$\$/g, ''))) continue; // interpolated
      const kind = secretValueOf(value, name);
      if (!kind || seen.has(entry.valueStart) || isAllowed(ctx, value)) continue;
      seen.add(entry.valueStart);
      const credential = findCredential(value);
      const masked = maskSecret(credential ? value.slice(credential.start, credential.end) : value);
      ctx.report({
        messageId: kind === 'format' && !isSecretName(name) ? 'format' : 'composeNamed',
        data: { name, value: masked, format: credential?.format ?? '', service: service.name, env: name },
        start: entry.valueStart,
        end: entry.node.range![1],
        fixes: [composeValueFix(ctx, entry.node, name, entry.listForm)],
      });
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'config/hardcoded-secret',
    factor: 'config',
    severity: 'warning',
    description: 'Secrets (passwords, tokens, API keys, private keys) written into code, images or compose files.',
    rationale: 'Config that varies between deploys, and above all credentials, belongs in the environment (factor III). A secret in the codebase is shared with everyone who can read it, ends up in images and logs, and cannot be rotated without a release.',
    messages: {
      named: '"{{name}}" is set to a hardcoded secret {{value}}: read it from the environment (process.env.{{env}}).',
      sink: 'A hardcoded secret {{value}} is passed to {{name}}: read it from the environment (process.env.{{env}}).',
      format: 'This literal contains a {{format}} ({{value}}): credentials belong in the environment or a secret store, not in the codebase.',
      fallback: 'process.env.{{env}} falls back to a hardcoded secret {{value}}: when the variable is missing, every deploy shares this value.',
      dockerNamed: '{{keyword}} {{name}} bakes a secret {{value}} into the image: pass it at run time or use RUN --mount=type=secret.',
      composeNamed: 'Service "{{service}}" sets {{name}} to a hardcoded secret {{value}}: use ${{{env}}} interpolation from the environment or a secret.',
      composeDefault: 'Service "{{service}}" gives {{name}} a hardcoded default secret {{value}} (${{{variable}}:-…}): every deploy without the variable runs with it; require the variable instead.',
    },
    fix: 'unsafe',
    roles: ['server', 'browser', 'script', 'tooling'],
  },
  check: { ts: statementwiseTs(statementwise), dockerfile: checkDockerfile, compose: checkCompose },
  statementwise,
};

export default rule;
