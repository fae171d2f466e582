/**
 * The rule registry: an explicit map sorted by id (bundles and type-checks; no filesystem
 * discovery). To add a rule, see server/src/rules/README.md.
 */
import type { Rule } from '../engine/types';
import adminProcessesAdminTaskInCmd from './admin-processes/admin-task-in-cmd';
import adminProcessesMigrationAtBoot from './admin-processes/migration-at-boot';
import backingServicesLocalDatabaseFile from './backing-services/local-database-file';
import buildReleaseRunAddRemoteUrl from './build-release-run/add-remote-url';
import buildReleaseRunBuildAtRuntime from './build-release-run/build-at-runtime';
import buildReleaseRunUnpinnedBaseImage from './build-release-run/unpinned-base-image';
import buildReleaseRunUnpinnedImage from './build-release-run/unpinned-image';
import codebaseCrossAppImport from './codebase/cross-app-import';
import concurrencyContainerName from './concurrency/container-name';
import concurrencyDaemonize from './concurrency/daemonize';
import concurrencyDaemonizedProcess from './concurrency/daemonized-process';
import concurrencyFixedHostPort from './concurrency/fixed-host-port';
import concurrencyReplicasWithoutLimits from './concurrency/replicas-without-limits';
import configCommittedEnvFile from './config/committed-env-file';
import configDuplicateEnvKey from './config/duplicate-env-key';
import configEnvExampleDrift from './config/env-example-drift';
import configHardcodedConnectionString from './config/hardcoded-connection-string';
import configHardcodedEndpoint from './config/hardcoded-endpoint';
import configHardcodedSecret from './config/hardcoded-secret';
import configInvalidEnvLine from './config/invalid-env-line';
import dependenciesCurlPipeShell from './dependencies/curl-pipe-shell';
import dependenciesImplicitSystemTool from './dependencies/implicit-system-tool';
import dependenciesNpmInstallWithoutLockfile from './dependencies/npm-install-without-lockfile';
import dependenciesUndeclaredDependency from './dependencies/undeclared-dependency';
import dependenciesUnpinnedOsPackages from './dependencies/unpinned-os-packages';
import devProdParityDevEnvironmentInImage from './dev-prod-parity/dev-environment-in-image';
import devProdParityEnvBranching from './dev-prod-parity/env-branching';
import disposabilityNoGracefulShutdown from './disposability/no-graceful-shutdown';
import disposabilityPackageManagerAsPid1 from './disposability/package-manager-as-pid1';
import disposabilityRestartDisabled from './disposability/restart-disabled';
import disposabilityShellFormEntrypoint from './disposability/shell-form-entrypoint';
import disposabilityShellWrappedExecForm from './disposability/shell-wrapped-exec-form';
import disposabilityStopSignal from './disposability/stop-signal';
import logsConsoleLogging from './logs/console-logging';
import logsFileLogging from './logs/file-logging';
import logsLogFileRedirect from './logs/log-file-redirect';
import portBindingHardcodedPort from './port-binding/hardcoded-port';
import processesBindMountedState from './processes/bind-mounted-state';
import processesInMemorySession from './processes/in-memory-session';
import processesLocalFileState from './processes/local-file-state';
import securityExposedSshPort from './security/exposed-ssh-port';
import securityInsecureCookie from './security/insecure-cookie';
import securityInsecureJwt from './security/insecure-jwt';
import securityPermissiveCors from './security/permissive-cors';
import securityPrivileged from './security/privileged';
import securityPublishedDatabasePort from './security/published-database-port';
import securityRunsAsRoot from './security/runs-as-root';
import securitySecretBuildArg from './security/secret-build-arg';
import securitySecretFileInImage from './security/secret-file-in-image';
import securitySudoInRun from './security/sudo-in-run';
import securityTlsVerificationDisabled from './security/tls-verification-disabled';
import telemetryMissingHealthcheck from './telemetry/missing-healthcheck';
import telemetryNoopHealthcheck from './telemetry/noop-healthcheck';

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
  concurrencyReplicasWithoutLimits,
  configCommittedEnvFile,
  configDuplicateEnvKey,
  configEnvExampleDrift,
  configHardcodedConnectionString,
  configHardcodedEndpoint,
  configHardcodedSecret,
  configInvalidEnvLine,
  dependenciesCurlPipeShell,
  dependenciesImplicitSystemTool,
  dependenciesNpmInstallWithoutLockfile,
  dependenciesUndeclaredDependency,
  dependenciesUnpinnedOsPackages,
  devProdParityDevEnvironmentInImage,
  devProdParityEnvBranching,
  disposabilityNoGracefulShutdown,
  disposabilityPackageManagerAsPid1,
  disposabilityRestartDisabled,
  disposabilityShellFormEntrypoint,
  disposabilityShellWrappedExecForm,
  disposabilityStopSignal,
  logsConsoleLogging,
  logsFileLogging,
  logsLogFileRedirect,
  portBindingHardcodedPort,
  processesBindMountedState,
  processesInMemorySession,
  processesLocalFileState,
  securityExposedSshPort,
  securityInsecureCookie,
  securityInsecureJwt,
  securityPermissiveCors,
  securityPrivileged,
  securityPublishedDatabasePort,
  securityRunsAsRoot,
  securitySecretBuildArg,
  securitySecretFileInImage,
  securitySudoInRun,
  securityTlsVerificationDisabled,
  telemetryMissingHealthcheck,
  telemetryNoopHealthcheck,
];

const BY_ID = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
