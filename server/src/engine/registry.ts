/**
 * The rule registry: an explicit map sorted by id (bundles and type-checks; no filesystem
 * discovery). To add a rule, see server/src/rules/README.md.
 */
import type { Rule } from './types';
import adminProcessesAdminTaskInCmd from '../rules/admin-processes/admin-task-in-cmd';
import buildReleaseRunAddRemoteUrl from '../rules/build-release-run/add-remote-url';
import buildReleaseRunBuildAtRuntime from '../rules/build-release-run/build-at-runtime';
import buildReleaseRunUnpinnedBaseImage from '../rules/build-release-run/unpinned-base-image';
import buildReleaseRunUnpinnedImage from '../rules/build-release-run/unpinned-image';
import concurrencyContainerName from '../rules/concurrency/container-name';
import concurrencyDaemonizedProcess from '../rules/concurrency/daemonized-process';
import concurrencyFixedHostPort from '../rules/concurrency/fixed-host-port';
import configCommittedEnvFile from '../rules/config/committed-env-file';
import configHardcodedSecret from '../rules/config/hardcoded-secret';
import dependenciesCurlPipeShell from '../rules/dependencies/curl-pipe-shell';
import dependenciesNpmInstallWithoutLockfile from '../rules/dependencies/npm-install-without-lockfile';
import dependenciesUnpinnedOsPackages from '../rules/dependencies/unpinned-os-packages';
import devProdParityDevEnvironmentInImage from '../rules/dev-prod-parity/dev-environment-in-image';
import disposabilityPackageManagerAsPid1 from '../rules/disposability/package-manager-as-pid1';
import disposabilityShellFormEntrypoint from '../rules/disposability/shell-form-entrypoint';
import disposabilityShellWrappedExecForm from '../rules/disposability/shell-wrapped-exec-form';
import logsLogFileRedirect from '../rules/logs/log-file-redirect';
import portBindingHardcodedPort from '../rules/port-binding/hardcoded-port';
import processesBindMountedState from '../rules/processes/bind-mounted-state';
import securityPrivileged from '../rules/security/privileged';
import securityPublishedDatabasePort from '../rules/security/published-database-port';
import securityRunsAsRoot from '../rules/security/runs-as-root';
import telemetryMissingHealthcheck from '../rules/telemetry/missing-healthcheck';

export const RULES: readonly Rule[] = [
  adminProcessesAdminTaskInCmd,
  buildReleaseRunAddRemoteUrl,
  buildReleaseRunBuildAtRuntime,
  buildReleaseRunUnpinnedBaseImage,
  buildReleaseRunUnpinnedImage,
  concurrencyContainerName,
  concurrencyDaemonizedProcess,
  concurrencyFixedHostPort,
  configCommittedEnvFile,
  configHardcodedSecret,
  dependenciesCurlPipeShell,
  dependenciesNpmInstallWithoutLockfile,
  dependenciesUnpinnedOsPackages,
  devProdParityDevEnvironmentInImage,
  disposabilityPackageManagerAsPid1,
  disposabilityShellFormEntrypoint,
  disposabilityShellWrappedExecForm,
  logsLogFileRedirect,
  portBindingHardcodedPort,
  processesBindMountedState,
  securityPrivileged,
  securityPublishedDatabasePort,
  securityRunsAsRoot,
  telemetryMissingHealthcheck,
];

const BY_ID = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
