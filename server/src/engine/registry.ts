/**
 * The rule registry: an explicit map sorted by id (bundles and type-checks; no filesystem
 * discovery). To add a rule, see server/src/rules/README.md.
 */
import type { Rule } from './types';
import buildReleaseRunUnpinnedImage from '../rules/build-release-run/unpinned-image';
import concurrencyContainerName from '../rules/concurrency/container-name';
import concurrencyFixedHostPort from '../rules/concurrency/fixed-host-port';
import configCommittedEnvFile from '../rules/config/committed-env-file';
import configHardcodedSecret from '../rules/config/hardcoded-secret';
import disposabilityShellFormEntrypoint from '../rules/disposability/shell-form-entrypoint';
import portBindingHardcodedPort from '../rules/port-binding/hardcoded-port';
import processesBindMountedState from '../rules/processes/bind-mounted-state';
import securityPrivileged from '../rules/security/privileged';
import securityPublishedDatabasePort from '../rules/security/published-database-port';

export const RULES: readonly Rule[] = [
  buildReleaseRunUnpinnedImage,
  concurrencyContainerName,
  concurrencyFixedHostPort,
  configCommittedEnvFile,
  configHardcodedSecret,
  disposabilityShellFormEntrypoint,
  portBindingHardcodedPort,
  processesBindMountedState,
  securityPrivileged,
  securityPublishedDatabasePort,
];

const BY_ID = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
