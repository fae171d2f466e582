/** Baseline: round trips, stability under unrelated edits, occurrences, and what does invalidate it. */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../src/engine/run';
import { createBaseline, filterBaselined, fingerprint, lineTextFrom, loadBaseline, normalizeLineText, serializeBaseline } from '../src/report/baseline';
import type { LocatedFinding } from '../src/workspace/workspace-rule';
import { analyzeSample, CORE_RULES, loadSample } from './support/sample-workspace';

const TODAY = '2026-11-22';

function findingsOf(path: string, text: string): LocatedFinding[] {
  return analyze({ path, text }, { today: TODAY, rules: CORE_RULES }).findings.map((f) => ({ ...f, path }));
}

const SERVER = [
  "import express from 'express';",
  'const app = express();',
  "const password = 'hunter2-prod-password';",
  'app.listen(3000);',
  '',
].join('\n');

describe('baseline', () => {
  test('round trip: create → serialize → load → every finding is baselined', () => {
    const files = loadSample();
    const { findings } = analyzeSample(files);
    assert.ok(findings.length > 0);
    const texts = new Map(files.map((f) => [f.path, f.text]));
    const baseline = createBaseline(findings, lineTextFrom(texts));
    const text = serializeBaseline(baseline);
    const loaded = loadBaseline(text);
    assert.deepEqual(loaded, baseline);
    const { kept, baselined } = filterBaselined(findings, loaded, lineTextFrom(texts));
    assert.equal(kept.length, 0);
    assert.equal(baselined.length, findings.length);
    assert.equal(serializeBaseline(createBaseline([...findings].reverse(), lineTextFrom(texts))), text, 'same findings, same file');
    assert.ok(!text.includes('hunter2') && !text.includes('whsec_'), 'the baseline holds hashes, not source text');
  });

  test('an unrelated edit above the finding does not invalidate it; a new finding is kept', () => {
    const before = findingsOf('src/server.ts', SERVER);
    assert.deepEqual(before.map((f) => f.ruleId).sort(), ['config/hardcoded-secret', 'port-binding/hardcoded-port']);
    const baseline = createBaseline(before, lineTextFrom(new Map([['src/server.ts', SERVER]])));
    const edited = ['// a new header comment', "import helmet from 'helmet';", '', SERVER.replace("const app = express();", "const app  =  express();\napp.use(helmet());").replace('app.listen(3000);', '   app.listen(3000);   '), "const token = 'ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';", ''].join('\n');
    const after = findingsOf('src/server.ts', edited);
    const { kept, baselined } = filterBaselined(after, baseline, lineTextFrom(new Map([['src/server.ts', edited]])));
    assert.deepEqual(baselined.map((f) => f.ruleId).sort(), ['config/hardcoded-secret', 'port-binding/hardcoded-port']);
    assert.deepEqual(kept.map((f) => `${f.ruleId}:${f.range.start.line + 1}`), ['config/hardcoded-secret:10']);
  });

  test('editing the offending line itself, or moving the file, invalidates its entry', () => {
    const baseline = createBaseline(findingsOf('src/server.ts', SERVER), lineTextFrom(new Map([['src/server.ts', SERVER]])));
    const changed = SERVER.replace('app.listen(3000);', 'app.listen(3001);');
    const r1 = filterBaselined(findingsOf('src/server.ts', changed), baseline, lineTextFrom(new Map([['src/server.ts', changed]])));
    assert.deepEqual(r1.kept.map((f) => f.ruleId), ['port-binding/hardcoded-port']);
    const r2 = filterBaselined(findingsOf('src/moved.ts', SERVER), baseline, lineTextFrom(new Map([['src/moved.ts', SERVER]])));
    assert.equal(r2.kept.length, 2);
  });

  test('identical lines: occurrences are counted, so a third copy is new', () => {
    const two = "app.listen(3000);\napp.listen(3000);\n";
    const three = "app.listen(3000);\napp.listen(3000);\napp.listen(3000);\n";
    const baseline = createBaseline(findingsOf('src/a.ts', two), lineTextFrom(new Map([['src/a.ts', two]])));
    assert.equal(baseline.findings.length, 2);
    assert.notEqual(baseline.findings[0].fingerprint, baseline.findings[1].fingerprint);
    const { kept, baselined } = filterBaselined(findingsOf('src/a.ts', three), baseline, lineTextFrom(new Map([['src/a.ts', three]])));
    assert.equal(baselined.length, 2);
    assert.equal(kept.length, 1);
  });

  test('normalization and validation', () => {
    assert.equal(normalizeLineText('  a \t  b  '), 'a b');
    assert.equal(fingerprint('r', 'p', '  x   y ', 0), fingerprint('r', 'p', 'x y', 0));
    assert.notEqual(fingerprint('r', 'p', 'x y', 0), fingerprint('r', 'p', 'x y', 1));
    assert.equal(fingerprint('r', 'a\\b', 'x', 0), fingerprint('r', 'a/b', 'x', 0));
    assert.throws(() => loadBaseline('not json'), /not valid JSON/);
    assert.throws(() => loadBaseline('{"version":2,"findings":[]}'), /expected/);
    assert.throws(() => loadBaseline('{"version":1,"findings":[{"ruleId":"x"}]}'), /fingerprint/);
  });
});
