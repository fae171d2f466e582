/**
 * Entry point of the VS Code extension: wires the language client, commands, status and
 * report panel together. Everything else lives in the modules it imports.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { RuleDocsActionProvider } from './docs-action';
import { EXPLAIN_SCHEME, ExplainFile } from './explain';
import { DOCUMENT_SELECTOR, FactorlintClient } from './language-client';
import { ReportPanel } from './report-panel';
import type { ExplainFileResult, ReportResult, WorkspaceStatus } from './server-protocol';
import { registerSnippetCompletions } from './snippet-completions';
import { FactorlintStatus, type FindingCounts } from './status';

/** What `activate` returns (`extension.exports`): read-only views for integration tests. */
export interface FactorlintApi {
  /** The factor report the panel shows now (the server's), if the panel is open. */
  lastReport(): ReportResult | undefined;
  /** The numbers the status bar item shows now (its total is the text's number). */
  statusCounts(): FindingCounts;
  /** The status bar item's text and tooltip (Markdown source). */
  statusText(): { text: string; tooltip: string };
  /** Lines written to the factorlint output channel since activation. */
  outputLines(): readonly string[];
  /** The last explanation *Explain File* showed. */
  lastExplanation(): ExplainFileResult | undefined;
  /** The server's last word about the workspace index (undefined until its first build ends). */
  workspaceStatus(): WorkspaceStatus | undefined;
}

let client: FactorlintClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<FactorlintApi> {
  client = new FactorlintClient(context);
  const status = new FactorlintStatus(client);
  const explain = new ExplainFile(client);
  context.subscriptions.push(client, status, explain, vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, explain));
  registerCommands(context, client, explain);
  registerSnippetCompletions(context);
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR as vscode.DocumentSelector, new RuleDocsActionProvider(context.extensionPath), RuleDocsActionProvider.metadata),
    // factorlint.enable starts or stops the server; other settings reach it through synchronize
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('factorlint.enable')) void client?.restart(); }),
    // another linter installed or removed: factorlint.deferToOtherLinters may change what runs
    vscode.extensions.onDidChange(() => client?.notifySettingsChanged()),
  );
  await client.start();
  const c = client;
  return {
    lastReport: () => ReportPanel.lastReport,
    statusCounts: () => status.counts,
    statusText: () => status.snapshot(),
    outputLines: () => c.log.lines(),
    lastExplanation: () => explain.last,
    workspaceStatus: () => c.workspaceStatus,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
