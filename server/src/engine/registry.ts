/**
 * The rule registry: an explicit map sorted by id (bundles and type-checks; no filesystem
 * discovery). To add a rule, see server/src/rules/README.md.
 */
import type { Rule } from './types';
import adminProcessesAdminTaskInCmd from '../rules/admin-processes/admin-task-in-cmd';
import adminProcessesMigrationAtBoot from '../rules/admin-processes/migration-at-boot';
import backingServicesLocalDatabaseFile from '../rules/backing-services/local-database-file';
import buildReleaseRunAddRemoteUrl from '../rules/build-release-run/add-remote-url';
import buildReleaseRunBuildAtRuntime from '../rules/build-release-run/build-at-runtime';
import buildReleaseRunUnpinnedBaseImage from '../rules/build-release-run/unpinned-base-image';
import buildReleaseRunUnpinnedImage from '../rules/build-release-run/unpinned-image';
import codebaseCrossAppImport from '../rules/codebase/cross-app-import';
import concurrencyContainerName from '../rules/concurrency/container-name';
import concurrencyDaemonize from '../rules/concurrency/daemonize';
import concurrencyDaemonizedProcess from '../rules/concurrency/daemonized-process';
import concurrencyFixedHostPort from '../rules/concurrency/fixed-host-port';
import configCommittedEnvFile from '../rules/config/committed-env-file';
import configHardcodedConnectionString from '../rules/config/hardcoded-connection-string';
import configHardcodedEndpoint from '../rules/config/hardcoded-endpoint';
import configHardcodedSecret from '../rules/config/hardcoded-secret';
import dependenciesCurlPipeShell from '../rules/dependencies/curl-pipe-shell';
import dependenciesImplicitSystemTool from '../rules/dependencies/implicit-system-tool';
import dependenciesNpmInstallWithoutLockfile from '../rules/dependencies/npm-install-without-lockfile';
import dependenciesUndeclaredDependency from '../rules/dependencies/undeclared-dependency';
import dependenciesUnpinnedOsPackages from '../rules/dependencies/unpinned-os-packages';
import devProdParityDevEnvironmentInImage from '../rules/dev-prod-parity/dev-environment-in-image';
import devProdParityEnvBranching from '../rules/dev-prod-parity/env-branching';
import disposabilityNoGracefulShutdown from '../rules/disposability/no-graceful-shutdown';
import disposabilityPackageManagerAsPid1 from '../rules/disposability/package-manager-as-pid1';
import disposabilityShellFormEntrypoint from '../rules/disposability/shell-form-entrypoint';
import disposabilityShellWrappedExecForm from '../rules/disposability/shell-wrapped-exec-form';
import logsConsoleLogging from '../rules/logs/console-logging';
import logsFileLogging from '../rules/logs/file-logging';
import logsLogFileRedirect from '../rules/logs/log-file-redirect';
import portBindingHardcodedPort from '../rules/port-binding/hardcoded-port';
import processesBindMountedState from '../rules/processes/bind-mounted-state';
import processesInMemorySession from '../rules/processes/in-memory-session';
import processesLocalFileState from '../rules/processes/local-file-state';
import securityPermissiveCors from '../rules/security/permissive-cors';
import securityPrivileged from '../rules/security/privileged';
import securityPublishedDatabasePort from '../rules/security/published-database-port';
import securityRunsAsRoot from '../rules/security/runs-as-root';
import securityTlsVerificationDisabled from '../rules/security/tls-verification-disabled';
import telemetryMissingHealthcheck from '../rules/telemetry/missing-healthcheck';

export const RULES: readonly Rule[] = [
  adminProcessesAdminTaskInCmd,
  adminProcessesMigrationAtBoot,
  backingServicesLocalDatabaseFile,
  buildReleaseRunAddRemoteUrl,
  buildReleaseRunBuildAtRuntime,
  buildReleaseRunUnpinnedBaseImage,
  buildReleaseRunUnpinnedImage,
  codebaseCrossAppImport,
  concurrencyContainerName,
  concurrencyDaemonize,
  concurrencyDaemonizedProcess,
  concurrencyFixedHostPort,
  configCommittedEnvFile,
  configHardcodedConnectionString,
  configHardcodedEndpoint,
  configHardcodedSecret,
  dependenciesCurlPipeShell,
  dependenciesImplicitSystemTool,
  dependenciesNpmInstallWithoutLockfile,
  dependenciesUndeclaredDependency,
  dependenciesUnpinnedOsPackages,
  devProdParityDevEnvironmentInImage,
  devProdParityEnvBranching,
  disposabilityNoGracefulShutdown,
  disposabilityPackageManagerAsPid1,
  disposabilityShellFormEntrypoint,
  disposabilityShellWrappedExecForm,
  logsConsoleLogging,
  logsFileLogging,
  logsLogFileRedirect,
  portBindingHardcodedPort,
  processesBindMountedState,
  processesInMemorySession,
  processesLocalFileState,
  securityPermissiveCors,
  securityPrivileged,
  securityPublishedDatabasePort,
  securityRunsAsRoot,
  securityTlsVerificationDisabled,
  telemetryMissingHealthcheck,
];

const BY_ID = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
