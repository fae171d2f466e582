/**
 * The dotenv TextMate grammar (syntaxes/dotenv.tmLanguage.json): valid JSON, contributed in
 * package.json for `.env`/`.env.*`, and, tokenised with vscode-textmate + oniguruma (the
 * engine VS Code uses), gives keys, values, strings, comments, `export` and `${}` scopes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const GRAMMAR = path.join(ROOT, 'syntaxes/dotenv.tmLanguage.json');

interface Contributes {
  languages?: Array<{ id: string; filenames?: string[]; filenamePatterns?: string[]; aliases?: string[] }>;
  grammars?: Array<{ language: string; scopeName: string; path: string }>;
}

test('dotenv grammar is valid JSON with the expected scope and repository', () => {
  const grammar = JSON.parse(fs.readFileSync(GRAMMAR, 'utf8')) as { scopeName: string; repository: Record<string, unknown> };
  assert.equal(grammar.scopeName, 'source.dotenv');
  for (const key of ['comment', 'assignment', 'double-quoted', 'single-quoted', 'interpolation', 'unquoted']) assert.ok(key in grammar.repository, key);
  const text = fs.readFileSync(GRAMMAR, 'utf8');
  for (const scope of ['variable.other.env.dotenv', 'storage.modifier.export.dotenv', 'comment.line.number-sign.dotenv', 'string.quoted.double.dotenv', 'meta.interpolation.dotenv']) assert.ok(text.includes(scope), scope);
});

test('package.json contributes the dotenv language and grammar', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: Contributes };
  const language = pkg.contributes.languages?.find((l) => l.id === 'dotenv');
  assert.ok(language, 'dotenv language');
  assert.ok(language.filenames?.includes('.env'));
  assert.ok(language.filenamePatterns?.includes('.env.*'));
  const grammar = pkg.contributes.grammars?.find((g) => g.language === 'dotenv');
  assert.equal(grammar?.scopeName, 'source.dotenv');
  assert.ok(fs.existsSync(path.join(ROOT, grammar!.path)));
});

test('dotenv grammar tokenises keys, values, strings, comments, export and interpolation', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const oniguruma = require('vscode-oniguruma') as typeof import('vscode-oniguruma');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const textmate = require('vscode-textmate') as typeof import('vscode-textmate');
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s) => new oniguruma.OnigScanner(s), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (scope === 'source.dotenv' ? textmate.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null),
  });
  const grammar = await registry.loadGrammar('source.dotenv');
  assert.ok(grammar);
  const lines = [
    '# database',
    'export DB_HOST=localhost',
    'DB_URL="postgres://${DB_USER}:${DB_PASS:-x}@db/app" # inline',
    "LITERAL='${NOT_EXPANDED}'",
    'PRICE=$$5',
  ];
  let state = textmate.INITIAL;
  const tokens: Array<{ text: string; scopes: string[] }> = [];
  for (const line of lines) {
    const result = grammar.tokenizeLine(line, state);
    for (const t of result.tokens) tokens.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = result.ruleStack;
  }
  const scopeOf = (text: string) => tokens.find((t) => t.text === text)?.scopes ?? [];
  assert.ok(scopeOf('# database').includes('comment.line.number-sign.dotenv') || scopeOf('#').includes('comment.line.number-sign.dotenv'));
  assert.ok(scopeOf('export').includes('storage.modifier.export.dotenv'));
  assert.ok(scopeOf('DB_HOST').includes('variable.other.env.dotenv'));
  assert.ok(scopeOf('localhost').includes('string.unquoted.dotenv'));
  assert.ok(scopeOf('DB_USER').includes('meta.interpolation.dotenv'));
  assert.ok(scopeOf('DB_USER').includes('string.quoted.double.dotenv'));
  assert.ok(scopeOf(':-').includes('keyword.operator.interpolation.dotenv'));
  assert.ok(tokens.some((t) => t.text.includes('inline') && t.scopes.includes('comment.line.number-sign.dotenv')));
  // single quotes do not interpolate
  assert.ok(scopeOf("${NOT_EXPANDED}").includes('string.quoted.single.dotenv') || tokens.some((t) => t.text.includes('NOT_EXPANDED') && t.scopes.includes('string.quoted.single.dotenv') && !t.scopes.includes('meta.interpolation.dotenv')));
  assert.ok(scopeOf('$$').includes('constant.character.escape.dollar.dotenv'));
});
