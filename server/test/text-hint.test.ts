/**
 * Text hints (parse/text-hint.ts): a whole-text pre-filter of an edited document answered from
 * the last version's answer and the text around the edit must answer as the regex over the
 * whole text, on every version.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { changeRange, parseTypescript } from '../src/parse/typescript';
import { hasHint, hintMatch, textHint, textHintStats, type TextHint } from '../src/parse/text-hint';
import { isRelevant, RELEVANT } from '../src/rules/admin-processes/migration-at-boot';
import { MENTIONS_LOG_FILE } from '../src/rules/logs/file-logging';

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const TLS = textHint(['rejectUnauthorized', 'strictSsl', 'NODE_TLS_REJECT_UNAUTHORIZED', '[^\\x00-\\x7f]', '\\\\'], 'i');
const SERVER = textHint(['server', 'httpServer', '\\\\u']);

/** A random edit of `text`: a deletion of 1 to `maxDelete` characters (`deletes` of the time) or one of `pieces` inserted. */
function randomEdit(pieces: readonly string[], { deletes = 0.35, maxDelete = 12 } = {}): (text: string, next: () => number) => string {
  return (text, next) => {
    const at = Math.floor(next() * (text.length + 1));
    if (next() < deletes && text.length > 0) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(next() * maxDelete)));
    return text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at);
  };
}

/** Edits that make and break matches: pieces of the hint words, whole words, deletions across them. */
const edit = randomEdit(['reject', 'Unauthorized', 'rejectUnauthorized', 'REJECTUNAUTHORIZED', 'strict', 'Ssl', 'NODE_TLS_', 'REJECT_UNAUTHORIZED', 'ser', 'ver', 'server', '\\', 'u', 'é', 'x', ' ', '\n', 'http', 'Server']);

/** `count` versions of `base` edited at random, each parsed from the last (the editor's path); back to `base` every `resetEvery`. */
function* parsedVersions(base: string, info: { path: string; scriptKind: 'ts' }, editText: (text: string, next: () => number) => string, { seed, count, resetEvery }: { seed: number; count: number; resetEvery: number }) {
  const next = random(seed);
  let text = base;
  let parsed = parseTypescript(text, info);
  for (let v = 0; v < count; v++) {
    text = v % resetEvery === resetEvery - 1 ? base : editText(text, next);
    parsed = parseTypescript(text, info, parsed);
    yield { v, text, parsed };
  }
}

test('a hint answered from the last version and the edit equals the regex over the whole text', () => {
  for (const [hint, seed] of [[TLS, 1], [SERVER, 2], [TLS, 3]] as Array<[TextHint, number]>) {
    const next = random(seed);
    const base = 'const a = 1;\nfunction f() { return a; }\n'.repeat(20);
    let text = base;
    let at = hintMatch(hint, text);
    let matched = 0;
    for (let v = 0; v < 3000; v++) {
      const before = text;
      text = edit(text, next);
      at = hintMatch(hint, text, { at, range: changeRange(before, text) });
      const expected = hint.pattern.test(text);
      assert.equal(at >= 0, expected, `seed ${seed}, version ${v}`);
      if (at >= 0) {
        assert.ok(hint.pattern.test(text.slice(at, at + hint.maxLength)), `seed ${seed}, version ${v}: a match at ${at}`);
        matched++;
      }
      // start again from a text without matches now and then: matches come and go
      if (v % 60 === 59) at = hintMatch(hint, (text = base));
    }
    assert.ok(matched > 300 && matched < 2900, `seed ${seed}: matches came and went (${matched} of 3000)`);
  }
});

test('a match made by an edit at either end of the longest word is found', () => {
  for (const [hint, words] of [[TLS, ['NODE_TLS_REJECT_UNAUTHORIZED', 'rejectUnauthorized']], [SERVER, ['httpServer', 'server']]] as Array<[TextHint, string[]]>) {
    for (const word of words) {
      for (let k = 0; k < word.length; k++) {
        const pad = 'const a = 1;\n';
        // the word's k-th character typed
        const without = pad + word.slice(0, k) + word.slice(k + 1) + pad;
        const typed = pad + word + pad;
        assert.equal(hintMatch(hint, typed, { at: hintMatch(hint, without), range: changeRange(without, typed) }) >= 0, true, `${word}: character ${k} typed`);
        // a deletion that joins the word's two halves
        const apart = pad + word.slice(0, k) + '#%#' + word.slice(k) + pad;
        assert.equal(hintMatch(hint, typed, { at: hintMatch(hint, apart), range: changeRange(apart, typed) }) >= 0, true, `${word}: joined at ${k}`);
      }
    }
  }
});

test('a hint refuses a pattern whose matches it cannot bound', () => {
  assert.equal(textHint(['abc', '[xyz]\\.', '\\x41\\u0042']).maxLength, 3);
  for (const source of ['a+', 'a*', 'a?', 'a{2}', '(ab)', '^a', 'a$', '\\bword', 'a\\d\\B', '', '[ab']) {
    assert.throws(() => textHint([source]), new RegExp('textHint'), source);
  }
  assert.throws(() => textHint(['a'], 'g'));
});

test('an edited document tests its hints around the edit, not over the whole text', () => {
  const info = { path: '/repo/hints.ts', scriptKind: 'ts' as const };
  const next = random(7);
  let text = "import express from 'express';\nconst app = express();\n" + 'app.get("/x", (req, res) => { res.json({ ok: true }); });\n'.repeat(200);
  let parsed = parseTypescript(text, info);
  assert.equal(hasHint(parsed, text, TLS), false);
  const searches: number[] = [];
  for (let v = 0; v < 60; v++) {
    text = edit(text, next);
    parsed = parseTypescript(text, info, parsed);
    const before = textHintStats.wholeSearches;
    assert.equal(hasHint(parsed, text, TLS), TLS.pattern.test(text), `version ${v}`);
    assert.equal(hasHint(parsed, text, TLS), TLS.pattern.test(text), `version ${v}, asked again`);
    searches.push(textHintStats.wholeSearches - before);
  }
  // a whole-text search only when an edit took the one match there was
  assert.ok(searches.filter((n) => n > 0).length <= 10, `whole-text searches per version: ${searches}`);
  assert.ok(searches.every((n) => n <= 1), 'once per version at most');
});

test('migration-at-boot: its pre-filter as hints answers as its regex, unbounded alternatives included', () => {
  const info = { path: '/repo/migrations.ts', scriptKind: 'ts' as const };
  const pieces = ['db.sync', '.sync   (', 'sync(', ' (', 'CREATE', '  TABLE', 'create unique  index', 'ALTER', 'TYPE ', 'drop', ' VIEW', 'x', 'knex', 'migrat', 'Schema', '.schema.', 'manage.py', 'managexpy', ' '];
  const base = "import express from 'express';\nconst app = express();\n" + 'app.get("/x", (req, res) => { res.json({ ok: true }); });\n'.repeat(10);
  let relevant = 0;
  for (const { v, text, parsed } of parsedVersions(base, info, randomEdit(pieces, { deletes: 0.4, maxDelete: 8 }), { seed: 11, count: 1500, resetEvery: 50 })) {
    const expected = RELEVANT.test(text);
    assert.equal(isRelevant(parsed, text), expected, `version ${v}`);
    if (expected) relevant++;
  }
  assert.ok(relevant > 200 && relevant < 1400, `relevant in ${relevant} of 1500 versions`);
});

test('file-logging: its log-file-option hint answers as the regex it replaced', () => {
  const info = { path: '/repo/logger.ts', scriptKind: 'ts' as const };
  const pieces = ['log', 'LOG', 'Log', '_', 'file', 'File', 'FILE', 'path', 'Path', 'name', 'x', ' ', 'logFile', 'log_path'];
  const base = "import express from 'express';\nconst app = express();\n" + 'app.get("/x", (req, res) => { res.json({ ok: true }); });\n'.repeat(10);
  let mentions = 0;
  for (const { v, text, parsed } of parsedVersions(base, info, randomEdit(pieces, { deletes: 0.4, maxDelete: 6 }), { seed: 13, count: 1200, resetEvery: 40 })) {
    const expected = /log_?(?:file|path)/i.test(text);
    assert.equal(hasHint(parsed, text, MENTIONS_LOG_FILE), expected, `version ${v}`);
    if (expected) mentions++;
  }
  assert.ok(mentions > 100 && mentions < 1100, `a log-file word in ${mentions} of 1200 versions`);
});

test('directive comments of an edited document (their pre-filter a hint) equal a cold parse\'s', () => {
  const info = { path: '/repo/directives.ts', scriptKind: 'ts' as const };
  const pieces = ['// pragma: allowlist secret\n', '// pragma:   allowlist\n', '/* NOSONAR */', '// gitleaks:allow\n', '// factorlint-disable-next-line\n', 'pragma', ':', ' allowlist', '\n', 'x', '//'];
  const base = "const token = 'abc';\n" + 'app.get("/x", (req, res) => { res.json({ ok: true }); });\n'.repeat(10);
  let seen = 0;
  for (const { v, text, parsed } of parsedVersions(base, info, randomEdit(pieces, { deletes: 0.4, maxDelete: 10 }), { seed: 19, count: 600, resetEvery: 40 })) {
    const expected = parseTypescript(text, info).directiveComments();
    assert.deepEqual(parsed.directiveComments(), expected, `version ${v}`);
    if (expected.length > 0) seen++;
  }
  assert.ok(seen > 100 && seen < 580, `directives in ${seen} of 600 versions`);
  for (const comment of ['// pragma:  allowlist secret', '// gitleaks:allow', '/* NOSONAR */', '// factorlint-disable-line']) {
    const typed = parseTypescript(`${base}const key = 'k'; ${comment}\n`, info, parseTypescript(base, info));
    assert.equal(typed.directiveComments().length, 1, `${comment}: typed into a file without directives`);
  }
});
