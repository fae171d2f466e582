/**
 * factorlint's custom LSP messages, shared by the language server and the VS Code client.
 * Method names and plain types only: importing this module pulls in no runtime dependency,
 * so the client can bundle it next to `vscode-languageclient` without a second protocol copy.
 * Use: `connection.sendNotification(StatusNotification.method, params)`,
 * `client.sendRequest<RuleSummary[]>(RuleListRequest.method)`.
 */
import type { FactorSlug, FixKind, Severity } from './engine/types';

/** Counts of published findings by severity. */
export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
  hint: number;
}

/**
 * Server → client: what the server is doing, for a status-bar item.
 * `analyzing` while a document is being checked, `idle` when done (with the counts of that
 * document), `error` when the configuration is broken or an analysis failed (see `message`).
 */
export interface StatusParams {
  state: 'analyzing' | 'idle' | 'error';
  /** The document the status is about, when it is about one. */
  uri?: string;
  /** Findings of `uri` by severity (state `idle`). */
  counts?: SeverityCounts;
  /** Human-readable detail for `error` (never file contents). */
  message?: string;
}

/** Notification `factorlint/status`: sent around every analysis and on configuration errors. */
export const StatusNotification = { method: 'factorlint/status' } as const;

/** One rule of the registry, as the client shows it (rule list view, settings UI). */
export interface RuleSummary {
  id: string;
  factor: FactorSlug;
  /** The rule's default severity. */
  severity: Severity;
  description: string;
  /** The strongest fix kind the rule offers. */
  fix: FixKind | 'none';
  /** The documentation page of the rule. */
  docsUrl: string;
}

/** Request `factorlint/ruleList` (no params): every registered rule, sorted by id. */
export const RuleListRequest = { method: 'factorlint/ruleList' } as const;
export type RuleListResult = RuleSummary[];

/** The section of the settings the server asks for with `workspace/configuration`. */
export const SETTINGS_SECTION = 'factorlint';

/** The code action kind of "fix all safe problems" (`source.fixAll.factorlint`). */
export const FIX_ALL_KIND = 'source.fixAll.factorlint';
