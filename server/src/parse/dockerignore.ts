/**
 * `.dockerignore` matching, as Docker reads it: one pattern per line relative to the build
 * context's root (`.env` excludes only the root's `.env`; `**\/.env` excludes every one), Go
 * `filepath.Match` wildcards plus `**`, `#` comments, `!` exceptions, the last matching line
 * wins, and a pattern that matches a folder excludes everything under it.
 */
import picomatch from 'picomatch';

export interface DockerIgnore {
  /** Whether a path relative to the build context (forward slashes) is left out of the context. */
  excludes(path: string): boolean;
}

/** `/a/./b/` → `a/b`, as Docker cleans each pattern before matching. */
function clean(pattern: string): string {
  const parts: string[] = [];
  for (const part of pattern.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

export function parseDockerIgnore(text: string): DockerIgnore {
  const rules: Array<{ negated: boolean; match: (path: string) => boolean }> = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1).trim();
    const pattern = clean(line);
    if (pattern === '') continue;
    // bounded patterns: a hostile .dockerignore must not cost more than a few matches per path
    if (pattern.length > 500) continue;
    const matcher = picomatch(pattern, { dot: true, nobrace: true, noextglob: true });
    rules.push({ negated, match: matcher });
  }
  return {
    excludes(path: string): boolean {
      const target = clean(path);
      // the path itself and each folder above it: excluding a folder excludes its contents
      const parts = target.split('/');
      const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
      let excluded = false;
      for (const rule of rules) {
        if (candidates.some((c) => rule.match(c))) excluded = !rule.negated;
      }
      return excluded;
    },
  };
}
