/**
 * Per-edit cost in the editor (issue 15): work that a keystroke repeats for nothing is done
 * once, without changing what is reported. Counted, not timed.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fs = require('node:fs'); // the module object itself, so the rule-docs module sees the counter
import { rulePageLink } from '../src/host/rule-docs';
import { diagnosticsOf, toDiagnostic } from '../src/features/diagnostics';
import type { AnalysisEntry } from '../src/features/analysis';
import { analyze, type AnalysisResult } from '../src/engine/run';
import { findingMemoStats } from '../src/engine/finding-memo';
import { planUnits, type NestedMemo } from '../src/engine/nested-units';
import { RULES } from '../src/rules/registry';
import type { ParsedDocument } from '../src/engine/document';
import type { Finding, Report } from '../src/engine/types';
import type * as TS from 'typescript';

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

  test('an edited document keeps a finding by its report only while its offsets, line and column are the same', () => {
    const path = '/svc/src/index.ts';
    let text = "import express from 'express';\nconst app = express();\nconst a = 1;\nconst b = 2;\nconsole.log('x', a, b);\napp.listen(3000);\n";
    let previous: ParsedDocument | undefined = analyze({ path, text }, { rules: RULES }).parsed;
    const edit = (start: number, end: number, insert: string): AnalysisResult => {
      text = text.slice(0, start) + insert + text.slice(end);
      const result = analyze({ path, text }, { rules: RULES, previous });
      previous = result.parsed;
      // what is published: the same as a cold analysis of this version
      assert.deepEqual(result.findings, analyze({ path, text }, { rules: RULES }).findings);
      return result;
    };
    for (let i = 0; i < 3; i++) edit(text.length, text.length, '//\n'); // the statement memo keeps reports from here
    const before = edit(text.length, text.length, ' ');
    const kept = findingMemoStats.kept;
    const after = edit(text.length, text.length, ' ');
    assert.ok(findingMemoStats.kept > kept, 'the findings of the statements before the edit are kept');
    const logged = (r: AnalysisResult) => r.findings.find((f) => f.ruleId === 'logs/console-logging')!;
    assert.equal(logged(after), logged(before), 'the same object');
    // a newline before the call replaced by a space: the same offsets, one line up
    const newline = text.indexOf('\n', text.indexOf('const a'));
    const moved = edit(newline, newline + 1, ' ');
    assert.equal(logged(moved).start, logged(after).start);
    assert.equal(logged(moved).range.start.line, logged(after).range.start.line - 1);
    assert.notEqual(logged(moved), logged(after));
  });

  test('a nested unit without reports keeps its memo entry when it moves; one with reports gets them shifted', () => {
    const list = {} as TS.Node;
    const quiet = { parent: list, pos: 30, end: 40 } as unknown as TS.Statement;
    const noisy = { parent: list, pos: 50, end: 60 } as unknown as TS.Statement;
    const report: Report = { messageId: 'm', start: 52, end: 55 };
    const dropped: NestedMemo = new Map([
      [quiet, { pos: 20, end: 30, key: 'k', unitKey: '', reports: [] }],
      [noisy, { pos: 40, end: 50, key: 'k', unitKey: '', reports: [{ ...report, start: 42, end: 45 }] }],
    ]);
    const plan = planUnits([quiet, noisy], [dropped], () => 'k');
    assert.equal(plan.kept[0], dropped.get(quiet), 'nothing to shift: the same entry');
    const shifted = plan.kept[1]!;
    assert.deepEqual([shifted.pos, shifted.end, shifted.reports.map((r) => [r.start, r.end])], [50, 60, [[report.start, report.end]]]);
    assert.equal(planUnits([quiet], [dropped], () => 'other').kept[0], undefined, 'another key: checked again');
  });

  test('the diagnostics of one publish share their data object, and a rule\'s diagnostics its code description', () => {
    const finding = (ruleId: string, line: number): Finding => ({
      ruleId, factor: 'logs', severity: 'warning', message: 'm', start: 0, end: 1, fixes: [],
      range: { start: { line, character: 0 }, end: { line, character: 1 } },
    });
    const findings = [finding('logs/console-logging', 1), finding('logs/console-logging', 2), finding('port-binding/hardcoded-port', 3)];
    const entry = { uri: 'file:///a.ts', version: 7, result: { findings } } as unknown as AnalysisEntry;
    const [a, b, c] = diagnosticsOf(entry);
    assert.equal(a.data, b.data);
    assert.equal(a.data, c.data);
    assert.equal(a.codeDescription, b.codeDescription);
    assert.notEqual(a.codeDescription, c.codeDescription);
    assert.equal(diagnosticsOf(entry)[0].codeDescription, a.codeDescription, 'across publishes');
    // the same JSON as one object of each per diagnostic
    assert.equal(JSON.stringify([a, b, c]), JSON.stringify(findings.map((f) => toDiagnostic(f, entry.uri, 7))));
    assert.deepEqual(a.data, { version: 7 });
    assert.deepEqual(c.codeDescription, { href: rulePageLink('port-binding/hardcoded-port') });
  });
});
