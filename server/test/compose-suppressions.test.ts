/**
 * Suppression comments in Compose files: factorlint's own and other tools' (gitleaks,
 * detect-secrets), each honoured only for the rules it maps to.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../src/engine/run';
import { RULES } from '../src/rules/registry';

function ids(text: string): string[] {
  const errors: unknown[] = [];
  const result = analyze({ path: 'app/compose.yaml', text }, { rules: RULES, today: '2026-11-22', onRuleError: (_id, _p, e) => errors.push(e) });
  assert.deepEqual(errors, []);
  return result.findings.map((f) => `${f.range.start.line + 1}:${f.ruleId}`);
}

// `scale: 2`: container_name is a finding only on a service with several containers
const base = (line: string) => `services:\n  api:\n    image: acme/api:1.0\n    scale: 2\n    healthcheck:\n      test: ["CMD", "true"]\n${line}`;

test('factorlint-disable-next-line silences the named rule on the next line', () => {
  const text = base('    # factorlint-disable-next-line concurrency/container-name -- tooling needs the name\n    container_name: api\n');
  assert.deepEqual(ids(text).filter((i) => i.includes('container-name')), []);
  assert.deepEqual(ids(base('    container_name: api\n')).filter((i) => i.includes('container-name')), ['7:concurrency/container-name']);
});

test('factorlint-disable-next-line for another rule does not silence', () => {
  const text = base('    # factorlint-disable-next-line security/privileged\n    container_name: api\n');
  assert.deepEqual(ids(text).filter((i) => i.includes('container-name')), ['8:concurrency/container-name']);
});

test('factorlint-disable-file silences a rule in the whole file', () => {
  const text = `# factorlint-disable-file security/privileged\n${base('    privileged: true\n    network_mode: host\n')}`;
  assert.deepEqual(ids(text).filter((i) => i.includes('privileged')), []);
});

test('#gitleaks:allow silences secret findings on its line, only those', () => {
  const flagged = base('    environment:\n      JWT_SECRET: 9f8e7d6c5b4a39281706f5e4d3c2b1a0\n');
  assert.deepEqual(ids(flagged).filter((i) => i.includes('hardcoded-secret')), ['8:config/hardcoded-secret']);
  const allowed = base('    environment:\n      JWT_SECRET: 9f8e7d6c5b4a39281706f5e4d3c2b1a0 #gitleaks:allow\n');
  assert.deepEqual(ids(allowed).filter((i) => i.includes('hardcoded-secret')), []);
  const other = base('    # gitleaks:allow\n    container_name: api\n');
  assert.deepEqual(ids(other).filter((i) => i.includes('container-name')), ['8:concurrency/container-name']);
});

test('# pragma: allowlist secret (detect-secrets) silences secret findings, trailing or on the line before', () => {
  const trailing = base('    environment:\n      - DB_PASSWORD=s3cr3t-pass-123  # pragma: allowlist secret\n');
  assert.deepEqual(ids(trailing).filter((i) => i.includes('hardcoded-secret')), []);
  const nextLine = base('    environment:\n      # pragma: allowlist nextline secret\n      - DB_PASSWORD=s3cr3t-pass-123\n');
  assert.deepEqual(ids(nextLine).filter((i) => i.includes('hardcoded-secret')), []);
});

test('a directive inside a YAML scalar is text, not a comment', () => {
  const text = base('    command: |\n      echo "# factorlint-disable-next-line concurrency/container-name"\n    container_name: api\n');
  assert.deepEqual(ids(text).filter((i) => i.includes('container-name')), ['9:concurrency/container-name']);
});
