/**
 * Custom LSP methods the client understands. Mirrors `server/src/protocol.ts` (owned by the
 * language-server work); the client tolerates a server that lacks any of them.
 */

/** Server → client: what the server is doing, for the status item. */
export const STATUS_NOTIFICATION = 'factorlint/status';

export interface StatusParams {
  state: 'analyzing' | 'idle' | 'error';
  /** Human-readable detail (e.g. the file being analysed or the error). */
  message?: string;
}

/** Client → server: analyse every supported file in the workspace (publishes diagnostics). */
export const ANALYZE_WORKSPACE_REQUEST = 'factorlint/analyzeWorkspace';

export interface AnalyzeWorkspaceResult {
  files: number;
  findings: number;
}

/** The code action kind of fix-all (`editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = 'source.fixAll.factorlint';

/** The `source` of every factorlint diagnostic. */
export const DIAGNOSTIC_SOURCE = 'factorlint';
