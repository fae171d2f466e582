/**
 * The rule registry: an explicit map sorted by id (bundles and type-checks; no filesystem
 * discovery). To add a rule, see server/src/rules/README.md.
 */
import type { Rule } from './types';
import adminProcessesMigrationAtBoot from '../rules/admin-processes/migration-at-boot';
import backingServicesLocalDatabaseFile from '../rules/backing-services/local-database-file';
import concurrencyDaemonize from '../rules/concurrency/daemonize';
import configHardcodedConnectionString from '../rules/config/hardcoded-connection-string';
import configHardcodedEndpoint from '../rules/config/hardcoded-endpoint';
import configHardcodedSecret from '../rules/config/hardcoded-secret';
import dependenciesImplicitSystemTool from '../rules/dependencies/implicit-system-tool';
import devProdParityEnvBranching from '../rules/dev-prod-parity/env-branching';
import disposabilityShellFormEntrypoint from '../rules/disposability/shell-form-entrypoint';
import portBindingHardcodedPort from '../rules/port-binding/hardcoded-port';
import securityPermissiveCors from '../rules/security/permissive-cors';
import securityTlsVerificationDisabled from '../rules/security/tls-verification-disabled';

export const RULES: readonly Rule[] = [
  adminProcessesMigrationAtBoot,
  backingServicesLocalDatabaseFile,
  concurrencyDaemonize,
  configHardcodedConnectionString,
  configHardcodedEndpoint,
  configHardcodedSecret,
  dependenciesImplicitSystemTool,
  devProdParityEnvBranching,
  disposabilityShellFormEntrypoint,
  portBindingHardcodedPort,
  securityPermissiveCors,
  securityTlsVerificationDisabled,
];

const BY_ID = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
