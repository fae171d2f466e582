/**
 * `factorlint.deferToOtherLinters`: when another Dockerfile linter is installed in VS Code,
 * factorlint leaves to it the checks it already reports, so a user does not see the same
 * problem twice. Pure decision code (no `vscode` import) so it is unit-tested; the language
 * client passes the result to the server as rule customisations (`off`), which keeps the
 * server editor-agnostic. The CLI never defers.
 *
 * Each entry lists only checks the other extension reports by default, on the same lines:
 * - Docker DX (`docker.docker`) publishes BuildKit's build checks, whose JSONArgsRecommended
 *   is the shell-form CMD/ENTRYPOINT problem (https://docs.docker.com/reference/build-checks/json-args-recommended/).
 * - hadolint (`exiasr.hadolint`) runs hadolint: DL3025 (JSON notation for CMD/ENTRYPOINT),
 *   DL3006/DL3007 (untagged or `:latest` base image), DL3008/DL3018 (unpinned apt-get/apk packages).
 * Not deferred: rules whose reach differs (runs-as-root also fires without any USER, which
 * hadolint's DL3002 does not; npm-install-without-lockfile covers more than DL3016).
 */

export interface OtherLinter {
  /** VS Code extension id. */
  extensionId: string;
  name: string;
  /** factorlint rules whose findings that extension already reports. */
  rules: readonly string[];
}

export const OTHER_LINTERS: readonly OtherLinter[] = [
  { extensionId: 'docker.docker', name: 'Docker DX', rules: ['disposability/shell-form-entrypoint'] },
  {
    extensionId: 'exiasr.hadolint',
    name: 'hadolint',
    rules: ['disposability/shell-form-entrypoint', 'build-release-run/unpinned-base-image', 'dependencies/unpinned-os-packages'],
  },
];

export type RuleCustomizations = Record<string, string>;

/**
 * The rules to turn off: those of every installed other linter, when the setting is on.
 * Extension ids compare case-insensitively, as VS Code's do.
 */
export function deferredRules(enabled: boolean, installedExtensionIds: readonly string[], linters: readonly OtherLinter[] = OTHER_LINTERS): string[] {
  if (!enabled) return [];
  const installed = new Set(installedExtensionIds.map((id) => id.toLowerCase()));
  return [...new Set(linters.filter((l) => installed.has(l.extensionId.toLowerCase())).flatMap((l) => l.rules))].sort();
}

/**
 * The `factorlint` settings section with the deferred rules added as `off` customisations. A
 * severity the user chose for a rule wins: deferring only changes defaults.
 */
export function withDeferredRules(section: unknown, deferred: readonly string[]): unknown {
  if (deferred.length === 0 || typeof section !== 'object' || section === null || Array.isArray(section)) return section;
  const settings = section as Record<string, unknown>;
  const rules = typeof settings.rules === 'object' && settings.rules !== null ? settings.rules as Record<string, unknown> : {};
  const current = typeof rules.customizations === 'object' && rules.customizations !== null && !Array.isArray(rules.customizations) ? rules.customizations as RuleCustomizations : {};
  const customizations: RuleCustomizations = { ...Object.fromEntries(deferred.map((id) => [id, 'off'])), ...current };
  return { ...settings, rules: { ...rules, customizations } };
}
