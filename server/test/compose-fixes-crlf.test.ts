/**
 * Compose fixes edit text ranges, so they must respect the file's line endings: every Compose
 * fixture with a golden `.fixed` file, converted to CRLF, must give the golden file in CRLF.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { analyze } from '../src/engine/run';
import { applyFixes } from '../src/engine/apply-fixes';
import { RULES } from '../src/rules/registry';
import { fixturesFor } from './support/fixtures';

for (const rule of RULES) {
  for (const fixture of fixturesFor(rule.meta.id).filter((f) => /\.ya?ml$/.test(f.file) && f.fixedFile)) {
    const label = fixture.file.split('/fixtures/')[1];
    test(`${label}: fixes keep CRLF line endings`, () => {
      const crlf = fixture.text.replace(/\r?\n/g, '\r\n');
      const findings = analyze({ path: fixture.virtualPath, text: crlf }, { rules: [rule], project: fixture.project, today: '2026-11-22' }).findings
        .filter((f) => f.ruleId === rule.meta.id && f.fixes.length > 0);
      const { text } = applyFixes(crlf, findings.map((f) => f.fixes[0]));
      assert.equal(text, fs.readFileSync(fixture.fixedFile!, 'utf8').replace(/\r?\n/g, '\r\n'));
    });
  }
}
