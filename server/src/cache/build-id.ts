import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The identity of this factorlint build: the package version plus the size and mtime of the
 * running bundle (or, for a tsc build, of the engine, rules and model-extraction modules). A
 * persisted cache salted with it is discarded by any rebuild, so results computed by other
 * code are never trusted.
 */
let memo: string | undefined;

export function buildId(): string {
  return (memo ??= computeBuildId());
}

function computeBuildId(): string {
  const parts: string[] = [];
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'factorlint') { parts.push(pkg.version ?? '0'); break; }
    } catch { /* keep looking */ }
    if (path.dirname(dir) === dir) break;
  }
  // the build itself: a rebuilt bundle (or recompiled engine/rules) must not trust old results
  const code = [__filename, path.join(__dirname, '..', 'engine', 'run.js'), path.join(__dirname, '..', 'engine', 'registry.js')];
  for (const file of code) {
    try { const s = fs.statSync(file); parts.push(`${s.size}:${s.mtimeMs}`); } catch { /* bundled: only __filename */ }
  }
  const rulesDir = path.join(__dirname, '..', 'rules');
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.js')) { try { const s = fs.statSync(full); parts.push(`${e.name}:${s.size}:${s.mtimeMs}`); } catch { /* ignore */ } }
    }
  };
  walk(rulesDir);
  walk(path.join(__dirname, '..', 'workspace'));
  return parts.join('|');
}
