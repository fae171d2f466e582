/**
 * The factorlint output channel: one log users can attach to a bug report. The server's
 * `window/logMessage` lines (versions, folders, index timing, config files, rule failures) and
 * the client's own land here; `factorlint.trace.server` adds the LSP trace to the same channel.
 *
 * Why a trace adapter: vscode-languageclient 10 traces only when its trace channel's log level
 * is Trace, which for a LogOutputChannel only the user can set in the Output view: the setting
 * alone did nothing. The adapter reports level Trace while the setting asks for a trace and
 * writes the trace lines into the channel at a level that shows.
 */
import * as vscode from 'vscode';

const KEEP_LINES = 2000;

export class FactorlintOutput implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  readonly traceChannel: vscode.LogOutputChannel;
  private readonly recent: string[] = [];
  private readonly levelEmitter = new vscode.EventEmitter<vscode.LogLevel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    const real = vscode.window.createOutputChannel('factorlint', { log: true });
    this.disposables.push(real);
    const record = (text: string) => {
      this.recent.push(...text.split(/\r?\n/).filter((l) => l.length > 0));
      if (this.recent.length > KEEP_LINES) this.recent.splice(0, this.recent.length - KEEP_LINES);
    };
    const recorded = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);
    // the same channel, with every line written also kept in memory (`lines()`, for tests and "copy log")
    this.channel = new Proxy(real, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        if (typeof prop === 'string' && recorded.has(prop)) {
          return (message: unknown, ...args: unknown[]) => {
            record(message instanceof Error ? `${message.name}: ${message.message}` : String(message));
            return (value as (...a: unknown[]) => unknown).call(target, message, ...args);
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
    const channel = this.channel;
    const traceSetting = () => vscode.workspace.getConfiguration('factorlint').get<string>('trace.server', 'off');
    const levelEmitter = this.levelEmitter;
    const write = (message: string | Error) => channel.appendLine(`[trace] ${message instanceof Error ? message.message : message}`);
    this.traceChannel = {
      name: real.name,
      get logLevel() { return traceSetting() !== 'off' ? vscode.LogLevel.Trace : real.logLevel; },
      onDidChangeLogLevel: levelEmitter.event,
      trace: write, debug: write, info: write, warn: write, error: write,
      append: (value: string) => channel.append(value),
      appendLine: (value: string) => channel.appendLine(value),
      replace: (value: string) => channel.replace(value),
      clear: () => channel.clear(),
      show: (...args: unknown[]) => (channel.show as (...a: unknown[]) => void)(...args),
      hide: () => channel.hide(),
      dispose: () => undefined,
    } as vscode.LogOutputChannel;
    this.disposables.push(
      this.levelEmitter,
      real.onDidChangeLogLevel(() => this.levelEmitter.fire(this.traceChannel.logLevel)),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('factorlint.trace.server')) this.levelEmitter.fire(this.traceChannel.logLevel); }),
    );
  }

  /** The lines written since activation (the newest KEEP_LINES). */
  lines(): readonly string[] {
    return this.recent;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
