/**
 * Imports TypeScript erases from the emitted JavaScript, for file-role reachability: a module
 * that a server file imports only for a type (`import type { YamlConfig } from './config.seed'`,
 * or `import { YamlConfig }` used only as `x?: YamlConfig`) never runs in the server, so it
 * must not become server code through that import.
 *
 * Sound in one direction only: an import is called erased when TypeScript's default emit drops
 * it; anything doubtful keeps it (a kept import only costs a role, a dropped one could hide a
 * server file). Kept: JavaScript files (nothing is elided there), side-effect imports,
 * re-exports of values, and types that decorator metadata (`emitDecoratorMetadata`, NestJS
 * injection) turns into values: constructor parameters of a decorated class and the
 * annotations of decorated members. Not modelled: `verbatimModuleSyntax`/`preserveValueImports`,
 * which keep such imports (rare in services; the role is then decided from other evidence).
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../parse/typescript';
import { moduleImports, type ModuleImport } from '../rules/support/module-imports';
import { forEachImportUse, importsUsedOnlyAsTypes } from '../rules/support/type-only-use';

const TS_EXTENSION = /\.(?:tsx?|mts|cts)$/;

/** Specifiers that role reachability follows (see `resolveLocalImport`): relative, `@/`, `~/`. Only their erasure matters. */
function isLocalSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('@/') || specifier.startsWith('~/');
}

/**
 * Cheap text test before a parse (the role pre-pass parses nothing otherwise): a local import
 * (see `isLocalSpecifier`) that is `import type`/`export type`, has a `type`-marked name, or
 * imports only names that never appear followed by `(`, `.`, or after `new`/`@`/`=`/`(`/`[`/
 * `return` (the usual value uses).
 */
export function mayHaveErasedImports(text: string, path: string): boolean {
  if (!TS_EXTENSION.test(path)) return false;
  for (const m of text.matchAll(/\b(?:import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/g)) {
    if (!isLocalSpecifier(m[3])) continue;
    if (m[1] || /[{,]\s*type\s+[A-Za-z_$]/.test(m[2])) return true;
    const named = /^\{([^}]*)\}$/.exec(m[2].trim());
    if (!named) continue;
    // the import statement itself never looks like a value use, so the whole text is searched
    const locals = named[1].split(',').map((x) => x.trim().split(/\s+as\s+/).pop()!.trim()).filter((x) => /^[A-Za-z_$][\w$]*$/.test(x));
    if (locals.length > 0 && locals.every((name) => !valueLooking(text, name))) return true;
  }
  return false;
}

function valueLooking(text: string, name: string): boolean {
  const n = name.replace(/\$/g, '\\$');
  return new RegExp(`(?:\\bnew\\s+|@|=\\s*|\\(\\s*|\\[\\s*|\\breturn\\s+)${n}\\b|(?<![\\w$.])${n}\\s*[(.]`).test(text);
}

/** Whether a type reference sits where decorator metadata emits it as a value. */
function inDecoratorMetadata(ts: typeof TS, id: TS.Node): boolean {
  const decorated = (n: TS.Node) => !!(n as { modifiers?: TS.NodeArray<TS.ModifierLike> }).modifiers?.some((m) => m.kind === ts.SyntaxKind.Decorator);
  for (let n: TS.Node | undefined = id; n; n = n.parent) {
    if (ts.isParameter(n)) {
      const fn = n.parent;
      if (decorated(n) || decorated(fn)) return true;
      if (ts.isConstructorDeclaration(fn) && decorated(fn.parent)) return true;
    }
    if (ts.isPropertyDeclaration(n) || ts.isMethodDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n)) return decorated(n);
    if (ts.isClassLike(n) || ts.isSourceFile(n)) return false;
  }
  return false;
}

/** Local specifiers of a TypeScript file whose every import is erased at runtime (sorted). */
export function erasedImportSpecifiers(parsed: ParsedTs, path: string): string[] {
  if (!TS_EXTENSION.test(path)) return [];
  const all = moduleImports(parsed);
  const local = all.filter((m) => isLocalSpecifier(m.specifier));
  // erased: `import type`, or every name used only as a type and never where decorator metadata emits it
  const usedAsTypes = importsUsedOnlyAsTypes(parsed, local);
  const inMetadata = new Set<ModuleImport>();
  forEachImportUse(parsed, usedAsTypes, (id, imported) => {
    if (!inMetadata.has(imported) && inDecoratorMetadata(parsed.ts, id)) inMetadata.add(imported);
  });
  const erased = new Set([...local.filter((m) => m.typeOnly), ...usedAsTypes.filter((m) => !inMetadata.has(m))]);
  const kept = new Set(local.filter((m) => !erased.has(m)).map((m) => m.specifier));
  return [...new Set(local.map((m) => m.specifier).filter((s) => !kept.has(s)))].sort();
}
