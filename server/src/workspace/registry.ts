/**
 * The workspace rule registry: an explicit map sorted by id, like `engine/registry.ts`.
 * Workspace rules run over the project model (CLI, "Analyze workspace", the report).
 */
import apiFirstMissingContract from '../rules/api-first/missing-contract';
import configUndeclaredEnvVar from '../rules/config/undeclared-env-var';
import disposabilityNoExecInEntrypointScript from '../rules/disposability/no-exec-in-entrypoint-script';
import portBindingPortMismatch from '../rules/port-binding/port-mismatch';
import telemetryMissingHealthEndpoint from '../rules/telemetry/missing-health-endpoint';
import type { WorkspaceRule } from './workspace-rule';

export const WORKSPACE_RULES: readonly WorkspaceRule[] = [
  apiFirstMissingContract,
  configUndeclaredEnvVar,
  disposabilityNoExecInEntrypointScript,
  portBindingPortMismatch,
  telemetryMissingHealthEndpoint,
];

const BY_ID = new Map(WORKSPACE_RULES.map((rule) => [rule.meta.id, rule]));

export function workspaceRuleById(id: string): WorkspaceRule | undefined {
  return BY_ID.get(id);
}
