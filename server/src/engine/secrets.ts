/**
 * Shared knowledge about secrets: which names say "secret", which literal formats are
 * credentials, which values are placeholders, and how to show a value without leaking it.
 * Every rule that reasons about secrets uses this module; none keeps its own list.
 */

/** Words that make a name secret wherever they stand (`secretValue`, `DB_PASSWORD`). */
const SECRET_WORDS = new Set(['password', 'passwd', 'passphrase', 'secret', 'secrets', 'token', 'credential', 'credentials']);
/** Words that make a name secret only as its last word (`DB_PASS`, `MYSQL_PWD`). */
const SECRET_LAST_WORDS = new Set(['pass', 'pwd', 'apikey', 'privatekey', 'secretkey', 'accesskey']);
/** Run-together spellings (`dbpassword`, `stripeapikey`). */
const SECRET_ENDINGS = ['password', 'passwd', 'secret', 'token', 'apikey', 'privatekey', 'secretkey'];
/** Words before `key` that make it a secret key rather than a cache or sort key. */
const SECRET_KEY_PREFIXES = new Set(['api', 'secret', 'private', 'access', 'auth', 'signing', 'encryption', 'master',
  'session', 'stripe', 'sendgrid', 'mailgun', 'openai', 'app', 'client', 'license', 'service', 'hmac', 'jwt', 'cookie', 'webhook']);

/** Words that make a secret-looking name describe something else (`tokenUrl`, `passwordField`). */
const NON_SECRET_SUFFIXES = new Set([
  'url', 'uri', 'endpoint', 'path', 'file', 'dir', 'name', 'label', 'field', 'header', 'type', 'length',
  'len', 'min', 'max', 'policy', 'regex', 'pattern', 'prefix', 'expiry', 'expires', 'expiration', 'ttl', 'in',
  'timeout', 'count', 'id', 'keyid', 'placeholder', 'hint', 'message', 'msg', 'error', 'required', 'rounds',
  'strength', 'hash', 'hashed', 'algorithm', 'alg', 'version', 'format', 'location', 'mode', 'enabled', 'env',
  'var', 'variable', 'param', 'input', 'selector', 'store', 'storage', 'provider', 'host', 'port', 'ref', 'arn',
  'column', 'key_name', 'title', 'text', 'description', 'validator', 'schema', 'reset', 'changed', 'at', 'sent',
]);

/** Splits `dbPassword`, `DB_PASSWORD`, `db-password`, `db.password` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * True when an identifier, key or env var name says it holds a secret:
 * `password`, `DB_PASSWORD`, `stripeApiKey`, `JWT_SECRET`, `clientSecret`, `GITHUB_TOKEN`, `DB_PASS`.
 * False for `passwordLabel`, `TOKEN_URL`, `SECRET_FILE`, `secretName`, `keyId`, `cacheKey`, `passThrough`.
 */
export function isSecretName(name: string): boolean {
  // memoised: the same few names (`password`, `options`, `url`…) are asked about for every literal
  let verdict = secretNameCache.get(name);
  if (verdict === undefined) {
    if (secretNameCache.size >= 10_000) secretNameCache.clear();
    secretNameCache.set(name, (verdict = computeIsSecretName(name)));
  }
  return verdict;
}

const secretNameCache = new Map<string, boolean>();

function computeIsSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  const last = words[words.length - 1];
  if (NON_SECRET_SUFFIXES.has(last)) return false;
  if (last === 'key') return words.length >= 2 && SECRET_KEY_PREFIXES.has(words[words.length - 2]);
  if (SECRET_LAST_WORDS.has(last)) return true;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  const compact = words.join('');
  return SECRET_ENDINGS.some((ending) => compact.endsWith(ending));
}

/** A known credential format matched somewhere in a literal. */
export interface CredentialMatch { format: string; start: number; end: number }

const CREDENTIAL_FORMATS: ReadonlyArray<{ format: string; pattern: RegExp }> = [
  { format: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { format: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b/ },
  { format: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { format: 'Slack token', pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/ },
  { format: 'Slack webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,}/ },
  { format: 'Stripe secret key', pattern: /\b[sr]k_live_[A-Za-z0-9]{16,}\b/ },
  { format: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { format: 'OpenAI API key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b/ },
  { format: 'SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { format: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { format: 'private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/ },
  { format: 'HTTP Authorization credential', pattern: /^(?:Bearer|Basic|Token)\s+[A-Za-z0-9._~+/-]{16,}=*$/ },
  { format: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
];

/**
 * The literal part every format above must contain: one scan that rules out almost every
 * string before the thirteen patterns run (most literals of a program are no credential).
 */
const CREDENTIAL_HINT = /AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|glpat-|xox[baprs]-|hooks\.slack\.com|k_live_|AIza|sk-|SG\.|npm_|-----BEGIN|^(?:Bearer|Basic|Token)\s|eyJ/;

/** Finds a known credential format in a value. Bounded patterns: no backtracking hazards. */
export function findCredential(value: string): CredentialMatch | undefined {
  if (value.length < 16 || value.length > 20000 || !CREDENTIAL_HINT.test(value)) return undefined;
  for (const { format, pattern } of CREDENTIAL_FORMATS) {
    const m = pattern.exec(value);
    if (m) return { format, start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

const PLACEHOLDER_WORDS = new Set([
  'changeme', 'change_me', 'change-me', 'changethis', 'change_this', 'replaceme', 'replace_me', 'replace-me',
  'placeholder', 'example', 'sample', 'dummy', 'fake', 'test', 'testing', 'todo', 'tbd', 'fixme', 'secret',
  'password', 'passwd', 'token', 'your_token', 'your-token', 'yourtoken', 'your_password', 'your-password',
  'your_secret', 'your-secret', 'your_api_key', 'your-api-key', 'redacted', 'none', 'null', 'undefined',
  'xxx', 'xxxx', 'xxxxx', '***', '****', '*****', '...', 'n/a', 'na', 'empty', 'notset', 'not-set', 'unset',
  'required', 'insert_here', 'set_me', 'setme', 'mysecret', 'my-secret', 'mypassword', 'default',
]);

/**
 * Placeholders are not secrets: empty strings, `changeme`, `xxx`, `<token>`, `${VAR}`,
 * `{{ var }}`, `%(var)s`, `$VAR`, `your-api-key-here`, repeated characters.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  if (/^<[^<>]*>$/.test(v) || /^\[[^[\]]*\]$/.test(v)) return true;
  if (/^\$\{[^}]*\}$/.test(v) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return true;
  if (/^\{\{[^}]*\}\}$/.test(v) || /^%\([^)]*\)s$/.test(v) || /^%[A-Z_]+%$/.test(v)) return true;
  if (/^(.)\1{2,}$/.test(v)) return true;
  if (/^x{3,}|x{3,}$/i.test(v) && /^[x*._-]+$/i.test(v)) return true;
  if (/(?:^|[_-])(?:your|my)[_-]?.*(?:here|key|token|secret|password)$/i.test(v)) return true;
  if (/(?:change[_-]?me|replace[_-]?me|placeholder|example|dummy|fake)/i.test(v) && v.length < 64) return true;
  if (v.includes('${') || v.includes('{{')) return true;
  return false;
}

/**
 * Words, not a secret: camelCase or PascalCase identifiers (`incorrectPassword`), dotted,
 * dashed or slashed keys (`auth.password.tooShort`, `umami.auth`, `x-api-key`, `password_reset`).
 * Every word holds a vowel and words average two letters or more, which random letters rarely do.
 */
export function isWordPhrase(value: string): boolean {
  if (value.length > 80 || !/^[A-Za-z]+(?:[._:\-/ ]+[A-Za-z]+)*$/.test(value)) return false;
  const words = nameWords(value);
  return words.length > 0 && words.every((w) => w.length <= 3 || /[aeiouy]/.test(w)) && value.replace(/[^A-Za-z]/g, '').length >= 2 * words.length;
}

/** A version or version range (`^9.0.2`, `~1.2`, `>=18`, `v2.0.0-beta.1`), as dependency maps hold. */
export function isVersionLike(value: string): boolean {
  return /^(?:[~^]|[<>]=?|=)?\s*v?\d+(?:\.(?:\d+|x|\*)){0,3}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(value.trim());
}

/** A one-way password hash (bcrypt, argon2, scrypt, PBKDF2 in modular crypt form): a verifier, not a credential. */
export function isPasswordHash(value: string): boolean {
  return /^\$(?:2[abxy]?|argon2(?:id|i|d)|scrypt|pbkdf2(?:-sha\d+)?|[156])\$/.test(value);
}

/**
 * Evidence in a value itself that it is a secret when a secret-named slot holds it: mixed
 * character classes (letters with digits or symbols: `hunter2-prod-9f8e`, `S3cr3tP@ss`,
 * `a1b2c3d4e5f6g7h8`), or a long high-entropy run of letters. Not secrets: words and
 * phrases (`incorrectPassword`, `umami.auth`), versions, password hashes, dates and numbers.
 */
export function hasSecretValueShape(value: string): boolean {
  const v = value.trim();
  if (v.length < 6 || v.length > 4096 || /\s/.test(v)) return false;
  if (isPlaceholder(v) || isWordPhrase(v) || isVersionLike(v) || isPasswordHash(v)) return false;
  if (!/[A-Za-z]/.test(v)) return false; // numbers, dates, times
  const hasDigit = /\d/.test(v);
  const hasSymbol = /[^A-Za-z0-9]/.test(v);
  if (hasDigit || hasSymbol) return true;
  // letters only: long and close to random (many distinct characters, mixed case)
  return v.length >= 16 && /[a-z]/.test(v) && /[A-Z]/.test(v) && shannonBits(v) >= 3.5;
}

/** Bits of entropy per character of a string's own character frequencies. */
function shannonBits(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A literal that only stands in for a value (`${VAR}`, `{{ var }}`, `<token>`, empty): even in
 * a credential slot it holds no secret. Unlike `isPlaceholder`, words such as `secret` or
 * `changeme` do not count: passed to `session({ secret })` they are the secret.
 */
export function isTemplatePlaceholder(value: string): boolean {
  const v = value.trim();
  return v === '' || /^<[^<>]*>$/.test(v) || v.includes('${') || v.includes('{{') || /^%[A-Z_]+%$/.test(v) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v);
}

// How a secret is shown lives in the one masker (mask.ts); re-exported for the rules that import it from here.
export { maskSecret, maskUrlCredentials } from './mask';
import { maskSecret, maskUrlCredentials } from './mask';

/**
 * An environment value as facts keep it (the project model, and so the analysis cache on
 * disk): masked when its name says secret or it looks like a credential, so no copy of a
 * secret is made. Rules only need such values to know one is set (ports stay readable).
 */
export function redactEnvValue(name: string, value: string | undefined): string | undefined {
  if (value === undefined || isPlaceholder(value)) return value;
  if (isSecretName(name) || findCredential(value)) return maskSecret(value);
  return maskUrlCredentials(value);
}

/** Env var name for a secret held by an identifier: `dbPassword` → `DB_PASSWORD`. */
export function envNameFor(name: string): string {
  const words = nameWords(name);
  const env = words.join('_').toUpperCase();
  return /^[A-Z_][A-Z0-9_]*$/.test(env) ? env : 'SECRET';
}
