/**
 * The language server's entry point: `factorlint-language-server --stdio` (or `--node-ipc`,
 * `--socket=N`, `--pipe=NAME`: `createConnection` reads the transport from argv). The only
 * module with process-wide singletons; everything else lives in `startServer`.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { SERVER_VERSION, startServer } from './start-server';
import { createEditorProjectProvider } from './host/editor-project-provider';
import { shutdownPredicate } from './rules/support/shutdown';

const USAGE = 'usage: factorlint-language-server --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n'
  + 'A Language Server Protocol server for factorlint; start it from an editor (see docs/language-server.md).\n';

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`${SERVER_VERSION}\n`);
  process.exit(0);
}
if (args.includes('--help') || !args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
  process.stderr.write(USAGE);
  process.exit(args.includes('--help') ? 0 : 2);
}

const connection = createConnection(ProposedFeatures.all);
// A bug must not end the editor session: log it (no file content) and keep serving.
process.on('uncaughtException', (error) => connection.console.error(`factorlint: uncaught ${error?.name ?? 'error'}: ${String(error?.message ?? '').slice(0, 200)}`));
process.on('unhandledRejection', (reason) => connection.console.error(`factorlint: unhandled rejection ${(reason as Error)?.name ?? typeof reason}`));
startServer(connection, { project: (services) => createEditorProjectProvider(services, shutdownPredicate) });
