/**
 * factorlint's state where users look for it: a language status item next to the language
 * mode (analyzing / idle / error, and the active file's role) and a status bar item with the
 * number of findings shown. The number says what it counts (`factorlint.scope`): with scope
 * `workspace` and the index complete it is every file's findings, the factor report's total.
 * The tooltip has the per-factor numbers, the active file's role and links to the report.
 */
import * as vscode from 'vscode';
import { factorlintDiagnostics, ruleIdOf } from './diagnostics';
import { DOCUMENT_SELECTOR, type ClientState, type FactorlintClient } from './language-client';
import { ExplainFileRequest, CONFIG_FILE_NAME, type ExplainFileResult, type WorkspaceStatus } from './server-protocol';

/** Diagnostic changes within this many ms are counted once. */
const UPDATE_DELAY_MS = 100;

export interface FindingCounts {
  total: number;
  errors: number;
  warnings: number;
  others: number;
  /** Findings per factor (the rule id's first segment), most first. */
  byFactor: Array<[string, number]>;
  /** Problems of `.factorlintrc.json` files (not findings: the report does not count them). */
  configProblems: number;
  /** factorlint's own notices (`factorlint/*`: suppressions, skipped files): no factor's, not in the report's total. */
  notices: number;
}

/** Counts factorlint's diagnostics as VS Code holds them (what the Problems panel shows). */
export function countFindings(entries: ReadonlyArray<[vscode.Uri, readonly vscode.Diagnostic[]]>): FindingCounts {
  const counts: FindingCounts = { total: 0, errors: 0, warnings: 0, others: 0, byFactor: [], configProblems: 0, notices: 0 };
  const factors = new Map<string, number>();
  for (const [uri, diagnostics] of entries) {
    if (uri.path.endsWith(`/${CONFIG_FILE_NAME}`)) { counts.configProblems += diagnostics.length; continue; }
    for (const d of diagnostics) {
      const factor = ruleIdOf(d).split('/')[0];
      if (factor === 'factorlint') { counts.notices++; continue; }
      counts.total++;
      if (d.severity === vscode.DiagnosticSeverity.Error) counts.errors++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warnings++;
      else counts.others++;
      factors.set(factor, (factors.get(factor) ?? 0) + 1);
    }
  }
  counts.byFactor = [...factors].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return counts;
}

/** What the number counts, in words (the first line of the tooltip). */
export function scopeSentence(ws: WorkspaceStatus | undefined, total: number): string {
  const findings = `${total} finding${total === 1 ? '' : 's'}`;
  if (!ws) return `${findings} in open files (no workspace index: open a folder for the whole workspace)`;
  if (ws.scope === 'openFiles') {
    return ws.closedFilesPublished
      ? `${findings} in the workspace, from the last "Analyze Workspace" (setting factorlint.scope: openFiles)`
      : `${findings} in open files only (setting factorlint.scope: openFiles); the factor report counts the whole workspace`;
  }
  if (ws.indexing || !ws.closedFilesPublished) return `${findings} in open files so far; every file's once the workspace index is complete`;
  return `${findings} in the whole workspace (${ws.files} files indexed): the factor report's total`;
}

export class FactorlintStatus implements vscode.Disposable {
  private readonly languageItem: vscode.LanguageStatusItem;
  private readonly barItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private explained: { uri: string; result: ExplainFileResult | null } | undefined;
  private explainTimer: NodeJS.Timeout | undefined;
  private updateTimer: NodeJS.Timeout | undefined;
  /** The numbers shown now (tests read them through the extension's API). */
  counts: FindingCounts = countFindings([]);

  constructor(private readonly client: FactorlintClient) {
    this.languageItem = vscode.languages.createLanguageStatusItem('factorlint.status', DOCUMENT_SELECTOR as vscode.DocumentSelector);
    this.languageItem.name = 'factorlint';
    this.barItem = vscode.window.createStatusBarItem('factorlint.findings', vscode.StatusBarAlignment.Left, 10);
    this.barItem.name = 'factorlint findings';
    this.barItem.command = 'factorlint.showReport';
    this.disposables.push(
      client.onDidChangeState(() => { this.update(); this.scheduleExplain(); }),
      // counting walks every file's diagnostics: once per burst (the index publishes thousands of files at once)
      vscode.languages.onDidChangeDiagnostics(() => this.scheduleUpdate()),
      vscode.window.onDidChangeActiveTextEditor(() => this.scheduleExplain()),
    );
    this.update();
    this.barItem.show();
  }

  /** Recounts at most once per UPDATE_DELAY_MS while diagnostics change. */
  private scheduleUpdate(): void {
    this.updateTimer ??= setTimeout(() => { this.updateTimer = undefined; this.update(); }, UPDATE_DELAY_MS);
  }

  /** The active file's explanation, asked again shortly after the editor or the server changes. */
  private scheduleExplain(): void {
    if (this.explainTimer) clearTimeout(this.explainTimer);
    this.explainTimer = setTimeout(() => void this.explainActive(), 300);
  }

  private async explainActive(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    const lc = this.client.languageClient;
    if (!doc || doc.uri.scheme !== 'file' || !lc?.isRunning()) {
      this.explained = undefined;
      this.update();
      return;
    }
    const uri = doc.uri.toString();
    try {
      const result = await lc.sendRequest<ExplainFileResult | null>(ExplainFileRequest.method, { uri });
      if (vscode.window.activeTextEditor?.document.uri.toString() === uri) this.explained = { uri, result };
    } catch {
      this.explained = undefined;
    }
    this.update();
  }

  private update(): void {
    const state: ClientState = this.client.state;
    const counts = (this.counts = countFindings(factorlintDiagnostics()));
    const ws = this.client.workspaceStatus;
    const busy = state === 'analyzing' || state === 'starting' || !!ws?.indexing;

    const item = this.languageItem;
    item.busy = state === 'analyzing' || state === 'starting';
    item.severity = state === 'error' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    const file = this.explained?.result;
    const role = file?.role ? `${file.role} file, ${file.rules.length} rules` : file?.skipped ? 'not analysed' : undefined;
    item.text = { starting: 'factorlint: starting', analyzing: 'factorlint: analyzing', idle: role ? `factorlint: ${role}` : 'factorlint', error: 'factorlint: error', stopped: 'factorlint: off' }[state];
    item.detail = this.client.stateDetail ?? (file?.reason ?? file?.skipped);
    item.command = state === 'error'
      ? { title: 'Open log', command: 'factorlint.showOutputChannel' }
      : { title: 'Explain File', command: 'factorlint.explainFile' };

    const icon = state === 'error' ? '$(error)' : busy ? '$(sync~spin)' : '$(checklist)';
    this.barItem.text = `${icon} 12f ${counts.total}`;
    this.barItem.tooltip = this.tooltip(state, counts, ws);
  }

  private tooltip(state: ClientState, counts: FindingCounts, ws: WorkspaceStatus | undefined): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['factorlint.showReport', 'factorlint.explainFile', 'factorlint.showOutputChannel', 'factorlint.analyzeWorkspace'] };
    md.appendMarkdown(`**factorlint** (${state}): ${scopeSentence(ws, counts.total)}.\n\n`);
    md.appendMarkdown(`${counts.errors} errors, ${counts.warnings} warnings, ${counts.others} infos and hints`);
    if (counts.configProblems > 0) md.appendMarkdown(`; ${counts.configProblems} problem${counts.configProblems === 1 ? '' : 's'} in ${CONFIG_FILE_NAME} (not counted)`);
    if (counts.notices > 0) md.appendMarkdown(`; ${counts.notices} factorlint notice${counts.notices === 1 ? '' : 's'} about suppressions or skipped files (not counted)`);
    md.appendMarkdown('\n\n');
    if (counts.byFactor.length > 0) md.appendMarkdown(`By factor: ${counts.byFactor.map(([factor, n]) => `${factor} ${n}`).join(' · ')}\n\n`);
    const file = this.explained?.result;
    if (file) {
      const about = file.role ? `**${file.role}** — ${file.reason ?? ''}` : file.skipped ?? '';
      md.appendMarkdown(`This file (${file.path}): ${about}${file.role ? `; ${file.rules.length} rules run` : ''}\n\n`);
    }
    md.appendMarkdown('[$(checklist) Show Factor Report](command:factorlint.showReport) · [$(question) Explain File](command:factorlint.explainFile) · [$(output) Open Log](command:factorlint.showOutputChannel)');
    return md;
  }

  /** The bar item as shown (tests). */
  snapshot(): { text: string; tooltip: string } {
    const tip = this.barItem.tooltip;
    return { text: this.barItem.text, tooltip: typeof tip === 'string' ? tip : tip?.value ?? '' };
  }

  dispose(): void {
    if (this.explainTimer) clearTimeout(this.explainTimer);
    if (this.updateTimer) clearTimeout(this.updateTimer);
    for (const d of this.disposables) d.dispose();
    this.languageItem.dispose();
    this.barItem.dispose();
  }
}
