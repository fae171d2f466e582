/**
 * One secret masker for `--fix-dry-run` diffs (`engine/mask.ts` `maskerFor`): a secret that no
 * pattern recognises but a rule located is masked on every printed line, context lines too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { maskerFor, maskText } from '../src/engine/mask';
import { runCli, writeTree } from './support/cli-harness';

/** A password in a lower-case name: no pattern of `maskText` knows it; `config/hardcoded-secret` finds it. */
const PLANTED = 'Qw7rT9yU2iO4pA6sZx';
const SERVER = `import express from 'express';\nconst app = express();\nconst dbPassword = '${PLANTED}';\nexport const db = { password: dbPassword };\napp.listen(3000);\n`;

test('maskerFor: a located secret value is masked wherever it appears; patterns still apply', () => {
  const line = `const dbPassword = '${PLANTED}';`;
  assert.equal(maskText(line), line, 'the planted value is one no pattern knows (else this test proves nothing)');
  const start = SERVER.indexOf(`'${PLANTED}'`);
  const mask = maskerFor(SERVER, [{ ruleId: 'config/hardcoded-secret', start, end: start + PLANTED.length + 2 }]);
  const shown = mask(`${SERVER}\n// again: ${PLANTED}\nDB_URL=postgres://u:pa55word-long@db/x\n`);
  assert.ok(!shown.includes(PLANTED), shown);
  assert.ok(!shown.includes('pa55word-long'), 'the patterns of maskText still apply');
  assert.equal(shown.split('\n').length, SERVER.split('\n').length + 3, 'lines are kept, so diffs stay aligned');
  // findings of other rules name no secret: their ranges are shown as they are
  assert.equal(maskerFor(SERVER, [{ ruleId: 'port-binding/hardcoded-port', start: 0, end: 6 }])(SERVER), SERVER);
});

test('--fix-dry-run: a planted secret on a context line of a fix never appears in the diff', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-dry-mask-')));
  try {
    writeTree(dir, { 'svc/package.json': JSON.stringify({ name: 'svc', dependencies: { express: '4.21.2' } }), 'svc/src/server.ts': SERVER });
    fs.mkdirSync(path.join(dir, 'cache-home'));
    const env = { FACTORLINT_CACHE_DIR: path.join(dir, 'cache-home') };
    const found = runCli(dir, ['svc', '--format', 'json', '--fail-on', 'none', '--no-git'], env);
    const rules = (JSON.parse(found.stdout) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule);
    assert.ok(rules.includes('config/hardcoded-secret'), `the secret is found: ${rules.join(', ')}`);
    assert.ok(rules.includes('port-binding/hardcoded-port'), 'and a safe fix two lines below it');
    const dry = runCli(dir, ['svc', '--fix-dry-run', '--fail-on', 'none', '--no-git'], env);
    assert.match(dry.stdout, /^\+app\.listen\(Number\(process\.env\.PORT \?\? 3000\)\);$/m, 'the diff is printed');
    assert.match(dry.stdout, /^ const dbPassword = 'Qw7r…Zx \(18 chars\)';$/m, 'the context line shows the masked value');
    assert.ok(!dry.stdout.includes(PLANTED) && !dry.stderr.includes(PLANTED), dry.stdout);
    assert.equal(fs.readFileSync(path.join(dir, 'svc/src/server.ts'), 'utf8'), SERVER, 'a dry run writes nothing');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
