/**
 * *factorlint: Explain File*: why the active file is (or is not) analysed as it is — its role
 * and the evidence, the configuration in effect, the rules that run — shown as a read-only
 * Markdown document (`factorlint-explain:` scheme: nothing to save, nothing left dirty).
 */
import * as vscode from 'vscode';
import type { FactorlintClient } from './language-client';
import { CONFIG_FILE_NAME, ExplainFileRequest, type ExplainFileResult } from './server-protocol';

export const EXPLAIN_SCHEME = 'factorlint-explain';

/** The explanation as Markdown (pure: the e2e suite and the UI read the same text). */
export function explainMarkdown(result: ExplainFileResult): string {
  const lines = [`# factorlint: ${result.path}`, ''];
  if (result.kind) lines.push(`- **Kind:** ${result.kind === 'ts' ? 'TypeScript/JavaScript' : result.kind}`);
  if (result.role) lines.push(`- **Role:** ${result.role}`, `- **Evidence:** ${result.reason ?? 'none given'}`);
  if (result.skipped) lines.push(`- **Not analysed:** ${result.skipped}`);
  lines.push('', '## Configuration in effect', '');
  if (result.configFiles.length === 0) lines.push(`No \`${CONFIG_FILE_NAME}\` applies: defaults plus the \`factorlint.*\` settings.`);
  for (const f of result.configFiles) lines.push(`- \`${f.path}\`${f.errors > 0 ? ` — **${f.errors} error${f.errors === 1 ? '' : 's'}: ignored until fixed**` : ''}`);
  lines.push('', `## Rules that run on this file (${result.rules.length})`, '');
  if (result.rules.length === 0) lines.push('None.');
  for (const id of result.rules) lines.push(`- ${id}`);
  if (result.rulesOff.length > 0) {
    lines.push('', `## Turned off by configuration (${result.rulesOff.length})`, '');
    for (const id of result.rulesOff) lines.push(`- ${id}`);
  }
  if (result.workspaceRules > 0) lines.push('', `Cross-file rules (${result.workspaceRules}) run over the whole workspace; their findings may also land on this file.`);
  lines.push('', `Role wrong? Force it with \`roles\` in \`${CONFIG_FILE_NAME}\`, e.g. \`{ "roles": { "script": ["tools/**"] } }\`.`, '');
  return lines.join('\n');
}

export class ExplainFile implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** The last explanation shown (tests read it). */
  last: ExplainFileResult | undefined;

  constructor(private readonly client: FactorlintClient) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Explains `target` (the active editor's file by default) and shows the explanation beside it. */
  async run(target?: vscode.Uri): Promise<ExplainFileResult | undefined> {
    const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('factorlint: open a file to explain how factorlint sees it.');
      return undefined;
    }
    const lc = this.client.languageClient;
    if (!lc?.isRunning()) {
      void vscode.window.showWarningMessage('factorlint: the language server is not running (see the factorlint output).');
      return undefined;
    }
    const result = await lc.sendRequest<ExplainFileResult | null>(ExplainFileRequest.method, { uri: uri.toString() });
    if (!result) {
      void vscode.window.showInformationMessage(`factorlint: ${vscode.workspace.asRelativePath(uri)} cannot be read.`);
      return undefined;
    }
    this.last = result;
    const doc = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${result.path.split('/').pop() || 'file'} — factorlint.md` });
    this.texts.set(doc.toString(), explainMarkdown(result));
    this.changed.fire(doc);
    const shown = await vscode.workspace.openTextDocument(doc);
    await vscode.languages.setTextDocumentLanguage(shown, 'markdown');
    await vscode.window.showTextDocument(shown, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    return result;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
