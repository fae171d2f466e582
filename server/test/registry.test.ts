/**
 * The registry is checked, not trusted: every rule's id equals its module path, its fixture
 * file names, its docs page; its meta is complete; it offers fixes exactly when a golden
 * `.fixed` fixture exists.
 */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../src/rules/registry';
import { isFactorSlug } from '../src/engine/factors';
import { FIXTURES_DIR, fixturesFor, isFixedFile } from './support/fixtures';

const REPO = path.resolve(__dirname, '../../..');

describe('registry', () => {
  test('ids are unique and sorted', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate rule ids');
    assert.deepEqual(ids, [...ids].sort(), 'registry must be sorted by id');
  });

  for (const rule of RULES) {
    const { meta } = rule;
    describe(meta.id, () => {
      const [factor, name, ...rest] = meta.id.split('/');

      test('id is <factor>/<name> with a valid factor slug matching meta.factor', () => {
        assert.equal(rest.length, 0, 'id has exactly one slash');
        assert.match(name ?? '', /^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'name is kebab-case');
        assert.ok(isFactorSlug(factor), `unknown factor slug "${factor}"`);
        assert.equal(meta.factor, factor, 'meta.factor equals the id prefix');
      });

      test('id equals the module path', () => {
        const module = path.join(REPO, 'server/src/rules', `${meta.id}.ts`);
        assert.ok(fs.existsSync(module), `missing ${path.relative(REPO, module)}`);
      });

      test('has a docs page', () => {
        const page = path.join(REPO, 'docs/rules', `${meta.id}.md`);
        assert.ok(fs.existsSync(page), `missing ${path.relative(REPO, page)}`);
        assert.ok(fs.readFileSync(page, 'utf8').includes(meta.id), 'the docs page names the rule id');
      });

      test('has fixtures', () => {
        assert.ok(fixturesFor(meta.id).length > 0, `no fixture ${factor}/${name}.* under ${path.relative(REPO, FIXTURES_DIR)}`);
      });

      test('description, rationale and messages are non-empty', () => {
        assert.ok(meta.description.trim().length > 0, 'description');
        assert.ok(meta.rationale.trim().length > 0, 'rationale');
        const messages = Object.entries(meta.messages);
        assert.ok(messages.length > 0, 'at least one message');
        for (const [id, text] of messages) assert.ok(text.trim().length > 0, `message ${id} is empty`);
        assert.ok(Object.keys(rule.check).length > 0, 'at least one check');
      });

      test('offers a fix exactly when a golden .fixed (or .other-files.json) fixture exists', () => {
        const dir = path.join(FIXTURES_DIR, factor);
        // a fix that only edits other files (.gitignore, .env.example) has a `.other-files.json` golden instead
        const golden = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith(`${name}.`) && (isFixedFile(f) || f.endsWith('.other-files.json'))) : [];
        if (meta.fix === 'none') assert.deepEqual(golden, [], 'fix is "none" but .fixed fixtures exist');
        else assert.ok(golden.length > 0, `fix is "${meta.fix}" but no ${name}[.<variant>].fixed.<ext> exists`);
      });
    });
  }
});
