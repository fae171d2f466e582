/**
 * "Show documentation for <rule>" on every factorlint diagnostic whose rule page ships with the
 * extension: opens docs/rules/<id>.md in the Markdown preview, offline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ruleIdOf } from './diagnostics';
import { DIAGNOSTIC_SOURCE } from './server-protocol';

export class RuleDocsActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly shipped = new Map<string, boolean>();

  constructor(private readonly extensionPath: string) {}

  provideCodeActions(_document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ids = [...new Set(context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE).map(ruleIdOf))];
    return ids.filter((id) => this.hasDocs(id)).map((id) => {
      const action = new vscode.CodeAction(`Show documentation for ${id}`, vscode.CodeActionKind.QuickFix);
      action.command = { title: action.title, command: 'factorlint.showRuleDocs', arguments: [id] };
      action.diagnostics = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && ruleIdOf(d) === id);
      return action;
    });
  }

  private hasDocs(id: string): boolean {
    if (!/^[a-z-]+\/[a-z0-9-]+$/.test(id)) return false;
    let known = this.shipped.get(id);
    if (known === undefined) {
      known = fs.existsSync(path.join(this.extensionPath, 'docs', 'rules', `${id}.md`));
      this.shipped.set(id, known);
    }
    return known;
  }
}
