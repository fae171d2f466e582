/**
 * Per-edit cost in the editor (issue 15): work that a keystroke repeats for nothing is done
 * once, without changing what is reported. Counted, not timed.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fs = require('node:fs'); // the module object itself, so the rule-docs module sees the counter
import { rulePageLink } from '../src/host/rule-docs';
import { toDiagnostic } from '../src/features/diagnostics';
import { analyze } from '../src/engine/run';
import { RULES } from '../src/rules/registry';
import type { Finding } from '../src/engine/types';

function countingExistsSync<T>(fn: () => T): { result: T; calls: number } {
  const original = fs.existsSync;
  let calls = 0;
  (fs as { existsSync: typeof fs.existsSync }).existsSync = ((p: fs.PathLike) => { calls++; return original(p); }) as typeof fs.existsSync;
  try {
    return { result: fn(), calls };
  } finally {
    (fs as { existsSync: typeof fs.existsSync }).existsSync = original;
  }
}

describe('per-edit cost', () => {
  test('a diagnostic\'s rule page link is looked up on disk once per rule, not per diagnostic', () => {
    const ruleId = 'port-binding/hardcoded-port';
    const expected = rulePageLink(ruleId);
    const finding: Finding = {
      ruleId, severity: 'warning', message: 'm', start: 0, end: 1, fixes: [],
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    } as unknown as Finding;
    const { result, calls } = countingExistsSync(() => Array.from({ length: 200 }, (_, i) => toDiagnostic(finding, 'file:///a.ts', i)));
    assert.equal(calls, 0);
    assert.ok(result.every((d) => d.codeDescription?.href === expected));
    assert.match(expected, /hardcoded-port\.md$/);
  });

  test('the graceful-shutdown fix still avoids a server name spelled with a unicode escape', () => {
    const text = "import express from 'express';\nconst app = express();\nconst \\u0073erver = 1;\napp.listen(3000);\n";
    const result = analyze({ path: '/svc/src/index.ts', text }, { rules: RULES });
    const finding = result.findings.find((f) => f.ruleId === 'disposability/no-graceful-shutdown');
    assert.ok(finding, 'the listen call without a shutdown handler is reported');
    const declared = finding.fixes[0]?.edits.map((e) => e.newText).find((t) => t.startsWith('const '));
    assert.equal(declared, 'const httpServer = ');
  });

  test('the graceful-shutdown fix names the server `server` when no identifier takes it', () => {
    const text = "import express from 'express';\nconst app = express();\napp.listen(3000);\n";
    const result = analyze({ path: '/svc/src/index.ts', text }, { rules: RULES });
    const finding = result.findings.find((f) => f.ruleId === 'disposability/no-graceful-shutdown');
    assert.equal(finding?.fixes[0]?.edits.map((e) => e.newText).find((t) => t.startsWith('const ')), 'const server = ');
  });
});
