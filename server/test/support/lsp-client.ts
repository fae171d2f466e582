/**
 * An in-memory LSP client for tests: the real server (`startServer`) on one end of two
 * PassThrough streams, a JSON-RPC client connection on the other. It records what the
 * server sends and answers the requests a client must answer (configuration, registration,
 * diagnostic refresh). Waits poll for events with deadlines; no fixed sleeps.
 */
import { PassThrough } from 'node:stream';
import {
  ProposedFeatures, StreamMessageReader, StreamMessageWriter, createConnection, createMessageConnection,
  type ClientCapabilities, type CodeAction, type Diagnostic, type InitializeResult, type MessageConnection,
  type PublishDiagnosticsParams, type Range, type TextDocumentEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer, type ServerOptions } from '../../src/start-server';
import type { StatusParams } from '../../src/protocol';

export interface ClientOptions {
  pull?: boolean;
  folders?: string[];
  settings?: Record<string, unknown>;
  server?: ServerOptions;
  /** Leave out `workspace.configuration` (the client pushes settings instead). */
  noConfiguration?: boolean;
  initializationOptions?: unknown;
  /** Leave out `workspace.workspaceEdit.resourceOperations`. */
  noResourceOperations?: boolean;
  /** Leave out `textDocument.codeAction.resolveSupport` (an old client: every action carries its edit). */
  noResolve?: boolean;
  /** Advertise `window.workDoneProgress`. */
  workDoneProgress?: boolean;
  /** Called when the server creates a work-done progress token (e.g. to cancel it at once). */
  onProgressCreate?(token: string | number, client: TestClient): void;
  /** Holds the answer to `window/workDoneProgress/create` until this resolves (the server waits meanwhile). */
  holdProgressCreate?(): Promise<void>;
  /** Holds the answer to a `workspace/configuration` request until the returned promise resolves (none: answered at once). */
  holdConfiguration?(items: ReadonlyArray<{ scopeUri?: string; section?: string }>): Promise<void> | undefined;
}

/**
 * Polls `probe` until it holds. The deadline only turns a hang into a failure with a name: it is
 * no speed bound, so it is long enough for a loaded 2-core CI machine (a first index that loads
 * the compiler took over 15 s there while other jobs ran).
 */
export const WAIT_DEADLINE_MS = 60_000;

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = WAIT_DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export class TestClient {
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly statuses: StatusParams[] = [];
  readonly logs: string[] = [];
  readonly registrations: string[] = [];
  refreshes = 0;
  /** `$/progress` notifications, in order. */
  readonly progress: Array<{ token: string | number; value: { kind: string; title?: string; message?: string; percentage?: number } }> = [];
  readonly progressTokens: Array<string | number> = [];
  configurationRequests = 0;
  settings: Record<string, unknown>;
  readonly docs = new Map<string, TextDocument>();
  initializeResult!: InitializeResult;

  private constructor(readonly conn: MessageConnection, private readonly toServer: PassThrough, options: ClientOptions) {
    this.settings = options.settings ?? {};
  }

  static async start(options: ClientOptions = {}): Promise<TestClient> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const serverConn = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    startServer(serverConn, options.server);
    const conn = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    const client = new TestClient(conn, toServer, options);
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => { client.publishes.push(p); });
    conn.onNotification('factorlint/status', (p: StatusParams) => { client.statuses.push(p); });
    conn.onNotification('window/logMessage', (p: { message: string }) => { client.logs.push(p.message); });
    conn.onRequest('workspace/configuration', async (p: { items: Array<{ scopeUri?: string; section?: string }> }) => {
      client.configurationRequests++;
      await options.holdConfiguration?.(p.items);
      return p.items.map(() => client.settings);
    });
    conn.onRequest('client/registerCapability', (p: { registrations: Array<{ method: string }> }) => {
      client.registrations.push(...p.registrations.map((r) => r.method));
      return null;
    });
    conn.onRequest('workspace/diagnostic/refresh', () => { client.refreshes++; return null; });
    conn.onRequest('window/workDoneProgress/create', async (p: { token: string | number }) => {
      client.progressTokens.push(p.token);
      await options.holdProgressCreate?.();
      if (options.onProgressCreate) setImmediate(() => options.onProgressCreate!(p.token, client));
      return null;
    });
    conn.onNotification('$/progress', (p: TestClient['progress'][number]) => { client.progress.push(p); });
    conn.listen();
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: !options.noConfiguration,
        workspaceFolders: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true, ...(options.noResourceOperations ? {} : { resourceOperations: ['create'] }) },
        ...(options.pull ? { diagnostics: { refreshSupport: true } } : {}),
      },
      textDocument: {
        synchronization: { didSave: true },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
          // as VS Code and Neovim advertise it
          ...(options.noResolve ? {} : { dataSupport: true, resolveSupport: { properties: ['edit'] } }),
        },
        publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        ...(options.pull ? { diagnostic: { dynamicRegistration: false } } : {}),
      },
      ...(options.workDoneProgress ? { window: { workDoneProgress: true } } : {}),
    };
    const folders = options.folders ?? [];
    client.initializeResult = await conn.sendRequest('initialize', {
      processId: null,
      rootUri: folders[0] ?? null,
      capabilities,
      initializationOptions: options.initializationOptions,
      workspaceFolders: folders.map((uri) => ({ uri, name: uri.split('/').pop() })),
    });
    await conn.sendNotification('initialized', {});
    return client;
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (a full-range incremental change) and bumps the version. */
  async change(uri: string, text: string): Promise<number> {
    const doc = this.docs.get(uri)!;
    const version = doc.version + 1;
    const range = { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) };
    this.docs.set(uri, TextDocument.create(uri, doc.languageId, version, text));
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.docs.get(uri)!.getText();
  }

  version(uri: string): number {
    return this.docs.get(uri)!.version;
  }

  /** The last publish for `uri` whose version is `version` (any version when omitted). */
  lastPublish(uri: string, version?: number): PublishDiagnosticsParams | undefined {
    for (let i = this.publishes.length - 1; i >= 0; i--) {
      const p = this.publishes[i];
      if (p.uri === uri && (version === undefined || p.version === version)) return p;
    }
    return undefined;
  }

  async diagnosticsFor(uri: string, version = this.version(uri), timeoutMs = WAIT_DEADLINE_MS): Promise<Diagnostic[]> {
    return (await waitFor(`publishDiagnostics for ${uri}@${version}`, () => this.lastPublish(uri, version), timeoutMs)).diagnostics;
  }

  /** The code actions as offered (an action may wait for `codeAction/resolve` to get its edit). */
  codeActionsAsOffered(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  /** The code actions with their edits: those offered without one resolved at once, as an editor does before applying. */
  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const offered = await this.codeActionsAsOffered(uri, range, diagnostics, only);
    return Promise.all(offered.map((a) => (a.edit || a.data === undefined ? a : this.resolve(a))));
  }

  resolve(action: CodeAction): Promise<CodeAction> {
    return this.conn.sendRequest('codeAction/resolve', action);
  }

  /**
   * Applies a workspace edit to the client's copy like an editor would: refuses a versioned
   * edit for another version, then sends the change to the server. Returns the other files' edits.
   */
  async apply(edit: WorkspaceEdit): Promise<Array<TextDocumentEdit | { kind: string; uri: string }>> {
    const others: Array<TextDocumentEdit | { kind: string; uri: string }> = [];
    const changes = edit.documentChanges ?? Object.entries(edit.changes ?? {}).map(([uri, edits]) => ({ textDocument: { uri, version: null }, edits }));
    for (const change of changes) {
      if (!('textDocument' in change)) { others.push(change as { kind: string; uri: string }); continue; }
      const doc = this.docs.get(change.textDocument.uri);
      if (!doc) { others.push(change as TextDocumentEdit); continue; }
      if (change.textDocument.version !== null && change.textDocument.version !== doc.version) throw new Error(`edit for version ${change.textDocument.version}, document is at ${doc.version}`);
      await this.change(doc.uri, TextDocument.applyEdits(doc, change.edits.filter((e): e is { range: Range; newText: string } => 'range' in e)));
    }
    return others;
  }

  /** `workspace/didChangeWatchedFiles` (type 1 created, 2 changed, 3 deleted). */
  async watched(changes: Array<{ uri: string; type: 1 | 2 | 3 }>): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }

  async dispose(): Promise<void> {
    try {
      await this.conn.sendRequest('shutdown');
    } catch {
      // already gone
    }
    this.conn.dispose();
    // end of input: the server connection closes itself once its queue is drained
    this.toServer.end();
  }
}
