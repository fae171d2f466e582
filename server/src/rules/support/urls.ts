/**
 * URLs of backing services and HTTP endpoints: recognising them in literal values, naming the
 * environment variable that should hold them, and masking the credentials they embed.
 */
import { isPlaceholder, maskSecret } from '../../engine/secrets';

export interface ConnectionString {
  scheme: string;
  /** The env var conventionally holding this kind of URL (`DATABASE_URL`, `REDIS_URL`…). */
  envName: string;
  user?: string;
  password?: string;
  /** The password is a real literal (not empty, not a placeholder, not interpolated). */
  hasPassword: boolean;
  host: string;
  /** Every host is localhost / a loopback address. */
  isLocal: boolean;
}

const SCHEME_ENV: ReadonlyArray<[RegExp, string]> = [
  [/^(?:postgres|postgresql|mysql|mariadb|mssql|sqlserver|jdbc)$/, 'DATABASE_URL'],
  [/^mongodb(?:\+srv)?$/, 'MONGODB_URL'],
  [/^rediss?$/, 'REDIS_URL'],
  [/^amqps?$/, 'AMQP_URL'],
  [/^nats$/, 'NATS_URL'],
  [/^kafka$/, 'KAFKA_URL'],
];

const CONNECTION = /^(?:jdbc:([a-z0-9]+):(?:[a-z0-9]+:)*\/\/|(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|nats|kafka|mssql|sqlserver):\/\/)([^\s/?#]*)/i;

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '0.0.0.0' || h === 'host.docker.internal';
}

/** Parses a backing-service URL (`postgres://user:pass@db:5432/app`, `jdbc:mysql://…`); undefined for anything else. */
export function parseConnectionString(value: string): ConnectionString | undefined {
  const v = value.trim();
  const m = CONNECTION.exec(v);
  if (!m) return undefined;
  const scheme = (m[1] ? 'jdbc' : m[2]).toLowerCase();
  const authority = m[3];
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  const hosts = at >= 0 ? authority.slice(at + 1) : authority;
  // jdbc:postgresql://host/db?user=x&password=y also embeds a password
  const queryPassword = /[?&;]password=([^&;\s]+)/i.exec(v)?.[1];
  if (!hosts && !userinfo) return undefined; // a bare scheme prefix such as 'redis://' (a prefix check, not a URL)
  const colon = userinfo.indexOf(':');
  const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo || undefined;
  const password = colon >= 0 ? userinfo.slice(colon + 1) : queryPassword;
  const interpolated = password !== undefined && /\$\{?[A-Za-z_]|\{\{|%s|<[^>]*>/.test(password.replace(/\$\$/g, ''));
  const hasPassword = password !== undefined && password !== '' && !interpolated && !isPlaceholder(decodeSafe(password));
  const hostList = hosts.split(',').map((h) => h.replace(/:\d+$/, '')).filter(Boolean);
  const envName = SCHEME_ENV.find(([re]) => re.test(scheme))?.[1] ?? 'DATABASE_URL';
  return { scheme, envName, user, password, hasPassword, host: hostList.join(','), isLocal: hostList.length > 0 && hostList.every(isLoopbackHost) };
}

function decodeSafe(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** The URL with its password masked for messages: `postgres://app:s3cr…23 (10 chars)@db/app`. */
export function maskConnectionString(url: string): string {
  const masked = url.replace(/^((?:jdbc:[a-z0-9:]*)?[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^@/\s]+)@/i, (_m, head: string, pass: string) => `${head}:${maskSecret(pass)}@`);
  return masked.replace(/([?&;]password=)([^&;\s]+)/i, (_m, head: string, pass: string) => `${head}${maskSecret(pass)}`);
}

/** The URL as an `.env.example` value: the password replaced by a placeholder. */
export function exampleConnectionString(url: string): string {
  return url
    .replace(/^((?:jdbc:[a-z0-9:]*)?[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^@/\s]+)@/i, '$1:<password>@')
    .replace(/([?&;]password=)([^&;\s]+)/i, '$1<password>');
}

export interface HttpUrl {
  scheme: 'http' | 'https' | 'ws' | 'wss';
  host: string;
  /** `scheme://host[:port]` */
  origin: string;
  /** Everything after the origin (path, query, fragment). */
  rest: string;
}

const HTTP_URL = /^(https?|wss?):\/\/([^\s/?#@]+@)?(\[[0-9a-f:.]+\]|[A-Za-z0-9._-]+)(:\d{1,5})?/i;

/** Parses an absolute http(s)/ws(s) URL at the start of a value. */
export function parseHttpUrl(value: string): HttpUrl | undefined {
  const m = HTTP_URL.exec(value);
  if (!m || !m[3].includes('.') && !isLoopbackHost(m[3]) && !/^\[/.test(m[3]) && !/^[a-z][a-z0-9-]*$/i.test(m[3])) return undefined;
  return { scheme: m[1].toLowerCase() as HttpUrl['scheme'], host: m[3].toLowerCase(), origin: m[0], rest: value.slice(m[0].length) };
}

/** Hosts that are public constants, not deploy config: vocabularies, namespaces, licences, reserved examples. */
const WELL_KNOWN_HOSTS = /(?:^|\.)(?:schema\.org|w3\.org|json-schema\.org|opensource\.org|spdx\.org|creativecommons\.org|gnu\.org|apache\.org|purl\.org|xmlns\.com|ogp\.me|schemas\.xmlsoap\.org|schemas\.microsoft\.com|example\.(?:com|org|net)|[a-z0-9-]+\.(?:test|example|invalid))$|^(?:example|test|invalid)$/;

/**
 * Public SaaS APIs whose address is the same in every deploy (what varies is the credential,
 * which other rules cover): flagging them as deploy config would be noise.
 */
const PUBLIC_API_HOSTS = /(?:^|\.)(?:googleapis\.com|accounts\.google\.com|api\.github\.com|githubusercontent\.com|graph\.facebook\.com|graph\.microsoft\.com|login\.microsoftonline\.com|api\.stripe\.com|api\.openai\.com|api\.anthropic\.com|slack\.com|api\.twilio\.com|api\.sendgrid\.com|api\.mailgun\.net|discord\.com|api\.telegram\.org|api\.cloudflare\.com|registry\.npmjs\.org|cdn\.jsdelivr\.net|unpkg\.com|api\.x\.com|api\.twitter\.com|appleid\.apple\.com|api\.paypal\.com|oauth2\.googleapis\.com)$/;

export function isWellKnownHost(host: string): boolean {
  const h = host.toLowerCase();
  return WELL_KNOWN_HOSTS.test(h) || PUBLIC_API_HOSTS.test(h);
}

/** Suffixes that only resolve inside a deploy: cluster DNS, private zones, mDNS, Docker/Consul. */
const PRIVATE_SUFFIX = /(?:^|\.)(?:internal|local|localhost|localdomain|lan|home|corp|intranet|private|svc|cluster\.local|docker|consul|test|invalid)$/;
/** Host labels that name an environment: a host that says `staging` or `sandbox` differs per deploy. */
const ENVIRONMENT_WORDS = new Set(['dev', 'development', 'stage', 'staging', 'stg', 'qa', 'uat', 'preprod', 'sandbox', 'prod', 'production', 'int', 'internal', 'local', 'test', 'testing']);
/** Second-level labels of multi-part public suffixes (`co.uk`, `com.au`): the registrable name is one label further left. */
const SECOND_LEVEL_SUFFIX = new Set(['co', 'com', 'net', 'org', 'gov', 'ac', 'edu']);

/** The registrable name of a host (`acme-corp` for `billing.eu.acme-corp.io`, `bbc` for `api.bbc.co.uk`). */
function registrableLabel(host: string): string | undefined {
  const labels = host.split('.');
  if (labels.length < 2) return undefined;
  const i = labels.length >= 3 && SECOND_LEVEL_SUFFIX.has(labels[labels.length - 2]) && labels[labels.length - 1].length === 2 ? labels.length - 3 : labels.length - 2;
  return labels[i];
}

/**
 * Whether a URL's host is specific to a deploy (and so config), rather than a vendor's fixed
 * public endpoint that every deploy calls alike (`api.pushover.net`, `www.googleapis.com`, IANA):
 * loopback, IPs, single-label service names (`orders`, `redis`), private and cluster suffixes
 * (`db.internal`, `*.svc.cluster.local`), an explicit port (public APIs live on the default one),
 * a label naming an environment (`api.sandbox.paypal.com`, `staging-api.example.net`), or a host
 * on the project's own domain (its registrable name appears in the package name: `@acme-corp/api`
 * calling `billing.acme-corp.io`).
 */
export function isDeploySpecificHost(host: string, hasPort: boolean, ownNames: readonly string[] = []): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (isLoopbackHost(h) || /^[\d.]+$/.test(h) || h.includes(':') || !h.includes('.')) return true;
  if (PRIVATE_SUFFIX.test(h) || hasPort) return true;
  const labels = h.split('.');
  if (labels.slice(0, -1).some((label) => label.split(/[-_]/).some((word) => ENVIRONMENT_WORDS.has(word)))) return true;
  const registrable = registrableLabel(h)?.replace(/[^a-z0-9]/g, '');
  return !!registrable && registrable.length >= 4 && ownNames.some((name) => name.replace(/[^a-z0-9]/g, '').includes(registrable));
}

/** A bare host name or IP (`db.internal`, `10.0.0.5`, `redis`), not a path, word or URL. */
export function isBareHost(value: string): boolean {
  const v = value.trim();
  if (!v || v.length > 253) return false;
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(v)) return true;
  if (/^\[?[0-9a-f]*:[0-9a-f:]+\]?$/i.test(v)) return true;
  return /^[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))+$/i.test(v) && /[a-z]/i.test(v.split('.').pop() ?? '');
}

/** Bind-all addresses: a server option, not an endpoint. */
export function isBindAllAddress(value: string): boolean {
  return value === '0.0.0.0' || value === '::' || value === '[::]' || value === '';
}

const GENERIC_LABELS = new Set(['api', 'www', 'app', 'service', 'svc', 'web', 'backend', 'gateway', 'rest', 'v1', 'v2', 'internal', 'local', 'prod', 'production', 'staging', 'dev']);
const TLDS = new Set(['com', 'org', 'net', 'io', 'dev', 'co', 'app', 'cloud', 'ai', 'internal', 'local', 'lan', 'svc', 'cluster', 'uk', 'de', 'fr', 'eu', 'us']);

/** An env-var stem from a host: `payments-api.internal` → `PAYMENTS_API`, `api.stripe.com` → `STRIPE_API`. */
export function envStemFromHost(host: string): string | undefined {
  if (isLoopbackHost(host) || /^[\d.:[\]]+$/.test(host)) return undefined;
  const labels = host.toLowerCase().split('.').filter((l) => l && !TLDS.has(l));
  if (labels.length === 0) return undefined;
  let stem = labels[0];
  if (GENERIC_LABELS.has(stem) && labels[1] && !GENERIC_LABELS.has(labels[1])) stem = `${labels[1]}_${stem}`;
  const env = stem.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
  return /^[A-Z][A-Z0-9_]*$/.test(env) ? env : undefined;
}
