/**
 * action.yml, the GitHub Action: its structure (a composite action whose every input is used,
 * passed to scripts through the environment only, never spliced into them), and its steps run
 * here as the runner runs them (`bash --noprofile --norc -eo pipefail`) with GITHUB_OUTPUT, RUNNER_TEMP and GITHUB_ACTION_PATH,
 * `${{ inputs.* }}` and `${{ steps.*.outputs.* }}` substituted. The run writes a SARIF log that
 * validates, prints workflow annotations, and fails exactly at `fail-on`.
 */
import { test, describe, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { writeTree } from './support/cli-harness';
import { assertMatchesSarifSchema } from './support/sarif-schema';

const REPO = path.resolve(__dirname, '../../..');
const built = fs.existsSync(path.join(REPO, 'dist/cli.js'));

interface Step { name?: string; id?: string; shell?: string; run?: string; env?: Record<string, string>; 'working-directory'?: string }
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const actionText = fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8');
const action = parse(actionText) as Action;

describe('action.yml structure', () => {
  test('a composite action with bash steps and the documented inputs', () => {
    assert.equal(action.runs.using, 'composite');
    assert.ok(action.name && action.description);
    for (const input of ['paths', 'config', 'fail-on', 'baseline', 'format', 'sarif-file']) {
      assert.ok(action.inputs[input], `input ${input}`);
      assert.ok(action.inputs[input].description.length > 0);
    }
    assert.equal(action.inputs.format.default, 'github', 'workflow annotations by default');
    assert.equal(action.inputs['fail-on'].default, 'error');
    assert.ok(action.inputs['sarif-file'].default, 'SARIF for code scanning by default');
    for (const step of action.runs.steps) assert.equal(step.shell, 'bash', `${step.name}: composite run steps name their shell`);
  });

  test('every input is used, and only through the environment (no expression inside a script)', () => {
    const used = new Set([...actionText.matchAll(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g)].map((m) => m[1]));
    for (const input of Object.keys(action.inputs)) assert.ok(used.has(input), `input ${input} is never used`);
    for (const name of used) assert.ok(action.inputs[name], `inputs.${name} is used but not declared`);
    for (const step of action.runs.steps) {
      assert.doesNotMatch(step.run ?? '', /\$\{\{/, `${step.name}: a \${{ }} expression in a script is a shell injection`);
      const referenced = new Set([...(step.run ?? '').matchAll(/\$\{?(INPUT_[A-Z_]+|FACTORLINT_[A-Z_]+)/g)].map((m) => m[1]));
      for (const variable of referenced) assert.ok(step.env && variable in step.env, `${step.name}: $${variable} is not in the step's env`);
    }
  });

  test('the outputs point at step outputs that the steps write', () => {
    for (const [name, output] of Object.entries(action.outputs)) {
      const m = /steps\.([\w-]+)\.outputs\.([\w-]+)/.exec(output.value);
      assert.ok(m, name);
      const step = action.runs.steps.find((s) => s.id === m[1]);
      assert.ok(step, `step ${m[1]}`);
      assert.match(step.run ?? '', new RegExp(`${m[2]}=`), `step ${m[1]} writes ${m[2]}`);
    }
  });
});

/** Runs the action's steps as the runner would. */
function runAction(cwd: string, inputs: Record<string, string>, tmp: string): { code: number; stdout: string; stderr: string; outputs: Record<string, Record<string, string>> } {
  const values: Record<string, string> = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? '']));
  const outputs: Record<string, Record<string, string>> = {};
  const expand = (text: string) => text
    .replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, name: string) => values[name] ?? '')
    .replace(/\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}/g, (_m, id: string, name: string) => outputs[id]?.[name] ?? '');
  let last = { code: 0, stdout: '', stderr: '' };
  for (const step of action.runs.steps) {
    const outputFile = path.join(tmp, `output-${step.id}`);
    fs.writeFileSync(outputFile, '');
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_OUTPUT: outputFile, GITHUB_ACTION_PATH: REPO, RUNNER_TEMP: tmp, NO_COLOR: '1' };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(v);
    const dir = path.resolve(cwd, expand(step['working-directory'] ?? '.'));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', step.run ?? ''], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    outputs[step.id ?? ''] = Object.fromEntries(fs.readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    last = { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    if (last.code !== 0) break;
  }
  return { ...last, outputs };
}

describe('the action, run step by step', { skip: !built && 'dist/cli.js not built (npm run build)' }, () => {
  let repo: string;
  let tmp: string;
  before(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-action-repo-'));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-action-tmp-'));
    writeTree(repo, {
      'package.json': JSON.stringify({ name: 'svc', dependencies: { express: '4.0.0' } }),
      'src/server.js': "const express = require('express');\nexpress().listen(8080);\n",
      // TLS verification disabled: an error-level finding
      'Dockerfile': 'FROM node:22-slim\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nUSER node\nCMD ["node", "src/server.js"]\n',
    });
  });
  after(() => { fs.rmSync(repo, { recursive: true, force: true }); fs.rmSync(tmp, { recursive: true, force: true }); });

  test('defaults: SARIF written and valid, annotations printed, the step fails on an error', () => {
    const r = runAction(repo, {}, tmp);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.outputs.run['exit-code'], '1');
    assert.equal(r.outputs.run['sarif-file'], 'factorlint.sarif');
    const sarif = JSON.parse(fs.readFileSync(path.join(repo, 'factorlint.sarif'), 'utf8'));
    assertMatchesSarifSchema(sarif);
    assert.ok(sarif.runs[0].results.length >= 2, 'SARIF holds every finding (written with --fail-on none)');
    assert.match(r.stdout, /^::error file=Dockerfile,line=2,/m);
    assert.match(r.stdout, /^::warning file=src\/server\.js,line=2,.*title=factorlint port-binding\/hardcoded-port::/m);
  });

  test('fail-on none passes; a baseline hides known findings; format text and paths are honoured', () => {
    assert.equal(runAction(repo, { 'fail-on': 'none' }, tmp).code, 0);
    const create = spawnSync(process.execPath, [path.join(REPO, 'bin/factorlint.js'), '--baseline-create', '--no-git'], { cwd: repo, encoding: 'utf8' });
    assert.equal(create.status, 0, create.stderr);
    const baselined = runAction(repo, { baseline: '.factorlint-baseline.json', 'sarif-file': '' }, tmp);
    assert.equal(baselined.code, 0, baselined.stdout + baselined.stderr);
    assert.equal(baselined.outputs.run['sarif-file'], '');
    const text = runAction(repo, { format: 'text', paths: 'src', 'sarif-file': '' }, tmp);
    assert.equal(text.code, 0, 'only src/ analysed: a warning, no error');
    assert.match(text.stdout, /src\/server\.js/);
    assert.doesNotMatch(text.stdout, /Dockerfile/);
  });

  test('a configuration error fails the step with exit code 2', () => {
    const r = runAction(repo, { config: 'missing.json' }, tmp);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing\.json/);
  });
});
