/**
 * What file rules (`Rule`, engine/run.ts) and workspace rules (`WorkspaceRule`,
 * workspace/workspace-rule.ts) share beyond their one `RuleMeta`: how a report becomes a
 * message and which severity a finding is shown with. One implementation for both.
 */
import type { ResolvedConfig } from './config';
import { maskTextMemo } from './mask-memo';
import type { RuleMeta, Severity } from './types';

/**
 * The rule's template for `messageId` (the id itself when unknown), `{{name}}` filled from
 * `data`, then through the one secret masker: whatever a rule puts in its data (a URL with a
 * password, a command line with `-u user:pw`), no message carries a whole secret.
 */
export function findingMessage(meta: Pick<RuleMeta, 'messages'>, messageId: string, data: Readonly<Record<string, string | number>> | undefined): string {
  const template = meta.messages[messageId] ?? messageId;
  if (!data) return maskTextMemo(fill(template, undefined));
  const known = messagesByData.get(data);
  if (known?.template === template) return known.message;
  const message = maskTextMemo(fill(template, data));
  messagesByData.set(data, { template, message });
  return message;
}

/**
 * Messages by their report's `data` object and template: the editor keeps a statement's
 * reports (and their data objects) from keystroke to keystroke, and filled and masked the same
 * ~600–900 messages again per edit. A report's data is never changed once reported
 * (engine/types.ts `Report.data`), so the object and the template decide the message.
 */
const messagesByData = new WeakMap<object, { template: string; message: string }>();

function fill(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, key: string) => (data && key in data ? String(data[key]) : `{{${key}}}`));
}

/** Whether the configuration turns the rule off. */
export function ruleEnabled(meta: Pick<RuleMeta, 'id'>, config: Pick<ResolvedConfig, 'rules'> | undefined): boolean {
  return config?.rules[meta.id] !== 'off';
}

/** A finding's severity: the configured one, else the one the rule reported, else the rule's default. */
export function findingSeverity(meta: Pick<RuleMeta, 'id' | 'severity'>, reported: Severity | undefined, config: Pick<ResolvedConfig, 'rules'> | undefined): Severity {
  const configured = config?.rules[meta.id];
  return configured && configured !== 'off' ? configured : reported ?? meta.severity;
}
