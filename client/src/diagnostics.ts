/** factorlint's diagnostics as VS Code currently holds them (the source of counts and the report). */
import * as vscode from 'vscode';
import type { ReportFinding } from './report-html';
import { DIAGNOSTIC_SOURCE } from './server-protocol';

export function factorlintDiagnostics(): Array<[vscode.Uri, vscode.Diagnostic[]]> {
  const result: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length > 0) result.push([uri, ours]);
  }
  return result;
}

export function countBySeverity(): { errors: number; warnings: number; others: number } {
  const counts = { errors: 0, warnings: 0, others: 0 };
  for (const [, diagnostics] of factorlintDiagnostics()) {
    for (const d of diagnostics) {
      if (d.severity === vscode.DiagnosticSeverity.Error) counts.errors++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warnings++;
      else counts.others++;
    }
  }
  return counts;
}

const SEVERITY: Record<vscode.DiagnosticSeverity, ReportFinding['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function ruleIdOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? 'unknown' : String(code);
}

export function findingsFromDiagnostics(): { findings: ReportFinding[]; files: number } {
  const entries = factorlintDiagnostics();
  const findings = entries.flatMap(([uri, diagnostics]) => diagnostics.map((d): ReportFinding => ({
    ruleId: ruleIdOf(d),
    severity: SEVERITY[d.severity],
    message: d.message,
    file: vscode.workspace.asRelativePath(uri),
    target: uri.toString(),
    line: d.range.start.line,
    character: d.range.start.character,
  })));
  return { findings, files: entries.length };
}
