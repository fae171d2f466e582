/**
 * Code actions: each finding's fixes as versioned `TextDocumentEdit`s, "Disable <id> for this
 * line/file" comments, and `source.fixAll.factorlint` (safe fixes only, several passes).
 * Actions are always computed from the analysis of the document's current version; a
 * diagnostic whose `data.version` is older is ignored, so a stale fix is never offered.
 *
 * Editors ask for code actions whenever the cursor or the diagnostics under it move (VS Code's
 * lightbulb), with no `only`: a fix-all computed then re-analyses the whole file up to
 * FIX_ALL_MAX_PASSES times, per keystroke, for an action the lightbulb never shows. When the
 * client resolves edits (`codeAction/resolve`, VS Code and Neovim ≥ 0.7 do), fix-all and
 * "Extract to environment variable" are offered without their edit and computed on resolve,
 * for the version they were offered for only (a later version gets no edit, never a wrong
 * one). Quick fixes keep their edits: the analysis already holds them.
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  type CodeAction, type CodeActionParams, type CreateFile, type Diagnostic, type TextDocumentEdit, type TextDocuments, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { applyAppends, applyFindingFixes, fitLineEndings } from '../engine/apply-fixes';
import type { AnalysisResult } from '../engine/run';
import { isScalar, visit } from 'yaml';
import type { ParsedCompose } from '../parse/compose';
import type { ParsedDockerfile } from '../parse/dockerfile';
import type { ParsedTs } from '../parse/typescript';
import type { FileAppend, FileKind, Finding } from '../engine/types';
import { DIAGNOSTIC_SOURCE, EXTRACT_KIND, FIX_ALL_KIND } from '../protocol';
import { planExtractToEnv, type ExtractPlan } from '../engine/refactor/extract-env';
import type { Analyzer } from './analysis';
import { uriForPath, type DiagnosticData } from './diagnostics';
import type { SettingsStore } from './settings';

/** Fix-all stops after this many analyse-and-apply passes (fixes that enable other fixes). */
export const FIX_ALL_MAX_PASSES = 10;

export interface WorkspaceEditSupport {
  /** `workspace.workspaceEdit.documentChanges`: versioned edits. */
  documentChanges: boolean;
  /** `workspace.workspaceEdit.resourceOperations` includes `create`. */
  createFiles: boolean;
}

export interface CodeActionDeps {
  documents: TextDocuments<TextDocument>;
  settings: SettingsStore;
  analyzer: Analyzer;
  support: WorkspaceEditSupport;
  /** The client resolves a code action's `edit` (`textDocument.codeAction.resolveSupport`): costly edits wait for it. */
  resolveEdits?: boolean;
  /** Reads a workspace file that is not open (for `otherFiles` appends); undefined when absent. */
  readFile?(fsPath: string): string | undefined;
  /**
   * The edit passing a new variable to the Compose service that builds the document's folder
   * (`NAME: ${NAME}` under `environment:`), when the project model knows one and the YAML is simple.
   */
  composeEnvEdit?(docUri: string, envName: string): { uri: string; version: number | null; edit: TextEdit } | undefined;
}

/** Whether an action of `kind` was asked for by `only` (LSP kinds are dot-separated hierarchies). */
export function kindRequested(kind: string, only: readonly string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((k) => k === '' || kind === k || kind.startsWith(k + '.'));
}

function commentPrefix(kind: FileKind): string {
  return kind === 'ts' ? '//' : '#';
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function lineText(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

/** The line a file-level suppression goes on: after shebangs and Dockerfile parser directives. */
export function fileDirectiveLine(doc: TextDocument, kind: FileKind): number {
  let line = 0;
  if (lineText(doc, 0).startsWith('#!')) line = 1;
  if (kind === 'dockerfile') {
    // `# syntax=`, `# escape=`, `# check=` must stay the first lines or Docker ignores them
    while (line < doc.lineCount && /^#\s*(?:syntax|escape|check)\s*=/i.test(lineText(doc, line))) line++;
  }
  return line;
}

/**
 * Whether a `//` line inserted at `offset` (a line start) stays a comment: not inside a
 * multi-line string or template literal, and not in JSX children (where it would be text).
 */
export function lineCommentFitsAt(parsed: ParsedTs, offset: number): boolean {
  const { ts, sourceFile } = parsed;
  const opaque = new Set<number>([
    ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead,
    ts.SyntaxKind.TemplateMiddle, ts.SyntaxKind.TemplateTail, ts.SyntaxKind.JsxText, ts.SyntaxKind.JsxElement, ts.SyntaxKind.JsxFragment,
  ]);
  let node: import('typescript').Node = sourceFile;
  let deepest: import('typescript').Node = sourceFile;
  for (;;) {
    const child: import('typescript').Node | undefined = ts.forEachChild(node, (c) => (c.getStart(sourceFile) < offset && offset < c.end ? c : undefined));
    if (!child) break;
    deepest = child;
    node = child;
  }
  return !opaque.has(deepest.kind);
}

/** A `#` line at `offset` stays a comment unless it would land inside a multi-line YAML scalar. */
export function yamlCommentFitsAt(parsed: ParsedCompose, offset: number): boolean {
  let fits = true;
  for (const doc of parsed.documents) {
    visit(doc, (_key, node) => {
      if (isScalar(node) && node.range && node.range[0] < offset && offset < node.range[1]) {
        fits = false;
        return visit.BREAK;
      }
      return undefined;
    });
    if (!fits) break;
  }
  return fits;
}

/** A `#` line inserted before `line` stays a comment unless it would land inside a heredoc (`RUN <<EOF`). */
export function dockerfileCommentFitsAt(parsed: ParsedDockerfile, line: number): boolean {
  for (const instruction of parsed.dockerfile.getInstructions()) {
    const range = instruction.getRange();
    if (range.start.line < line && line <= range.end.line) {
      // continuation lines may hold comments (Docker drops them); heredoc bodies may not
      return !/<<-?\s*["']?[A-Za-z_]/.test(instruction.getTextContent());
    }
  }
  return true;
}

/** Whether a suppression comment line inserted at `offset` (a line start) would be read as a comment. */
function commentFitsAt(kind: FileKind, value: unknown, doc: TextDocument, offset: number): boolean {
  switch (kind) {
    case 'ts': return lineCommentFitsAt(value as ParsedTs, offset);
    case 'compose': return yamlCommentFitsAt(value as ParsedCompose, offset);
    case 'dockerfile': return dockerfileCommentFitsAt(value as ParsedDockerfile, doc.positionAt(offset).line);
    default: return true;
  }
}

function sameRange(a: Diagnostic['range'], b: Finding['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function dataOf(diagnostic: Diagnostic): DiagnosticData | undefined {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  return data && typeof data === 'object' && typeof data.version === 'number' ? (data as DiagnosticData) : undefined;
}

const FIX_ALL_TITLE = 'Fix all safe factorlint problems';

/** `CodeAction.data` of an action offered without its edit: what `codeAction/resolve` needs to compute it. */
export type DeferredEdit =
  | { uri: string; version: number; fixAll: true }
  /** "Extract to environment variable" of the literal at `offset`. */
  | { uri: string; version: number; extractAt: number };

function deferredOf(action: CodeAction): DeferredEdit | undefined {
  const data = action.data as Partial<{ uri: unknown; version: unknown; fixAll: unknown; extractAt: unknown }> | undefined;
  if (!data || typeof data !== 'object' || typeof data.uri !== 'string' || typeof data.version !== 'number') return undefined;
  if (data.fixAll === true) return { uri: data.uri, version: data.version, fixAll: true };
  if (typeof data.extractAt === 'number') return { uri: data.uri, version: data.version, extractAt: data.extractAt };
  return undefined;
}

export class CodeActionsFeature {
  constructor(private readonly deps: CodeActionDeps) {}

  async provide(params: CodeActionParams): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    const before = this.deps.documents.get(uri);
    if (!before) return [];
    const cfg = await this.deps.settings.configFor(uri);
    const doc = this.deps.documents.get(uri);
    if (!doc || doc.version !== before.version || !cfg.settings.enable) return [];
    const entry = this.deps.analyzer.analyzeDocument(doc, cfg, this.deps.settings.generation);
    const file = entry.result.file;
    const parsed = entry.result.parsed;
    if (!file || !parsed) return []; // skipped (too large, unparseable…): nothing to fix or suppress
    const only = params.context?.only;
    const actions: CodeAction[] = [];

    if (kindRequested(CodeActionKind.QuickFix, only)) {
      const disabledForFile = new Set<string>();
      for (const diagnostic of params.context?.diagnostics ?? []) {
        if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'string') continue;
        const data = dataOf(diagnostic);
        if (data && data.version !== doc.version) continue; // computed for another version
        const finding = entry.result.findings.find((f) => f.ruleId === diagnostic.code && sameRange(diagnostic.range, f.range));
        if (!finding) continue;
        finding.fixes.forEach((fix, i) => {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: i === 0 && (fix.kind === 'safe' || fix.preferred === true),
            // through the one fix applier: the document's line endings, guarded appends
            edit: this.editFor(doc, fitLineEndings(fix, doc.getText()).edits.map((e) => this.lspEdit(entry.result, e)), fix.otherFiles ?? []),
          });
        });
        if (finding.ruleId.startsWith('factorlint/')) continue; // engine meta-diagnostics are not suppressible
        const lineStart = doc.offsetAt({ line: finding.range.start.line, character: 0 });
        if (commentFitsAt(file.kind, parsed.value, doc, lineStart)) actions.push(this.disableLine(doc, file.kind, finding, diagnostic));
        if (!disabledForFile.has(finding.ruleId)) {
          disabledForFile.add(finding.ruleId);
          actions.push(this.disableFile(doc, file.kind, finding.ruleId, diagnostic));
        }
      }
    }

    if (file.kind === 'ts' && kindRequested(EXTRACT_KIND, only)) {
      const offset = doc.offsetAt(params.range.start);
      const plan = this.extractPlan(doc, entry.result, offset);
      if (plan) {
        actions.push(this.deps.resolveEdits
          ? { title: plan.fix.title, kind: EXTRACT_KIND, data: { uri, version: doc.version, extractAt: offset } satisfies DeferredEdit }
          : { title: plan.fix.title, kind: EXTRACT_KIND, edit: this.extractEdit(doc, entry.result, plan) });
      }
    }

    const hasSafeFix = entry.result.findings.some((f) => f.fixes.some((x) => x.kind === 'safe'));
    if (this.deps.resolveEdits) {
      // offered when there is something to fix; whether the passes change the text is resolve's work
      if (hasSafeFix && (!only?.length || kindRequested(FIX_ALL_KIND, only))) {
        actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, data: { uri, version: doc.version, fixAll: true } satisfies DeferredEdit });
      }
    } else if (only?.length ? kindRequested(FIX_ALL_KIND, only) : hasSafeFix) {
      const fixAll = this.fixAll(doc, entry.result, cfg);
      if (fixAll) actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, edit: fixAll });
    }
    return actions;
  }

  /**
   * `codeAction/resolve`: the edit of an action offered without one, from the analysis of the
   * version it was offered for. The document moved on (or closed, or factorlint was disabled):
   * the action comes back without an edit, so nothing is applied rather than a wrong edit.
   */
  async resolve(action: CodeAction): Promise<CodeAction> {
    const deferred = deferredOf(action);
    if (!deferred || action.edit) return action;
    const offered = () => this.deps.documents.get(deferred.uri)?.version === deferred.version;
    if (!offered()) return action;
    const cfg = await this.deps.settings.configFor(deferred.uri);
    const doc = this.deps.documents.get(deferred.uri);
    if (!doc || !offered() || !cfg.settings.enable) return action;
    const entry = this.deps.analyzer.analyzeDocument(doc, cfg, this.deps.settings.generation);
    if (!entry.result.file || !entry.result.parsed) return action;
    if ('fixAll' in deferred) {
      const edit = this.fixAll(doc, entry.result, cfg);
      return edit ? { ...action, edit } : action;
    }
    const plan = this.extractPlan(doc, entry.result, deferred.extractAt);
    // the same refactoring as offered (same literal, same name), or none
    return plan && plan.fix.title === action.title ? { ...action, edit: this.extractEdit(doc, entry.result, plan) } : action;
  }

  /** "Extract to environment variable" of the configuration literal at `offset`, if there is one. */
  private extractPlan(doc: TextDocument, result: AnalysisResult, offset: number): ExtractPlan | undefined {
    const parsed = result.parsed?.value as ParsedTs | undefined;
    if (!parsed?.sourceFile) return undefined;
    return planExtractToEnv(parsed, offset, this.deps.analyzer.projectContextFor(doc.uri));
  }

  /**
   * The extract refactoring's edit: the literal rewritten to `process.env.NAME`, `NAME=`
   * appended to `.env.example` (created when the client can create files) and, when a Compose
   * service builds this folder, the variable passed in its `environment:`.
   */
  private extractEdit(doc: TextDocument, result: AnalysisResult, plan: ExtractPlan): WorkspaceEdit {
    const edits = fitLineEndings(plan.fix, doc.getText()).edits.map((e) => this.lspEdit(result, e));
    const edit = this.editFor(doc, edits, plan.fix.otherFiles ?? []);
    const compose = this.deps.composeEnvEdit?.(doc.uri, plan.envName);
    if (edit.documentChanges) {
      if (compose) edit.documentChanges.push({ textDocument: { uri: compose.uri, version: compose.version }, edits: [compose.edit] });
    } else if (edit.changes) {
      // clients without documentChanges: text edits only, to files that exist
      {
        for (const change of this.appendChanges(doc.uri, plan.fix.otherFiles ?? [])) {
          if ('textDocument' in change && change.textDocument.version !== undefined && !edit.documentChanges) {
            const target = change.textDocument.uri;
            if (!this.isKnownFile(target)) continue;
            edit.changes[target] = [...(edit.changes[target] ?? []), ...(change.edits as TextEdit[])];
          }
        }
      }
      if (compose) edit.changes[compose.uri] = [...(edit.changes[compose.uri] ?? []), compose.edit];
    }
    return edit;
  }

  private isKnownFile(uri: string): boolean {
    if (this.deps.documents.get(uri)) return true;
    try {
      const p = fileURLToPath(uri);
      return this.deps.readFile ? this.deps.readFile(p) !== undefined : fs.existsSync(p);
    } catch {
      return false;
    }
  }

  private lspEdit(result: AnalysisResult, e: { start: number; end: number; newText: string }): TextEdit {
    const lines = result.parsed!.lines;
    return { range: { start: lines.positionAt(e.start), end: lines.positionAt(e.end) }, newText: e.newText };
  }

  private disableLine(doc: TextDocument, kind: FileKind, finding: Finding, diagnostic: Diagnostic): CodeAction {
    const line = finding.range.start.line;
    const indent = /^[ \t]*/.exec(lineText(doc, line))![0];
    const text = `${indent}${commentPrefix(kind)} factorlint-disable-next-line ${finding.ruleId}${eolOf(doc.getText())}`;
    return {
      title: `Disable ${finding.ruleId} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: this.editFor(doc, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: text }], []),
    };
  }

  private disableFile(doc: TextDocument, kind: FileKind, ruleId: string, diagnostic: Diagnostic): CodeAction {
    const line = fileDirectiveLine(doc, kind);
    const eol = eolOf(doc.getText());
    let position = { line, character: 0 };
    let text = `${commentPrefix(kind)} factorlint-disable-file ${ruleId}${eol}`;
    if (line >= doc.lineCount) {
      // the file is only directives: append after the last line
      position = doc.positionAt(doc.getText().length);
      text = (doc.getText().endsWith('\n') ? '' : eol) + text;
    }
    return {
      title: `Disable ${ruleId} for this file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: this.editFor(doc, [{ range: { start: position, end: position }, newText: text }], []),
    };
  }

  /** The one fix applier's fix-all (safe fixes, re-analysed, bounded passes); one minimal edit of the whole result. */
  private fixAll(doc: TextDocument, first: AnalysisResult, cfg: Parameters<Analyzer['analyzeText']>[3]): WorkspaceEdit | undefined {
    const original = doc.getText();
    const outcome = applyFindingFixes(original, first.findings, {
      reanalyse: (next) => this.deps.analyzer.analyzeText(doc.uri, next, doc.languageId, cfg).findings,
      maxPasses: FIX_ALL_MAX_PASSES,
    });
    const text = outcome.text;
    const otherFiles = outcome.appends.map((a) => a.append);
    if (text === original && this.appendChanges(doc.uri, otherFiles).length === 0) return undefined;
    let prefix = 0;
    const max = Math.min(text.length, original.length);
    while (prefix < max && text.charCodeAt(prefix) === original.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (suffix < max - prefix && text.charCodeAt(text.length - 1 - suffix) === original.charCodeAt(original.length - 1 - suffix)) suffix++;
    const edit: TextEdit = {
      range: { start: doc.positionAt(prefix), end: doc.positionAt(original.length - suffix) },
      newText: text.slice(prefix, text.length - suffix),
    };
    return this.editFor(doc, [edit], otherFiles);
  }

  /** A workspace edit of the document, versioned when the client supports it, plus appends to other files. */
  private editFor(doc: TextDocument, edits: TextEdit[], otherFiles: readonly FileAppend[]): WorkspaceEdit {
    if (!this.deps.support.documentChanges) {
      // Unversioned fallback for old clients: computed for the current version just now.
      return { changes: { [doc.uri]: edits } };
    }
    const changes: Array<TextDocumentEdit | CreateFile> = [{ textDocument: { uri: doc.uri, version: doc.version }, edits }];
    changes.push(...this.appendChanges(doc.uri, otherFiles));
    return { documentChanges: changes };
  }

  /**
   * Appending to other files, through the one fix applier (guards, line endings), one edit per
   * file at its end — or CreateFile + insert when it is absent.
   */
  private appendChanges(docUri: string, appends: readonly FileAppend[]): Array<TextDocumentEdit | CreateFile> {
    const byTarget = new Map<string, FileAppend[]>();
    for (const append of appends) {
      const target = uriForPath(append.path, docUri);
      if (target.startsWith('file:')) byTarget.set(target, [...(byTarget.get(target) ?? []), append]);
    }
    const out: Array<TextDocumentEdit | CreateFile> = [];
    for (const [target, list] of byTarget) {
      const open = this.deps.documents.get(target);
      let content: string | undefined = open?.getText();
      if (content === undefined) {
        try {
          content = (this.deps.readFile ?? ((p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined)))(fileURLToPath(target));
        } catch {
          continue; // unreadable (a directory, no permission): leave it alone
        }
      }
      const appended = applyAppends(content, list.map((append) => ({ ruleId: '', title: '', append })));
      if (appended.text === undefined) continue;
      if (content === undefined) {
        if (!this.deps.support.createFiles) continue;
        out.push(
          { kind: 'create', uri: target, options: { ignoreIfExists: true } },
          { textDocument: { uri: target, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: appended.text }] },
        );
        continue;
      }
      const lines = content.split('\n');
      const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
      out.push({ textDocument: { uri: target, version: open ? open.version : null }, edits: [{ range: { start: end, end }, newText: appended.text.slice(content.length) }] });
    }
    return out;
  }
}
