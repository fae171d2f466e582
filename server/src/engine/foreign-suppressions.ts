/**
 * Other tools' suppression comments, honoured for the matching factorlint rule so teams
 * need not stack comments: hadolint, Trivy, Checkov, SonarQube (`NOSONAR`), detect-secrets
 * (`pragma: allowlist secret`) and gitleaks (`gitleaks:allow`).
 */
import type { CommentSpan } from '../parse/comments';
import type { Suppression } from './suppression-types';

const SECRET_RULES = ['config/hardcoded-secret', 'config/hardcoded-connection-string'];

/** hadolint rule codes → factorlint rule ids. */
export const HADOLINT_RULES: Record<string, string[]> = {
  DL3006: ['build-release-run/unpinned-base-image'],
  DL3007: ['build-release-run/unpinned-base-image'],
  DL3025: ['disposability/shell-form-entrypoint'],
  DL3002: ['security/runs-as-root'],
  DL3057: ['telemetry/missing-healthcheck'],
  DL3008: ['dependencies/unpinned-os-packages'],
  DL3018: ['dependencies/unpinned-os-packages'],
  DL3020: ['build-release-run/add-remote-url'],
  DL4001: ['dependencies/curl-pipe-shell'],
  DL4006: ['dependencies/curl-pipe-shell'],
  DL3016: ['dependencies/npm-install-without-lockfile'],
};

/** Trivy misconfiguration ids (DS-xxxx / AVD-DS-xxxx) → factorlint rule ids. */
export const TRIVY_RULES: Record<string, string[]> = {
  'DS-0001': ['build-release-run/unpinned-base-image'],
  'DS-0002': ['security/runs-as-root'],
  'DS-0005': ['build-release-run/add-remote-url'],
  'DS-0026': ['telemetry/missing-healthcheck'],
  'DS-0029': ['dependencies/unpinned-os-packages'],
  'DS-0031': ['config/hardcoded-secret'],
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

export function foreignSuppression(c: CommentSpan): Suppression | undefined {
  const text = c.text.trim();
  let m = /^hadolint\s+ignore=([A-Z0-9,\s]+)/i.exec(text);
  if (m) return make(c, 'hadolint', 'next-line', m[1].split(/[\s,]+/).flatMap((code) => HADOLINT_RULES[code.toUpperCase()] ?? []));
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
