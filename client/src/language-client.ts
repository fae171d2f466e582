/**
 * The language client: how the server is started, which documents it sees, which settings
 * and files it is told about, and what happens when it crashes.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type DocumentSelector,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { deferredRules, withDeferredRules } from './defer-to-linters';
import { FactorlintOutput } from './output';
import { MAX_RESTARTS, RestartBudget, serverModulePath } from './server-launch';
import { CONFIG_FILE_NAME, STATUS_NOTIFICATION, type StatusParams, type WorkspaceStatus } from './server-protocol';

/** Compose file names, as the engine classifies them (compose*.y(a)ml, docker-compose*, docker-stack*). */
export const COMPOSE_PATTERN = '**/{compose,docker-compose,docker-stack}*.{yml,yaml}';

export type ClientState = 'starting' | 'analyzing' | 'idle' | 'error' | 'stopped';

/** Documents the server analyses. Files of other kinds are never sent. */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  { language: 'typescript' },
  { language: 'typescriptreact' },
  { language: 'javascript' },
  { language: 'javascriptreact' },
  { language: 'dockerfile' },
  { language: 'dockercompose' },
  { language: 'yaml', pattern: COMPOSE_PATTERN },
  { language: 'dotenv' },
  // `.env` files in editors whose dotenv language is missing (older VS Code: plain text or properties)
  { pattern: '**/.env' },
  { pattern: '**/.env.*' },
  { language: 'json', pattern: `**/${CONFIG_FILE_NAME}` },
  { language: 'jsonc', pattern: `**/${CONFIG_FILE_NAME}` },
];

export class FactorlintClient implements vscode.Disposable {
  /** The factorlint output channel (server log, client log, LSP trace). */
  readonly log = new FactorlintOutput();
  readonly output: vscode.LogOutputChannel = this.log.channel;
  private client: LanguageClient | undefined;
  private readonly budget = new RestartBudget();
  private crashReported = false;
  private currentState: ClientState = 'stopped';
  private detail: string | undefined;
  /** The server's last word about the whole workspace (index size, counts of the last analysis). */
  workspaceStatus: WorkspaceStatus | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<ClientState>();
  /** Fires when the server starts, stops, crashes or reports analyzing/idle. */
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    const version = (context.extension.packageJSON as { version?: string }).version ?? '?';
    this.output.info(`factorlint extension ${version} in ${vscode.env.appName} ${vscode.version} (extension host: Node ${process.version})`);
  }

  get state(): ClientState { return this.currentState; }
  get stateDetail(): string | undefined { return this.detail; }
  get languageClient(): LanguageClient | undefined { return this.client; }

  async start(): Promise<void> {
    if (!vscode.workspace.getConfiguration('factorlint').get<boolean>('enable', true)) {
      this.setState('stopped', 'disabled by the factorlint.enable setting');
      return;
    }
    const module = serverModulePath(this.context.extensionPath);
    // the server keeps its compile cache (Node ≥ 22) in this extension's per-user storage; set
    // for the whole process (NODE_COMPILE_CACHE, the folder the server would pick itself), the
    // server's own 1 MB bundle is cached too, not only the compiler it loads later
    const storage = this.context.globalStorageUri.fsPath;
    const env = { ...process.env, FACTORLINT_CACHE_DIR: storage, NODE_COMPILE_CACHE: path.join(storage, 'compile-cache') };
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: { env } },
      debug: { module, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      // factorlint.trace.server: the LSP trace, in the same channel (see output.ts)
      traceOutputChannel: this.log.traceChannel,
      synchronize: {
        configurationSection: 'factorlint',
        fileEvents: [
          vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`),
          vscode.workspace.createFileSystemWatcher('**/package.json'),
          vscode.workspace.createFileSystemWatcher('**/.gitignore'),
          vscode.workspace.createFileSystemWatcher('**/.env*'),
        ],
      },
      errorHandler: this.errorHandler(),
      middleware: {
        workspace: {
          // factorlint.deferToOtherLinters: the rules another installed linter already reports
          // reach the server as `off` customisations (the server knows nothing of extensions)
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) return result;
            return result.map((value, i) => (params.items[i]?.section === 'factorlint' ? withDeferredRules(value, this.deferred()) : value));
          },
        },
      },
    };
    this.client = new LanguageClient('factorlint', 'factorlint', serverOptions, clientOptions);
    this.client.onDidChangeState((e) => {
      if (e.newState === State.Starting) this.setState('starting');
      else if (e.newState === State.Running) this.setState('idle');
      else if (this.currentState !== 'error') this.setState('stopped');
    });
    this.setState('starting');
    try {
      await this.client.start();
    } catch (error) {
      this.setState('error', String(error));
      this.output.appendLine(`factorlint: the language server failed to start: ${String(error)}`);
      return;
    }
    this.client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => {
      if (params.workspace) this.workspaceStatus = params.workspace;
      this.setState(params.state, params.message);
    });
  }

  /** The rules left to other installed linters (factorlint.deferToOtherLinters). */
  private deferred(): string[] {
    const enabled = vscode.workspace.getConfiguration('factorlint').get<boolean>('deferToOtherLinters', true);
    return deferredRules(enabled, vscode.extensions.all.map((e) => e.id));
  }

  /** Asks the server to read the settings again (e.g. another linter was installed or removed). */
  notifySettingsChanged(): void {
    if (this.client?.isRunning()) void this.client.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    // needsStop: also a client still starting (a plain isRunning check would leak its server)
    if (client?.needsStop()) await client.stop().catch((error: unknown) => this.output.warn(`stopping the server: ${String(error)}`));
    this.setState('stopped');
  }

  async restart(): Promise<void> {
    await this.stop();
    this.crashReported = false;
    await this.start();
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
    this.log.dispose();
  }

  private setState(state: ClientState, detail?: string): void {
    this.currentState = state;
    this.detail = detail;
    this.stateEmitter.fire(state);
  }

  private errorHandler(): ErrorHandler {
    return {
      error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue, handled: true }),
      closed: (): CloseHandlerResult => {
        if (this.budget.allow(Date.now())) {
          this.output.appendLine('factorlint: the language server stopped unexpectedly; restarting it.');
          return { action: CloseAction.Restart, handled: true };
        }
        this.setState('error', 'the language server crashed repeatedly');
        if (!this.crashReported) {
          this.crashReported = true;
          void vscode.window
            .showErrorMessage(`factorlint: the language server crashed ${MAX_RESTARTS + 1} times in 3 minutes and will not be restarted.`, 'Open log', 'Restart Server')
            .then((choice) => {
              if (choice === 'Open log') this.output.show(true);
              else if (choice === 'Restart Server') void vscode.commands.executeCommand('factorlint.restartServer');
            });
        }
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }
}
