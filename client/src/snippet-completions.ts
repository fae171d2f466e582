/**
 * The snippets that read environment variables, offered as completions in TypeScript and
 * JavaScript (JSX/TSX too) instead of static `.code-snippets`: after insertion the completion's
 * command adds the variables' NAMES to the service's env template (see `env-snippets.ts`), so
 * the new code is declared where the deploy defines config. Env-free snippets stay static.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { snippetVariant, templateTarget, withCommentedNames, withDeclaredNames, type EnvSnippets } from './env-snippets';

export const DECLARE_ENV_COMMAND = 'factorlint.declareEnvNames';
const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

function loadSnippets(extensionPath: string): EnvSnippets {
  try {
    return JSON.parse(fs.readFileSync(path.join(extensionPath, 'snippets', 'env-snippets.json'), 'utf8')) as EnvSnippets;
  } catch {
    return {};
  }
}

async function entries(dir: vscode.Uri): Promise<string[]> {
  try {
    return (await vscode.workspace.fs.readDirectory(dir)).filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
  } catch {
    return [];
  }
}

/** package.json "type" of the nearest package at or above the document (ES module or CommonJS .js). */
async function packageType(document: vscode.TextDocument): Promise<string | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  if (!folder) return undefined;
  for (let dir = vscode.Uri.joinPath(document.uri, '..'); dir.path.startsWith(folder.uri.path); dir = vscode.Uri.joinPath(dir, '..')) {
    try {
      const pkg = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'package.json')))) as { type?: unknown };
      return typeof pkg.type === 'string' ? pkg.type : undefined;
    } catch { /* none here */ }
    if (dir.path === folder.uri.path) break;
  }
  return undefined;
}

/** Adds the names to the env template of the document's service (created when there is none). */
export async function declareEnvNames(documentUri: vscode.Uri, names: readonly string[]): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(documentUri);
  if (!folder || names.length === 0) return undefined;
  const dirs: Array<{ dir: string; entries: string[] }> = [];
  for (let dir = vscode.Uri.joinPath(documentUri, '..'); ; dir = vscode.Uri.joinPath(dir, '..')) {
    dirs.push({ dir: dir.toString(), entries: await entries(dir) });
    if (dir.path === folder.uri.path || !dir.path.startsWith(folder.uri.path) || dirs.length > 32) break;
  }
  const target = templateTarget(dirs);
  if (!target) return undefined;
  const uri = vscode.Uri.joinPath(vscode.Uri.parse(target.dir), target.name);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const before = open ? open.getText() : target.exists ? new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) : undefined;
  const after = withDeclaredNames(before, names);
  if (!after) return uri;
  if (open) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(open.positionAt(0), open.positionAt(before!.length)), after.text);
    await vscode.workspace.applyEdit(edit);
  } else {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(after.text));
  }
  await remindLocalEnv(vscode.Uri.joinPath(vscode.Uri.parse(target.dir), '.env'), after.added);
  void vscode.window.setStatusBarMessage(`factorlint: declared ${after.added.join(', ')} in ${vscode.workspace.asRelativePath(uri)} (names only, no values)`, 8000);
  return uri;
}

/** The local `.env` beside the template, when there is one, lists the new names commented out. */
async function remindLocalEnv(uri: vscode.Uri, names: readonly string[]): Promise<void> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  let before: string;
  try { before = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)); } catch { return; } // no .env: nothing to remind
  const after = withCommentedNames(before, names);
  if (after === undefined) return;
  if (open) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(open.positionAt(0), open.positionAt(before.length)), after);
    await vscode.workspace.applyEdit(edit);
  } else {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(after));
  }
}

export function registerSnippetCompletions(context: vscode.ExtensionContext): void {
  const snippets = loadSnippets(context.extensionPath);
  const provider: vscode.CompletionItemProvider = {
    async provideCompletionItems(document, position) {
      const before = document.lineAt(position.line).text.slice(0, position.character);
      const typed = /[\w-]*$/.exec(before)?.[0] ?? '';
      // only on the way to a `12f-` prefix, as the static snippets are offered
      if (typed === '' || !'12f-'.startsWith(typed.slice(0, 4))) return [];
      const variant = snippetVariant(document.languageId, document.fileName, document.getText(), document.languageId === 'javascript' ? await packageType(document) : undefined);
      const range = new vscode.Range(position.translate(0, -typed.length), position);
      return Object.entries(snippets).map(([prefix, snippet]) => {
        const item = new vscode.CompletionItem({ label: prefix, description: snippet.name }, vscode.CompletionItemKind.Snippet);
        item.insertText = new vscode.SnippetString(snippet.body[variant].join('\n'));
        item.range = range;
        item.filterText = prefix;
        const needs = snippet.packages.length > 0 ? `\n\nNeeds the packages ${snippet.packages.join(', ')} (npm install them).` : '';
        item.documentation = new vscode.MarkdownString(`${snippet.description}\n\nAdds ${snippet.env.map((n) => `\`${n}\``).join(', ')} to the service's \`.env.example\` (names only).${needs}`);
        item.detail = `factorlint snippet (${variant === 'ts' ? 'TypeScript' : variant === 'esm' ? 'ES module' : 'CommonJS'})`;
        item.command = { title: 'Declare the variables', command: DECLARE_ENV_COMMAND, arguments: [document.uri, snippet.env] };
        return item;
      });
    },
  };
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(LANGUAGES.map((language) => ({ language })), provider),
    vscode.commands.registerCommand(DECLARE_ENV_COMMAND, (uri: vscode.Uri, names: string[]) => declareEnvNames(uri, names)),
  );
}
