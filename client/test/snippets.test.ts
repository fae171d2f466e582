/**
 * Every snippet, expanded with its defaults, must be clean under ALL registered rules: the
 * snippets are what factorlint recommends, so they must not be flagged by it.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../server/src/engine/run';
import { RULES } from '../../server/src/rules/registry';
import type { EnvSnippets, SnippetVariant } from '../src/env-snippets';
import { expandSnippet } from './snippet-expand';

const ROOT = join(__dirname, '..', '..', '..');

interface Manifest { contributes: { snippets: Array<{ language: string; path: string }> } }
interface Snippet { prefix: string; body: string | string[]; description: string }

/** An application-code path of the right kind for each snippet file. */
const TARGETS: Record<string, { path: string; kind: string; languageId: string }> = {
  'typescript.code-snippets': { path: '/work/service/src/snippet.ts', kind: 'ts', languageId: 'typescript' },
  'javascript.code-snippets': { path: '/work/service/src/snippet.js', kind: 'ts', languageId: 'javascript' },
  'dockerfile.code-snippets': { path: '/work/service/Dockerfile', kind: 'dockerfile', languageId: 'dockerfile' },
  'compose.code-snippets': { path: '/work/service/compose.yaml', kind: 'compose', languageId: 'dockercompose' },
  'dotenv.code-snippets': { path: '/work/service/.env.example', kind: 'dotenv', languageId: 'dotenv' },
};

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const files = [...new Set(manifest.contributes.snippets.map((s) => s.path.replace(/^\.\//, '')))];

test('the expander handles placeholders, choices and escapes', () => {
  assert.equal(expandSnippet(['a ${1:x${2:y}} $0', '${3|one,two|} \\${HOME} \\\\ $TM_FILENAME']), 'a xy \none ${HOME} \\ ');
});

test('every contributed snippet file has a target kind and 12f- prefixes', () => {
  assert.ok(files.length >= 4);
  for (const file of files) {
    assert.ok(TARGETS[file.replace(/^snippets\//, '')], `no analysis target for ${file}`);
    const snippets = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, Snippet>;
    for (const [name, s] of Object.entries(snippets)) {
      assert.match(s.prefix, /^12f-/, name);
      assert.ok(s.description.length > 10, `${name} needs a description`);
    }
  }
});

for (const file of files) {
  const target = TARGETS[file.replace(/^snippets\//, '')];
  const snippets = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, Snippet>;
  for (const [name, snippet] of Object.entries(snippets)) {
    test(`snippet ${snippet.prefix} (${name}) has no findings under all ${RULES.length} rules`, () => {
      const text = expandSnippet(snippet.body) + '\n';
      const errors: string[] = [];
      const result = analyze({ path: target.path, text, languageId: target.languageId }, {
        rules: RULES,
        reportUnusedSuppressions: true,
        onRuleError: (id, _path, error) => errors.push(`${id}: ${String(error)}`),
      });
      assert.equal(result.file?.kind, target.kind, `${target.path} classified as ${result.file?.kind}`);
      if (target.kind !== 'dotenv') assert.equal(result.file?.isApp, true, 'analysed as application code');
      assert.deepEqual(errors, [], 'rules threw');
      assert.deepEqual(result.findings.map((f) => `${f.range.start.line + 1}: ${f.ruleId} ${f.message}`), [], text);
    });
  }
}

/** The snippets that read env variables, served by the client's completion provider, per variant. */
const ENV_TARGETS: Record<SnippetVariant, { path: string; languageId: string }> = {
  ts: { path: '/work/service/src/snippet.ts', languageId: 'typescript' },
  cjs: { path: '/work/service/src/snippet.js', languageId: 'javascript' },
  esm: { path: '/work/service/src/snippet.mjs', languageId: 'javascript' },
};
const envSnippets = JSON.parse(readFileSync(join(ROOT, 'snippets', 'env-snippets.json'), 'utf8')) as EnvSnippets;

test('env snippets: each has the three variants, names its variables, and reads exactly them', () => {
  assert.ok(Object.keys(envSnippets).length >= 3);
  for (const [prefix, snippet] of Object.entries(envSnippets)) {
    assert.match(prefix, /^12f-/);
    assert.deepEqual(Object.keys(snippet.body).sort(), ['cjs', 'esm', 'ts'], prefix);
    for (const [variant, body] of Object.entries(snippet.body)) {
      const read = new Set([...expandSnippet(body).matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)|(?:requireEnv|intEnv)\('([A-Z_][A-Z0-9_]*)'/g)].map((m) => m[1] ?? m[2]));
      read.delete('PORT'); // set by the platform, never declared
      assert.deepEqual([...read].sort(), [...snippet.env].sort(), `${prefix} (${variant}) reads what it declares`);
    }
  }
});

for (const [prefix, snippet] of Object.entries(envSnippets)) {
  for (const variant of Object.keys(ENV_TARGETS) as SnippetVariant[]) {
    test(`env snippet ${prefix} (${variant}) has no findings under all ${RULES.length} rules`, () => {
      const target = ENV_TARGETS[variant];
      const text = expandSnippet(snippet.body[variant]) + '\n';
      const errors: string[] = [];
      const result = analyze({ path: target.path, text, languageId: target.languageId }, {
        rules: RULES, reportUnusedSuppressions: true, onRuleError: (id, _path, error) => errors.push(`${id}: ${String(error)}`),
      });
      assert.equal(result.file?.isApp, true, 'analysed as application code');
      assert.deepEqual(errors, []);
      assert.deepEqual(result.findings.map((f) => `${f.range.start.line + 1}: ${f.ruleId} ${f.message}`), [], text);
    });
  }
}
