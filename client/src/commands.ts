/** The commands of the `factorlint` category (see `contributes.commands` in package.json). */
import * as vscode from 'vscode';
import { configTemplate } from './config-template';
import { ruleIdOf } from './diagnostics';
import type { ExplainFile } from './explain';
import type { FactorlintClient } from './language-client';
import { ReportPanel } from './report-panel';
import { ANALYZE_WORKSPACE_REQUEST, CONFIG_FILE_NAME, DIAGNOSTIC_SOURCE, FIX_ALL_KIND, type AnalyzeWorkspaceResult } from './server-protocol';

/** JSON-RPC "method not found": the server has no workspace analysis, use the fallback. */
const METHOD_NOT_FOUND = -32601;
/** Upper bound of files the fallback opens: opening documents costs memory in the extension host. */
const FALLBACK_FILE_LIMIT = 500;
// VS Code globs do not nest braces: one flat group.
const WORKSPACE_GLOB = `{${[
  ...['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'].map((ext) => `**/*.${ext}`),
  '**/Dockerfile', '**/Dockerfile.*', '**/Dockerfile-*', '**/Dockerfile_*', '**/*.Dockerfile', '**/*.dockerfile', '**/Containerfile',
  ...['compose', 'docker-compose', 'docker-stack'].flatMap((name) => [`**/${name}*.yml`, `**/${name}*.yaml`]),
  '**/.env', '**/.env.*',
].join(',')}}`;
const WORKSPACE_EXCLUDE = '**/{node_modules,.git,dist,build,out,coverage,.next}/**';

export function registerCommands(context: vscode.ExtensionContext, client: FactorlintClient, explain: ExplainFile): void {
  const register = (id: string, handler: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));

  register('factorlint.showReport', () => { ReportPanel.show(context.extensionUri, client); });
  register('factorlint.analyzeWorkspace', () => analyzeWorkspace(client));
  register('factorlint.fixAll', () => fixAll());
  register('factorlint.createConfig', () => createConfig(context));
  register('factorlint.showOutputChannel', () => client.output.show(true));
  register('factorlint.restartServer', () => client.restart());
  register('factorlint.showRuleDocs', (ruleId?: string) => showRuleDocs(context, ruleId));
  register('factorlint.explainFile', (uri?: vscode.Uri) => explain.run(uri));
}

async function analyzeWorkspace(client: FactorlintClient): Promise<AnalyzeWorkspaceResult | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'factorlint: analyzing the workspace', cancellable: true },
    async (progress, token) => {
      const lc = client.languageClient;
      if (lc?.isRunning()) {
        try {
          return await lc.sendRequest<AnalyzeWorkspaceResult>(ANALYZE_WORKSPACE_REQUEST, {}, token);
        } catch (error) {
          if ((error as { code?: number }).code !== METHOD_NOT_FOUND) throw error;
        }
      }
      // Fallback: open each supported file; the language client sends it to the server, which publishes diagnostics.
      const files = await vscode.workspace.findFiles(WORKSPACE_GLOB, WORKSPACE_EXCLUDE, FALLBACK_FILE_LIMIT, token);
      let done = 0;
      for (const uri of files) {
        if (token.isCancellationRequested) break;
        await vscode.workspace.openTextDocument(uri);
        done++;
        progress.report({ message: vscode.workspace.asRelativePath(uri), increment: 100 / files.length });
      }
      return { files: done, findings: -1 };
    },
  );
}

async function fixAll(): Promise<void> {
  if (!vscode.window.activeTextEditor) {
    void vscode.window.showInformationMessage('factorlint: open a file to fix its safe problems.');
    return;
  }
  await vscode.commands.executeCommand('editor.action.sourceAction', { kind: FIX_ALL_KIND, apply: 'first' });
}

async function createConfig(context: vscode.ExtensionContext): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.length <= 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: `Where should ${CONFIG_FILE_NAME} go?` });
  if (!folder) {
    void vscode.window.showWarningMessage('factorlint: open a folder first; the configuration file lives at its root.');
    return undefined;
  }
  const target = vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAME);
  try {
    await vscode.workspace.fs.stat(target);
  } catch {
    const schema = vscode.Uri.joinPath(context.extensionUri, 'schemas', 'factorlintrc.schema.json').toString();
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(configTemplate(schema)));
  }
  await vscode.window.showTextDocument(target);
  return target;
}

async function showRuleDocs(context: vscode.ExtensionContext, ruleId?: string): Promise<vscode.Uri | undefined> {
  const id = typeof ruleId === 'string' && ruleId ? ruleId : await pickRule(context);
  if (!id) return undefined;
  if (!/^[a-z-]+\/[a-z0-9-]+$/.test(id)) {
    void vscode.window.showWarningMessage(`factorlint: "${id}" is not a rule id.`);
    return undefined;
  }
  const doc = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${id}.md`);
  try {
    await vscode.workspace.fs.stat(doc);
  } catch {
    void vscode.window.showWarningMessage(`factorlint: no documentation for ${id}.`);
    return undefined;
  }
  await vscode.commands.executeCommand('markdown.showPreview', doc);
  return doc;
}

/** Rules under the cursor first, then every documented rule. */
async function pickRule(context: vscode.ExtensionContext): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const here = editor
    ? vscode.languages.getDiagnostics(editor.document.uri)
      .filter((d) => d.source === DIAGNOSTIC_SOURCE && d.range.contains(editor.selection.active))
      .map(ruleIdOf)
    : [];
  const documented: string[] = [];
  const root = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules');
  try {
    for (const [factor, type] of await vscode.workspace.fs.readDirectory(root)) {
      if (type !== vscode.FileType.Directory) continue;
      for (const [name] of await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(root, factor))) {
        if (name.endsWith('.md')) documented.push(`${factor}/${name.slice(0, -3)}`);
      }
    }
  } catch { /* no docs shipped */ }
  const ids = [...new Set([...here, ...documented.sort()])];
  if (ids.length === 1 && here.length === 1) return ids[0];
  return vscode.window.showQuickPick(ids, { placeHolder: 'Rule to show the documentation of' });
}
