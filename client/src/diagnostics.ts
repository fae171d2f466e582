/** factorlint's diagnostics as VS Code currently holds them (the source of counts and the report). */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from './server-protocol';

export function factorlintDiagnostics(): Array<[vscode.Uri, vscode.Diagnostic[]]> {
  const result: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length > 0) result.push([uri, ours]);
  }
  return result;
}

export function ruleIdOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? 'unknown' : String(code);
}
