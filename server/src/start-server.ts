/**
 * Wires the language server onto a connection. No module-level state: tests create as many
 * servers as they like over in-memory streams; `server.ts` creates the one stdio/ipc server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionKind, DidChangeConfigurationNotification, ResponseError, DidChangeWatchedFilesNotification, LogMessageNotification, MessageType, TextDocumentSyncKind, TextDocuments,
  type ClientCapabilities, type Connection, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES } from './rules/registry';
import type { Rule } from './engine/types';
import { DEFAULT_MAX_FILE_SIZE } from './engine/config';
import {
  AnalyzeWorkspaceRequest, CONFIG_FILE_NAME, DIAGNOSTIC_SOURCE, EXTRACT_KIND, ExplainFileRequest, type ExplainFileParams, type ExplainFileResult, FileRoleRequest, type FileRoleParams, type FileRoleResult, FIX_ALL_KIND, FixAllOfRuleRequest, ReportRequest, RuleListRequest, SETTINGS_SECTION, StatusNotification,
  type AnalyzeWorkspaceResult, type FixAllOfRuleParams, type FixAllOfRuleResult, type ReportParams, type ReportResult, type RuleSummary,
} from './protocol';
import { WorkspaceAnalysisFeature as WorkspaceAnalysis } from './features/workspace-analysis';
import { contentHash } from './cache/analysis-cache';
import { INDEX_WATCH_GLOBS, WorkspaceIndex } from './features/workspace-index';
import { composeEnvEdit } from './features/compose-env-edit';
import { uriPath, withIndexModel } from './features/indexed-project';
import { Analyzer, pathForUri } from './features/analysis';
import { classifyKind } from './engine/classify';
import type { WorkspaceRule } from './workspace/workspace-rule';
import { EMPTY_PROJECT_PROVIDER, PROJECT_FILE_GLOBS, type ProjectContextProvider, type ServerServices } from './host/project-provider';
import { CodeActionsFeature } from './features/code-actions';
import { DiagnosticsFeature, docsUrlFor } from './features/diagnostics';
import { SettingsStore, type RcFileState } from './features/settings';
import { explainFile } from './features/explain';
import { WORKSPACE_RULES } from './workspace/registry';
import { describeRcFile, indexSummary, startupLines } from './features/server-log';
import { warmUpOtherKinds, warmUpTypescript, warmUpTypescriptEdits } from './features/warm-up';
import { IdleWork } from './features/idle-work';

export const SERVER_NAME = 'factorlint';
export const SERVER_VERSION = '0.1.0';

export type { ServerServices } from './host/project-provider';

export interface ServerOptions {
  /**
   * Facts about other files (the file-system host), or a factory given access to open
   * documents; `{}` for every document by default.
   */
  project?: ProjectContextProvider | ((services: ServerServices) => ProjectContextProvider);
  /** The rules to run; the whole registry by default (tests inject failing rules). */
  rules?: readonly Rule[];
  /** The cross-file rules of the workspace index; the whole registry by default (tests inject failing rules). */
  workspaceRules?: readonly WorkspaceRule[];
  /** Overrides file reads (`.factorlintrc.json`, `otherFiles` targets), for tests. */
  readFile?(fsPath: string): string | undefined;
  /**
   * Build the background workspace index (project model, cross-file rules, the report,
   * "Analyze Workspace"). Off by default so tests of single documents see single-file rules
   * only; `server.ts` turns it on.
   */
  workspaceIndex?: boolean | {
    maxFiles?: number;
    /** Folder for the persisted model-facts cache (one file per workspace folder); none when unset. */
    factsCacheDir?: string;
    /**
     * Loads the compiler (`server.ts`: and writes the compile cache), once, when the index expects
     * TS/JS (see `WorkspaceIndexDeps.warmUp`). Given, it also turns on the sample analyses of
     * features/warm-up.ts, which move the first analysis' one-time costs off an opened file's path.
     */
    warmUp?(): void;
    /** The index's disk work in a worker thread (see `WorkspaceIndexDeps.worker`); in this thread when unset. */
    worker?: { script: string; nice?: number };
  };
  /**
   * How long the editor must be idle (no open, keystroke or analysis) before the server does
   * work for later (`IdleWork`: an opened document's edit path). Off by default, so tests see
   * no background analyses; `server.ts` turns it on (`EDITOR_IDLE_MS`).
   */
  idleMs?: number;
}

/** Idle time before work for later: longer than the pause between two keystrokes of someone typing. */
export const EDITOR_IDLE_MS = 400;

function capabilityFlags(caps: ClientCapabilities) {
  return {
    configuration: !!caps.workspace?.configuration,
    pull: !!caps.textDocument?.diagnostic,
    refresh: !!caps.workspace?.diagnostics?.refreshSupport,
    watchedFilesDynamic: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    configurationDynamic: !!caps.workspace?.didChangeConfiguration?.dynamicRegistration,
    documentChanges: !!caps.workspace?.workspaceEdit?.documentChanges,
    resolveEdits: !!caps.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit'),
    createFiles: !!caps.workspace?.workspaceEdit?.resourceOperations?.includes('create'),
    workspaceFolders: !!caps.workspace?.workspaceFolders,
    workDoneProgress: !!caps.window?.workDoneProgress,
  };
}

/** Runs `fn`, logging instead of throwing: no input may take the server down. */
function guard<A extends unknown[], R>(log: (m: string) => void, what: string, fallback: R, fn: (...args: A) => R | Promise<R>, passResponseErrors = false): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      // a request's ResponseErrors (e.g. ServerCancelled) are part of the protocol: pass them on
      if (passResponseErrors && error instanceof ResponseError) throw error;
      if (error instanceof ResponseError || (error instanceof Error && /Connection is (?:closed|disposed)/.test(error.message))) return fallback;
      log(`factorlint: ${what} failed: ${(error as Error)?.name ?? 'error'}: ${String((error as Error)?.message ?? '').slice(0, 200)}`);
      return fallback;
    }
  };
}

/** `{ factorlint: {…} }` → the section, when a client pushes settings instead of answering requests. */
function sectionOf(value: unknown): unknown {
  return value && typeof value === 'object' && SETTINGS_SECTION in value ? (value as Record<string, unknown>)[SETTINGS_SECTION] : undefined;
}

/** Where in the rc file an error points: JSON.parse's "position N" when given, else the start. */
/** A config problem's place (1-based line/column from the config reader) as an LSP range. */
function rcProblemRange(text: string, start: number, end: number) {
  const at = (offset: number) => {
    const before = text.slice(0, Math.min(offset, text.length));
    return { line: before.split('\n').length - 1, character: before.length - (before.lastIndexOf('\n') + 1) };
  };
  return { start: at(start), end: at(Math.max(start, end)) };
}

/** A closed document's text, from disk (bounded; undefined when unreadable, not a file, or not `file:`). */
function readDocumentFromDisk(uri: string): string | undefined {
  const file = uriPath(uri);
  if (!file) return undefined;
  try {
    const stat = fs.statSync(file);
    return stat.isFile() && stat.size <= DEFAULT_MAX_FILE_SIZE ? fs.readFileSync(file, 'utf8') : undefined;
  } catch { return undefined; }
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  // Like connection.console.error, but a closed connection must not become an unhandled rejection.
  const log = (message: string) => {
    try {
      void connection.sendNotification(LogMessageNotification.type, { type: MessageType.Error, message }).catch(() => undefined);
    } catch {
      // disposed connection
    }
  };
  // the output channel users attach to bug reports: names, counts and timings, never file contents
  const info = (message: string) => {
    try {
      void connection.sendNotification(LogMessageNotification.type, { type: MessageType.Info, message }).catch(() => undefined);
    } catch {
      // disposed connection
    }
  };
  let flags = capabilityFlags({});
  /** Settings pushed by clients without `workspace/configuration` (initializationOptions, didChangeConfiguration). */
  let pushedSettings: unknown;

  const settings = new SettingsStore({
    fetchSettings: async (scopeUri) => (flags.configuration ? connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION }) : pushedSettings),
    readFile: options.readFile,
    onRcFile: (state) => publishRcDiagnostics(state),
  });

  const services: ServerServices = { openDocumentText: (uri) => documents.get(uri)?.getText() };
  const hostProject: ProjectContextProvider = typeof options.project === 'function' ? options.project(services) : options.project ?? EMPTY_PROJECT_PROVIDER;
  // open documents use the index's model once it is built: one derivation of context and roles
  const project = withIndexModel(hostProject, () => index);

  const ruleErrors = new Set<string>();
  const onRuleError = (ruleId: string, path: string, error: unknown): void => {
    const key = `${ruleId}\u0000${path}`;
    if (ruleErrors.has(key)) return;
    ruleErrors.add(key);
    // the rule id, the file name and where it threw; never the file's content or the error text
    const frame = (error as Error)?.stack?.split('\n').find((l) => /^\s+at /.test(l))?.trim() ?? '';
    log(`factorlint: rule ${ruleId} threw ${(error as Error)?.name ?? typeof error} on ${path} ${frame}`.trim());
  };
  let index: WorkspaceIndex | undefined;
  let workspace: WorkspaceAnalysis | undefined;
  const analyzer = new Analyzer({
    externalRuleIds: () => index?.ruleIds,
    project,
    rules: options.rules,
    onRuleError,
    // the workspace index yields to open documents: their diagnostics never wait for it
    foreground: { begin: () => index?.foregroundBegin(), end: () => index?.foregroundEnd() },
  });

  let diagnostics!: DiagnosticsFeature;
  let codeActions!: CodeActionsFeature;
  const idleMs = options.idleMs ?? 0;
  const idle = idleMs > 0
    ? new IdleWork({ idleMs, busy: () => diagnostics?.busy() ?? false, onError: (key, error) => log(`factorlint: idle work (${key}) failed: ${(error as Error)?.name ?? 'error'}`) })
    : undefined;
  const rcPublished = new Set<string>();

  const rcLogged = new Map<string, string>();
  function publishRcDiagnostics(state: RcFileState): void {
    if (!state.uri) return;
    // once per change of a file's state (settings changes re-read every config file)
    const line = describeRcFile(state);
    if (line && rcLogged.get(state.uri) !== line) { rcLogged.set(state.uri, line); info(line); }
    if (state.problems.length === 0) {
      if (rcPublished.delete(state.uri)) void connection.sendDiagnostics({ uri: state.uri, diagnostics: [] }).catch(() => undefined);
      return;
    }
    rcPublished.add(state.uri);
    void connection.sendDiagnostics({
      uri: state.uri,
      diagnostics: state.problems.map((p) => ({
        range: rcProblemRange(state.text ?? '', p.start, p.end),
        severity: p.severity === 'error' ? 1 : 2,
        source: DIAGNOSTIC_SOURCE,
        // the CLI's message; errors add what happens meanwhile
        message: p.severity === 'error' ? `${p.message} (this file is ignored until it is fixed)` : p.message,
      })),
    }).catch(() => undefined);
    if (state.errors.length > 0) void connection.sendNotification(StatusNotification.method, { state: 'error', uri: state.uri, message: `${CONFIG_FILE_NAME} is invalid: ${state.errors[0]}` }).catch(() => undefined);
  }

  /** Settings or configuration changed: forget caches, re-read rc files lazily, re-validate. */
  function configurationChanged(rcToo: boolean): void {
    settings.invalidate(rcToo);
    // re-read rc files now so a fixed (or newly broken) file's own diagnostics update even with nothing open
    if (rcToo) for (const folder of workspaceFolders) settings.rcFor(folder);
    diagnostics.revalidateAll();
    void index?.rulesConfigChanged();
    void applyScope().catch(() => undefined);
  }

  function sendWorkspaceStatus(counts?: AnalyzeWorkspaceResult['counts']): void {
    if (!index) return;
    const workspaceFindings = index.allFolders().reduce((n, f) => n + f.findings.length, 0);
    void connection.sendNotification(StatusNotification.method, {
      state: 'idle',
      workspace: { files: index.fileCount(), indexing: !index.isComplete(), counts, workspaceFindings, filesFromCache: index.lastBuild.fromCache, scope, closedFilesPublished: !!workspace?.analyzed },
    }).catch(() => undefined);
  }
  let lastCounts: AnalyzeWorkspaceResult['counts'];
  /** `factorlint.scope` as last read (window-wide: the first folder's value). */
  let scope: 'workspace' | 'openFiles' = 'workspace';

  async function readScope(): Promise<'workspace' | 'openFiles'> {
    const first = workspaceFolders[0];
    return first ? (await settings.settingsFor(first)).scope : 'workspace';
  }

  /**
   * Scope `workspace`: once the index is complete, the findings of closed files are published
   * (the report's total); `openFiles`: they are cleared (unless "Analyze Workspace" is run).
   */
  let applying: Promise<void> | undefined;
  function applyScope(rebuilt = false): Promise<void> {
    // one at a time: the index completing and a settings change may both ask
    const now = () => applyScopeNow(rebuilt);
    const run = (applying ?? Promise.resolve()).then(now, now);
    applying = run;
    return run;
  }
  /** `rebuilt`: the index was built again (folders changed): publish afresh, leaving no removed folder's files behind. */
  async function applyScopeNow(rebuilt: boolean): Promise<void> {
    if (!index || !workspace) return;
    const before = scope;
    scope = await readScope();
    if (scope !== before) info(`scope: ${scope === 'workspace' ? 'findings of every file in the workspace' : 'findings of open files only'} (factorlint.scope)`);
    if (scope === 'openFiles') {
      if (before === 'workspace' && workspace.analyzed) workspace.unpublishClosed();
      sendWorkspaceStatus(lastCounts);
      return;
    }
    if (!index.isComplete()) return;
    if (rebuilt && workspace.analyzed) workspace.unpublishClosed();
    else if (workspace.analyzed) return;
    const started = Date.now();
    const result = await workspace.analyzeWorkspace();
    lastCounts = result.counts;
    info(`workspace findings published: ${result.findings} in ${result.files} files (${Date.now() - started} ms)`);
    sendWorkspaceStatus(lastCounts);
  }

  /** (Re)builds the index, logs what it found and how long it took, then applies the scope. */
  async function buildIndex(): Promise<void> {
    if (!index) return;
    const started = Date.now();
    info(`indexing ${workspaceFolders.length} workspace folder${workspaceFolders.length === 1 ? '' : 's'}…`);
    await index.setFolders(workspaceFolders);
    sendWorkspaceStatus(lastCounts);
    if (!index.isComplete()) { info(`indexing stopped after ${index.fileCount()} files (cancelled or folders changed)`); return; }
    // open documents were analysed meanwhile without the index's model (roles, shutdown handlers elsewhere): redo them with it
    analyzer.projectChanged();
    diagnostics.revalidateAll();
    for (const line of indexSummary(index, Date.now() - started)) info(line);
    await applyScope(true);
  }

  /** Cross-file findings changed for `uris`: redo the diagnostics of those files. */
  function workspaceFindingsChanged(uris: readonly string[]): void {
    if (!workspace) return;
    // single-file rules read model facts (package shutdown handlers…): cached analyses may be
    // stale, their parses are not (dropping them would cost every open document a full reparse)
    analyzer.projectChanged();
    if (flags.pull) {
      if (flags.refresh) void connection.languages.diagnostics.refresh().catch(() => undefined);
    } else {
      const targets = new Set(uris);
      for (const doc of documents.all()) if (targets.has(doc.uri)) void diagnostics.validate(doc.uri, doc.version);
    }
    void workspace.republishClosed(uris);
    sendWorkspaceStatus(lastCounts);
  }

  let workspaceFolders: string[] = [];

  connection.onInitialize((params): InitializeResult => {
    flags = capabilityFlags(params.capabilities ?? {});
    // one diagnostic model per client: with the index, closed files' findings are pushed, so open
    // documents are pushed too (a pull client would otherwise hold two collections of one name)
    if (options.workspaceIndex) flags.pull = false;
    pushedSettings = sectionOf(params.initializationOptions);
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
    settings.setFolders(workspaceFolders);
    project.onDidChangeWorkspaceFolders?.(workspaceFolders);
    if (options.workspaceIndex) {
      const indexOptions = typeof options.workspaceIndex === 'object' ? options.workspaceIndex : {};
      index = new WorkspaceIndex({
        connection, documents, log,
        rules: options.workspaceRules,
        configFor: async (folderUri) => (await settings.configFor(`${folderUri.replace(/\/$/, '')}/${CONFIG_FILE_NAME}`)).config,
        progress: flags.workDoneProgress,
        configuration: flags.configuration,
        onFindingsChanged: (uris) => workspaceFindingsChanged(uris),
        onFilesDeleted: (uris) => workspace?.deleted(uris),
        // an open document's facts come from the analyzer's parse of that version: one parse per version
        parseOf: (doc) => analyzer.parseOf(doc),
        maxFiles: indexOptions.maxFiles,
        warmUp: indexOptions.warmUp ? (kind) => {
          const folder = workspaceFolders[0];
          if (kind === 'other') return folder ? [() => warmUpOtherKinds(analyzer, folder)] : [];
          // the compiler, a cold analysis, then the edit path a keystroke takes, a step each
          return [indexOptions.warmUp!, ...(folder ? [() => warmUpTypescript(analyzer, folder), ...warmUpTypescriptEdits(analyzer, folder)] : [])];
        } : undefined,
        readFile: options.readFile,
        worker: indexOptions.worker,
        factsCacheFile: indexOptions.factsCacheDir ? (root) => path.join(indexOptions.factsCacheDir!, `${contentHash(root).slice(0, 16)}.json`) : undefined,
      });
      workspace = new WorkspaceAnalysis({
        connection, documents, settings, index, pull: flags.pull, progress: flags.workDoneProgress, rules: options.rules, log,
        onRuleError,
      });
    }
    diagnostics = new DiagnosticsFeature({
      connection, documents, settings, analyzer, pull: flags.pull, refreshSupport: flags.refresh, log, idle,
      // the index waits from a document's open (or change) to its publish, not only while the rules run
      foreground: index ? { begin: () => index!.foregroundBegin(), end: () => index!.foregroundEnd() } : undefined,
      extra: workspace ? (uri, version) => workspace!.workspaceDiagnosticsFor(uri, version) : undefined,
      extraGeneration: index ? () => index!.generation : undefined,
      onClosed: workspace ? (uri) => workspace!.closed(uri) : undefined,
    });
    codeActions = new CodeActionsFeature({
      documents, settings, analyzer, support: { documentChanges: flags.documentChanges, createFiles: flags.createFiles }, resolveEdits: flags.resolveEdits, readFile: options.readFile,
      composeEnvEdit: index ? (uri, name) => {
        const where = index!.locate(uri);
        if (!where) return undefined;
        const edit = composeEnvEdit(where.folder.builder.model(), where.rel, name, (p) => index!.textOf(where.folder, p));
        if (!edit) return undefined;
        const target = index!.uriOf(where.folder, edit.path);
        return { uri: target, version: documents.get(target)?.version ?? null, edit: { range: edit.range, newText: edit.newText } };
      } : undefined,
    });
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, EXTRACT_KIND], resolveProvider: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
    if (flags.pull) result.capabilities.diagnosticProvider = { identifier: SERVER_NAME, interFileDependencies: false, workspaceDiagnostics: false };
    for (const line of startupLines({ name: SERVER_NAME, version: SERVER_VERSION, client: params.clientInfo, folders: workspaceFolders, pull: flags.pull, index: !!options.workspaceIndex })) info(line);
    return result;
  });

  connection.onInitialized(guard(log, 'initialized', undefined, async () => {
    if (flags.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => void guard(log, 'didChangeWorkspaceFolders', undefined, () => {
        const removed = new Set(event.removed.map((f) => f.uri));
        workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...event.added.map((f) => f.uri)];
        settings.setFolders(workspaceFolders);
        project.onDidChangeWorkspaceFolders?.(workspaceFolders);
        if (index) void buildIndex();
        // a removed folder's broken rc file must not leave a ghost diagnostic behind
        for (const uri of [...rcPublished]) {
          if (!workspaceFolders.some((f) => uri.startsWith(f.endsWith('/') ? f : f + '/'))) {
            rcPublished.delete(uri);
            void connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
          }
        }
        diagnostics.revalidateAll();
      })());
    }
    // before the registrations: a client that never answers them must not delay these
    for (const folder of workspaceFolders) settings.rcFor(folder);
    // the index starts after the rc files: its rules read their severities
    if (index) void buildIndex().catch((error: unknown) => log(`factorlint: workspace index failed: ${(error as Error)?.name ?? 'error'}`));
    if (flags.configurationDynamic) await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (flags.watchedFilesDynamic) {
      const globs = [...new Set([`**/${CONFIG_FILE_NAME}`, ...(project.onDidChangeFiles ? PROJECT_FILE_GLOBS : []), ...(index ? INDEX_WATCH_GLOBS : [])])];
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: globs.map((globPattern) => ({ globPattern })) });
    }
  }));

  connection.onShutdown(() => { idle?.dispose(); diagnostics?.dispose(); index?.dispose(); });

  connection.onDidChangeConfiguration(guard(log, 'didChangeConfiguration', undefined, (params) => {
    const pushed = sectionOf(params?.settings);
    if (pushed !== undefined) pushedSettings = pushed;
    configurationChanged(true);
  }));
  connection.onDidChangeWatchedFiles(guard(log, 'didChangeWatchedFiles', undefined, (params) => {
    const uris = (params?.changes ?? []).map((c) => c.uri).filter((u): u is string => typeof u === 'string');
    const projectFiles = uris.filter((u) => !u.endsWith(`/${CONFIG_FILE_NAME}`));
    if (projectFiles.length > 0 && project.onDidChangeFiles) project.onDidChangeFiles(projectFiles);
    if (uris.some((u) => u.endsWith(`/${CONFIG_FILE_NAME}`))) configurationChanged(true);
    else if (projectFiles.length > 0 && project.onDidChangeFiles) diagnostics.revalidateAll();
    if (index) {
      const changes = (params?.changes ?? []).filter((c) => typeof c.uri === 'string' && !c.uri.endsWith(`/${CONFIG_FILE_NAME}`));
      // open documents are indexed from their buffers (didChange), not from the disk
      void index.filesChanged(changes.filter((c) => c.type === 3 || !documents.get(c.uri)));
    }
  }));

  /**
   * A session without a folder (a file opened on its own: Neovim, `code file.ts`) has nothing to
   * index and so no warm-up before the walk: after its first TS/JS document, the edit path's
   * warm-up steps (features/warm-up.ts) run there while the editor is idle, beside that
   * document. Only where the warm-up is on (`workspaceIndex.warmUp`: the shipped server).
   */
  let editPathWarmUpQueued = false;
  function warmUpEditsWhenIdle(doc: TextDocument): void {
    const warmUp = typeof options.workspaceIndex === 'object' && options.workspaceIndex.warmUp;
    if (editPathWarmUpQueued || !idle || !warmUp || workspaceFolders.length > 0 || !doc.uri.startsWith('file:')) return;
    if (classifyKind(pathForUri(doc.uri, doc.languageId), doc.languageId)?.kind !== 'ts') return;
    editPathWarmUpQueued = true;
    const besideDocument = doc.uri.slice(0, doc.uri.lastIndexOf('/') + 1);
    warmUpTypescriptEdits(analyzer, besideDocument).forEach((step, i) => idle.add(`warm-up ${i}`, step));
  }

  documents.onDidOpen((e) => { void guard(log, 'didOpen', undefined, () => { workspace?.opened(e.document.uri); diagnostics.onOpen(e.document); index?.documentChanged(e.document.uri); warmUpEditsWhenIdle(e.document); })(); });
  documents.onDidChangeContent((e) => { void guard(log, 'didChange', undefined, () => { diagnostics.onChange(e.document); index?.documentChanged(e.document.uri); })(); });
  documents.onDidSave((e) => { void guard(log, 'didSave', undefined, () => diagnostics.onSave(e.document))(); });
  // closed: the model goes back to the disk's text (an unsaved buffer is gone)
  documents.onDidClose((e) => { void guard(log, 'didClose', undefined, () => { diagnostics.onClose(e.document.uri); index?.documentChanged(e.document.uri); })(); });

  connection.languages.diagnostics.on(guard(log, 'textDocument/diagnostic', { kind: 'full' as const, items: [] }, (params, token) => diagnostics.pull(params.textDocument.uri, params.previousResultId, () => token.isCancellationRequested), true));
  connection.onCodeAction(guard(log, 'textDocument/codeAction', [], (params) => codeActions.provide(params)));
  connection.onCodeActionResolve((action) => guard(log, 'codeAction/resolve', action, () => codeActions.resolve(action))());

  /** A request's document: the open version, else the file on disk; undefined when neither can be read. */
  function requestedDocument(params: { uri?: unknown } | undefined): { uri: string; text: string; languageId?: string } | undefined {
    const uri = params?.uri;
    if (typeof uri !== 'string') return undefined;
    const open = documents.get(uri);
    const text = open?.getText() ?? readDocumentFromDisk(uri);
    return text === undefined ? undefined : { uri, text, languageId: open?.languageId };
  }

  connection.onRequest(FileRoleRequest.method, guard(log, FileRoleRequest.method, null as FileRoleResult | null, async (params: FileRoleParams) => {
    const doc = requestedDocument(params);
    if (!doc) return null;
    return analyzer.roleOf(doc.uri, doc.text, doc.languageId, await settings.configFor(doc.uri)) ?? null;
  }));
  connection.onRequest(ExplainFileRequest.method, guard(log, ExplainFileRequest.method, null as ExplainFileResult | null, async (params: ExplainFileParams) => {
    const doc = requestedDocument(params);
    if (!doc) return null;
    const { uri, text, languageId } = doc;
    const cfg = await settings.configFor(uri);
    return explainFile({
      uri, languageId, cfg, role: analyzer.roleOf(uri, text, languageId, cfg),
      rules: options.rules ?? RULES, workspaceRules: index ? (options.workspaceRules ?? WORKSPACE_RULES).length : 0,
    });
  }));
  connection.onRequest(RuleListRequest.method, guard(log, RuleListRequest.method, [] as RuleSummary[], () => (options.rules ?? RULES)
    .map((r): RuleSummary => ({ id: r.meta.id, factor: r.meta.factor, severity: r.meta.severity, description: r.meta.description, fix: r.meta.fix, docsUrl: docsUrlFor(r.meta.id) }))
    .sort((a, b) => a.id.localeCompare(b.id))));

  connection.onRequest(AnalyzeWorkspaceRequest.method, guard(log, AnalyzeWorkspaceRequest.method, { files: 0, findings: 0 } as AnalyzeWorkspaceResult, async (_params: unknown, token: import('vscode-languageserver/node').CancellationToken) => {
    if (!workspace) return { files: 0, findings: 0 };
    const result = await workspace.analyzeWorkspace(token);
    lastCounts = result.counts;
    sendWorkspaceStatus(lastCounts);
    return result;
  }));
  connection.onRequest(ReportRequest.method, guard(log, ReportRequest.method, null as ReportResult | null, async (params: ReportParams | undefined, token: import('vscode-languageserver/node').CancellationToken) => (workspace ? workspace.report(params ?? {}, token) : null)));
  connection.onRequest(FixAllOfRuleRequest.method, guard(log, FixAllOfRuleRequest.method, { edit: {}, files: 0, fixes: 0 } as FixAllOfRuleResult, async (params: FixAllOfRuleParams) => {
    if (!workspace || typeof params?.ruleId !== 'string') return { edit: {}, files: 0, fixes: 0 };
    const folderUri = typeof params.folderUri === 'string' ? params.folderUri : undefined;
    return workspace.fixAllOfRule(params.ruleId, (uri) => documents.get(uri)?.version ?? null, folderUri);
  }));

  documents.listen(connection);
  connection.listen();
}
