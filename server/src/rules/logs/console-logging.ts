import * as path from 'node:path';
import type * as TS from 'typescript';
import type { Fix, Rule, RuleContext } from '../../engine/types';
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
const BROWSER_GLOBAL_MEMBERS = /^document\.(?:querySelector|querySelectorAll|getElementById|getElementsByClassName|createElement|addEventListener|body|documentElement)$/;
/** The project's own logger module, by the usual names. */
const LOGGER_FILE = /(?:^|\/)(?:logger|loggers|logging|log)(?:\/index)?\.[cm]?[jt]sx?$/;

const EXTENSION = /\.[cm]?[jt]sx?$/;

function isBrowserCode(ctx: RuleContext<ParsedTs>): boolean {
  const { ts } = ctx.parsed;
  if (ctx.file.scriptKind === 'tsx' || ctx.file.scriptKind === 'jsx') return true;
  if (BROWSER_DIRS.test(ctx.file.path)) return true;
  if (importsAny(ctx.parsed, BROWSER_MODULES)) return true;
  return ctx.parsed.nodesOfKind<TS.PropertyAccessExpression>(ts.SyntaxKind.PropertyAccessExpression).some((p) => {
    if (ts.isIdentifier(p.expression) && p.expression.text === 'window') return true;
    const name = dottedName(ts, p);
    return !!name && BROWSER_GLOBAL_MEMBERS.test(name);
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

/** `console.error(err); process.exit(1);` — the last words of a crashing process, before any logger can be trusted. */
function isFatalExitPath(ts: typeof TS, call: TS.CallExpression): boolean {
  const statement = call.parent;
  const block = statement?.parent;
  if (!statement || !ts.isExpressionStatement(statement) || !block || !(ts.isBlock(block) || ts.isSourceFile(block))) return false;
  return block.statements.some((s) => ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && dottedName(ts, s.expression.expression) === 'process.exit');
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

/** True when a `logger` is already in scope at module level (imported or declared). */
function hasLoggerBinding(ctx: RuleContext<ParsedTs>): boolean {
  const { ts } = ctx.parsed;
  if (bindingOf(ctx.parsed, 'logger')) return true;
  return ctx.parsed.sourceFile.statements.some((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === 'logger')
    || (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === 'logger');
}

function fixFor(ctx: RuleContext<ParsedTs>, callee: TS.PropertyAccessExpression, level: string): Fix | undefined {
  if (!ctx.options.loggerModule) return undefined;
  const { sourceFile } = ctx.parsed;
  const edits = [{ start: callee.getStart(sourceFile), end: callee.end, newText: `logger.${level}` }];
  if (!hasLoggerBinding(ctx)) {
    const specifier = loggerSpecifier(ctx);
    if (!specifier) return undefined;
    const style = moduleStyle(ctx.parsed, ctx.file.path, ctx.project.nearestPackage?.json.type);
    const statement = style === 'esm' ? `import { logger } from '${specifier}';` : `const { logger } = require('${specifier}');`;
    const place = importInsertion(ctx);
    edits.unshift({ start: place.at, end: place.at, newText: place.before + statement + place.after });
  }
  return { title: `Log through the project logger: logger.${level}()`, kind: 'unsafe', edits };
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts, sourceFile } = ctx.parsed;
  const calls = ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression).filter((call) => {
    const callee = call.expression;
    return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'console' && callee.name.text in LEVELS;
  });
  if (calls.length === 0) return;
  if (bindingOf(ctx.parsed, 'console') || isLoggerModule(ctx) || isBrowserCode(ctx)) return;
  for (const call of calls) {
    if (isFatalExitPath(ts, call) || forwardsRestArguments(ts, call)) continue;
    const callee = call.expression as TS.PropertyAccessExpression;
    const method = callee.name.text;
    const level = LEVELS[method];
    const fix = fixFor(ctx, callee, level);
    ctx.report({
      messageId: ctx.options.loggerModule ? 'withLogger' : 'noLogger',
      data: { method, level, module: ctx.options.loggerModule ?? '' },
      start: call.getStart(sourceFile),
      end: callee.end,
      fixes: fix ? [fix] : [],
    });
  }
}

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
  check: { ts: checkTs },
};

export default rule;
