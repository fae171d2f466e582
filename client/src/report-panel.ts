/** The factor report webview: one panel, refreshed when diagnostics change. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { findingsFromDiagnostics } from './diagnostics';
import { renderReport } from './report-html';
import { DIAGNOSTIC_SOURCE } from './server-protocol';

interface OpenMessage { type: 'open'; target: string; line: number; character: number }

function isOpenMessage(value: unknown): value is OpenMessage {
  const m = value as Partial<OpenMessage> | null;
  return !!m && m.type === 'open' && typeof m.target === 'string' && typeof m.line === 'number' && typeof m.character === 'number';
}

export class ReportPanel {
  static readonly viewType = 'factorlint.report';
  private static current: ReportPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;

  /** The open panel, if any (tests read its HTML). */
  static get panel(): vscode.WebviewPanel | undefined { return ReportPanel.current?.panel; }

  static show(extensionUri: vscode.Uri): ReportPanel {
    if (ReportPanel.current) {
      ReportPanel.current.panel.reveal(vscode.ViewColumn.Active);
      ReportPanel.current.render();
      return ReportPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(ReportPanel.viewType, 'factorlint: Factor Report', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    ReportPanel.current = new ReportPanel(panel);
    return ReportPanel.current;
  }

  private constructor(private readonly panel: vscode.WebviewPanel) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => { if (isOpenMessage(message)) void this.open(message); }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        // only our diagnostics matter; debounce bursts (workspace analysis publishes per file)
        if (e.uris.length > 0) this.scheduleRender();
      }),
    );
    this.render();
  }

  render(): void {
    const { findings, files } = findingsFromDiagnostics();
    this.panel.webview.html = renderReport({ findings, files }, { nonce: randomBytes(16).toString('base64'), cspSource: this.panel.webview.cspSource });
  }

  private scheduleRender(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.render(), 300);
  }

  private async open(message: OpenMessage): Promise<void> {
    const uri = vscode.Uri.parse(message.target);
    const position = new vscode.Position(message.line, message.character);
    const diagnostic = vscode.languages.getDiagnostics(uri).find((d) => d.source === DIAGNOSTIC_SOURCE && d.range.start.isEqual(position));
    await vscode.window.showTextDocument(uri, { selection: diagnostic?.range ?? new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
  }

  private dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    ReportPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
  }
}
