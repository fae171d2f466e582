import * as path from 'node:path';
import { isStubPackage } from '../../engine/project-context';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { moduleImports } from '../support/module-imports';

/** What `path.posix.normalize` would change: a `.`/`..` or empty segment, a trailing slash (or nothing at all). */
const NOT_NORMAL = /(?:^|\/)\.{1,2}(?:\/|$)|\/\/|\/$|^$/;

/** `a/b/../c` → `a/c`, keeping a leading `/`; forward slashes only. Hosts' paths are mostly normal already. */
function normalize(p: string): string {
  return NOT_NORMAL.test(p) ? path.posix.normalize(p).replace(/\/+$/, '') : p;
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const root = ctx.project.nearestPackage?.dir;
  if (root === undefined || isStubPackage(ctx.project.nearestPackage!)) return;
  const pkgDir = normalize(root);
  const filePath = normalize(ctx.file.path);
  // the file must be inside its package in the same frame (both relative or both absolute)
  if (pkgDir !== '.' && !filePath.startsWith(`${pkgDir}/`)) return;
  const fileDir = path.posix.dirname(filePath);
  // how many folders the file sits below its package's: a plain `../` run no longer than that stays inside
  const depth = pkgDir === '.' ? -1 : segmentCount(fileDir) - segmentCount(pkgDir);
  const { sourceFile } = ctx.parsed;
  for (const imported of moduleImports(ctx.parsed)) {
    const specifier = imported.specifier;
    if (!specifier.startsWith('../')) continue; // only `..` can leave the package; `./` stays below the file
    if (staysBelow(specifier, depth)) continue;
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

function segmentCount(dir: string): number {
  let n = 1;
  for (let i = dir.indexOf('/', 1); i >= 0; i = dir.indexOf('/', i + 1)) n++;
  return n;
}

/** A `.`/`..`/empty segment after the leading `../` run: only `normalize` knows where that lands. */
const IRREGULAR_REST = /(?:^|\/)\.{1,2}(?:\/|$)|\/\//;

/**
 * Whether `specifier` (starting with `../`) resolves inside the package without normalising
 * paths: its leading `../` run climbs at most `depth` folders and the rest only descends. False
 * means "not known here" (the full check decides).
 */
function staysBelow(specifier: string, depth: number): boolean {
  let ups = 0;
  let i = 0;
  while (specifier.startsWith('../', i)) { ups++; i += 3; }
  return ups <= depth && !IRREGULAR_REST.test(specifier.slice(i));
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
