/**
 * The language server's entry point: `factorlint-language-server --stdio` (or `--node-ipc`,
 * `--socket=N`: `createConnection` reads the transport from argv). The only module with
 * process-wide singletons; everything else lives in `startServer`.
 */
import './server-args'; // first: usage/--version exit before any connection is made
import * as path from 'node:path';
import { enableCompileCache, flushCompileCache, userCacheDir } from './host/compile-cache';
import { loadTypescript } from './parse/typescript';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { EDITOR_IDLE_MS, startServer } from './start-server';
import { createEditorProjectProvider } from './host/editor-project-provider';
import { indexWorkerScript } from './features/index-worker-client';

/**
 * The index worker's nice value (Linux): under contention the editor's processes and this
 * server's document thread run before the index.
 */
const INDEX_WORKER_NICE = 10;

enableCompileCache(); // before the TypeScript compiler is first required
const connection = createConnection(ProposedFeatures.all);
// A bug must not end the editor session: log it and keep serving.
process.on('uncaughtException', (error) => connection.console.error(`factorlint: uncaught ${error?.name ?? 'error'}: ${String(error?.message ?? '').slice(0, 200)}`));
process.on('unhandledRejection', (reason) => connection.console.error(`factorlint: unhandled rejection ${(reason as Error)?.name ?? typeof reason}`));
startServer(connection, {
  project: (services) => createEditorProjectProvider(services),
  // the index keeps model facts between sessions in the user's cache folder (VS Code: global storage)
  workspaceIndex: {
    factsCacheDir: path.join(userCacheDir(), 'workspace-index'),
    // the compiler, as soon as the workspace turns out to have TS/JS: a file opened meanwhile finds it loaded
    warmUp: () => { loadTypescript(); flushCompileCache(); },
    // the walk, reads and facts in a worker thread: this thread answers documents (the bundle's dist/index-worker.js)
    worker: indexWorkerScript() ? { script: indexWorkerScript()!, nice: INDEX_WORKER_NICE } : undefined,
  },
  // after an open, what the first keystroke would build is built while the editor is idle
  idleMs: EDITOR_IDLE_MS,
});
