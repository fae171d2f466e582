/**
 * V8's compile cache for factorlint's own code (Node ≥ 22.1, which is what VS Code's extension
 * host runs): the compiled code of the bundles — above all the TypeScript compiler, 3.5 MB — is
 * kept on disk, so later starts skip compiling it. On older Node this does nothing.
 *
 * The cache lives in a per-user folder (the extension's global storage when VS Code starts the
 * server, else `$XDG_CACHE_HOME/factorlint` or `~/.cache/factorlint`), never in a shared temp
 * folder where another local user could plant compiled code. `NODE_DISABLE_COMPILE_CACHE=1`
 * turns it off, as for any Node program.
 */
import * as nodeModule from 'node:module';
import * as path from 'node:path';
import { userCacheDir } from '../cache/user-cache-dir';

type EnableCompileCache = (directory?: string) => { status?: number } | undefined;
type CacheStatus = { ENABLED?: number; ALREADY_ENABLED?: number };

export { userCacheDir };

/** Turns the compile cache on when this Node has one; returns whether it is on. */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): boolean {
  const enable = (nodeModule as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
  if (typeof enable !== 'function' || env.NODE_DISABLE_COMPILE_CACHE) return false;
  try {
    const result = enable(path.join(userCacheDir(env), 'compile-cache'));
    const status = (nodeModule as unknown as { constants?: { compileCacheStatus?: CacheStatus } }).constants?.compileCacheStatus;
    return result?.status === status?.ENABLED || result?.status === status?.ALREADY_ENABLED;
  } catch {
    return false; // an optimisation only: an unwritable folder must not stop the server
  }
}

/**
 * Writes the compiled code gathered so far to the cache now (Node ≥ 22.10). Node writes it only
 * when the process exits normally, and VS Code ends a language server with its window by
 * killing it: without this the editor's cache stayed empty and every window compiled the
 * compiler again. Call it after the compiler is loaded.
 */
export function flushCompileCache(): void {
  const flush = (nodeModule as unknown as { flushCompileCache?: () => void }).flushCompileCache;
  try {
    if (typeof flush === 'function') flush();
  } catch {
    // an optimisation only
  }
}
