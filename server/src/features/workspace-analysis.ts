/**
 * The whole workspace in the editor: single-file rules over every indexed file (the CLI's
 * pipeline: the model's project context, folder-relative paths), merged with the index's
 * workspace findings; "Analyze Workspace" (diagnostics for files that are not open), the
 * factor report, and the workspace diagnostics of a single open document.
 *
 * Results per file are kept in the one result cache (`cache/analysis-cache.ts`, in memory),
 * keyed by text, settings generation and the model facts the single-file rules can see, so
 * re-rendering the report after an edit re-analyses little.
 */
import * as path from 'node:path';
import type { CancellationToken, Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyKind } from '../engine/classify';
import { LineIndex } from '../engine/line-index';
import { analyze, countsAsAnalysed } from '../engine/run';
import type { Finding, Rule } from '../engine/types';
import { buildReport } from '../report/report-model';
import { renderHtml, reportSubtitle } from '../report/render-html';
import { reportToJson } from '../report/report-json';
import { applyAppends, applyFindingFixes, type RequestedAppend } from '../engine/apply-fixes';
import type { AnalyzeWorkspaceResult, FixAllOfRuleResult, ReportParams, ReportResult, SeverityCounts } from '../protocol';
import { projectContextFor, roleOptions } from '../workspace/analyze-workspace';
import { compareFindings, type LocatedFinding } from '../workspace/workspace-rule';
import { toDiagnostic } from './diagnostics';
import type { SettingsStore } from './settings';
import type { FolderIndex, WorkspaceIndex } from './workspace-index';
import { RULES } from '../rules/registry';
import { ProjectFacts } from '../host/project-facts';
import { AnalysisCache, contentHash } from '../cache/analysis-cache';

export interface WorkspaceAnalysisDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  settings: SettingsStore;
  index: WorkspaceIndex;
  /** The client pulls diagnostics of open documents (pushes still reach files that are not open). */
  pull: boolean;
  progress: boolean;
  rules?: readonly Rule[];
  log(message: string): void;
  onRuleError(ruleId: string, path: string, error: unknown): void;
}

interface FileResult { findings: Array<Finding & LocatedFinding>; lines: LineIndex; analysed: boolean }

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The webview's `cspSource` as one source the renderer accepts. VS Code gives a list such as
 * `'self' https://*.vscode-cdn.net`; the report loads no external resource, so keeping the
 * first plain source (and dropping keywords like `'self'`) loses nothing.
 */
export function safeCspSource(cspSource: string | undefined): string | undefined {
  return cspSource?.split(/\s+/).find((s) => s.length > 0 && !/[;'"<>,]/.test(s));
}

export function emptyCounts(): SeverityCounts {
  return { error: 0, warning: 0, info: 0, hint: 0 };
}

export class WorkspaceAnalysisFeature {
  /** Per-file results by URI, in memory (the salt is moot: nothing is loaded or saved). */
  private readonly cache = new AnalysisCache(undefined, 'workspace-analysis');
  private readonly contextKeys = new Map<FolderIndex, { version: number; key: string }>();
  /** Files that are not open whose diagnostics were pushed (after "Analyze Workspace"). */
  private readonly pushed = new Set<string>();
  /** "Analyze Workspace" ran: files that are not open keep their diagnostics current too. */
  analyzed = false;

  constructor(private readonly deps: WorkspaceAnalysisDeps) {}

  /** Facts single-file rules read from the model (packages, shutdown handlers): part of the cache key. */
  private contextKey(folder: FolderIndex): string {
    const known = this.contextKeys.get(folder);
    if (known?.version === folder.version) return known.key;
    const model = folder.builder.model();
    const key = contentHash(JSON.stringify([model.packages, model.shutdown.map((s) => s.path), model.sourceFiles.map((s) => [s.path, s.role])]));
    this.contextKeys.set(folder, { version: folder.version, key });
    return key;
  }

  private readonly ignoreFacts = new WeakMap<FolderIndex, { version: number; facts: ProjectFacts }>();

  /** The folder's .gitignore answers (committed-env-file), from the host's matcher as in the CLI; renewed when the model changes. */
  private gitIgnoredFor(folder: FolderIndex, rel: string): (p: string) => boolean {
    let entry = this.ignoreFacts.get(folder);
    if (!entry || entry.version !== folder.version) this.ignoreFacts.set(folder, (entry = { version: folder.version, facts: new ProjectFacts(folder.root, { useGit: false }) }));
    const facts = entry.facts;
    const dir = path.dirname(path.resolve(folder.root, rel));
    // the engine asks about the file itself by its model path (folder-relative); other paths are relative to the file
    return (p) => facts.isGitIgnored(p === rel ? path.resolve(folder.root, rel) : path.resolve(dir, p));
  }

  /** Single-file findings of one folder file (paths folder-relative), or undefined when not analysed. */
  async fileResult(folder: FolderIndex, rel: string): Promise<FileResult | undefined> {
    if (!classifyKind(rel)) return undefined;
    const uri = this.deps.index.uriOf(folder, rel);
    const text = this.deps.index.textOf(folder, rel);
    if (text === undefined) return undefined;
    const cfg = await this.deps.settings.configFor(uri);
    if (!cfg.settings.enable) return undefined;
    // the env flags of the modules this file imports are per file: part of its key, not the folder's
    const envImports = folder.builder.model().envImportsOf(rel);
    const key = contentHash(text, String(this.deps.settings.generation), this.contextKey(folder), envImports ? JSON.stringify(envImports) : '');
    const cached = this.cache.getResult(uri, key);
    if (cached) return { findings: cached.findings as FileResult['findings'], lines: new LineIndex(text), analysed: cached.counted };
    const model = folder.builder.model();
    const result = analyze({ path: rel, text }, {
      config: cfg.config,
      rules: this.deps.rules ?? RULES,
      project: { ...projectContextFor(model, rel, { textOf: (p) => this.deps.index.textOf(folder, p) }), isGitIgnored: this.gitIgnoredFor(folder, rel) },
      classify: roleOptions(model, rel),
      reportUnusedSuppressions: !this.deps.rules,
      externalRuleIds: this.deps.index.ruleIds,
      onRuleError: this.deps.onRuleError,
    });
    const entry: FileResult = { findings: result.findings.map((f) => ({ ...f, path: rel })), lines: result.parsed?.lines ?? new LineIndex(text), analysed: result.file !== undefined && countsAsAnalysed(result) };
    this.cache.setHashed(uri, key, entry.findings, undefined, undefined, undefined, entry.analysed);
    return entry;
  }

  /** A workspace finding as a diagnostic of its file: related paths made absolute, no fixes. */
  workspaceDiagnostic(folder: FolderIndex, finding: LocatedFinding, uri: string, version: number): Diagnostic {
    const absolute = { ...finding, start: 0, end: 0, fixes: [], related: finding.related?.map((r) => ({ ...r, path: path.join(folder.root, r.path) })) };
    return toDiagnostic(absolute, uri, version);
  }

  /** The workspace diagnostics of a file (open or not). */
  workspaceDiagnosticsFor(uri: string, version = 0): Diagnostic[] {
    const found = this.deps.index.findingsFor(uri);
    if (!found) return [];
    return found.findings.map((f) => this.workspaceDiagnostic(found.folder, f, uri, version));
  }

  /** Diagnostics for a file that is not open: single-file findings + workspace findings. */
  private async closedFileDiagnostics(folder: FolderIndex, rel: string, uri: string): Promise<Diagnostic[]> {
    const single = await this.fileResult(folder, rel);
    const diagnostics = single ? single.findings.map((f) => toDiagnostic(f, uri, 0)) : [];
    return [...diagnostics, ...this.workspaceDiagnosticsFor(uri)];
  }

  private send(uri: string, diagnostics: Diagnostic[]): void {
    if (diagnostics.length > 0) this.pushed.add(uri);
    else if (!this.pushed.delete(uri)) return;
    void this.deps.connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
  }

  /** Republishes files that are not open (after "Analyze Workspace" only). */
  async republishClosed(uris: readonly string[]): Promise<void> {
    if (!this.analyzed) return;
    for (const uri of uris) {
      if (this.deps.documents.get(uri)) continue;
      const where = this.deps.index.locate(uri);
      if (!where) continue;
      this.send(uri, await this.closedFileDiagnostics(where.folder, where.rel, uri));
    }
  }

  /** Scope back to open files: clear every closed file's published diagnostics. */
  unpublishClosed(): void {
    this.analyzed = false;
    for (const uri of [...this.pushed]) {
      if (this.deps.documents.get(uri)) continue;
      this.pushed.delete(uri);
      void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
    }
  }

  /** A document opened: pull clients show it through pulls, so drop its pushed copy. */
  opened(uri: string): void {
    if (this.deps.pull && this.pushed.delete(uri)) void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
    if (!this.deps.pull) this.pushed.delete(uri);
  }

  /** A document closed: keep (republish) its diagnostics when the workspace was analysed. Returns whether it did. */
  closed(uri: string): boolean {
    this.cache.forget(uri);
    if (!this.analyzed) return false;
    void this.republishClosed([uri]);
    return true;
  }

  /** Files deleted: no ghost diagnostics. */
  deleted(uris: readonly string[]): void {
    for (const uri of uris) {
      this.cache.forget(uri);
      if (this.pushed.delete(uri)) void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
    }
  }

  /**
   * Every finding of a folder: single-file findings of each indexed file, then workspace
   * findings; with the number of files analysed (`countsAsAnalysed`, as the CLI counts).
   */
  private async folderFindings(folder: FolderIndex, token?: CancellationToken, onFile?: (rel: string, done: number, total: number) => Promise<void> | void): Promise<{ findings: LocatedFinding[]; filesAnalysed: number } | undefined> {
    const files = folder.builder.model().files.filter((f) => classifyKind(f));
    const findings: LocatedFinding[] = [];
    let done = 0;
    let filesAnalysed = 0;
    for (const rel of files) {
      if (token?.isCancellationRequested) return undefined;
      const result = await this.fileResult(folder, rel);
      if (result) findings.push(...result.findings);
      if (result?.analysed) filesAnalysed++;
      done++;
      await onFile?.(rel, done, files.length);
      if (done % 10 === 0) await tick();
    }
    findings.push(...folder.findings);
    return { findings: findings.sort(compareFindings), filesAnalysed };
  }

  /** `factorlint/analyzeWorkspace`: analyse everything, publish every file that is not open. */
  async analyzeWorkspace(token?: CancellationToken): Promise<AnalyzeWorkspaceResult> {
    await this.deps.index.ready(token);
    let reporter: { begin(title: string, pct?: number, message?: string, cancellable?: boolean): void; report(pct: number, message?: string): void; done(): void; token: CancellationToken } | undefined;
    if (this.deps.progress) {
      try {
        reporter = await this.deps.connection.window.createWorkDoneProgress();
        reporter.begin('factorlint: analyzing the workspace', 0, undefined, true);
      } catch { reporter = undefined; }
    }
    const cancelled = () => !!token?.isCancellationRequested || !!reporter?.token.isCancellationRequested;
    const cancelToken = { get isCancellationRequested() { return cancelled(); }, onCancellationRequested: (() => ({ dispose() {} })) as unknown as CancellationToken['onCancellationRequested'] };
    let files = 0;
    let findings = 0;
    const counts = emptyCounts();
    try {
      for (const folder of this.deps.index.allFolders()) {
        const found = await this.folderFindings(folder, cancelToken, (rel, done, total) => {
          if (done % 10 === 0) reporter?.report(Math.round((100 * done) / Math.max(total, 1)), rel);
        });
        if (!found) break;
        const all = found.findings;
        files += found.filesAnalysed;
        this.analyzed = true;
        const byPath = new Map<string, number>();
        for (const f of all) { byPath.set(f.path, (byPath.get(f.path) ?? 0) + 1); counts[f.severity]++; }
        findings += all.length;
        for (const rel of folder.builder.model().files) {
          if (!classifyKind(rel) && !byPath.has(rel)) continue;
          const uri = this.deps.index.uriOf(folder, rel);
          if (this.deps.documents.get(uri)) continue; // open documents have their own (pushed or pulled) diagnostics
          this.send(uri, await this.closedFileDiagnostics(folder, rel, uri));
        }
      }
    } finally {
      reporter?.done();
    }
    return { files, findings, counts, cancelled: cancelled() || undefined };
  }

  /** The indexed workspace folder with this URI (a trailing slash ignored). */
  private folderByUri(folderUri: string | undefined): FolderIndex | undefined {
    if (folderUri === undefined) return undefined;
    const wanted = folderUri.replace(/\/$/, '');
    return this.deps.index.allFolders().find((f) => f.uri === wanted);
  }

  /** `factorlint/report`: the report of a folder (the first by default), rendered for a webview. */
  async report(params: ReportParams, token?: CancellationToken): Promise<ReportResult | null> {
    await this.deps.index.ready(token);
    const folder = this.folderByUri(params.folderUri) ?? this.deps.index.allFolders()[0];
    if (!folder) return null;
    const found = await this.folderFindings(folder, token);
    if (!found) return null;
    const findings = found.findings;
    const report = buildReport({ model: folder.builder.model(), findings, filesAnalysed: found.filesAnalysed });
    const html = params.nonce
      ? renderHtml(report, { linkMode: 'command', nonce: params.nonce, cspSource: safeCspSource(params.cspSource), subtitle: reportSubtitle(folder.root) })
      : undefined;
    return { folderUri: folder.uri, html, report: reportToJson(report), files: report.files, findings: findings.length };
  }

  /**
   * "Fix all" of one rule from the report: the one fix applier over every file with a safe fix
   * of the rule (its single-file and workspace findings), appends to other files of the folder
   * included (guards honoured), as a versioned `WorkspaceEdit`; `fixes` counts only what the
   * edit applies, `skipped` says what was left and why.
   */
  async fixAllOfRule(ruleId: string, versionOf: (uri: string) => number | null, folderUri?: string): Promise<FixAllOfRuleResult> {
    await this.deps.index.ready();
    const documentChanges: FixAllChange[] = [];
    const skipped: NonNullable<FixAllOfRuleResult['skipped']> = [];
    let files = 0;
    let fixes = 0;
    // a report's button fixes what that report shows: its folder only (an unknown folder: nothing)
    const folders = folderUri === undefined ? this.deps.index.allFolders() : [this.folderByUri(folderUri)].filter((f) => f !== undefined);
    for (const folder of folders) {
      const appends = new Map<string, RequestedAppend[]>();
      for (const rel of folder.builder.model().files) {
        const single = (await this.fileResult(folder, rel))?.findings ?? [];
        const workspace = folder.findings.filter((f) => f.path === rel);
        const mine = [...single, ...workspace].filter((f) => f.ruleId === ruleId && f.fixes.some((x) => x.kind === 'safe'));
        if (mine.length === 0) continue;
        const uri = this.deps.index.uriOf(folder, rel);
        const text = this.deps.index.textOf(folder, rel);
        if (text === undefined) continue;
        const outcome = applyFindingFixes(text, mine);
        skipped.push(...outcome.skipped.map((x) => ({ uri, title: x.title, reason: x.reason })));
        if (outcome.text !== text) {
          documentChanges.push(replaceAll(uri, versionOf(uri), text, outcome.text));
          files++;
        }
        fixes += outcome.applied.filter((x) => !x.appendOnly).length;
        for (const request of outcome.appends) {
          const target = path.resolve(path.dirname(path.join(folder.root, rel)), request.append.path);
          const targetRel = path.relative(folder.root, target);
          if (targetRel === '' || targetRel.startsWith('..') || path.isAbsolute(targetRel)) {
            skipped.push({ uri, title: request.title, reason: 'outside the workspace folder' });
            continue;
          }
          appends.set(targetRel, [...(appends.get(targetRel) ?? []), request]);
        }
      }
      const counted = new Set<unknown>();
      for (const [rel, requests] of appends) {
        const uri = this.deps.index.uriOf(folder, rel);
        const before = this.deps.index.textOf(folder, rel);
        const appended = applyAppends(before, requests);
        skipped.push(...appended.skipped.map((x) => ({ uri, title: x.title, reason: x.reason })));
        if (appended.text === undefined) continue;
        if (before === undefined) documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } }, replaceAll(uri, null, '', appended.text));
        else documentChanges.push(replaceAll(uri, versionOf(uri), before, appended.text));
        files++;
        for (const request of appended.applied) if (request.from?.appendOnly && !counted.has(request.from)) { counted.add(request.from); fixes++; }
      }
    }
    return { edit: { documentChanges }, files, fixes, ...(skipped.length > 0 ? { skipped } : {}) };
  }
}

type FixAllChange = { kind: 'create'; uri: string; options: { ignoreIfExists: boolean } } | ReturnType<typeof replaceAll>;

/** One edit replacing a document's whole text (the client diffs it). */
function replaceAll(uri: string, version: number | null, before: string, after: string) {
  const end = new LineIndex(before).positionAt(before.length);
  return { textDocument: { uri, version }, edits: [{ range: { start: { line: 0, character: 0 }, end }, newText: after }] };
}
