/**
 * Entry point of the VS Code extension: wires the language client, commands, status and
 * report panel together. Everything else lives in the modules it imports.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { RuleDocsActionProvider } from './docs-action';
import { DOCUMENT_SELECTOR, FactorlintClient } from './language-client';
import { ReportPanel } from './report-panel';
import type { ReportResult } from './server-protocol';
import { FactorlintStatus } from './status';

/** What `activate` returns (`extension.exports`): read-only views for integration tests. */
export interface FactorlintApi {
  /** The factor report the panel shows now (the server's), if the panel is open. */
  lastReport(): ReportResult | undefined;
}

let client: FactorlintClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<FactorlintApi> {
  client = new FactorlintClient(context);
  const status = new FactorlintStatus(client);
  context.subscriptions.push(client, status);
  registerCommands(context, client);
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(DOCUMENT_SELECTOR as vscode.DocumentSelector, new RuleDocsActionProvider(context.extensionPath), RuleDocsActionProvider.metadata),
    // factorlint.enable starts or stops the server; other settings reach it through synchronize
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('factorlint.enable')) void client?.restart(); }),
    // another linter installed or removed: factorlint.deferToOtherLinters may change what runs
    vscode.extensions.onDidChange(() => client?.notifySettingsChanged()),
  );
  await client.start();
  return { lastReport: () => ReportPanel.lastReport };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
