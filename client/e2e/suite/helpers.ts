/** Polling helpers for the e2e suite: wait with a deadline, never sleep blindly. */
import * as vscode from 'vscode';

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e suite needs a workspace folder');
  return folder.uri;
}

export function fileUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

export function factorlintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'factorlint');
}

export function ruleOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

/** Opens a file in an editor and waits for a factorlint diagnostic of `ruleId`. */
export async function openAndWaitFor(relative: string, ruleId: string): Promise<{ editor: vscode.TextEditor; diagnostic: vscode.Diagnostic }> {
  const uri = fileUri(relative);
  const editor = await vscode.window.showTextDocument(uri, { preview: false });
  const diagnostic = await waitFor(`${ruleId} in ${relative}`, () => factorlintDiagnostics(uri).find((d) => ruleOf(d) === ruleId));
  return { editor, diagnostic };
}

export async function readText(relative: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri(relative)));
}

/**
 * The code actions at a range. VS Code cancels an in-flight code-action request whenever the
 * set of providers changes (the built-in TypeScript extension registers some of its providers
 * only once tsserver is up), so a cancelled request is asked again, as the lightbulb would.
 */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind);
    } catch (error) {
      const cancelled = error instanceof Error && (error.name === 'Canceled' || error.message === 'Canceled');
      if (!cancelled || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
