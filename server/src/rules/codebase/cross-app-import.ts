import * as path from 'node:path';
import { isStubPackage } from '../../engine/project-context';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { moduleImports } from '../support/module-imports';

/** `a/b/../c` → `a/c`, keeping a leading `/`; forward slashes only. */
function normalize(p: string): string {
  return path.posix.normalize(p).replace(/\/+$/, '');
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const root = ctx.project.nearestPackage?.dir;
  if (root === undefined || isStubPackage(ctx.project.nearestPackage!)) return;
  const pkgDir = normalize(root);
  const filePath = normalize(ctx.file.path);
  // the file must be inside its package in the same frame (both relative or both absolute)
  if (pkgDir !== '.' && !filePath.startsWith(`${pkgDir}/`)) return;
  const fileDir = path.posix.dirname(filePath);
  const { sourceFile } = ctx.parsed;
  for (const imported of moduleImports(ctx.parsed)) {
    const specifier = imported.specifier;
    if (!specifier.startsWith('../')) continue; // only `..` can leave the package; `./` stays below the file
    const target = normalize(path.posix.join(fileDir, specifier));
    if (pkgDir === '.' ? !target.startsWith('../') : target === pkgDir || target.startsWith(`${pkgDir}/`)) continue;
    // a file at an ancestor level (`../../tsconfig.base.json`, the repository root's package.json) is not a sibling app
    const targetDir = path.posix.dirname(target);
    const ancestorOfPackage = pkgDir === '.' ? false : pkgDir === targetDir || pkgDir.startsWith(`${targetDir}/`) || targetDir === '.';
    if (ancestorOfPackage) continue;
    ctx.report({
      messageId: 'escapes',
      data: { specifier, target: siblingOf(pkgDir, target), package: ctx.project.nearestPackage?.json.name ?? pkgDir },
      start: imported.specifierNode.getStart(sourceFile),
      end: imported.specifierNode.end,
    });
  }
}

/**
 * The first folder of `target` below the deepest folder it shares with the package
 * (`billing-service`), named from that shared folder: the same words whether the host gave
 * absolute paths (CLI, editor) or workspace-relative ones (Analyze Workspace).
 */
function siblingOf(pkgDir: string, target: string): string {
  const a = pkgDir === '.' ? [] : pkgDir.split('/');
  const b = target.split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i >= b.length - 1) return b[b.length - 1] || target;
  return b[i] === '..' ? b.slice(0, Math.min(b.length - 1, i + 1)).join('/') : b[i];
}

const rule: Rule = {
  meta: {
    id: 'codebase/cross-app-import',
    factor: 'codebase',
    severity: 'warning',
    description: 'A relative import reaches out of the package into another app\'s code.',
    rationale: 'One codebase per app (factor I): code shared by several apps is factored into a library and declared as a dependency. A relative import into a sibling app couples the two deploys — building, versioning and releasing one now silently depends on the other\'s working tree.',
    messages: {
      escapes: 'Import \'{{specifier}}\' leaves the package {{package}} and reaches into {{target}}: share that code as a package (a workspace dependency) and import it by name.',
    },
    fix: 'none',
    // what a deployed app imports; a dev script or tool reaching into the app it serves is not a second codebase
    roles: ['server', 'browser'],
  },
  check: { ts: checkTs },
};

export default rule;
