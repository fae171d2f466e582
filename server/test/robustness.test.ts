/**
 * Hostile and broken input (issue 8): property-based mutations of real fixture texts, and
 * pathological files, each with a time bound. The engine never throws, no rule errors, every
 * range lies inside the document, every fix applies cleanly, and the fixed text analyses too.
 */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyze } from '../src/engine/run';
import { applyEdits } from '../src/engine/apply-fixes';
import { FIXTURES_DIR, isFixedFile } from './support/fixtures';
import { RULES } from '../src/rules/registry';
import { cpuTimed } from './support/cpu-time';

interface Seed { path: string; text: string }

function seeds(): Record<string, Seed[]> {
  const byKind: Record<string, Seed[]> = { ts: [], dockerfile: [], compose: [], dotenv: [] };
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) { walk(full); continue; }
      if (isFixedFile(entry.name) || entry.name.endsWith('.json')) continue;
      const text = fs.readFileSync(full, 'utf8');
      if (/\.(?:[cm]?[jt]sx?)$/.test(entry.name)) byKind.ts.push({ path: '/w/app/src/seed.ts', text });
      else if (/Dockerfile$|dockerfile$/.test(entry.name)) byKind.dockerfile.push({ path: '/w/app/Dockerfile', text });
      else if (/\.ya?ml$/.test(entry.name)) byKind.compose.push({ path: '/w/app/compose.yaml', text });
      else if (/\.env$/.test(entry.name) || entry.name.startsWith('.env')) byKind.dotenv.push({ path: '/w/app/.env', text });
    }
  };
  walk(FIXTURES_DIR);
  byKind.dotenv.push({ path: '/w/app/.env', text: 'export DB_PASSWORD="hunter2-prod"\nAPI_KEY=abc123def456ghi\n# comment\nURL=${BASE}/x\n' });
  return byKind;
}

const NASTY = ['\u0000', '\uFEFF', '\r\n', '\r', '\t', '"', "'", '`', '${', '}', '{', '[', ']', '(', ')', '\\', '\n', '#', '//', '/*', '*/', '<<', '&a', '*a', ': ', '- ', '\u2028', '\uD800', '😀', 'é', '\u200B', 'FROM', 'CMD ', 'listen(3000)', 'password: "x"', '=', '$$'];

const mutation = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 })) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('crlf' as const) }),
  fc.record({ op: fc.constant('bom' as const) }),
  fc.record({ op: fc.constant('tabs' as const) }),
);

type Mutation = { op: 'truncate'; at: number } | { op: 'insert'; at: number; text: string } | { op: 'delete'; at: number; length: number } | { op: 'crlf' } | { op: 'bom' } | { op: 'tabs' };

function mutate(text: string, mutations: Mutation[]): string {
  let t = text;
  for (const m of mutations) {
    const at = 'at' in m ? m.at % (t.length + 1) : 0;
    if (m.op === 'truncate') t = t.slice(0, at);
    else if (m.op === 'insert') t = t.slice(0, at) + m.text + t.slice(at);
    else if (m.op === 'delete') t = t.slice(0, at) + t.slice(at + m.length);
    else if (m.op === 'crlf') t = t.replace(/\r?\n/g, '\r\n');
    else if (m.op === 'bom') t = '\uFEFF' + t;
    else t = t.replace(/ {2}/g, '\t');
  }
  return t;
}

function checkInvariants(seed: Seed, text: string): void {
  const errors: string[] = [];
  const result = analyze({ path: seed.path, text }, { rules: RULES, onRuleError: (id, _p, e) => errors.push(`${id}: ${(e as Error)?.stack ?? e}`), reportUnusedSuppressions: true });
  assert.deepEqual(errors, [], 'a rule threw');
  for (const f of result.findings) {
    assert.ok(f.start >= 0 && f.start <= f.end && f.end <= text.length, `${f.ruleId} range ${f.start}-${f.end} outside 0-${text.length}`);
    assert.ok(!f.message.includes('{{'), `${f.ruleId} message not filled`);
    for (const fix of f.fixes) {
      let fixed: string;
      try {
        fixed = applyEdits(text, fix.edits);
      } catch (e) {
        assert.fail(`${f.ruleId} fix "${fix.title}" does not apply: ${(e as Error).message}`);
      }
      const again: string[] = [];
      analyze({ path: seed.path, text: fixed }, { rules: RULES, onRuleError: (id, _p, e) => again.push(`${id}: ${(e as Error)?.message}`) });
      assert.deepEqual(again, [], `analysing the text fixed by ${f.ruleId} made a rule throw`);
    }
  }
}

describe('property-based: mutated real texts never break the engine', () => {
  const byKind = seeds();
  for (const [kind, list] of Object.entries(byKind)) {
    test(`${kind}: ${list.length} seeds`, { timeout: 120_000 }, () => {
      assert.ok(list.length > 0);
      fc.assert(
        fc.property(fc.nat({ max: list.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (index, mutations) => {
          const seed = list[index];
          checkInvariants(seed, mutate(seed.text, mutations as Mutation[]));
        }),
        { numRuns: Number(process.env.FACTORLINT_PROPERTY_RUNS ?? 120), seed: Number(process.env.FACTORLINT_PROPERTY_SEED ?? 20261122) },
      );
    });
  }
});

describe('pathological files finish within stated bounds', () => {
  // Bounds on CPU time, generous; the measured figures are in the README.
  const cases: Array<{ name: string; path: string; text: () => string; boundMs: number; expect?: (r: ReturnType<typeof analyze>) => void }> = [
    { name: '10,000-deep nesting (TS)', path: '/w/src/deep.ts', text: () => 'const x = ' + '('.repeat(10000) + '1' + ')'.repeat(10000) + ';', boundMs: 5000,
      expect: (r) => assert.equal(r.skipped, 'unparseable') },
    { name: '2 MB single-line minified bundle', path: '/w/src/vendor.js', text: () => 'var a=1,b="x";function f(){return a+b}'.repeat(52000), boundMs: 20000 },
    { name: '100,000-line Dockerfile', path: '/w/Dockerfile', text: () => 'FROM node:22\n' + 'RUN echo hi\n'.repeat(100000) + 'CMD ["node","x"]\n', boundMs: 20000 },
    { name: 'YAML alias bomb (billion laughs)', path: '/w/compose.yaml', text: () => {
      let t = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
      for (let i = 0; i < 9; i++) { const p = String.fromCharCode(97 + i); const n = String.fromCharCode(98 + i); t += `${n}: &${n} [${Array(9).fill('*' + p).join(',')}]\n`; }
      return t + 'services:\n  api:\n    image: x:1\n    environment: *j\n    command: *j\n';
    }, boundMs: 5000 },
    { name: '1,000 Compose services', path: '/w/compose.yaml', text: () => {
      let t = 'services:\n';
      for (let i = 0; i < 1000; i++) t += `  s${i}:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: secretvalue${i}\n    ports: ["5432:5432"]\n`;
      return t;
    }, boundMs: 20000 },
    { name: 'binary content', path: '/w/src/a.ts', text: () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)).toString('latin1'), boundMs: 1000,
      expect: (r) => assert.equal(r.skipped, 'binary') },
    { name: '10 MB source over the size limit', path: '/w/src/big.ts', text: () => 'x'.repeat(10 * 1024 * 1024), boundMs: 2000,
      expect: (r) => { assert.equal(r.skipped, 'too-large'); assert.equal(r.findings.length, 1); assert.equal(r.findings[0].severity, 'info'); } },
  ];
  for (const c of cases) {
    test(c.name, { timeout: c.boundMs * 3 }, () => {
      const text = c.text();
      const errors: string[] = [];
      const { value, ms } = cpuTimed(() => analyze({ path: c.path, text }, { rules: RULES, onRuleError: (id, _p, e) => errors.push(`${id}: ${(e as Error)?.message}`) }));
      assert.deepEqual(errors, []);
      assert.ok(ms < c.boundMs, `${c.name} took ${ms.toFixed(0)} ms of CPU (bound ${c.boundMs} ms)`);
      c.expect?.(value);
    });
  }
});
