/**
 * Other tools' suppression comments in Dockerfiles are honoured for the matching factorlint
 * rule only: one test per tool with a matching code (the finding is suppressed) and a
 * non-matching one (the finding stays).
 */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../src/engine/run';
import { mayContainSuppression, parseSuppressions } from '../src/engine/suppressions';
import { BUILDKIT_CHECKS, HADOLINT_RULES, NOT_MAPPED, TRIVY_RULES } from '../src/engine/foreign-suppressions';
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
      '# hadolint global ignore=DL3006',
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
    // BuildKit's directive is a parser directive, not a comment the adapters hand over: the
    // pre-filter lets it through, and ordinary code named `check` does not trigger a parse
    assert.equal(mayContainSuppression('# check=skip=JSONArgsRecommended\nFROM alpine:3.20\n'), true);
    assert.equal(mayContainSuppression('const check = validate(input);\n'), false);
  });
});

/**
 * Each mapping, tried on the other tool's own documented example (hadolint wiki, Trivy AVD,
 * Checkov, Docker build checks pages): the other tool's suppression silences the factorlint
 * finding on that example, and the same example without it is flagged.
 */
describe('each foreign mapping on the other tool\'s documented example', () => {
  const cases: Array<{ comment: string; dockerfile: string; rule: string; line: number }> = [
    // hadolint wiki DL3002: "FROM busybox / USER root / RUN ..."
    { comment: '# hadolint ignore=DL3002', dockerfile: 'FROM busybox:1.36\nUSER root\nCMD ["sh"]\n', rule: ROOT, line: 1 },
    // DL3006: "FROM debian"
    { comment: '# hadolint ignore=DL3006', dockerfile: 'FROM debian\nUSER nobody\n', rule: UNPINNED, line: 0 },
    // DL3007: "FROM debian:latest"
    { comment: '# hadolint ignore=DL3007', dockerfile: 'FROM debian:latest\nUSER nobody\n', rule: UNPINNED, line: 0 },
    // DL3008: "RUN apt-get install python"
    { comment: '# hadolint ignore=DL3008', dockerfile: 'FROM debian:12\nRUN apt-get install python\n', rule: 'dependencies/unpinned-os-packages', line: 1 },
    // DL3016: "RUN npm install express"
    { comment: '# hadolint ignore=DL3016', dockerfile: 'FROM node:22-slim\nRUN npm install express\n', rule: 'dependencies/npm-install-without-lockfile', line: 1 },
    // DL3018: "RUN apk --no-cache add foo"
    { comment: '# hadolint ignore=DL3018', dockerfile: 'FROM alpine:3.7\nRUN apk --no-cache add foo\n', rule: 'dependencies/unpinned-os-packages', line: 1 },
    // DL3025: "CMD my-service server"
    { comment: '# hadolint ignore=DL3025', dockerfile: 'FROM busybox:1.36\nCMD my-service server\n', rule: 'disposability/shell-form-entrypoint', line: 1 },
    // Trivy DS001: "FROM debian:latest"
    { comment: '# trivy:ignore:AVD-DS-0001', dockerfile: 'FROM debian:latest\nUSER nobody\n', rule: UNPINNED, line: 0 },
    // Trivy DS005 fires on ADD of a URL too ("use COPY instead of ADD unless you extract a tar")
    { comment: '# trivy:ignore:DS005', dockerfile: 'FROM debian:12\nADD https://example.com/tool.sh /tool.sh\n', rule: 'build-release-run/add-remote-url', line: 1 },
  ];
  for (const c of cases) {
    test(`${c.comment} → ${c.rule}`, () => {
      const lines = c.dockerfile.split('\n');
      assert.ok(findings(c.dockerfile, c.rule).includes(c.line), 'the documented example is flagged without the comment');
      const withComment = [...lines.slice(0, c.line), c.comment, ...lines.slice(c.line)].join('\n');
      assert.ok(!findings(withComment, c.rule).includes(c.line + 1), 'the comment silences it');
    });
  }

  test('file-scoped: Checkov CKV_DOCKER_2 and hadolint global ignore=DL3057 (no HEALTHCHECK)', () => {
    const file = 'FROM node:22-slim\nEXPOSE 3000\nCMD ["node", "a.js"]\n';
    assert.deepEqual(findings(file, HEALTH).length, 1);
    assert.deepEqual(findings(`#checkov:skip=CKV_DOCKER_2:probed by the platform\n${file}`, HEALTH), []);
    assert.deepEqual(findings(`# hadolint global ignore=DL3057\n${file}`, HEALTH), []);
  });
});

describe('codes that mean something else are not mapped', () => {
  test('hadolint DL4001 / DL4006 do not silence curl-pipe-shell (hadolint wiki DL4006 example)', () => {
    const text = 'FROM debian:12\nRUN curl -fsSL https://get.example.com | sh\n';
    const CURL = 'dependencies/curl-pipe-shell';
    assert.deepEqual(findings(text, CURL), [1]);
    assert.deepEqual(findings(text.replace('RUN', '# hadolint ignore=DL4006\nRUN'), CURL), [2]);
    assert.deepEqual(findings(text.replace('RUN', '# hadolint ignore=DL4001\nRUN'), CURL), [2]);
  });

  test('hadolint DL3020 (COPY instead of ADD for files) does not silence add-remote-url', () => {
    const text = 'FROM debian:12\n# hadolint ignore=DL3020\nADD https://example.com/tool.sh /tool.sh\n';
    assert.deepEqual(findings(text, 'build-release-run/add-remote-url'), [2]);
  });

  test('Trivy DS-0029 (apt-get without --no-install-recommends) does not silence unpinned-os-packages', () => {
    const text = 'FROM debian:12\n# trivy:ignore:AVD-DS-0029\nRUN apt-get update && apt-get install -y curl\n';
    assert.deepEqual(findings(text, 'dependencies/unpinned-os-packages'), [2]);
  });

  test('the NOT_MAPPED codes stay out of the tables', () => {
    const tables: Record<string, Record<string, string[]>> = { hadolint: HADOLINT_RULES, trivy: TRIVY_RULES, buildkit: BUILDKIT_CHECKS };
    for (const key of Object.keys(NOT_MAPPED)) {
      const [tool, code] = key.split(' ');
      assert.equal(tables[tool][code], undefined, key);
    }
  });
});

describe('file-wide directives: hadolint global ignore and BuildKit check=skip', () => {
  const SHELL = 'disposability/shell-form-entrypoint';
  test('# hadolint global ignore=… applies to the whole file, wherever it is', () => {
    const text = 'FROM node:22-slim AS build\nRUN npm ci\n# hadolint global ignore=DL3006,DL3025\nFROM node\nUSER node\nCMD node a.js\n';
    assert.deepEqual(findings(text, UNPINNED), []);
    assert.deepEqual(findings(text, SHELL), []);
    assert.deepEqual(findings(text.replace('DL3006,DL3025', 'DL3008'), SHELL), [5]);
  });

  test('# check=skip=JSONArgsRecommended at the top (the Docker docs example) silences shell-form CMD/ENTRYPOINT', () => {
    const body = 'FROM alpine:3.20\nUSER nobody\nENTRYPOINT my-program start\n';
    assert.deepEqual(findings(body, SHELL), [2]);
    assert.deepEqual(findings(`# check=skip=JSONArgsRecommended\n${body}`, SHELL), []);
    assert.deepEqual(findings(`# syntax=docker/dockerfile:1\n# check=skip=FromAsCasing,JSONArgsRecommended;error=true\n${body}`, SHELL), []);
    assert.deepEqual(findings(`# check=skip=all\n${body}`, SHELL), []);
  });

  test('check=skip with other checks, or below the first instruction (a plain comment then), silences nothing', () => {
    const body = 'FROM alpine:3.20\nUSER nobody\nENTRYPOINT my-program start\n';
    assert.deepEqual(findings(`# check=skip=FromAsCasing\n${body}`, SHELL), [3]);
    assert.deepEqual(findings(`FROM alpine:3.20\n# check=skip=JSONArgsRecommended\nUSER nobody\nENTRYPOINT my-program start\n`, SHELL), [3]);
    // BuildKit's SecretsUsedInArgOrEnv flags names, not values: not mapped to hardcoded-secret
    assert.deepEqual(findings(`# check=skip=SecretsUsedInArgOrEnv\nFROM alpine:3.20\nENV STRIPE_KEY=sk_live_${'a1B2c3D4e5F6g7H8i9J0k1L2m3'}\n`, 'config/hardcoded-secret').length, 1);
  });
});
