/**
 * `path.resolve(dir, rel)` and `path.relative(dir, abs)` for the run's thousands of files below one
 * folder, by concatenation and prefix where that is their answer: `dir` normalised and absolute,
 * `rel` a plain relative path (no empty, `.` or `..` segment), `abs` normalised below `dir`. A
 * recorded run names every walked file both ways (its absolute path from its model path, its shown
 * path from the cwd); `path.resolve`/`path.relative` normalise both arguments on every call.
 * Anything else (another separator, a path that is not plain) goes to `node:path`.
 */
import * as path from 'node:path';

/** A leading or trailing separator, an empty, `.` or `..` segment (with `/` separators). */
const NOT_PLAIN = /^\/|\/\/|(?:^|\/)\.\.?(?:$|\/)|\/$/;

function normalisedDir(dir: string): string | undefined {
  return path.sep === '/' && path.isAbsolute(dir) && path.resolve(dir) === dir ? dir : undefined;
}

/** `(rel) => path.resolve(dir, rel)`. */
export function resolverUnder(dir: string): (rel: string) => string {
  const base = normalisedDir(dir);
  if (base === undefined) return (rel) => path.resolve(dir, rel);
  const prefix = base === '/' ? '/' : `${base}/`;
  return (rel) => (rel !== '' && !NOT_PLAIN.test(rel) ? prefix + rel : path.resolve(base, rel));
}

/** `(abs) => path.relative(dir, abs)`. */
export function relativizerFrom(dir: string): (abs: string) => string {
  const base = normalisedDir(dir);
  if (base === undefined) return (abs) => path.relative(dir, abs);
  const prefix = base === '/' ? '/' : `${base}/`;
  return (abs) => {
    if (abs.length > prefix.length && abs.startsWith(prefix)) {
      const rel = abs.slice(prefix.length);
      if (!NOT_PLAIN.test(rel)) return rel;
    }
    return path.relative(base, abs);
  };
}
