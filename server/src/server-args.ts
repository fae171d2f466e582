/**
 * The entry point's command line: without a transport argument `createConnection` throws a
 * stack trace; print the usage instead (exit 2), and answer `--help` and `--version`.
 * Imported first by `server.ts` for this side effect.
 */
import { SERVER_VERSION } from './start-server';

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
