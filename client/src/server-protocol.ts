/**
 * Custom LSP methods the client understands: re-exported from the server's own protocol
 * module (`server/src/protocol.ts`, constants and types only, so the client bundle gains a few
 * strings), plus the short names the client used before. The client tolerates a server that
 * lacks any of them.
 */
export * from '../../server/src/protocol';
import { AnalyzeWorkspaceRequest, StatusNotification } from '../../server/src/protocol';

/** Server → client: what the server is doing, for the status item. */
export const STATUS_NOTIFICATION = StatusNotification.method;

/** Client → server: analyse every supported file in the workspace (publishes diagnostics). */
export const ANALYZE_WORKSPACE_REQUEST = AnalyzeWorkspaceRequest.method;

/** The `source` of every factorlint diagnostic. */
export const DIAGNOSTIC_SOURCE = 'factorlint';

/** The configuration file's name (its diagnostics are config problems, not findings). */
export const RC_FILE_BASENAME = '.factorlintrc.json';
