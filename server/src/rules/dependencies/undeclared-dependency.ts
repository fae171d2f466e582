import { builtinModules } from 'node:module';
import type { Rule, RuleContext } from '../../engine/types';
import { matchesPathAlias } from '../../engine/path-aliases';
import { isStubPackage, type PackageJsonFacts } from '../../engine/project-context';
import type { ParsedTs } from '../../parse/typescript';
import type * as TS from 'typescript';
import { isRelativeOrAbsolute, moduleImports, packageNameOf, type ModuleImport } from '../support/module-imports';
import { usedOnlyAsTypes } from '../support/type-only-use';

/** Node's own modules (`fs`, `fs/promises`, `path/posix`…): Node's list, not workspace code. */
const BUILTINS = new Set(builtinModules);

/**
 * Folder names that a tsconfig `baseUrl` commonly exposes as bare specifiers (`src/utils`,
 * `components/Button`); with a slash after them, they are project folders, not packages.
 */
const BASE_URL_FOLDERS = new Set([
  'src', 'app', 'lib', 'components', 'utils', 'helpers', 'services', 'modules', 'config', 'types', 'hooks',
  'routes', 'models', 'controllers', 'shared', 'common', 'core', 'features', 'api', 'store', 'test', 'tests',
]);

/** Specifiers that name no package: aliases, subpath imports, schemes (`node:`, `bun:`, `virtual:`), bundler magic. */
function isNotAPackage(specifier: string, aliases: readonly string[]): boolean {
  if (isRelativeOrAbsolute(specifier) || specifier.includes(':')) return true;
  if (/^(?:#|~|\$|@\/|@@\/)/.test(specifier)) return true;
  // `@config`: a scope with no package name is no valid npm name (packages are `@scope/name`), only an alias.
  if (/^@[^/]+$/.test(specifier)) return true;
  if (matchesPathAlias(specifier, aliases)) return true;
  const slash = specifier.indexOf('/');
  return !specifier.startsWith('@') && slash > 0 && BASE_URL_FOLDERS.has(specifier.slice(0, slash));
}

/**
 * `try { require('bufferutil') } catch {}` / `await import('x').catch(…)`: the optional-dependency
 * pattern — the code works without the package, so it need not be declared.
 */
function isGuardedLoad(ts: typeof TS, imported: ModuleImport): boolean {
  if (imported.kind !== 'require' && imported.kind !== 'dynamic') return false;
  for (let n: TS.Node = imported.node; n.parent; n = n.parent) {
    if (ts.isTryStatement(n.parent) && n.parent.tryBlock === n) return true;
    if (ts.isFunctionLike(n)) break;
  }
  const parent = imported.node.parent;
  return ts.isPropertyAccessExpression(parent) && parent.name.text === 'catch';
}

function declares(deps: Record<string, string> | undefined, name: string): boolean {
  return !!deps && Object.prototype.hasOwnProperty.call(deps, name);
}

/** `@types/express` for `express`, `@types/scope__name` for `@scope/name` (DefinitelyTyped's naming). */
function typesPackageOf(name: string): string {
  return `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
}

/**
 * An import used only as a type (`import { Request } from 'express'`, `req: Request`) is elided by
 * TypeScript: nothing loads the package at run time. It is declared well enough when its typings
 * are (`@types/express`), or when the package itself is a devDependency (compile time is dev time).
 */
function isElidedTypeUse(ctx: RuleContext<ParsedTs>, json: PackageJsonFacts, name: string, inDev: boolean, imported: ModuleImport): boolean {
  const types = typesPackageOf(name);
  const typingsDeclared = inDev || declares(json.dependencies, types) || declares(json.devDependencies, types);
  return typingsDeclared && usedOnlyAsTypes(ctx.parsed, imported);
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const pkg = ctx.project.nearestPackage;
  if (!pkg || isStubPackage(pkg)) return;
  const json: PackageJsonFacts = pkg.json;
  const aliases = ctx.project.pathAliases ?? [];
  const devAllowed = !ctx.file.isApp || ctx.file.isTest;
  const { ts, sourceFile } = ctx.parsed;
  for (const imported of moduleImports(ctx.parsed)) {
    if (imported.typeOnly || isGuardedLoad(ts, imported)) continue;
    const specifier = imported.specifier;
    if (!specifier || isNotAPackage(specifier, aliases)) continue;
    const name = packageNameOf(specifier);
    if (BUILTINS.has(specifier) || BUILTINS.has(name) || name.startsWith('@types/')) continue;
    if (name === json.name || ctx.project.workspacePackageNames?.has(name)) continue;
    if (json.engines && declares(json.engines, name)) continue; // provided by the host (`engines.vscode`)
    if (declares(json.dependencies, name) || declares(json.peerDependencies, name) || declares(json.optionalDependencies, name)) continue;
    const inDev = declares(json.devDependencies, name);
    if (inDev && devAllowed) continue;
    if (isElidedTypeUse(ctx, json, name, inDev, imported)) continue;
    ctx.report({
      messageId: inDev ? 'devOnly' : devAllowed ? 'undeclaredDev' : 'undeclared',
      data: { name, package: json.name ?? `${pkg.dir}/package.json` },
      start: imported.specifierNode.getStart(sourceFile),
      end: imported.specifierNode.end,
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'dependencies/undeclared-dependency',
    factor: 'dependencies',
    severity: 'warning',
    description: 'A package is imported but not declared in the nearest package.json.',
    rationale: 'A twelve-factor app explicitly declares all its dependencies (factor II) and never relies on the implicit existence of packages: an undeclared import works only while something else (a hoisted workspace dependency, a global install, a transitive dependency) happens to provide it, and breaks in a clean install or a production image.',
    messages: {
      undeclared: '\'{{name}}\' is imported but not declared in {{package}}\'s package.json: add it to dependencies (npm install {{name}}).',
      undeclaredDev: '\'{{name}}\' is imported but not declared in {{package}}\'s package.json: add it to devDependencies (npm install -D {{name}}).',
      devOnly: '\'{{name}}\' is declared only in devDependencies of {{package}} but imported by application code: production installs (npm ci --omit=dev) will not have it. Move it to dependencies.',
    },
    fix: 'none',
  },
  check: { ts: checkTs },
};

export default rule;
