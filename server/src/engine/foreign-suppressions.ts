/**
 * Other tools' suppression comments, honoured for the matching factorlint rule so teams
 * need not stack comments: hadolint (`ignore=` and `global ignore=`), BuildKit's
 * `# check=skip=` parser directive, Trivy, Checkov, SonarQube (`NOSONAR`), detect-secrets
 * (`pragma: allowlist secret`) and gitleaks (`gitleaks:allow`).
 *
 * A code is mapped only when the other tool's check reports the same problem as the
 * factorlint rule (same cause, same fix), so silencing one cannot hide a different finding.
 * Codes that look related but are not are listed in NOT_MAPPED with the reason.
 */
import type { CommentSpan } from '../parse/comments';
import type { Suppression } from './suppression-types';

const SECRET_RULES = ['config/hardcoded-secret', 'config/hardcoded-connection-string'];

/** hadolint rule codes → factorlint rule ids (https://github.com/hadolint/hadolint#rules). */
export const HADOLINT_RULES: Record<string, string[]> = {
  DL3002: ['security/runs-as-root'], // Last USER should not be root
  DL3006: ['build-release-run/unpinned-base-image'], // Always tag the version of an image explicitly
  DL3007: ['build-release-run/unpinned-base-image'], // Using latest is prone to errors
  DL3008: ['dependencies/unpinned-os-packages'], // Pin versions in apt-get install
  DL3016: ['dependencies/npm-install-without-lockfile'], // Pin versions in npm (npm install <pkg> without a version)
  DL3018: ['dependencies/unpinned-os-packages'], // Pin versions in apk add
  DL3025: ['disposability/shell-form-entrypoint'], // Use arguments JSON notation for CMD and ENTRYPOINT
  DL3057: ['telemetry/missing-healthcheck'], // HEALTHCHECK instruction missing
};

/** Trivy misconfiguration ids (DS-xxxx / AVD-DS-xxxx) → factorlint rule ids (https://avd.aquasec.com/misconfig/dockerfile/). */
export const TRIVY_RULES: Record<string, string[]> = {
  'DS-0001': ['build-release-run/unpinned-base-image'], // ':latest' tag used
  'DS-0002': ['security/runs-as-root'], // Image user should not be 'root'
  'DS-0005': ['build-release-run/add-remote-url'], // ADD instead of COPY (fires on ADD <url>)
  'DS-0026': ['telemetry/missing-healthcheck'], // No HEALTHCHECK defined
  'DS-0031': ['config/hardcoded-secret'], // Secrets passed via build-args or envs
};

/** BuildKit build checks (https://docs.docker.com/reference/build-checks/) → factorlint rule ids. */
export const BUILDKIT_CHECKS: Record<string, string[]> = {
  // "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals"
  JSONArgsRecommended: ['disposability/shell-form-entrypoint'],
};

/**
 * Codes of other tools that were once mapped, or look related, but report something else:
 * kept here so nobody maps them again (a test checks they stay unmapped).
 */
export const NOT_MAPPED: Record<string, string> = {
  'hadolint DL3020': 'Use COPY instead of ADD for files and folders: it ignores ADD of URLs and archives, so it never fires where add-remote-url does',
  'hadolint DL4001': 'Either use wget or curl but not both: about image size, not about piping a download into a shell',
  'hadolint DL4006': 'Set the SHELL option -o pipefail before RUN with a pipe: a failing command hidden by a pipe, not curl | sh',
  'trivy DS-0029': "'apt-get' missing '--no-install-recommends': extra packages, not unpinned versions",
  'buildkit SecretsUsedInArgOrEnv': 'flags ARG/ENV whose name looks sensitive, even without a value; hardcoded-secret flags secret values',
};

/** Checkov Dockerfile checks → factorlint rule ids. */
export const CHECKOV_RULES: Record<string, string[]> = {
  CKV_DOCKER_2: ['telemetry/missing-healthcheck'],
  CKV_DOCKER_3: ['security/runs-as-root'],
  CKV_DOCKER_4: ['build-release-run/add-remote-url'],
  CKV_DOCKER_7: ['build-release-run/unpinned-base-image'],
  CKV_DOCKER_8: ['security/runs-as-root'],
};

function make(c: CommentSpan, tool: string, scope: Suppression['scope'], ruleIds: string[]): Suppression | undefined {
  if (ruleIds.length === 0) return undefined;
  const targetLine = scope === 'next-line' ? c.line + 1 : c.line;
  return { scope, ruleIds: [...new Set(ruleIds)], targetLine, commentLine: c.line, start: c.start, end: c.end, foreign: tool };
}

function normalizeTrivyId(id: string): string {
  const m = /^(?:AVD-)?DS-?0*(\d+)$/i.exec(id);
  return m ? `DS-${m[1].padStart(4, '0')}` : id.toUpperCase();
}

function codes(list: string): string[] {
  return list.split(/[\s,]+/).filter(Boolean);
}

/**
 * `check=skip=A,B` (optionally `;error=true`), a BuildKit parser directive: only honoured
 * where BuildKit reads it, at the top of the Dockerfile (`c.parserDirective`). `all` skips
 * every check.
 */
function buildkitSkip(c: CommentSpan, text: string): Suppression | undefined {
  if (!c.parserDirective) return undefined;
  const m = /^check\s*=\s*(.*)$/i.exec(text);
  if (!m) return undefined;
  const skip = m[1].split(';').map((part) => /^\s*skip\s*=\s*(.*)$/i.exec(part)).find(Boolean);
  if (!skip) return undefined;
  const names = skip[1].split(',').map((n) => n.trim()).filter(Boolean);
  const all = names.some((n) => n.toLowerCase() === 'all');
  const ruleIds = all ? Object.values(BUILDKIT_CHECKS).flat() : names.flatMap((n) => BUILDKIT_CHECKS[n] ?? []);
  return make(c, 'buildkit', 'file', ruleIds);
}

export function foreignSuppression(c: CommentSpan): Suppression | undefined {
  const text = c.text.trim();
  const skipped = buildkitSkip(c, text);
  if (skipped || c.parserDirective) return skipped;
  // `# hadolint global ignore=DL3006,DL3008`: the whole file
  let m = /^hadolint\s+global\s+ignore=([A-Z0-9,\s]+)/i.exec(text);
  if (m) return make(c, 'hadolint', 'file', codes(m[1]).flatMap((code) => HADOLINT_RULES[code.toUpperCase()] ?? []));
  m = /^hadolint\s+ignore=([A-Z0-9,\s]+)/i.exec(text);
  if (m) return make(c, 'hadolint', 'next-line', codes(m[1]).flatMap((code) => HADOLINT_RULES[code.toUpperCase()] ?? []));
  m = /^trivy:ignore:([A-Za-z0-9-]+)/.exec(text);
  if (m) return make(c, 'trivy', 'next-line', TRIVY_RULES[normalizeTrivyId(m[1])] ?? []);
  m = /^checkov:skip=([A-Z0-9_]+)/i.exec(text);
  if (m) return make(c, 'checkov', 'file', CHECKOV_RULES[m[1].toUpperCase()] ?? []);
  if (/\bNOSONAR\b/.test(text)) return make(c, 'sonar', c.ownLine ? 'next-line' : 'line', SECRET_RULES);
  if (/pragma:\s*allowlist\s+nextline\s+secret/i.test(text)) return make(c, 'detect-secrets', 'next-line', SECRET_RULES);
  if (/pragma:\s*allowlist\s+secret/i.test(text)) return make(c, 'detect-secrets', c.ownLine ? 'next-line' : 'line', SECRET_RULES);
  if (/gitleaks:allow/i.test(text)) return make(c, 'gitleaks', c.ownLine ? 'next-line' : 'line', SECRET_RULES);
  return undefined;
}
