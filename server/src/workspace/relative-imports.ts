/**
 * Relative-import resolution for file roles: `./db` from `src/app.ts` is `src/db.ts`,
 * `src/db/index.js`, or — TypeScript's ESM convention — `./db.js` naming `src/db.ts`.
 * Only what reachability needs: package imports and tsconfig `paths` are the import
 * tracker's job (rules/support), not this module's. One convention is followed besides
 * relative paths because nearly every Next.js/Vite/Nuxt template uses it: `@/x` and `~/x`
 * naming `x` under the package folder or its `src/`.
 */
import { dirOf, joinPath } from './paths';

const EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/** Candidate paths of a file named without (or with a compiled) extension, in resolution order. */
export function fileCandidates(base: string): string[] {
  const out = [base];
  const ext = /\.[cm]?[jt]sx?$/.exec(base)?.[0];
  if (ext && JS_TO_TS[ext]) for (const ts of JS_TO_TS[ext]) out.push(base.slice(0, -ext.length) + ts);
  if (!ext) for (const e of EXTENSIONS) out.push(base + e);
  for (const e of EXTENSIONS) out.push(`${base}/index${e}`);
  return out;
}

/** The workspace file a relative specifier names, or undefined (a package, an alias, a missing file). */
export function resolveRelativeImport(fromPath: string, specifier: string, exists: (path: string) => boolean): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') return undefined;
  const base = joinPath(dirOf(fromPath), specifier.replace(/\/+$/, ''));
  return fileCandidates(base).find(exists);
}

/** A relative specifier, or the `@/`/`~/` root alias resolved against the package folder `packageDir`. */
export function resolveLocalImport(fromPath: string, specifier: string, exists: (path: string) => boolean, packageDir: string | undefined): string | undefined {
  const alias = /^[@~]\/(.+)$/.exec(specifier);
  if (alias && packageDir !== undefined) {
    for (const base of [packageDir, packageDir ? `${packageDir}/src` : 'src']) {
      const found = fileCandidates(joinPath(base, alias[1].replace(/\/+$/, ''))).find(exists);
      if (found) return found;
    }
    return undefined;
  }
  return resolveRelativeImport(fromPath, specifier, exists);
}
