import * as path from 'node:path';
import type * as TS from 'typescript';
import type { Fix, Rule, RuleContext, StatementwiseCheck, TextEdit } from '../../engine/types';
import { statementwiseTs } from '../../engine/statement-memo';
import { stringsOption } from '../../engine/rule-options';
import type { ParsedTs } from '../../parse/typescript';
import { bindingOf, importsAny, isRelativeOrAbsolute, moduleImports, moduleStyle, requireOrImportSpecifier } from '../support/module-imports';
import { dottedName } from '../support/ts-helpers';

const LEVELS: Record<string, string> = { log: 'info', info: 'info', debug: 'debug', warn: 'warn', error: 'error' };

/** Frameworks that only run in the browser (or a native shell): their console is the devtools console. */
const BROWSER_MODULES = new Set([
  'react', 'react-dom', 'react-dom/client', 'react-native', 'vue', 'svelte', 'preact', 'solid-js', '@angular/core', 'lit',
  'jquery', 'next/router', 'next/navigation', '@remix-run/react', 'alpinejs',
]);
const BROWSER_DIRS = /(?:^|\/)(?:public|client|frontend|web|www|static|assets|browser|react-native)\/|(?:^|\/|\.)(?:browser|client)\.[cm]?[jt]sx?$/;
/** `document.<member>` reads that only a browser has. */
const BROWSER_DOCUMENT_MEMBERS = new Set(['querySelector', 'querySelectorAll', 'getElementById', 'getElementsByClassName', 'createElement', 'addEventListener', 'body', 'documentElement']);
const WINDOW = 'window' as TS.__String;
const DOCUMENT = 'document' as TS.__String;
/** The project's own logger module, by the usual names. */
const LOGGER_FILE = /(?:^|\/)(?:logger|loggers|logging|log)(?:\/index)?\.[cm]?[jt]sx?$/;

const EXTENSION = /\.[cm]?[jt]sx?$/;

/** Browser code by the file alone: its flavour, folder or imports (the statements' parts add the globals they read). */
function isBrowserFile(ctx: RuleContext<ParsedTs>): boolean {
  if (ctx.file.scriptKind === 'tsx' || ctx.file.scriptKind === 'jsx') return true;
  if (BROWSER_DIRS.test(ctx.file.path)) return true;
  return importsAny(ctx.parsed, BROWSER_MODULES);
}

/**
 * Whether the nodes in view read `window.*` or a DOM global (`document.querySelector`…). Asked
 * of every property access of a statement the edit made (half the file, typing at line starts):
 * `escapedText` is compared, not the `text` getter, and no dotted name is built ('window' and
 * 'document' do not start with `__`, the only names whose two forms differ).
 */
function readsBrowserGlobals(ctx: RuleContext<ParsedTs>): boolean {
  const { ts } = ctx.parsed;
  return ctx.parsed.nodesOfKind<TS.PropertyAccessExpression>(ts.SyntaxKind.PropertyAccessExpression).some((p) => {
    const object = p.expression;
    if (!ts.isIdentifier(object)) return false;
    return object.escapedText === WINDOW || (object.escapedText === DOCUMENT && BROWSER_DOCUMENT_MEMBERS.has(p.name.text));
  });
}

/** The configured logger module as a path (no extension), when it is a path and the package root is known. */
function configuredLoggerPath(ctx: RuleContext<ParsedTs>): string | undefined {
  const configured = ctx.options.loggerModule;
  if (!configured || !/^[./]/.test(configured)) return undefined;
  if (configured.startsWith('/')) return configured.replace(EXTENSION, '');
  const root = ctx.project.nearestPackage?.dir;
  if (root === undefined) return undefined;
  return path.posix.join(root, configured).replace(EXTENSION, '');
}

/** The config's `loggerModules` option: more files that implement logging, relative to the package root. */
function isConfiguredLoggerModule(ctx: RuleContext<ParsedTs>): boolean {
  const modules = stringsOption(ctx.options.rule, 'loggerModules');
  const root = ctx.project.nearestPackage?.dir;
  if (modules.length === 0 || root === undefined) return false;
  const self = ctx.file.path.replace(EXTENSION, '');
  return modules.some((m) => {
    const target = path.posix.join(root, m.replace(/^\.\//, '')).replace(EXTENSION, '');
    return self === target || self === `${target}/index`;
  });
}

function isLoggerModule(ctx: RuleContext<ParsedTs>): boolean {
  if (LOGGER_FILE.test(ctx.file.path)) return true;
  if (isConfiguredLoggerModule(ctx)) return true;
  const configured = configuredLoggerPath(ctx);
  if (!configured) return false;
  const self = ctx.file.path.replace(EXTENSION, '');
  return self === configured || self === `${configured}/index`;
}

function isProcessExit(ts: typeof TS, statement: TS.Statement): boolean {
  return ts.isExpressionStatement(statement) && ts.isCallExpression(statement.expression) && dottedName(ts, statement.expression.expression) === 'process.exit';
}

/**
 * `console.error(err); process.exit(1);` — the last words of a crashing process, before any
 * logger can be trusted. At the top level the summary knows whether a statement exits.
 */
function isFatalExitPath(ts: typeof TS, call: TS.CallExpression, topLevelExit: () => boolean): boolean {
  const statement = call.parent;
  const block = statement?.parent;
  if (!statement || !ts.isExpressionStatement(statement) || !block) return false;
  if (ts.isSourceFile(block)) return topLevelExit();
  return ts.isBlock(block) && block.statements.some((s) => isProcessExit(ts, s));
}

/** `(...args) => console.error('app', ...args)`: a logging adapter forwarding its arguments, i.e. a logger itself. */
function forwardsRestArguments(ts: typeof TS, call: TS.CallExpression): boolean {
  return call.arguments.some((a) => ts.isSpreadElement(a));
}

/** The specifier that imports the configured logger from this file. */
function loggerSpecifier(ctx: RuleContext<ParsedTs>): string | undefined {
  const configured = ctx.options.loggerModule;
  if (!configured) return undefined;
  if (!/^[./]/.test(configured)) return configured; // a package or subpath import (`@acme/logger`, `#logger`)
  const target = configuredLoggerPath(ctx);
  if (!target) return undefined;
  let relative = path.posix.relative(path.posix.dirname(ctx.file.path), target);
  if (!relative.startsWith('.')) relative = `./${relative}`;
  // ESM under node16/nodenext resolution writes the `.js` extension: follow the file's own habit
  const relativeImports = moduleImports(ctx.parsed).filter((m) => isRelativeOrAbsolute(m.specifier));
  if (relativeImports.length > 0 && relativeImports.every((m) => /\.[cm]?js$/.test(m.specifier))) relative += '.js';
  return relative;
}

/** Where a new import goes: after the leading imports/requires and the `'use strict'` prologue, else before the first statement. */
function importInsertion(ctx: RuleContext<ParsedTs>): { at: number; before: string; after: string } {
  const { ts, sourceFile } = ctx.parsed;
  const eol = ctx.text.includes('\r\n') ? '\r\n' : '\n';
  let last: TS.Statement | undefined;
  for (const s of sourceFile.statements) {
    const isImport = ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s)
      || (ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression)) // 'use strict'
      || (ts.isVariableStatement(s) && s.declarationList.declarations.every((d) => !!d.initializer && isRequireLike(ts, d.initializer)));
    if (!isImport) break;
    last = s;
  }
  if (last) return { at: last.end, before: eol, after: '' };
  const first = sourceFile.statements[0];
  return { at: first ? first.getStart(sourceFile) : 0, before: '', after: eol + eol };
}

function isRequireLike(ts: typeof TS, node: TS.Expression): boolean {
  let e: TS.Node = node;
  while (ts.isPropertyAccessExpression(e) || ts.isCallExpression(e) && !requireOrImportSpecifier(ts, e)) e = ts.isPropertyAccessExpression(e) ? e.expression : (e as TS.CallExpression).expression;
  return !!requireOrImportSpecifier(ts, e);
}

/** Whether one of the top-level statements declares `logger` (a const, function or class). */
function declaresLogger(ts: typeof TS, statements: readonly TS.Statement[]): boolean {
  return statements.some((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === 'logger')
    || (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === 'logger');
}

/** What some top-level statements tell about the whole file. */
interface ConsolePart {
  /** They read browser globals. */
  browser: boolean;
  /** One of them is a top-level `process.exit()` call. */
  exit: boolean;
  /** One of them declares `logger`. */
  logger: boolean;
}

/** The fix every finding of the file shares: none, the callee rename only, or with the logger's import. */
type SharedFix = { kind: 'none' } | { kind: 'rename' } | { kind: 'import'; edit: TextEdit };

interface ConsoleSummary {
  /** `console` is an imported binding, this is a logger module, or browser code: nothing to report. */
  silent: boolean;
  topLevelExit: boolean;
  fix: SharedFix;
}

function sharedFix(ctx: RuleContext<ParsedTs>, parts: readonly ConsolePart[]): SharedFix {
  if (!ctx.options.loggerModule) return { kind: 'none' };
  // a `logger` already in scope at module level (imported or declared)
  if (bindingOf(ctx.parsed, 'logger') || parts.some((p) => p.logger)) return { kind: 'rename' };
  const specifier = loggerSpecifier(ctx);
  if (!specifier) return { kind: 'none' };
  const style = moduleStyle(ctx.parsed, ctx.file.path, ctx.project.nearestPackage?.json.type);
  const statement = style === 'esm' ? `import { logger } from '${specifier}';` : `const { logger } = require('${specifier}');`;
  const place = importInsertion(ctx);
  return { kind: 'import', edit: { start: place.at, end: place.at, newText: place.before + statement + place.after } };
}

function sameFix(a: SharedFix, b: SharedFix): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind !== 'import' || b.kind !== 'import') return true;
  return a.edit.start === b.edit.start && a.edit.end === b.edit.end && a.edit.newText === b.edit.newText;
}

function fixFor(ctx: RuleContext<ParsedTs>, callee: TS.PropertyAccessExpression, level: string, shared: SharedFix): Fix | undefined {
  if (shared.kind === 'none') return undefined;
  const edits = [{ start: callee.getStart(ctx.parsed.sourceFile), end: callee.end, newText: `logger.${level}` }];
  if (shared.kind === 'import') edits.unshift({ ...shared.edit });
  return { title: `Log through the project logger: logger.${level}()`, kind: 'unsafe', edits };
}

/** Split per top-level statement (engine/statement-memo.ts): an edit re-checks only the statements it made. */
const statementwise: StatementwiseCheck<ConsolePart, ConsoleSummary> = {
  part(ctx, statements) {
    const { ts } = ctx.parsed;
    return { browser: readsBrowserGlobals(ctx), exit: statements.some((s) => isProcessExit(ts, s)), logger: declaresLogger(ts, statements) };
  },
  summary(ctx, parts) {
    const silent = !!bindingOf(ctx.parsed, 'console') || isLoggerModule(ctx) || isBrowserFile(ctx) || parts.some((p) => p.browser);
    return { silent, topLevelExit: parts.some((p) => p.exit), fix: silent ? { kind: 'none' } : sharedFix(ctx, parts) };
  },
  sameSummary: (a, b) => a.silent === b.silent && a.topLevelExit === b.topLevelExit && sameFix(a.fix, b.fix),
  // below the top level a call reads outside its statement only whether that statement's block exits (`isFatalExitPath`)
  nestedKey: (ctx, list) => (ctx.parsed.ts.isBlock(list) && list.statements.some((s) => isProcessExit(ctx.parsed.ts, s)) ? 'exits' : ''),
  check(ctx, summary) {
    const { ts, sourceFile } = ctx.parsed;
    const calls = ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression).filter((call) => {
      const callee = call.expression;
      return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'console' && callee.name.text in LEVELS;
    });
    if (calls.length === 0) return;
    const { silent, topLevelExit, fix: shared } = summary();
    if (silent) return;
    for (const call of calls) {
      if (isFatalExitPath(ts, call, () => topLevelExit) || forwardsRestArguments(ts, call)) continue;
      const callee = call.expression as TS.PropertyAccessExpression;
      const method = callee.name.text;
      const level = LEVELS[method];
      const fix = fixFor(ctx, callee, level, shared);
      ctx.report({
        messageId: ctx.options.loggerModule ? 'withLogger' : 'noLogger',
        data: { method, level, module: ctx.options.loggerModule ?? '' },
        start: call.getStart(sourceFile),
        end: callee.end,
        fixes: fix ? [fix] : [],
      });
    }
  },
};

const rule: Rule = {
  meta: {
    id: 'logs/console-logging',
    factor: 'logs',
    severity: 'info',
    description: 'console.* calls in application modules instead of the project\'s structured logger.',
    rationale: 'Logs are an event stream (factor XI): one structured logger writing JSON lines to stdout gives every event a level, a timestamp and context the platform can index and query. Ad-hoc console output is unstructured, has no levels to filter on, and mixes with the structured stream.',
    messages: {
      noLogger: 'console.{{method}}() writes unstructured output: log through the project\'s structured logger (e.g. pino) at level {{level}}. Set factorlint.logger.module to get a quick fix.',
      withLogger: 'console.{{method}}() writes unstructured output: use logger.{{level}}() from {{module}}.',
    },
    fix: 'unsafe',
    roles: ['server'],
  },
  check: { ts: statementwiseTs(statementwise) },
  statementwise,
};

export default rule;
