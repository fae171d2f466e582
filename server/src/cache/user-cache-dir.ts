import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The folder factorlint keeps caches in for this user: `$FACTORLINT_CACHE_DIR` (the extension's
 * global storage when VS Code starts the server), else `$XDG_CACHE_HOME/factorlint` or
 * `~/.cache/factorlint` — never a shared temp folder where another local user could plant files.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FACTORLINT_CACHE_DIR) return env.FACTORLINT_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'factorlint');
}
