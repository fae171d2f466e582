/**
 * Every snippet inserted into real services adds no finding (#18): the two example services
 * and two corpus services (TypeScript with `.env.template`; CommonJS JavaScript with
 * `.env.example`), copied to a temp dir. Each snippet is appended to the service's entry file
 * as the editor inserts it (placeholders at their defaults, the body variant the completion
 * provider picks for that file), the env snippets' variable NAMES go to the env template the
 * completion's command picks, and the whole service is analysed again by the CLI.
 *
 * The one thing the test does on the user's behalf that factorlint does not: a snippet that
 * imports packages (12f-session-redis) gets them added to package.json, as `npm install` would
 * (its completion says so); without that, `dependencies/undeclared-dependency` rightly fires.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../server/src/cli';
import { snippetVariant, templateTarget, withCommentedNames, withDeclaredNames, type EnvSnippets } from '../src/env-snippets';
import { expandSnippet } from './snippet-expand';

const ROOT = path.join(__dirname, '..', '..', '..');
const CORPUS = '/work/shared/corpus/services';

interface Service { name: string; dir: string; entry: string }
const SERVICES: Service[] = [
  { name: 'examples/orders-service', dir: path.join(ROOT, 'examples/orders-service'), entry: 'src/server.ts' },
  { name: 'examples/webhook-relay', dir: path.join(ROOT, 'examples/webhook-relay'), entry: 'src/index.ts' },
  { name: 'corpus edwinhern+express-typescript', dir: path.join(CORPUS, 'edwinhern+express-typescript'), entry: 'src/server.ts' },
  { name: 'corpus posquit0+koa-rest-api-boilerplate', dir: path.join(CORPUS, 'posquit0+koa-rest-api-boilerplate'), entry: 'app/app.js' },
];

/** Versions `npm install` would write today for the session snippet's packages. */
const INSTALLED: Record<string, string> = { 'express-session': '1.18.1', 'connect-redis': '8.0.1', redis: '4.7.0' };

interface Inserted { prefix: string; body: string[]; env: string[]; packages: string[] }

function snippetsFor(languageId: string, fileName: string, text: string, packageType: string | undefined): Inserted[] {
  const staticFile = languageId === 'typescript' ? 'typescript.code-snippets' : 'javascript.code-snippets';
  const statics = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', staticFile), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
  const env = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'env-snippets.json'), 'utf8')) as EnvSnippets;
  const variant = snippetVariant(languageId, fileName, text, packageType);
  return [
    ...Object.values(statics).map((s) => ({ prefix: s.prefix, body: s.body, env: [], packages: [] })),
    ...Object.entries(env).map(([prefix, s]) => ({ prefix: `${prefix} (${variant})`, body: s.body[variant], env: s.env, packages: s.packages })),
  ];
}

function copyService(from: string): string {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-snippet-'));
  fs.cpSync(from, to, { recursive: true, filter: (src) => !/[\\/](?:node_modules|\.git)$/.test(src) });
  return to;
}

/**
 * The CLI's findings over the whole service, as `file rule message` rows: positions left out
 * (the snippet is appended) and numbers as `#` (a finding whose count grew, "defines 6 HTTP
 * routes" after the health snippet's two, is the same finding, not a new one).
 */
async function findings(dir: string): Promise<string[]> {
  let out = '';
  let err = '';
  const code = await main(['.', '--format', 'json', '--fail-on', 'none', '--jobs', '1', '--no-git'], { cwd: dir, env: {}, stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, stdoutIsTTY: false });
  assert.equal(code, 0, err);
  return (JSON.parse(out) as { findings: Array<{ file: string; rule: string; message: string }> }).findings.map((f) => `${f.file} ${f.rule} ${f.message.replace(/\d+/g, '#')}`);
}

/** Rows of `after` beyond `before` (a multiset difference: one more of the same message counts). */
function added(before: readonly string[], after: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const r of before) left.set(r, (left.get(r) ?? 0) + 1);
  return after.filter((r) => {
    const n = left.get(r) ?? 0;
    if (n > 0) { left.set(r, n - 1); return false; }
    return true;
  });
}

/** The folders from the entry file's own up to the service root, with their entries (what the command lists). */
function dirsUp(root: string, file: string): Array<{ dir: string; entries: string[] }> {
  const dirs: Array<{ dir: string; entries: string[] }> = [];
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    dirs.push({ dir, entries: fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) });
    if (dir === root || path.dirname(dir) === dir) break;
  }
  return dirs;
}

for (const service of SERVICES) {
  const present = fs.existsSync(path.join(service.dir, service.entry));
  test(`every snippet inserted into ${service.name} adds no finding`, { skip: present ? false : `${service.dir} is not on this machine` }, async () => {
    const dir = copyService(service.dir);
    try {
      const entry = path.join(dir, service.entry);
      const original = fs.readFileSync(entry, 'utf8');
      const pkgFile = path.join(dir, 'package.json');
      const pkgText = fs.readFileSync(pkgFile, 'utf8');
      const pkg = JSON.parse(pkgText) as { type?: string; dependencies?: Record<string, string> };
      const languageId = /\.tsx?$/.test(entry) ? 'typescript' : 'javascript';
      const baseline = await findings(dir);
      const report: string[] = [];
      let inserted = 0;
      for (const snippet of snippetsFor(languageId, entry, original, pkg.type)) {
        fs.writeFileSync(entry, `${original.replace(/\n?$/, '\n')}\n${expandSnippet(snippet.body)}\n`);
        const target = templateTarget(dirsUp(dir, entry));
        assert.ok(target);
        const templateFile = path.join(target.dir, target.name);
        const templateBefore = target.exists ? fs.readFileSync(templateFile, 'utf8') : undefined;
        const declared = withDeclaredNames(templateBefore, snippet.env);
        if (declared) fs.writeFileSync(templateFile, declared.text);
        // as the completion does: a local .env beside the template lists the new names commented out
        const localFile = path.join(target.dir, '.env');
        const localBefore = fs.existsSync(localFile) ? fs.readFileSync(localFile, 'utf8') : undefined;
        const reminded = declared && localBefore !== undefined ? withCommentedNames(localBefore, declared.added) : undefined;
        if (reminded !== undefined) fs.writeFileSync(localFile, reminded);
        if (snippet.packages.length > 0) {
          const withPackages = { ...pkg, dependencies: { ...pkg.dependencies, ...Object.fromEntries(snippet.packages.map((p) => [p, INSTALLED[p]])) } };
          fs.writeFileSync(pkgFile, JSON.stringify(withPackages, null, 2) + '\n');
        }
        const after = await findings(dir);
        const extra = added(baseline, after);
        if (extra.length > 0) report.push(`${snippet.prefix}${declared ? ` (+${declared.added.join(', ')} in ${path.relative(dir, templateFile)})` : ''}:\n    ${extra.join('\n    ')}`);
        inserted++;
        // back to the service as it was
        fs.writeFileSync(entry, original);
        if (templateBefore === undefined) fs.rmSync(templateFile, { force: true }); else fs.writeFileSync(templateFile, templateBefore);
        fs.writeFileSync(pkgFile, pkgText);
        if (localBefore !== undefined) fs.writeFileSync(localFile, localBefore);
      }
      assert.ok(inserted >= 5, `${inserted} snippets inserted`);
      assert.deepEqual(report, [], `new findings after inserting snippets into ${service.name}:\n  ${report.join('\n  ')}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('the env template gets the names, never a value; declared names are not added twice', () => {
  assert.deepEqual(withDeclaredNames('PORT=3000\nexport LOG_LEVEL=info\n', ['LOG_LEVEL', 'DATABASE_URL']), { text: 'PORT=3000\nexport LOG_LEVEL=info\nDATABASE_URL=\n', added: ['DATABASE_URL'] });
  assert.equal(withDeclaredNames('LOG_LEVEL=\n', ['LOG_LEVEL']), undefined);
  assert.deepEqual(withDeclaredNames(undefined, ['A', 'A']), { text: 'A=\n', added: ['A'] });
  assert.deepEqual(withDeclaredNames('X=1', ['B']), { text: 'X=1\nB=\n', added: ['B'] });
  assert.deepEqual(withDeclaredNames('X=1\r\n', ['B']), { text: 'X=1\r\nB=\r\n', added: ['B'] });
  assert.equal(withCommentedNames('PORT=1\n# LOG_LEVEL=\n', ['PORT', 'LOG_LEVEL']), undefined);
  assert.equal(withCommentedNames('PORT=1', ['REDIS_URL']), 'PORT=1\n# REDIS_URL=\n');
  assert.equal(withCommentedNames('A=1\r\n', ['B', 'B']), 'A=1\r\n# B=\r\n');
});

test('the template target: nearest existing template, else .env.example beside the nearest package.json', () => {
  const dirs = [{ dir: '/s/src', entries: ['index.ts'] }, { dir: '/s', entries: ['package.json', '.env.template', '.env'] }];
  assert.deepEqual(templateTarget(dirs), { dir: '/s', name: '.env.template', exists: true });
  assert.deepEqual(templateTarget([{ dir: '/m/pkg/src', entries: [] }, { dir: '/m/pkg', entries: ['package.json'] }, { dir: '/m', entries: ['README.md'] }]), { dir: '/m/pkg', name: '.env.example', exists: false });
  assert.deepEqual(templateTarget([{ dir: '/r', entries: ['.env'] }]), { dir: '/r', name: '.env.example', exists: false });
});

test('the body variant: TypeScript; JavaScript as ES module or CommonJS from the file, then package.json "type"', () => {
  assert.equal(snippetVariant('typescriptreact', 'a.tsx', ''), 'ts');
  assert.equal(snippetVariant('javascript', 'a.js', "import express from 'express';\n"), 'esm');
  assert.equal(snippetVariant('javascript', 'a.js', "const express = require('express');\n"), 'cjs');
  assert.equal(snippetVariant('javascript', 'a.mjs', ''), 'esm');
  assert.equal(snippetVariant('javascript', 'a.cjs', "import x from 'y'\n"), 'cjs');
  assert.equal(snippetVariant('javascript', 'a.js', '', 'module'), 'esm');
  assert.equal(snippetVariant('javascript', 'a.js', ''), 'cjs');
  assert.equal(snippetVariant('javascriptreact', 'a.jsx', ''), 'esm');
});
