/**
 * The workspace rule registry: an explicit map sorted by id, like `engine/registry.ts`.
 * Workspace rules run over the project model (CLI, "Analyze workspace", the report). The command
 * rules' chain checks (`command-rules.ts`) share their single-file rule's meta (one id): they
 * judge what a CMD or a Compose `command:` runs through package.json and entrypoint scripts.
 */
import apiFirstContractDrift from '../rules/api-first/contract-drift';
import apiFirstMissingContract from '../rules/api-first/missing-contract';
import configUndeclaredEnvVar from '../rules/config/undeclared-env-var';
import disposabilityNoExecInEntrypointScript from '../rules/disposability/no-exec-in-entrypoint-script';
import portBindingPortMismatch from '../rules/port-binding/port-mismatch';
import securityUnauthenticatedRoute from '../rules/security/unauthenticated-route';
import telemetryConstantHealthRoute from '../rules/telemetry/constant-health-route';
import telemetryMissingHealthEndpoint from '../rules/telemetry/missing-health-endpoint';
import telemetryNoInstrumentation from '../rules/telemetry/no-instrumentation';
import {
  adminTaskInCmdChain, buildAtRuntimeChain, daemonizedProcessChain, logFileRedirectChain, packageManagerAsPid1Chain, shellWrappedExecFormChain,
} from './command-rules';
import type { WorkspaceRule } from './workspace-rule';

export const WORKSPACE_RULES: readonly WorkspaceRule[] = [
  adminTaskInCmdChain,
  apiFirstContractDrift,
  apiFirstMissingContract,
  buildAtRuntimeChain,
  daemonizedProcessChain,
  configUndeclaredEnvVar,
  disposabilityNoExecInEntrypointScript,
  packageManagerAsPid1Chain,
  shellWrappedExecFormChain,
  logFileRedirectChain,
  portBindingPortMismatch,
  securityUnauthenticatedRoute,
  telemetryConstantHealthRoute,
  telemetryMissingHealthEndpoint,
  telemetryNoInstrumentation,
];

const BY_ID = new Map(WORKSPACE_RULES.map((rule) => [rule.meta.id, rule]));

export function workspaceRuleById(id: string): WorkspaceRule | undefined {
  return BY_ID.get(id);
}
