/**
 * Whether an ESM import is used only in type positions, so TypeScript elides it from the emitted
 * JavaScript (`import { Request } from 'express'` used only as `req: Request`). Syntactic: every
 * reference to each imported local name must sit inside a type node (annotation, `as X`, type
 * arguments, `implements X`, `typeof X` in a type); a value use, a re-export or a side-effect-only
 * import keeps the import alive.
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../../parse/typescript';
import type { ModuleImport } from './module-imports';

/** Identifiers that name a member or a key, not a binding in scope (`x.Request`, `{ Request: 1 }`). */
function isMemberName(ts: typeof TS, id: TS.Identifier): boolean {
  const p = id.parent;
  return (ts.isPropertyAccessExpression(p) && p.name === id)
    || (ts.isQualifiedName(p) && p.right === id)
    || (ts.isPropertyAssignment(p) && p.name === id)
    || ((ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p)
      || ts.isGetAccessor(p) || ts.isSetAccessor(p) || ts.isEnumMember(p)) && p.name === id)
    || (ts.isBindingElement(p) && p.propertyName === id);
}

/** Whether the identifier sits in a type: the first type node above it decides (`class A extends B` is a value). */
function inTypePosition(ts: typeof TS, id: TS.Node): boolean {
  for (let n: TS.Node = id; n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isExpressionWithTypeArguments(p) && p.expression === n) {
      const clause = p.parent;
      // `implements X` and `interface I extends X` are types; `class A extends X` runs X.
      return ts.isHeritageClause(clause) && (clause.token === ts.SyntaxKind.ImplementsKeyword || ts.isInterfaceDeclaration(clause.parent));
    }
    if (ts.isTypeNode(p)) return true;
    if (ts.isSourceFile(p)) return false;
  }
  return false;
}

/** True when the import has bindings and each is referenced only in type positions (or not at all). */
export function usedOnlyAsTypes(parsed: ParsedTs, imported: ModuleImport): boolean {
  return importsUsedOnlyAsTypes(parsed, [imported]).length === 1;
}

/**
 * The ESM imports among `imports` that have bindings and whose every binding is referenced only
 * in type positions (or not at all): one pass over the file's identifiers for all of them, not
 * one per import (a file with many local imports walked all its identifiers for each).
 */
export function importsUsedOnlyAsTypes(parsed: ParsedTs, imports: readonly ModuleImport[]): ModuleImport[] {
  const { ts } = parsed;
  const candidates = imports.filter((m) => m.kind === 'esm' && m.bindings.length > 0);
  const valueUsed = new Set<ModuleImport>();
  forEachImportUse(parsed, candidates, (id, imported) => {
    if (!valueUsed.has(imported) && !isMemberName(ts, id) && !inTypePosition(ts, id)) valueUsed.add(imported);
  });
  return candidates.filter((m) => !valueUsed.has(m));
}

/** Calls `use` for each identifier named as one of an import's locals, outside that import's declaration. */
export function forEachImportUse(parsed: ParsedTs, imports: readonly ModuleImport[], use: (id: TS.Identifier, imported: ModuleImport) => void): void {
  if (imports.length === 0) return;
  const byLocal = new Map<string, ModuleImport[]>();
  for (const imported of imports) {
    for (const local of new Set(imported.bindings.map((b) => b.local))) {
      const list = byLocal.get(local);
      if (list) list.push(imported); else byLocal.set(local, [imported]);
    }
  }
  for (const id of parsed.nodesOfKind<TS.Identifier>(parsed.ts.SyntaxKind.Identifier)) {
    const owners = byLocal.get(id.text);
    if (!owners) continue;
    for (const imported of owners) {
      const declaration = imported.node;
      if (!(id.pos >= declaration.pos && id.end <= declaration.end)) use(id, imported);
    }
  }
}
