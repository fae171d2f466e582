/**
 * Documentation that works offline and stays true: the rule index lists exactly the registry,
 * the README's rule counts are the registry's, `factorlint --explain` prints the bundled page,
 * and no shipped file or output points at the placeholder host `example.invalid`.
 */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FACTORS } from '../src/engine/factors';
import { factorInfo } from '../src/engine/factors';
import { RULES } from '../src/rules/registry';
import { WORKSPACE_RULES } from '../src/workspace/registry';
import { docsUrlFor } from '../src/features/diagnostics';
import { runCli } from './support/cli-harness';

const REPO = path.resolve(__dirname, '../../..');
const read = (rel: string) => fs.readFileSync(path.join(REPO, rel), 'utf8');

const KIND: Record<string, string> = { ts: 'TS/JS', dockerfile: 'Dockerfile', compose: 'Compose', dotenv: '.env' };

/** The index row each rule must have, built from the registry. */
function expectedRows(): Map<string, string> {
  const rows = new Map<string, string>();
  const add = (meta: (typeof RULES)[number]['meta'], files: string) => {
    const f = factorInfo(meta.factor);
    rows.set(meta.id, `| [\`${meta.id}\`](${meta.id}.md) | ${f.numeral} ${f.title} | ${meta.severity} | ${meta.fix} | ${files} |`);
  };
  const chained = new Set(WORKSPACE_RULES.map((r) => r.meta.id));
  // the command rules have a file check and a workspace check (the command chains): one row
  for (const r of RULES) add(r.meta, [...Object.keys(r.check).map((k) => KIND[k] ?? k), ...(chained.has(r.meta.id) ? ['command chains (cross-file)'] : [])].join(', '));
  for (const r of WORKSPACE_RULES) if (!RULES.some((f) => f.meta.id === r.meta.id)) add(r.meta, 'project (cross-file)');
  return rows;
}

describe('docs/rules/README.md indexes every rule', () => {
  test('one row per registered rule, with the registry\'s factor, severity, fix and file kinds', () => {
    const index = read('docs/rules/README.md');
    const rows = index.split('\n').filter((l) => /^\| \[`[a-z-]+\/[a-z0-9-]+`\]/.test(l));
    const expected = expectedRows();
    const listed = new Map(rows.map((r) => [/`([^`]+)`/.exec(r)![1], r]));
    assert.equal(rows.length, listed.size, 'no rule listed twice');
    for (const [id, row] of expected) assert.equal(listed.get(id), row, `docs/rules/README.md: the row of ${id} should read\n${row}`);
    for (const id of listed.keys()) assert.ok(expected.has(id), `docs/rules/README.md lists ${id}, which is not registered`);
  });

  test('every link of the index leads to a page that exists', () => {
    const index = read('docs/rules/README.md');
    for (const [, target] of index.matchAll(/\]\(([^)#]+\.md)\)/g)) {
      assert.ok(fs.existsSync(path.join(REPO, 'docs/rules', target)), `docs/rules/README.md links to missing ${target}`);
    }
  });
});

describe('README numbers come from the registry', () => {
  const readme = read('README.md');
  // rule ids, counted once: a command rule has a file check and a cross-file (command chain) check
  const crossFileOnly = WORKSPACE_RULES.filter((w) => !RULES.some((r) => r.meta.id === w.meta.id)).length;
  const total = RULES.length + crossFileOnly;

  test('the rule count sentence matches the registry', () => {
    const m = /\*\*(\d+) rules\*\* \((\d+) single-file, (\d+) cross-file\)/.exec(readme);
    assert.ok(m, 'README states "**N rules** (N single-file, N cross-file)"');
    assert.deepEqual([Number(m[1]), Number(m[2]), Number(m[3])], [total, RULES.length, crossFileOnly]);
  });

  test('no other rule count in the README disagrees', () => {
    for (const [phrase, n] of readme.matchAll(/\b(\d+) (?:rules|single-file|cross-file)\b/g)) {
      assert.ok([total, RULES.length, crossFileOnly].includes(Number(n)), `README says "${phrase}"; the registry has ${total} rules`);
    }
  });

  test('the number of factors ("fifteen") is the registry\'s', () => {
    assert.equal(FACTORS.length, 15);
    assert.ok(!/\b(twelve|thirteen|fourteen|sixteen) factors\b/i.test(readme.replace(/Twelve-Factor/g, '')), 'README counts fifteen factors');
  });
});

describe('factorlint --explain <rule>', () => {
  test('prints the bundled page of the rule (by id or by its unique name)', () => {
    const page = read('docs/rules/port-binding/hardcoded-port.md');
    const byId = runCli(REPO, ['--explain', 'port-binding/hardcoded-port']);
    assert.equal(byId.code, 0, byId.stderr);
    assert.equal(byId.stdout, page.endsWith('\n') ? page : `${page}\n`);
    assert.equal(runCli(REPO, ['--explain', 'hardcoded-port']).stdout, byId.stdout);
  });

  test('an engine diagnostic prints its description; an unknown rule exits 2 with the closest id', () => {
    const meta = runCli(REPO, ['--explain', 'factorlint/unused-suppression']);
    assert.equal(meta.code, 0);
    assert.match(meta.stdout, /^# factorlint\/unused-suppression\n\nA suppression comment that silences nothing/);
    const typo = runCli(REPO, ['--explain', 'port-binding/hardcoded-prot']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown rule "port-binding\/hardcoded-prot"\. Did you mean port-binding\/hardcoded-port\?/);
    assert.equal(typo.stdout, '');
    assert.equal(runCli(REPO, ['--explain', '../../etc/passwd']).code, 2, 'never a path');
  });
});

describe('no placeholder web address anywhere a user sees', () => {
  const PLACEHOLDER = 'example.invalid';

  function files(dir: string, out: string[] = []): string[] {
    if (!fs.existsSync(dir)) return out;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) files(abs, out);
      else out.push(abs);
    }
    return out;
  }

  test('not in the manifest, README, docs, schemas, snippets, media, action, hook or bundles', () => {
    const shipped = [
      ...['package.json', 'README.md', 'CHANGELOG.md', 'action.yml', '.pre-commit-hooks.yaml'].map((f) => path.join(REPO, f)).filter((f) => fs.existsSync(f)),
      ...files(path.join(REPO, 'docs')), ...files(path.join(REPO, 'schemas')), ...files(path.join(REPO, 'snippets')),
      ...files(path.join(REPO, 'media')).filter((f) => f.endsWith('.md')),
      ...files(path.join(REPO, 'dist')).filter((f) => f.endsWith('.js')),
    ];
    for (const file of shipped) assert.ok(!fs.readFileSync(file, 'utf8').includes(PLACEHOLDER), `${path.relative(REPO, file)} mentions ${PLACEHOLDER}`);
  });

  test('not in SARIF (the help travels in the log) nor in editor documentation links (bundled pages)', () => {
    const sarif = runCli(REPO, ['examples/', '--format', 'sarif', '--fail-on', 'none', '--no-git']);
    assert.equal(sarif.code, 0, sarif.stderr);
    assert.ok(!sarif.stdout.includes(PLACEHOLDER));
    const driver = JSON.parse(sarif.stdout).runs[0].tool.driver;
    assert.equal(driver.informationUri, undefined);
    for (const rule of [...RULES, ...WORKSPACE_RULES]) {
      const link = docsUrlFor(rule.meta.id);
      assert.ok(link.startsWith('file://') && link.endsWith(`/docs/rules/${rule.meta.id}.md`), link);
    }
  });
});
