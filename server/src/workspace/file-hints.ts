/**
 * The role pre-pass of one TS/JS file: what the file imports and what its text says about
 * where it runs. File roles need the imports of every file before any rule runs (reachability
 * from the entry points), so this runs on every file first. It uses `ts.preProcessFile` — the
 * scanner only, no syntax tree — so each file still gets exactly one full parse (the engine's),
 * and vendored files are recognised by a text check before even that.
 */
import { vendoredTextReason } from '../engine/classify';
import { loadTypescript } from '../parse/typescript';

export interface FileHints {
  /** Module specifiers of static imports, re-exports, `require()` and `import()` with literal arguments. */
  imports: string[];
  /** Specifiers imported only in ways TypeScript erases (`import type`, names used only as types): no runtime edge. */
  erasedImports?: string[];
  /** Why the text is vendored (minified, bundle, license-banner copy, generated), when it is. */
  vendored?: string;
  /** A `'use client'` directive (Next.js/React client component). */
  useClient?: boolean;
  /** A `#!` first line (an executable script). */
  shebang?: boolean;
  /** Uses browser globals (`window`, `document`, a global `Vue`/`React`/`$`) without importing them. */
  browserGlobals?: boolean;
  /** Imports Node built-ins or server frameworks: the file cannot run in a browser. */
  serverImports?: boolean;
  /** Imports a test runner or load-testing library (jest, vitest, mocha, playwright, k6…). */
  testImports?: boolean;
  /** Imports a CLI framework (commander, yargs, oclif…). */
  cliImports?: boolean;
}

const NODE_BUILTINS = new Set([
  'fs', 'fs/promises', 'http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'child_process', 'cluster', 'os', 'worker_threads',
  'readline', 'v8', 'vm', 'zlib', 'module', 'perf_hooks', 'inspector', 'async_hooks',
]);
const SERVER_MODULES = /^(?:express|koa|fastify|@hapi\/hapi|hapi|restify|@nestjs\/(?:core|common)|next\/server|mongoose|sequelize|typeorm|knex|pg|mysql2?|ioredis|redis|@prisma\/client)(?:\/|$)/;
const TEST_MODULES = /^(?:@jest\/globals|jest|vitest|mocha|chai|supertest|sinon|ava|tap|tape|uvu|@playwright\/test|playwright|cypress|puppeteer|k6|@testing-library\/[\w-]+|nock|testcafe|webdriverio|protractor|detox|@japa\/runner|@adonisjs\/core\/build\/standalone\/test)(?:\/|$)/;
const CLI_MODULES = /^(?:commander|yargs|@oclif\/core|oclif|@oclif\/command|meow|cac|sade|clipanion|nest-commander|vorpal|caporal|@adonisjs\/ace|inquirer|prompts|enquirer)(?:\/|$)/;
/** Globals only a browser (or a page script) has; a leading `typeof` guard is fine. */
const BROWSER_GLOBALS = /(?:^|[^.\w$])(?:window\.|document\.(?:getElementById|querySelector|createElement|addEventListener|body|cookie|location)|localStorage\.|sessionStorage\.|navigator\.serviceWorker|new Vue\s*\(|Vue\.(?:component|use|createApp)|\$\(\s*(?:document|function|['"][#.]))/;
/**
 * One of these is in every text `BROWSER_GLOBALS` matches: a few substring searches rule most
 * texts out before the regex, which tries its leading `(?:^|[^.\w$])` at every position.
 */
const BROWSER_GLOBAL_MARKERS = ['window.', 'document.', 'localStorage.', 'sessionStorage.', 'navigator.serviceWorker', 'Vue', '$('];

/** The text without string, template and comment contents: `window.` inside an HTML template string is not a browser global. */
function codeOnly(text: string): string {
  return text.slice(0, 200_000).replace(/`(?:\\[\s\S]|[^`\\])*`|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '""');
}

const USE_CLIENT = /['"]use client['"]/y;
const WHITESPACE = /\s/;

/**
 * A `'use client'` directive first in the file, after whitespace and comments only. A scan,
 * not one regex: `^(?:\s|//…\n|/\*[\s\S]*?\*\/)*['"]use client` backtracked through every
 * way of pairing a file's block comments (minutes on one 100 KB file with JSDoc comments).
 */
function startsWithUseClient(text: string): boolean {
  let i = 0;
  for (;;) {
    while (i < text.length && WHITESPACE.test(text[i])) i++;
    if (text.startsWith('//', i)) {
      const lineEnd = text.indexOf('\n', i + 2);
      if (lineEnd < 0) return false;
      i = lineEnd + 1;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return false;
      i = close + 2;
    } else {
      break;
    }
  }
  USE_CLIENT.lastIndex = i;
  return USE_CLIENT.test(text);
}

/** The role pre-pass facts of a TS/JS text. */
export function fileHints(text: string, path = ''): FileHints {
  const vendored = vendoredTextReason(text, path);
  if (vendored) return { imports: [], vendored };
  const info = loadTypescript().preProcessFile(text, true, true);
  const imports = [...new Set(info.importedFiles.map((f) => f.fileName))].sort();
  const hints: FileHints = { imports };
  const moduleName = (s: string) => s.replace(/^node:/, '');
  if (/^#!/.test(text)) hints.shebang = true;
  if (startsWithUseClient(text)) hints.useClient = true;
  if (imports.some((s) => s.startsWith('node:') || NODE_BUILTINS.has(moduleName(s)) || SERVER_MODULES.test(s))) hints.serverImports = true;
  if (imports.some((s) => TEST_MODULES.test(s))) hints.testImports = true;
  if (imports.some((s) => CLI_MODULES.test(s))) hints.cliImports = true;
  if (BROWSER_GLOBAL_MARKERS.some((m) => text.includes(m)) && BROWSER_GLOBALS.test(text) && BROWSER_GLOBALS.test(codeOnly(text))) hints.browserGlobals = true;
  return hints;
}
