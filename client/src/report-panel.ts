/**
 * The factor report webview: one panel showing the server's report of one workspace folder
 * (`factorlint/report`: the same model and numbers as the CLI) — the folder of the file in the
 * active editor when the report is opened, else the one it showed, else the first — re-rendered when
 * diagnostics change (debounced). The HTML is rendered by the server (the renderer needs the
 * rule registry, which the client bundle does not carry). Without a server report (no
 * folder, server stopped) the panel falls back to a summary of the current diagnostics.
 *
 * Messages from the webview: `open` (a location, relative to the folder), `fixAll` (safe fixes
 * of one rule in every file, `factorlint/fixAllOfRule`), `openDocs` (the rule's page).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { FactorlintClient } from './language-client';
import { DIAGNOSTIC_SOURCE, FixAllOfRuleRequest, ReportRequest, type FixAllOfRuleResult, type ReportParams, type ReportResult } from './server-protocol';

type PanelMessage =
  | { type: 'open'; path?: string; target?: string; line: number; character: number }
  | { type: 'fixAll'; ruleId: string }
  | { type: 'openDocs'; ruleId: string };

function isMessage(value: unknown): value is PanelMessage {
  const m = value as Record<string, unknown> | null;
  if (!m || typeof m !== 'object') return false;
  if (m.type === 'open') return (typeof m.path === 'string' || typeof m.target === 'string') && typeof m.line === 'number' && typeof m.character === 'number';
  return (m.type === 'fixAll' || m.type === 'openDocs') && typeof m.ruleId === 'string' && /^[a-z-]+\/[a-z0-9-]+$/.test(m.ruleId);
}

export class ReportPanel {
  static readonly viewType = 'factorlint.report';
  private static current: ReportPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private ticket = 0;
  /** The last report the server sent (tests read it). */
  private result: ReportResult | undefined;
  /** The folder reported on (undefined: the server's first); "Fix all" fixes only its files. */
  private folderUri: string | undefined;

  /** The open panel, if any (tests read its HTML). */
  static get panel(): vscode.WebviewPanel | undefined { return ReportPanel.current?.panel; }
  /** The server's last report shown, if any. */
  static get lastReport(): ReportResult | undefined { return ReportPanel.current?.result; }

  static show(extensionUri: vscode.Uri, client: FactorlintClient): ReportPanel {
    const folderUri = activeFolderUri();
    if (ReportPanel.current) {
      if (folderUri) ReportPanel.current.folderUri = folderUri;
      ReportPanel.current.panel.reveal(vscode.ViewColumn.Active);
      void ReportPanel.current.render();
      return ReportPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ReportPanel.viewType, 'factorlint: Factor Report', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    ReportPanel.current = new ReportPanel(panel, client, folderUri);
    return ReportPanel.current;
  }

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly client: FactorlintClient, folderUri: string | undefined) {
    this.folderUri = folderUri;
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => { if (isMessage(message)) void this.handle(message); }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        // debounce bursts (workspace analysis publishes per file)
        if (e.uris.length > 0) this.scheduleRender();
      }),
    );
    this.panel.webview.html = '<!DOCTYPE html><html><body><p>factorlint: building the factor report…</p></body></html>';
    void this.render();
  }

  /** Asks the server for the report and shows it; a newer render wins over a slower older one. */
  async render(): Promise<void> {
    const ticket = ++this.ticket;
    const nonce = randomBytes(16).toString('base64');
    const cspSource = this.panel.webview.cspSource;
    let result: ReportResult | null | undefined;
    const lc = this.client.languageClient;
    if (lc?.isRunning()) {
      try {
        const params: ReportParams = { nonce, cspSource, ...(this.folderUri ? { folderUri: this.folderUri } : {}) };
        result = await lc.sendRequest<ReportResult | null>(ReportRequest.method, params);
      } catch (error) {
        this.client.output.warn(`factor report: ${String(error)}`);
      }
    }
    // closed meanwhile (another panel may be the current one now): a disposed webview throws on any write
    if (ticket !== this.ticket || ReportPanel.current !== this) return;
    if (result?.html) {
      this.result = result;
      // with several folders, the title names the one shown (as the Explorer names it)
      const shown = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(result.folderUri)) : undefined;
      this.panel.title = shown ? `factorlint: Factor Report (${shown.name})` : 'factorlint: Factor Report';
      this.panel.webview.html = result.html;
      return;
    }
    // one renderer, the server's (the CLI's HTML report): without it, say why there is no report
    this.result = undefined;
    this.panel.webview.html = unavailablePage();
  }

  private scheduleRender(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.render(), 500);
  }

  private async handle(message: PanelMessage): Promise<void> {
    if (message.type === 'open') return this.open(message);
    if (message.type === 'openDocs') {
      await vscode.commands.executeCommand('factorlint.showRuleDocs', message.ruleId);
      return;
    }
    await this.fixAll(message.ruleId);
  }

  private async open(message: Extract<PanelMessage, { type: 'open' }>): Promise<void> {
    let uri: vscode.Uri;
    if (message.path !== undefined) {
      const folder = this.result?.folderUri;
      if (!folder || message.path.split('/').includes('..')) return;
      uri = vscode.Uri.joinPath(vscode.Uri.parse(folder), ...message.path.split('/'));
    } else {
      uri = vscode.Uri.parse(message.target!);
    }
    const position = new vscode.Position(message.line, message.character);
    const diagnostic = vscode.languages.getDiagnostics(uri).find((d) => d.source === DIAGNOSTIC_SOURCE && d.range.start.isEqual(position));
    await vscode.window.showTextDocument(uri, { selection: diagnostic?.range ?? new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
  }

  /** Applies the safe fixes of one rule in every file and saves the files it changed. */
  private async fixAll(ruleId: string): Promise<void> {
    const lc = this.client.languageClient;
    if (!lc?.isRunning()) return;
    // the folder this report shows, not every folder of a multi-root workspace
    const folderUri = this.result?.folderUri;
    const result = await lc.sendRequest<FixAllOfRuleResult>(FixAllOfRuleRequest.method, { ruleId, ...(folderUri ? { folderUri } : {}) });
    if (result.files === 0) {
      void vscode.window.showInformationMessage(`factorlint: no safe fixes left for ${ruleId}.`);
      return;
    }
    const dirtyBefore = new Set(vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.toString()));
    const edit = await lc.protocol2CodeConverter.asWorkspaceEdit(result.edit as Parameters<typeof lc.protocol2CodeConverter.asWorkspaceEdit>[0]);
    if (!edit || !(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showWarningMessage(`factorlint: the fixes for ${ruleId} could not be applied (a file changed meanwhile); try again.`);
      return;
    }
    for (const [uri] of edit.entries()) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      // files the fix opened are saved; a buffer with the user's unsaved edits stays unsaved
      if (doc?.isDirty && !dirtyBefore.has(doc.uri.toString())) await doc.save();
    }
    const skipped = result.skipped?.length ? ` (${result.skipped.length} skipped: ${[...new Set(result.skipped.map((s) => s.reason))].join(', ')})` : '';
    void vscode.window.showInformationMessage(`factorlint: fixed ${result.fixes} ${ruleId} problem${result.fixes === 1 ? '' : 's'} in ${result.files} file${result.files === 1 ? '' : 's'}${skipped}.`);
  }

  private dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    ReportPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
  }
}

/** Shown when the server gives no report (not running, or its workspace index is off). No script, no resource. */
function unavailablePage(): string {
  return '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    + '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';">'
    + '<title>factorlint — Twelve-Factor report</title></head><body>'
    + '<p>factorlint: the factor report comes from the language server, which is not running or has no workspace folder open. '
    + 'Check the factorlint output channel, then run "factorlint: Show Factor Report" again.</p></body></html>';
}

/** The workspace folder of the file in the active editor, if any. */
function activeFolderUri(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri ? vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() : undefined;
}
