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
import { usedOnlyAsTypes } from '../rules/support/type-only-use';

const TS_EXTENSION = /\.(?:tsx?|mts|cts)$/;

/**
 * Cheap text test before a parse (the role pre-pass parses nothing otherwise): an `import type`
 * or `export type { … } from`, a `type` modifier on a named import, or a named import whose
 * names never appear followed by `(`, `.`, or after `new`/`@`/`=` (the usual value uses).
 */
export function mayHaveErasedImports(text: string, path: string): boolean {
  if (!TS_EXTENSION.test(path)) return false;
  if (/\b(?:import|export)\s+type\b|[{,]\s*type\s+[A-Za-z_$]/.test(text)) return true;
  for (const m of text.matchAll(/\bimport\s*\{([^}]*)\}\s*from\s*['"][^'"]+['"]/g)) {
    const rest = text.slice(0, m.index) + text.slice(m.index! + m[0].length);
    const locals = m[1].split(',').map((s) => s.trim().split(/\s+as\s+/).pop()!.trim()).filter((s) => /^[A-Za-z_$][\w$]*$/.test(s));
    if (locals.length > 0 && locals.every((name) => !valueLooking(rest, name))) return true;
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

function erased(parsed: ParsedTs, imported: ModuleImport): boolean {
  if (imported.typeOnly) return true;
  if (imported.kind !== 'esm' || !usedOnlyAsTypes(parsed, imported)) return false;
  const { ts } = parsed;
  const locals = new Set(imported.bindings.map((b) => b.local));
  const declaration = imported.node;
  return !parsed.nodesOfKind<TS.Identifier>(ts.SyntaxKind.Identifier)
    .some((id) => locals.has(id.text) && !(id.pos >= declaration.pos && id.end <= declaration.end) && inDecoratorMetadata(ts, id));
}

/** Specifiers of a TypeScript file whose every import is erased at runtime (sorted). */
export function erasedImportSpecifiers(parsed: ParsedTs, path: string): string[] {
  if (!TS_EXTENSION.test(path)) return [];
  const all = moduleImports(parsed);
  const kept = new Set(all.filter((m) => !erased(parsed, m)).map((m) => m.specifier));
  return [...new Set(all.map((m) => m.specifier).filter((s) => !kept.has(s)))].sort();
}
