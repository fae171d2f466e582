/**
 * "Extract to environment variable": a refactoring offered on a hardcoded config literal in
 * TS/JS (a secret, a connection string, an endpoint, a port). It rewrites the literal to
 * `process.env.NAME ?? <old>` (no default for secrets: a default would keep the secret in
 * code), and appends `NAME=` to `.env.example` (creating it). Pure: the host turns the plan
 * into a WorkspaceEdit (LSP) or a diff (CLI `--fix-dry-run`).
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../../parse/typescript';
import { envNameFor, findCredential, isSecretName } from '../secrets';
import { containsSecret } from '../mask';
import type { Fix } from '../types';
import type { ProjectContext } from '../project-context';

export type ConfigLiteralKind = 'secret' | 'connection-string' | 'endpoint' | 'port';

export interface ExtractPlan {
  kind: ConfigLiteralKind;
  envName: string;
  fix: Fix;
}

const SERVICE_SCHEMES: Record<string, string> = {
  postgres: 'DATABASE_URL', postgresql: 'DATABASE_URL', mysql: 'DATABASE_URL', mariadb: 'DATABASE_URL', mssql: 'DATABASE_URL',
  mongodb: 'MONGODB_URL', 'mongodb+srv': 'MONGODB_URL', redis: 'REDIS_URL', rediss: 'REDIS_URL', amqp: 'AMQP_URL', amqps: 'AMQP_URL',
  nats: 'NATS_URL', kafka: 'KAFKA_URL',
};

/** `postgres://app:secret@db/x` → `postgres://app:CHANGE_ME@db/x`: the example documents the shape, never the password. */
function withoutPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^@/\s]+)@/i, '$1:CHANGE_ME@');
}

function literalAt(ts: typeof TS, sf: TS.SourceFile, offset: number): TS.StringLiteral | TS.NoSubstitutionTemplateLiteral | TS.NumericLiteral | undefined {
  let found: TS.Node | undefined;
  const visit = (node: TS.Node): void => {
    if (offset < node.getStart(sf) || offset > node.end) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) found = node;
    else node.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return found as TS.StringLiteral | TS.NumericLiteral | undefined;
}

function receivingName(ts: typeof TS, node: TS.Node): string | undefined {
  const p = node.parent;
  if ((ts.isPropertyAssignment(p) || ts.isVariableDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isParameter(p)) && p.initializer === node) {
    const n = p.name;
    if (ts.isIdentifier(n) || ts.isStringLiteral(n)) return n.text;
  }
  if (ts.isBinaryExpression(p) && p.right === node && ts.isPropertyAccessExpression(p.left)) return p.left.name.text;
  return undefined;
}

function classify(ts: typeof TS, literal: TS.Node, name: string | undefined): { kind: ConfigLiteralKind; envName: string } | undefined {
  if (ts.isNumericLiteral(literal)) {
    const value = Number(literal.text);
    const call = literal.parent;
    const isListen = ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'listen';
    if ((isListen || (name && /port$/i.test(name))) && value > 0 && value < 65536) return { kind: 'port', envName: name && !/^port$/i.test(name) ? envNameFor(name) : 'PORT' };
    return undefined;
  }
  const value = (literal as TS.StringLiteral).text;
  const scheme = /^([a-z][a-z0-9+]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme && SERVICE_SCHEMES[scheme]) return { kind: 'connection-string', envName: name && !/^(url|uri|connectionString)$/i.test(name) ? envNameFor(name) : SERVICE_SCHEMES[scheme] };
  if (findCredential(value) || (name && isSecretName(name) && value.length > 0)) return { kind: 'secret', envName: name ? envNameFor(name) : 'SECRET' };
  if (scheme === 'http' || scheme === 'https' || scheme === 'ws' || scheme === 'wss') {
    const host = /^[a-z]+:\/\/([^/:?#]+)/i.exec(value)?.[1] ?? 'service';
    const base = name && !/^(url|uri|baseURL|baseUrl|endpoint)$/.test(name) ? envNameFor(name) : `${envNameFor(host.split('.')[0])}_URL`;
    return { kind: 'endpoint', envName: base.endsWith('_URL') || base.endsWith('_URI') ? base : `${base}_URL` };
  }
  return undefined;
}

/** The extract plan for the literal at `offset`, or undefined when it is not hardcoded config. */
export function planExtractToEnv(parsed: ParsedTs, offset: number, project: ProjectContext = {}): ExtractPlan | undefined {
  const { ts, sourceFile } = parsed;
  const literal = literalAt(ts, sourceFile, offset);
  if (!literal) return undefined;
  const name = receivingName(ts, literal);
  const kind = classify(ts, literal, name);
  if (!kind) return undefined;
  const start = literal.getStart(sourceFile);
  const oldText = literal.getText(sourceFile);
  const envRead = `process.env.${kind.envName}`;
  let replacement: string;
  let example: string;
  const text = ts.isNumericLiteral(literal) ? '' : (literal as TS.StringLiteral).text;
  // any URL with a password (an endpoint as much as a connection string), any token inside the value
  const embedsPassword = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:[^@/\s]+@/i.test(text);
  if (kind.kind === 'secret' || embedsPassword || containsSecret(text)) {
    // no default: a default would keep the secret (or the URL's password) in the code;
    // the example documents a URL's shape without its password, or stays empty (`NAME=`)
    replacement = envRead;
    const shape = embedsPassword ? withoutPassword(text) : '';
    example = containsSecret(shape.replace(':CHANGE_ME@', '@')) ? '' : shape;
  } else if (kind.kind === 'port') {
    replacement = `Number(${envRead} ?? ${oldText})`;
    example = oldText;
  } else {
    replacement = `${envRead} ?? ${oldText}`;
    const value = (literal as TS.StringLiteral).text;
    example = kind.kind === 'connection-string' ? withoutPassword(value) : value;
  }
  // `a ?? b` inside a larger expression needs parentheses to keep its meaning
  const parent = literal.parent;
  const needsParens = replacement.includes('??') && (ts.isBinaryExpression(parent) || ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isConditionalExpression(parent) || ts.isPrefixUnaryExpression(parent));
  if (needsParens) replacement = `(${replacement})`;
  const dir = project.nearestPackage?.dir;
  const comment = replacement === envRead ? ' secret: set it in the deploy environment, never commit its value' : '';
  return {
    kind: kind.kind,
    envName: kind.envName,
    fix: {
      title: `Extract to environment variable ${kind.envName}`,
      kind: 'suggestion',
      edits: [{ start, end: literal.end, newText: replacement }],
      otherFiles: [{
        path: dir ? `${dir}/.env.example` : '.env.example',
        append: `${comment ? `#${comment}\n` : ''}${kind.envName}=${example}\n`,
        unlessLineStartsWith: `${kind.envName}=`,
      }],
    },
  };
}
