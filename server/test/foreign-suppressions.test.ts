/**
 * Other tools' suppression comments in Dockerfiles are honoured for the matching factorlint
 * rule only: one test per tool with a matching code (the finding is suppressed) and a
 * non-matching one (the finding stays).
 */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../src/engine/run';
import { mayContainSuppression, parseSuppressions } from '../src/engine/suppressions';
import { RULES } from '../src/rules/registry';

function findings(text: string, ruleId: string): number[] {
  return analyze({ path: 'app/Dockerfile', text }, { rules: RULES, today: '2026-11-22' }).findings.filter((f) => f.ruleId === ruleId).map((f) => f.range.start.line);
}

const UNPINNED = 'build-release-run/unpinned-base-image';
const ROOT = 'security/runs-as-root';
const HEALTH = 'telemetry/missing-healthcheck';

describe('foreign suppressions in Dockerfiles', () => {
  test('hadolint ignore=DL3006 suppresses unpinned-base-image on the next line', () => {
    assert.deepEqual(findings('# hadolint ignore=DL3006\nFROM node\nUSER node\nCMD ["node", "a.js"]\n', UNPINNED), []);
    assert.deepEqual(findings('# hadolint ignore=DL3007,DL3025\nFROM node:latest\nUSER node\nCMD ["node", "a.js"]\n', UNPINNED), []);
  });

  test('hadolint ignore with another code does not suppress it', () => {
    assert.deepEqual(findings('# hadolint ignore=DL3008\nFROM node\nUSER node\nCMD ["node", "a.js"]\n', UNPINNED), [1]);
    // only the next line: a later FROM is still reported
    assert.deepEqual(findings('# hadolint ignore=DL3006\nFROM node AS a\nFROM python AS b\n', UNPINNED), [2]);
  });

  test('hadolint ignore above a multi-line RUN covers the whole instruction', () => {
    const OS = 'dependencies/unpinned-os-packages';
    const run = 'FROM debian:12-slim\nRUN apt-get update \\\n    && apt-get install -y curl\n';
    assert.deepEqual(findings(run, OS), [1]);
    assert.deepEqual(findings(run.replace('RUN', '# hadolint ignore=DL3008\nRUN'), OS), []);
    assert.deepEqual(findings(run.replace('RUN', '# hadolint ignore=DL3009\nRUN'), OS), [2]);
  });

  test('trivy:ignore:DS-0002 and AVD-DS-0002 suppress runs-as-root', () => {
    assert.deepEqual(findings('# trivy:ignore:DS-0002\nFROM node:22-slim\nCMD ["node", "a.js"]\n', ROOT), []);
    assert.deepEqual(findings('#trivy:ignore:AVD-DS-0002\nFROM node:22-slim\nCMD ["node", "a.js"]\n', ROOT), []);
  });

  test('trivy:ignore with another id does not suppress runs-as-root', () => {
    assert.deepEqual(findings('# trivy:ignore:DS-0001\nFROM node:22-slim\nCMD ["node", "a.js"]\n', ROOT), [1]);
  });

  test('checkov:skip=CKV_DOCKER_3 suppresses runs-as-root for the whole file', () => {
    assert.deepEqual(findings('FROM node:22-slim AS build\n#checkov:skip=CKV_DOCKER_3:runs behind a rootless runtime\nFROM build\nEXPOSE 3000\nCMD ["node", "a.js"]\n', ROOT), []);
  });

  test('checkov:skip with another check does not suppress runs-as-root (but suppresses its own rule)', () => {
    const text = '#checkov:skip=CKV_DOCKER_2:probed by Kubernetes\nFROM node:22-slim\nEXPOSE 3000\nCMD ["node", "a.js"]\n';
    assert.deepEqual(findings(text, ROOT), [1]);
    assert.deepEqual(findings(text, HEALTH), []);
  });
});

describe('mayContainSuppression (the pre-filter before reading comments)', () => {
  test('every comment form that suppresses passes it; plain code does not', () => {
    const suppressing = [
      '// factorlint-disable-next-line config/hardcoded-secret -- test key',
      '/* factorlint-disable */',
      '# factorlint-disable-file',
      '# hadolint ignore=DL3006',
      '# trivy:ignore:AVD-DS-0002',
      '# checkov:skip=CKV_DOCKER_3: reason',
      "const key = 'x'; // NOSONAR",
      "const key = 'x'; // pragma: allowlist secret",
      '// pragma: allowlist nextline secret',
      "const key = 'x'; // gitleaks:allow",
    ];
    for (const comment of suppressing) {
      assert.ok(mayContainSuppression(`const a = 1;\n${comment}\n`), comment);
      // and each really is a suppression the parser understands
      const parsed = parseSuppressions([{ text: comment.replace(/^.*?(?:\/\/|\/\*|#)\s?/, '').replace(/\s*\*\/$/, ''), start: 0, end: comment.length, line: 0, ownLine: true }]);
      assert.equal(parsed.length, 1, comment);
    }
    assert.equal(mayContainSuppression("import express from 'express';\nexpress().listen(3000);\n"), false);
  });
});
