/**
 * Wires the language server onto a connection. No module-level state: tests create as many
 * servers as they like over in-memory streams; `server.ts` creates the one stdio/ipc server.
 */
import {
  CodeActionKind, DidChangeConfigurationNotification, ResponseError, DidChangeWatchedFilesNotification, LogMessageNotification, MessageType, TextDocumentSyncKind, TextDocuments,
  type ClientCapabilities, type Connection, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES } from './engine/registry';
import type { Rule } from './engine/types';
import { FIX_ALL_KIND, RuleListRequest, SETTINGS_SECTION, StatusNotification, type RuleSummary } from './protocol';
import { Analyzer, EMPTY_PROJECT_PROVIDER, PROJECT_FILE_GLOBS, type ProjectContextProvider } from './features/analysis';
import { CodeActionsFeature } from './features/code-actions';
import { DiagnosticsFeature, DIAGNOSTIC_SOURCE, docsUrlFor } from './features/diagnostics';
import { RC_FILE_NAME, SettingsStore, type RcFileState } from './features/settings';

export const SERVER_NAME = 'factorlint';
export const SERVER_VERSION = '0.1.0';

/** What the server offers a project-context provider it creates. */
export interface ServerServices {
  /** The text of a document open in the editor (newer than the disk), or undefined. */
  openDocumentText(uri: string): string | undefined;
}

export interface ServerOptions {
  /**
   * Facts about other files (the file-system host), or a factory given access to open
   * documents; `{}` for every document by default.
   */
  project?: ProjectContextProvider | ((services: ServerServices) => ProjectContextProvider);
  /** The rules to run; the whole registry by default (tests inject failing rules). */
  rules?: readonly Rule[];
  /** Overrides file reads (`.factorlintrc.json`, `otherFiles` targets), for tests. */
  readFile?(fsPath: string): string | undefined;
}

function capabilityFlags(caps: ClientCapabilities) {
  return {
    configuration: !!caps.workspace?.configuration,
    pull: !!caps.textDocument?.diagnostic,
    refresh: !!caps.workspace?.diagnostics?.refreshSupport,
    watchedFilesDynamic: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    configurationDynamic: !!caps.workspace?.didChangeConfiguration?.dynamicRegistration,
    documentChanges: !!caps.workspace?.workspaceEdit?.documentChanges,
    createFiles: !!caps.workspace?.workspaceEdit?.resourceOperations?.includes('create'),
    workspaceFolders: !!caps.workspace?.workspaceFolders,
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
function rcErrorRange(text: string, message: string) {
  const m = /position (\d+)/.exec(message);
  const offset = m ? Math.min(Number(m[1]), text.length) : 0;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  const character = offset - (before.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + (m ? 1 : 0) } };
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
  let flags = capabilityFlags({});
  /** Settings pushed by clients without `workspace/configuration` (initializationOptions, didChangeConfiguration). */
  let pushedSettings: unknown;

  const settings = new SettingsStore({
    fetchSettings: async (scopeUri) => (flags.configuration ? connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION }) : pushedSettings),
    readFile: options.readFile,
    onRcFile: (state) => publishRcDiagnostics(state),
  });

  const services: ServerServices = { openDocumentText: (uri) => documents.get(uri)?.getText() };
  const project: ProjectContextProvider = typeof options.project === 'function' ? options.project(services) : options.project ?? EMPTY_PROJECT_PROVIDER;

  const ruleErrors = new Set<string>();
  const analyzer = new Analyzer({
    project,
    rules: options.rules,
    onRuleError: (ruleId, path, error) => {
      const key = `${ruleId}\u0000${path}`;
      if (ruleErrors.has(key)) return;
      ruleErrors.add(key);
      // the rule id, the file name and where it threw; never the file's content or the error text
      const frame = (error as Error)?.stack?.split('\n').find((l) => /^\s+at /.test(l))?.trim() ?? '';
      log(`factorlint: rule ${ruleId} threw ${(error as Error)?.name ?? typeof error} on ${path} ${frame}`.trim());
    },
  });

  let diagnostics!: DiagnosticsFeature;
  let codeActions!: CodeActionsFeature;
  const rcPublished = new Set<string>();

  function publishRcDiagnostics(state: RcFileState): void {
    if (!state.uri) return;
    if (state.errors.length === 0) {
      if (rcPublished.delete(state.uri)) void connection.sendDiagnostics({ uri: state.uri, diagnostics: [] }).catch(() => undefined);
      return;
    }
    rcPublished.add(state.uri);
    void connection.sendDiagnostics({
      uri: state.uri,
      diagnostics: state.errors.map((message) => ({ range: rcErrorRange(state.text ?? '', message), severity: 1, source: DIAGNOSTIC_SOURCE, message: `${RC_FILE_NAME}: ${message} (defaults are used until it is fixed)` })),
    }).catch(() => undefined);
    void connection.sendNotification(StatusNotification.method, { state: 'error', uri: state.uri, message: `${RC_FILE_NAME} is invalid: ${state.errors[0]}` }).catch(() => undefined);
  }

  /** Settings or configuration changed: forget caches, re-read rc files lazily, re-validate. */
  function configurationChanged(rcToo: boolean): void {
    settings.invalidate(rcToo);
    // re-read rc files now so a fixed (or newly broken) file's own diagnostics update even with nothing open
    if (rcToo) for (const folder of workspaceFolders) settings.rcFor(folder);
    diagnostics.revalidateAll();
  }

  let workspaceFolders: string[] = [];

  connection.onInitialize((params): InitializeResult => {
    flags = capabilityFlags(params.capabilities ?? {});
    pushedSettings = sectionOf(params.initializationOptions);
    workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
    settings.setFolders(workspaceFolders);
    project.onDidChangeWorkspaceFolders?.(workspaceFolders);
    diagnostics = new DiagnosticsFeature({ connection, documents, settings, analyzer, pull: flags.pull, refreshSupport: flags.refresh, log });
    codeActions = new CodeActionsFeature({ documents, settings, analyzer, support: { documentChanges: flags.documentChanges, createFiles: flags.createFiles }, readFile: options.readFile });
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
    if (flags.pull) result.capabilities.diagnosticProvider = { identifier: SERVER_NAME, interFileDependencies: false, workspaceDiagnostics: false };
    return result;
  });

  connection.onInitialized(guard(log, 'initialized', undefined, async () => {
    if (flags.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => void guard(log, 'didChangeWorkspaceFolders', undefined, () => {
        const removed = new Set(event.removed.map((f) => f.uri));
        workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...event.added.map((f) => f.uri)];
        settings.setFolders(workspaceFolders);
        project.onDidChangeWorkspaceFolders?.(workspaceFolders);
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
    if (flags.configurationDynamic) await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (flags.watchedFilesDynamic) {
      const globs = [`**/${RC_FILE_NAME}`, ...(project.onDidChangeFiles ? PROJECT_FILE_GLOBS : [])];
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: globs.map((globPattern) => ({ globPattern })) });
    }
  }));

  connection.onShutdown(() => diagnostics?.dispose());

  connection.onDidChangeConfiguration(guard(log, 'didChangeConfiguration', undefined, (params) => {
    const pushed = sectionOf(params?.settings);
    if (pushed !== undefined) pushedSettings = pushed;
    configurationChanged(true);
  }));
  connection.onDidChangeWatchedFiles(guard(log, 'didChangeWatchedFiles', undefined, (params) => {
    const uris = (params?.changes ?? []).map((c) => c.uri).filter((u): u is string => typeof u === 'string');
    const projectFiles = uris.filter((u) => !u.endsWith(`/${RC_FILE_NAME}`));
    if (projectFiles.length > 0 && project.onDidChangeFiles) project.onDidChangeFiles(projectFiles);
    if (uris.some((u) => u.endsWith(`/${RC_FILE_NAME}`))) configurationChanged(true);
    else if (projectFiles.length > 0 && project.onDidChangeFiles) diagnostics.revalidateAll();
  }));

  documents.onDidOpen((e) => { void guard(log, 'didOpen', undefined, () => diagnostics.onOpen(e.document))(); });
  documents.onDidChangeContent((e) => { void guard(log, 'didChange', undefined, () => diagnostics.onChange(e.document))(); });
  documents.onDidSave((e) => { void guard(log, 'didSave', undefined, () => diagnostics.onSave(e.document))(); });
  documents.onDidClose((e) => { void guard(log, 'didClose', undefined, () => diagnostics.onClose(e.document.uri))(); });

  connection.languages.diagnostics.on(guard(log, 'textDocument/diagnostic', { kind: 'full' as const, items: [] }, (params, token) => diagnostics.pull(params.textDocument.uri, params.previousResultId, () => token.isCancellationRequested), true));
  connection.onCodeAction(guard(log, 'textDocument/codeAction', [], (params) => codeActions.provide(params)));

  connection.onRequest(RuleListRequest.method, guard(log, RuleListRequest.method, [] as RuleSummary[], () => (options.rules ?? RULES)
    .map((r): RuleSummary => ({ id: r.meta.id, factor: r.meta.factor, severity: r.meta.severity, description: r.meta.description, fix: r.meta.fix, docsUrl: docsUrlFor(r.meta.id) }))
    .sort((a, b) => a.id.localeCompare(b.id))));

  documents.listen(connection);
  connection.listen();
}
