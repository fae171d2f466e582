/**
 * The one secret masker. Every text that leaves factorlint (messages, related-location
 * texts, fix titles, diff lines, `.env.example` values, reports, cache entries, log lines)
 * goes through `maskText`, so a secret is recognised the same way wherever it would appear.
 * Detection of hardcoded secrets (which literals a rule flags) lives in `secrets.ts`; this
 * module only decides how text is shown. Pure: no imports, no state.
 */

/**
 * The value shown in messages: enough to recognise, never enough to use.
 * `sk_live_abcdefghijklmnopqrstuvwxyz` → `sk_l…yz (32 chars)`; short values show nothing.
 */
export function maskSecret(value: string): string {
  const length = value.length;
  if (length <= 8) return `${'•'.repeat(Math.min(length, 4))} (${length} chars)`;
  return `${value.slice(0, 4)}…${value.slice(-2)} (${length} chars)`;
}

/** `scheme://user:password@`: the user stays readable, the password is masked. */
const URL_CREDENTIALS = /\b((?:jdbc:)?[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"`<>]*):([^\s@/'"`<>]+)@/gi;
/** `curl -u user:pw`, `--user user:pw`, `--user=user:pw` (quoted or not). */
const USER_OPTION = /((?:^|[\s'"`(])(?:-u|--user|--proxy-user)(?:\s+|=|(?=['"]))(['"]?))([^\s:'"`]*):([^\s'"`]+)/g;
/** `?password=…`, `;password=…` in connection strings. */
const PASSWORD_PARAM = /([?&;](?:password|pwd|passwd|secret|token|access_token|api_key|apikey)=)([^&;\s'"`]+)/gi;
/** `DB_PASSWORD=…`, `API_TOKEN: …`: an upper-case secret-looking name assigned a literal. */
const SECRET_ASSIGNMENT = /\b([A-Z0-9_]*(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|_PASS|_PWD)[A-Z0-9_]*)(\s*[=:]\s*)(["']?)([^\s"'`$<{][^\s"'`]{5,})/g;
/** Passwords that document a shape (`CHANGE_ME`, `${DB_PASS}`, `<password>`, `***`): shown as they are. */
const PLACEHOLDER_PASSWORD = /^(?:CHANGE_?ME|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[^<>]*>|\*+)$/i;
/** Known credential formats, anywhere in a text. Bounded repetitions: no backtracking hazards. */
const TOKENS = new RegExp([
  /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/.source,
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{40,255})\b/.source,
  /\bglpat-[A-Za-z0-9_-]{20,}/.source,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/.source,
  /\bhooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{8,}/.source,
  /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/.source,
  /\bwhsec_[A-Za-z0-9]{16,}/.source,
  /\bAIza[0-9A-Za-z_-]{35}/.source,
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}/.source,
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/.source,
  /\bnpm_[A-Za-z0-9]{36}\b/.source,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.source,
  /\b(?:Bearer|Basic|Token)\s+[A-Za-z0-9._~+/-]{16,}=*/.source,
].join('|'), 'g');
const KEY_BEGIN = /-----BEGIN [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
const KEY_END = /-----END [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
/** Cheap pre-filter: most texts hold none of the above. */
const HINT = /:\/\/|-u|--user|--proxy-user|=|:|AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|glpat-|xox|hooks\.slack|k_live_|k_test_|whsec_|AIza|sk-|SG\.|npm_|eyJ|Bearer|Basic|Token|PRIVATE KEY/;

/**
 * `${DB_PASSWORD:?DB_PASSWORD is required}`: after `:?` a shell expansion holds the error shown
 * when the variable is unset, not a value (a `:-` default can be a real secret and stays masked).
 */
function isRequiredExpansion(line: string, at: number, sep: string, value: string): boolean {
  return sep === ':' && value.startsWith('?') && line.slice(Math.max(0, at - 2), at) === '${';
}

/** Masks every secret this module recognises inside one line (no line breaks involved). */
function maskLine(line: string): string {
  if (!HINT.test(line)) return line;
  return line
    .replace(URL_CREDENTIALS, (m, head: string, pass: string) => (/[…•]/.test(pass) || PLACEHOLDER_PASSWORD.test(pass) ? m : `${head}:${maskSecret(pass)}@`))
    .replace(USER_OPTION, (m, head: string, _q: string, user: string, pass: string) => (pass.startsWith('$') || /^\d+$/.test(pass) || /[…•]/.test(pass) ? m : `${head}${user}:${maskSecret(pass)}`))
    .replace(PASSWORD_PARAM, (m, head: string, value: string) => (value.startsWith('$') || /[…•]/.test(value) ? m : `${head}${maskSecret(value)}`))
    .replace(SECRET_ASSIGNMENT, (m, name: string, sep: string, quote: string, value: string, at: number, line: string) =>
      (/[…•]/.test(value) || /^process\.env\b/.test(value) || isRequiredExpansion(line, at, sep, value) ? m : `${name}${sep}${quote}${maskSecret(value)}`))
    .replace(TOKENS, (token) => maskSecret(token));
}

/**
 * The text with every recognised secret masked: URL credentials (user kept), `-u user:pw`,
 * `?password=`, `NAME_SECRET=value`, tokens (AWS, GitHub, GitLab, Slack, Stripe, Google,
 * OpenAI, SendGrid, npm, JWTs, Authorization values) and private-key blocks (every line
 * between BEGIN and END, and a key body cut off without its END). Line breaks are kept, so a
 * masked file has the same lines (diffs stay aligned); masking twice changes nothing more.
 */
export function maskText(text: string): string {
  if (text.length === 0) return text;
  const lines = text.split('\n');
  let inKey = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (inKey) {
      if (KEY_END.test(line)) { inKey = false; lines[i] = line.replace(/^.*?(-----END )/, '$1'); }
      else lines[i] = maskKeyBody(line);
      continue;
    }
    const begin = KEY_BEGIN.exec(line);
    if (begin) {
      const after = line.slice(begin.index + begin[0].length);
      const end = KEY_END.exec(after);
      // one-line key (`\n` escapes in a literal): keep the markers, hide what is between them
      lines[i] = maskLine(line.slice(0, begin.index)) + begin[0] + (end ? `${maskKeyBody(after.slice(0, end.index))}${after.slice(end.index)}` : maskKeyBody(after));
      inKey = !end;
      continue;
    }
    lines[i] = maskLine(line);
  }
  return lines.join('\n');
}

/** A line inside a key block: its indentation and quotes stay, the key material goes. */
function maskKeyBody(line: string): string {
  return line.replace(/[A-Za-z0-9+/=]{4,}(?:\\n[A-Za-z0-9+/=]*)*/g, '••••');
}

/** Masks the password of `scheme://user:password@host` URLs anywhere in a text, keeping the rest readable. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (_m, head: string, pass: string) => `${head}:${maskSecret(pass)}@`);
}

/**
 * A copy of a JSON-like value with every string masked (object keys too): for what is
 * stored on disk (the analysis cache) or handed to another process. Shares nothing with
 * the input when a string changes; returns the input itself when nothing needed masking.
 */
export function maskDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return maskText(value) as T;
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => { const m = maskDeep(v, depth + 1); if (m !== v) changed = true; return m; });
    return (changed ? out : value) as T;
  }
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const mk = maskText(k);
    const mv = maskDeep(v, depth + 1);
    if (mk !== k || mv !== v) changed = true;
    out[mk] = mv;
  }
  return (changed ? out : value) as T;
}

/** Rules whose finding range is the secret value itself. */
const SECRET_VALUE_RULES = /secret|connection-string|credential|committed-env/;

/**
 * The masker for a text shown beside its findings (`--fix-dry-run` diffs): everything
 * `maskText` masks, plus each value a secret rule located in `text` — a password no pattern
 * knows (`const pass = 'hunter2hunter2'`) was still found by the rule, and must not be printed
 * on a context line. The one masker for diffs: `cli/fix.ts` and `cli/extract-env.ts` use it.
 */
export function maskerFor(text: string, findings: ReadonlyArray<{ ruleId: string; start: number; end: number }>): (shown: string) => string {
  const known = [...new Set(findings
    .filter((f) => SECRET_VALUE_RULES.test(f.ruleId))
    .map((f) => text.slice(f.start, f.end).replace(/^['"`]|['"`]$/g, ''))
    // line breaks stay where they are (diffs stay aligned): a multi-line value is a key block, which maskText knows
    .filter((s) => s.length >= 4 && !s.includes('\n')))]
    .sort((a, b) => b.length - a.length);
  if (known.length === 0) return maskText;
  return (shown) => maskText(known.reduce((t, s) => t.split(s).join(maskSecret(s)), shown));
}

/** True when masking would change the text: it holds something this module calls a secret. */
export function containsSecret(text: string): boolean {
  return maskText(text) !== text;
}

/** The part of a fix that may be stored or shown when its text holds a secret. */
interface FixShape { title: string; kind: string; edits: readonly unknown[]; withheld?: true }

/** True when a fix can leave factorlint as it is: no text of it holds a secret. */
export function fixIsShowable(fix: unknown): boolean {
  return maskDeep(fix) === fix;
}

/**
 * Findings as the analysis cache stores them: every string masked, and a fix whose text holds
 * a secret withheld rather than masked (a masked fix applied from the cache would write the
 * mask into the code): it keeps its (masked) title and kind with no edits, marked `withheld`,
 * so a cached run still counts the finding as fixable and a fix applier re-analyses the file.
 */
export function findingsForStorage<T extends { fixes: readonly FixShape[] }>(findings: readonly T[]): T[] {
  return findings.map((finding) => {
    if (finding.fixes.every(fixIsShowable)) return maskDeep(finding);
    const fixes = finding.fixes.map((fix) => (fixIsShowable(fix) ? fix : { title: maskText(fix.title), kind: fix.kind, edits: [], withheld: true as const }));
    return maskDeep({ ...finding, fixes });
  });
}
