/**
 * File roles, decided once for the whole workspace from evidence (see `FileRole`):
 *
 * 1. the `roles` setting (and its deprecated `appOnly` alias) overrides everything;
 * 2. vendored copies (path or text) and tool configuration files, by what they are;
 * 3. tests by runner conventions (`*.spec.ts`, `__tests__/`, `test/`, k6/playwright folders);
 * 4. `server`: runtime entry points — package.json `main`/`exports`, the start scripts,
 *    Dockerfile `CMD`/`ENTRYPOINT`, `Procfile`, framework conventions (NestJS `src/main.ts`,
 *    Next.js API routes and route handlers, serverless handlers) — and every file they reach
 *    through relative imports;
 * 5. `browser`: `'use client'`, bundler entries (CRA/Vite/Angular `src/index|main`, `index.html`
 *    script tags), service workers, browser globals without server imports, and what they reach;
 * 6. `script`: package.json `bin` targets, files run by other package scripts and seeds, `#!`
 *    scripts, CLI commands, and what only they reach;
 * 7. only then folder names (`scripts/`, `public/`…), else `server` (when in doubt, keep
 *    checking: a missed finding in server code costs more than a noisy one in a script).
 *
 * Pure: it reads the model's facts only. Each decision carries a short human reason.
 */
import { configuredRole, folderRole, isTestPath, isToolingPath, vendoredPathReason, type AppScopeGlobs, type RoleGlobs } from '../engine/classify';
import type { FileRole, RoleDecision } from '../engine/types';
import { commandTargets } from './entry-commands';
import type { FileHints } from './file-hints';
import type { DockerfileFact, PackageFact } from './model-types';
import { dirOf, firstContaining, isUnder, joinPath } from './paths';
import { fileCandidates, resolveLocalImport } from './relative-imports';

export interface RoleInputs {
  /** TS/JS sources (and extension-less node scripts) with their pre-pass hints. */
  sources: ReadonlyMap<string, FileHints>;
  packages: readonly PackageFact[];
  dockerfiles: readonly DockerfileFact[];
  procfiles: ReadonlyArray<{ path: string; processes: Array<{ name: string; command: string }> }>;
  /** `serverless.yml` function handlers (`src/handler.hello`), by file. */
  serverless: ReadonlyArray<{ path: string; handlers: string[] }>;
  /** `<script src>` of HTML pages, by file. */
  htmlScripts: ReadonlyArray<{ path: string; srcs: string[] }>;
  tsconfigs: ReadonlyArray<{ path: string; outDir?: string; rootDir?: string }>;
  roleGlobs?: RoleGlobs;
  appScope?: AppScopeGlobs;
}

/** Package scripts that run the service (the rest run scripts, builds, tests). */
const RUNTIME_SCRIPT = /^(?:start|serve|server|prod|production|dev|develop|watch|debug)(?:[:_-].*)?$/;
const TEST_SCRIPT = /^(?:test|e2e|cypress|playwright|k6|load|perf|stress|smoke)(?:[:_-].*)?$/;
const BROWSER_BUNDLERS = ['react-scripts', 'vite', '@vitejs/plugin-react', '@vitejs/plugin-vue', 'webpack', 'parcel', 'parcel-bundler', '@angular/core', '@vue/cli-service', 'react-dom', 'vue', 'svelte', 'preact', '@sveltejs/kit', 'snowpack', 'esbuild-loader'];
const SERVER_FRAMEWORKS = ['express', 'koa', 'fastify', '@hapi/hapi', 'hapi', 'restify', '@nestjs/core', 'next', 'nuxt', '@remix-run/node', 'socket.io', 'apollo-server', '@apollo/server', 'graphql-yoga', 'micro', 'polka', 'h3', 'hono', '@adonisjs/core', 'sails', 'loopback', '@loopback/core', 'feathers', '@feathersjs/feathers', 'moleculer', 'strapi', '@strapi/strapi', 'meteor-node-stubs'];
const CLI_FRAMEWORKS = ['commander', 'yargs', '@oclif/core', 'oclif', 'nest-commander', '@adonisjs/ace', 'meow', 'cac', 'clipanion', 'vorpal', 'caporal'];

interface Entry { file: string; reason: string }

export function decideRoles(input: RoleInputs): Map<string, RoleDecision> {
  const exists = (p: string) => input.sources.has(p);
  const packagesByDepth = [...input.packages].sort((a, b) => b.dir.length - a.dir.length);
  const packageOf = firstContaining(packagesByDepth);
  const deps = (pkg: PackageFact | undefined) => new Set([...(pkg?.dependencies ?? []), ...(pkg?.devDependencies ?? [])]);
  const hasAny = (pkg: PackageFact | undefined, names: readonly string[]) => { const d = deps(pkg); return names.some((n) => d.has(n)); };

  const server: Entry[] = [];
  const browser: Entry[] = [];
  const script: Entry[] = [];
  const test: Entry[] = [];
  const resolve = (dir: string, target: string) => resolveEntry(input, dir, target, exists);

  const fromCommand = (list: Entry[], dir: string, command: string, scripts: Record<string, string>, what: string) => {
    for (const t of commandTargets(command, scripts)) {
      const file = resolve(dir, t.file);
      if (file) list.push({ file, reason: t.viaScript ? `${what} (package script "${t.viaScript}")` : what });
    }
  };

  for (const pkg of input.packages) {
    const label = pkg.path;
    const isBrowserPackage = hasAny(pkg, BROWSER_BUNDLERS) && !hasAny(pkg, SERVER_FRAMEWORKS);
    for (const [name, command] of Object.entries(pkg.scripts)) {
      if (RUNTIME_SCRIPT.test(name)) fromCommand(isBrowserPackage ? browser : server, pkg.dir, command, pkg.scripts, `the "${name}" script of ${label}`);
      else if (TEST_SCRIPT.test(name)) fromCommand(test, pkg.dir, command, pkg.scripts, `run by the test script "${name}" of ${label}`);
      else fromCommand(script, pkg.dir, command, pkg.scripts, `run by the package script "${name}" of ${label}`);
    }
    if (pkg.seed) fromCommand(script, pkg.dir, pkg.seed, pkg.scripts, `the Prisma seed of ${label}`);
    for (const target of Object.values(pkg.bin)) {
      const file = resolve(pkg.dir, target);
      if (file) script.push({ file, reason: `a "bin" target of ${label} (a CLI)` });
    }
    if (!isBrowserPackage) {
      for (const target of [pkg.main, ...(pkg.exports ?? [])]) {
        const file = target ? resolve(pkg.dir, target) : undefined;
        if (file) server.push({ file, reason: `the "main"/"exports" of ${label}` });
      }
    }
    const d = deps(pkg);
    const at = (rel: string) => joinPath(pkg.dir, rel);
    if (d.has('@nestjs/core')) {
      for (const rel of ['src/main.ts', 'src/main.js']) if (exists(at(rel))) server.push({ file: at(rel), reason: 'the NestJS entry point (src/main.ts)' });
    }
    if (d.has('next')) {
      for (const path of input.sources.keys()) {
        if (!isUnder(path, pkg.dir)) continue;
        const rel = pkg.dir ? path.slice(pkg.dir.length + 1) : path;
        if (/^(?:src\/)?pages\/api\//.test(rel)) server.push({ file: path, reason: 'a Next.js API route (pages/api)' });
        else if (/^(?:src\/)?app\/(?:.*\/)?route\.[cm]?[jt]sx?$/.test(rel)) server.push({ file: path, reason: 'a Next.js route handler (app/**/route)' });
        else if (/^(?:src\/)?middleware\.[cm]?[jt]s$/.test(rel)) server.push({ file: path, reason: 'Next.js middleware' });
      }
    }
    if (hasAny(pkg, BROWSER_BUNDLERS) && !d.has('@nestjs/core')) {
      for (const rel of ['src/index', 'src/main']) {
        const file = fileCandidates(at(rel)).find(exists);
        if (file) browser.push({ file, reason: `the bundler entry point of ${label} (${rel.slice(4)} of a browser app)` });
      }
    }
  }
  for (const docker of input.dockerfiles) {
    for (const command of [docker.entrypoint, docker.cmd]) {
      if (!command) continue;
      const pkg = input.packages.find((p) => p.dir === docker.dir) ?? packageOf(docker.path);
      const line = command.form === 'exec' ? command.args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ') : command.text;
      for (const t of commandTargets(line, pkg?.scripts)) {
        const file = resolveContainerPath(input, pkg?.dir ?? docker.dir, docker.dir, t.file, exists);
        if (file) server.push({ file, reason: `the ${docker.path} ${command.keyword} entry point${t.viaScript ? ` (package script "${t.viaScript}")` : ''}` });
      }
    }
  }
  for (const proc of input.procfiles) {
    const pkg = packageOf(proc.path);
    for (const p of proc.processes) fromCommand(p.name === 'release' ? script : server, dirOf(proc.path), p.command, pkg?.scripts ?? {}, `the Procfile "${p.name}" process`);
  }
  for (const sls of input.serverless) {
    for (const handler of sls.handlers) {
      const file = fileCandidates(joinPath(dirOf(sls.path), handler.replace(/\.[^./]+$/, ''))).find(exists);
      if (file) server.push({ file, reason: `a serverless function handler (${sls.path})` });
    }
  }
  for (const html of input.htmlScripts) {
    for (const src of html.srcs) {
      if (/^(?:[a-z]+:)?\/\//i.test(src)) continue;
      const dir = dirOf(html.path);
      const file = [joinPath(dir, src.replace(/^\//, '')), joinPath(dirOf(dir), src.replace(/^\//, ''))].flatMap(fileCandidates).find(exists);
      if (file) browser.push({ file, reason: `a script of ${html.path}` });
    }
  }
  for (const [path, hints] of input.sources) {
    if (hints.useClient) browser.push({ file: path, reason: "a client component ('use client')" });
    else if (/(?:^|\/)(?:serviceWorker|service-worker|sw|registerServiceWorker)\.[cm]?[jt]sx?$/.test(path)) browser.push({ file: path, reason: 'a browser service worker' });
  }

  const importsOf = importGraph(input, exists, (path) => packageOf(path)?.dir);
  const serverReach = reach(importsOf, server);
  const browserReach = reach(importsOf, browser);
  const testReach = reach(importsOf, test);
  const scriptOnly = onlyImportedByScripts(importsOf, script, serverReach);
  const packagesWithServer = new Set(server.map((e) => packageOf(e.file)?.dir ?? ''));
  const packagesWithBrowser = new Set(browser.map((e) => packageOf(e.file)?.dir ?? ''));

  const roles = new Map<string, RoleDecision>();
  for (const [path, hints] of [...input.sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const pkg = packageOf(path);
    const rel = pkg?.dir ? path.slice(pkg.dir.length + 1) : path;
    const decide = (): RoleDecision => {
      const configured = configuredRole(path, input.roleGlobs, input.appScope);
      if (configured) return configured;
      const vendored = vendoredPathReason(path) ?? hints.vendored;
      if (vendored) return { role: 'vendored', reason: vendored };
      if (isToolingPath(path)) return { role: 'tooling', reason: 'a configuration file of a tool (by its name)' };
      // the workspace path too: a package of acceptance tests under __tests__/ is tests throughout
      if (isTestPath(rel) || isTestPath(path)) return { role: 'test', reason: 'a test (test runner naming: *.spec/*.test, __tests__/, test/, e2e/)' };
      const s = serverReach.get(path);
      if (s) return { role: 'server', reason: s };
      const t = testReach.get(path);
      if (t || hints.testImports) return { role: 'test', reason: t ?? 'imports a test runner or load-testing library' };
      const b = browserReach.get(path);
      if (b) return { role: 'browser', reason: b };
      if (hints.browserGlobals && !hints.serverImports) return { role: 'browser', reason: 'uses browser globals (window, document, a global Vue/jQuery) and no server module' };
      const sc = scriptOnly.get(path);
      if (sc) return { role: 'script', reason: sc };
      if (hints.shebang) return { role: 'script', reason: 'an executable script (#! line)' };
      if (/(?:^|\/)commands?\//.test(rel) && (hints.cliImports || hasAny(pkg, CLI_FRAMEWORKS))) return { role: 'script', reason: 'a command of a CLI framework (commands/)' };
      const byFolder = folderRole(rel);
      if (byFolder) return { role: byFolder, reason: `no entry point reaches it; its folder suggests ${byFolder === 'script' ? 'a script' : 'browser code'}` };
      if (pkg && packagesWithBrowser.has(pkg.dir) && !packagesWithServer.has(pkg.dir) && !hints.serverImports) return { role: 'browser', reason: `in ${pkg.path}, a browser app with no server entry point` };
      return { role: 'server', reason: 'no evidence of another role: treated as server code' };
    };
    roles.set(path, decide());
  }
  return roles;
}

/** Each source's local imports (relative, `@/`/`~/`) that run (not erased type-only ones), resolved once. */
function importGraph(input: RoleInputs, exists: (p: string) => boolean, packageDirOf: (path: string) => string | undefined): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [path, hints] of input.sources) {
    const erased = new Set(hints.erasedImports ?? []);
    const targets = hints.imports.filter((spec) => !erased.has(spec)).map((spec) => resolveLocalImport(path, spec, exists, packageDirOf(path))).filter((t): t is string => t !== undefined && t !== path);
    graph.set(path, [...new Set(targets)]);
  }
  return graph;
}

/**
 * Breadth-first over local imports from the entries; each reached file gets a reason naming
 * the entry that reached it first ("reachable by imports from src/main.ts, the … entry point").
 */
function reach(importsOf: ReadonlyMap<string, readonly string[]>, entries: readonly Entry[]): Map<string, string> {
  const reasons = new Map<string, string>();
  const queue: Array<{ file: string; entry: Entry }> = [];
  for (const e of entries) {
    if (reasons.has(e.file)) continue;
    reasons.set(e.file, `the entry point itself: ${e.reason}`);
    queue.push({ file: e.file, entry: e });
  }
  for (let i = 0; i < queue.length; i++) {
    const { file, entry } = queue[i];
    for (const target of importsOf.get(file) ?? []) {
      if (reasons.has(target)) continue;
      reasons.set(target, `reachable by imports from ${entry.file}, ${entry.reason}`);
      queue.push({ file: target, entry });
    }
  }
  return reasons;
}

/**
 * Script entries, and the files only scripts import: a module a seed imports is a script's only
 * when no other file imports it (the app may import it through a path this resolver does not
 * follow, so an unknown importer keeps it out). Server-reached files never become scripts.
 */
function onlyImportedByScripts(importsOf: ReadonlyMap<string, readonly string[]>, entries: readonly Entry[], serverReach: ReadonlyMap<string, string>): Map<string, string> {
  const importers = new Map<string, string[]>();
  for (const [from, targets] of importsOf) for (const t of targets) (importers.get(t) ?? importers.set(t, []).get(t)!).push(from);
  const roles = new Map<string, string>();
  for (const e of entries) if (!serverReach.has(e.file) && !roles.has(e.file)) roles.set(e.file, `the entry point itself: ${e.reason}`);
  for (let changed = true; changed;) {
    changed = false;
    for (const [file, from] of importers) {
      if (roles.has(file) || serverReach.has(file) || from.length === 0 || !from.every((f) => roles.has(f))) continue;
      roles.set(file, `imported only by scripts (${from[0]}${from.length > 1 ? ', …' : ''})`);
      changed = true;
    }
  }
  return roles;
}

/**
 * The source file an entry path names: itself, or — for a build output such as `dist/main.js` —
 * its source through the tsconfig `outDir`/`rootDir`, else the same-named file under `src/`.
 */
function resolveEntry(input: RoleInputs, dir: string, target: string, exists: (p: string) => boolean): string | undefined {
  const path = joinPath(dir, target);
  if (path.startsWith('..') || path.startsWith('/')) return undefined;
  const direct = fileCandidates(path).find(exists);
  if (direct) return direct;
  for (const tsconfig of input.tsconfigs) {
    const tsDir = dirOf(tsconfig.path);
    if (!tsconfig.outDir) continue;
    const out = joinPath(tsDir, tsconfig.outDir);
    if (!isUnder(path, out) || path === out) continue;
    const rest = path.slice(out.length + (out ? 1 : 0));
    const mapped = fileCandidates(joinPath(joinPath(tsDir, tsconfig.rootDir ?? 'src'), rest)).find(exists)
      ?? fileCandidates(joinPath(tsDir, rest)).find(exists);
    if (mapped) return mapped;
  }
  // same-named source: dist/main.js → src/main.ts, build/server/index.js → src/server/index.ts
  const m = /^(?:dist|build|out|lib|\.build|compiled)\/(.+)$/.exec(dir ? path.slice(dir.length + 1) : path);
  if (m) return [joinPath(dir, `src/${m[1]}`), joinPath(dir, m[1])].flatMap(fileCandidates).find(exists);
  return undefined;
}

/** A path inside a container (`/usr/src/app/dist/main.js`, `server.js`) mapped to the build context by its longest matching suffix. */
function resolveContainerPath(input: RoleInputs, pkgDir: string, contextDir: string, target: string, exists: (p: string) => boolean): string | undefined {
  const parts = target.split('/').filter((p) => p && p !== '.');
  for (let k = 0; k < parts.length; k++) {
    const suffix = parts.slice(k).join('/');
    const found = resolveEntry(input, pkgDir, suffix, exists) ?? (contextDir !== pkgDir ? resolveEntry(input, contextDir, suffix, exists) : undefined);
    if (found) return found;
  }
  return undefined;
}

export type { FileRole };
