/**
 * factorlint's custom LSP messages, shared by the language server and the VS Code client.
 * Method names and plain types only: importing this module pulls in no runtime dependency,
 * so the client can bundle it next to `vscode-languageclient` without a second protocol copy.
 * Use: `connection.sendNotification(StatusNotification.method, params)`,
 * `client.sendRequest<RuleSummary[]>(RuleListRequest.method)`.
 */
import type { FactorSlug, FileRole, FixKind, Severity } from './engine/types';
import type { FactorsJson } from './report/report-json';

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
  /** The workspace as a whole, when the message is about it (index built, workspace analysed). */
  workspace?: WorkspaceStatus;
}

/** Workspace counts for the status bar. */
export interface WorkspaceStatus {
  /** Files in the project model (every folder). */
  files: number;
  /** The background index is still being built. */
  indexing: boolean;
  /** Findings of the last "Analyze Workspace" by severity; absent before one ran. */
  counts?: SeverityCounts;
  /** Workspace (cross-file) findings currently known. */
  workspaceFindings: number;
  /** Of `files`, how many the last index build took from the persisted facts cache (unchanged since). */
  filesFromCache?: number;
  /** The `factorlint.scope` in effect: whose findings the editor shows. */
  scope?: 'workspace' | 'openFiles';
  /** Findings of closed files are published (scope `workspace` after the index, or after "Analyze Workspace"). */
  closedFilesPublished?: boolean;
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

/** Params of `factorlint/fileRole`: the document (open or on disk) whose role is asked. */
export interface FileRoleParams { uri: string }

/** What a file is for, as factorlint's rules see it, and the evidence (`null`: not a file factorlint analyses). */
export interface FileRoleResult {
  role: FileRole;
  /** A short human sentence: "reachable by imports from src/main.ts, the Dockerfile CMD entry point". */
  reason: string;
}

/**
 * Request `factorlint/fileRole`: the role (server, browser, script, test, tooling, vendored)
 * of a file and why, decided as its analysis decides it. For "Why is this file treated as …".
 */
export const FileRoleRequest = { method: 'factorlint/fileRole' } as const;

/** The configuration file's name and the diagnostics' `source`, defined once in `names.ts`. */
export { CONFIG_FILE_NAME, DIAGNOSTIC_SOURCE } from './names';
/** Params of `factorlint/explainFile`. */
export interface ExplainFileParams { uri: string }

/**
 * Why a file is (or is not) analysed as it is: its kind and role with the evidence, the
 * configuration in effect, and the rules that run on it. `null`: the server cannot read it.
 */
export interface ExplainFileResult {
  /** Folder-relative path (forward slashes), or the file name outside a folder. */
  path: string;
  /** `ts`, `dockerfile`, `compose`, `dotenv`; absent when factorlint does not analyse this kind of file. */
  kind?: string;
  role?: FileRole;
  /** The evidence for the role, one sentence. */
  reason?: string;
  /** Why nothing runs on the file (ignored by a glob, vendored, unsupported kind), when so. */
  skipped?: string;
  /** `.factorlintrc.json` files in effect (absolute paths, outermost first) with their error count. */
  configFiles: Array<{ path: string; errors: number }>;
  /** Single-file rules that run on the file, sorted. */
  rules: string[];
  /** Rules for this kind and role that configuration turns off. */
  rulesOff: string[];
  /** Cross-file rules that run over the whole workspace (their findings may land on this file). */
  workspaceRules: number;
}

/** Request `factorlint/explainFile`: the command *factorlint: Explain File* and the status hover. */
export const ExplainFileRequest = { method: 'factorlint/explainFile' } as const;

/** The section of the settings the server asks for with `workspace/configuration`. */
export const SETTINGS_SECTION = 'factorlint';

/** The code action kind of "fix all safe problems" (`source.fixAll.factorlint`). */
export const FIX_ALL_KIND = 'source.fixAll.factorlint';

/**
 * Request `factorlint/analyzeWorkspace` (no params): runs the single-file rules over every
 * indexed file (with work-done progress, cancellable) and publishes diagnostics for every
 * file that is not open, so the Problems panel fills for the whole workspace. From then on,
 * files that are not open keep current diagnostics as the index changes.
 */
export const AnalyzeWorkspaceRequest = { method: 'factorlint/analyzeWorkspace' } as const;
export interface AnalyzeWorkspaceResult {
  /** Files analysed. */
  files: number;
  /** Findings (single-file and workspace) in all of them. */
  findings: number;
  counts?: SeverityCounts;
  /** The request was cancelled part-way (files analysed so far were published). */
  cancelled?: boolean;
}

/** Params of `factorlint/report`. Without a `nonce` only the JSON model is returned. */
export interface ReportParams {
  /** Nonce of the webview's inline style and script (8+ base64 characters). */
  nonce?: string;
  /** The webview's `cspSource`. */
  cspSource?: string;
  /** The workspace folder to report on; the first folder by default. */
  folderUri?: string;
}

/**
 * Request `factorlint/report`: the factor report of a workspace folder, the same model the
 * CLI builds (`buildReport` over the folder's single-file and workspace findings). The HTML
 * is rendered by the server (`renderHtml`, `linkMode: 'command'`): the renderer needs the rule
 * registry, which the small client bundle must not carry. Locations in `html` and `report`
 * are relative to `folderUri`. Null when there is no workspace folder.
 */
export const ReportRequest = { method: 'factorlint/report' } as const;
export interface ReportResult {
  folderUri: string;
  /** The webview page (when a nonce was given). Posts `{ type: 'open' | 'fixAll' | 'openDocs' }` messages. */
  html?: string;
  /** The per-factor JSON model (the CLI's `factors` section). */
  report: FactorsJson;
  /** Files the model knows. */
  files: number;
  /** Findings shown. */
  findings: number;
}

/**
 * Request `factorlint/fixAllOfRule` `{ ruleId, folderUri? }`: a WorkspaceEdit applying the safe
 * fixes of one rule in every indexed file of the folder (the report's "Fix all safe problems"
 * button: the folder its report shows), or of every folder without `folderUri`. Edits of open
 * documents are versioned; the client applies the edit and saves the files it touched.
 */
export const FixAllOfRuleRequest = { method: 'factorlint/fixAllOfRule' } as const;
export interface FixAllOfRuleParams {
  ruleId: string;
  /** Only this workspace folder's files (a report's folder); every folder when absent. */
  folderUri?: string;
}
export interface FixAllOfRuleResult {
  /** A `WorkspaceEdit` (LSP JSON). */
  edit: { documentChanges?: unknown[]; changes?: Record<string, unknown[]> };
  /** Files the edit changes (other files appended to included). */
  files: number;
  /** Safe fixes the edit applies (not counting skipped ones). */
  fixes: number;
  /** Fixes left out, with why (overlapping another fix, an append already present…). */
  skipped?: Array<{ uri: string; title: string; reason: string }>;
}

/** The code action kind of "Extract to environment variable". */
export const EXTRACT_KIND = 'refactor.extract';
