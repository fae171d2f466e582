/**
 * The rule registry: an explicit map sorted by id (bundles and type-checks; no filesystem
 * discovery). To add a rule, see server/src/rules/README.md.
 */
import type { Rule } from './types';
import codebaseCrossAppImport from '../rules/codebase/cross-app-import';
import configHardcodedSecret from '../rules/config/hardcoded-secret';
import dependenciesUndeclaredDependency from '../rules/dependencies/undeclared-dependency';
import disposabilityNoGracefulShutdown from '../rules/disposability/no-graceful-shutdown';
import disposabilityShellFormEntrypoint from '../rules/disposability/shell-form-entrypoint';
import logsConsoleLogging from '../rules/logs/console-logging';
import logsFileLogging from '../rules/logs/file-logging';
import portBindingHardcodedPort from '../rules/port-binding/hardcoded-port';
import processesInMemorySession from '../rules/processes/in-memory-session';
import processesLocalFileState from '../rules/processes/local-file-state';

export const RULES: readonly Rule[] = [
  codebaseCrossAppImport,
  configHardcodedSecret,
  dependenciesUndeclaredDependency,
  disposabilityNoGracefulShutdown,
  disposabilityShellFormEntrypoint,
  logsConsoleLogging,
  logsFileLogging,
  portBindingHardcodedPort,
  processesInMemorySession,
  processesLocalFileState,
];

const BY_ID = new Map(RULES.map((rule) => [rule.meta.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
