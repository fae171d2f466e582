/**
 * factorlint's state where users look for it: a language status item next to the language
 * mode (analyzing / idle / error) and a status bar item with the workspace's finding counts.
 * Both open the factor report.
 */
import * as vscode from 'vscode';
import { countBySeverity } from './diagnostics';
import { DOCUMENT_SELECTOR, type ClientState, type FactorlintClient } from './language-client';

export class FactorlintStatus implements vscode.Disposable {
  private readonly languageItem: vscode.LanguageStatusItem;
  private readonly barItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly client: FactorlintClient) {
    this.languageItem = vscode.languages.createLanguageStatusItem('factorlint.status', DOCUMENT_SELECTOR as vscode.DocumentSelector);
    this.languageItem.name = 'factorlint';
    this.barItem = vscode.window.createStatusBarItem('factorlint.findings', vscode.StatusBarAlignment.Left, 10);
    this.barItem.name = 'factorlint findings';
    this.barItem.command = 'factorlint.showReport';
    this.disposables.push(
      client.onDidChangeState(() => this.update()),
      vscode.languages.onDidChangeDiagnostics(() => this.update()),
    );
    this.update();
    this.barItem.show();
  }

  private update(): void {
    const state: ClientState = this.client.state;
    const { errors, warnings, others } = countBySeverity();
    const item = this.languageItem;
    item.busy = state === 'analyzing' || state === 'starting';
    item.severity = state === 'error' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    item.text = { starting: 'factorlint: starting', analyzing: 'factorlint: analyzing', idle: 'factorlint', error: 'factorlint: error', stopped: 'factorlint: off' }[state];
    item.detail = this.client.stateDetail ?? `${errors} errors, ${warnings} warnings, ${others} infos in the workspace`;
    item.command = state === 'error'
      ? { title: 'Open log', command: 'factorlint.showOutputChannel' }
      : { title: 'Show Factor Report', command: 'factorlint.showReport' };

    const icon = state === 'error' ? '$(error)' : state === 'analyzing' || state === 'starting' ? '$(sync~spin)' : '$(checklist)';
    this.barItem.text = `${icon} 12f ${errors + warnings + others}`;
    const ws = this.client.workspaceStatus;
    const index = ws ? ` Workspace: ${ws.files} files indexed${ws.indexing ? ' (indexing…)' : ''}, ${ws.workspaceFindings} cross-file finding${ws.workspaceFindings === 1 ? '' : 's'}${ws.counts ? `; last analysis: ${ws.counts.error} errors, ${ws.counts.warning} warnings, ${ws.counts.info + ws.counts.hint} infos` : ''}.` : '';
    if (ws?.indexing) this.barItem.text = `$(sync~spin) 12f ${errors + warnings + others}`;
    this.barItem.tooltip = `factorlint (${state}): ${errors} errors, ${warnings} warnings, ${others} infos shown.${index} Click for the factor report.`;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.languageItem.dispose();
    this.barItem.dispose();
  }
}
