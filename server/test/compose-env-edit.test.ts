/** `composeEnvEdit`: where "Extract to environment variable" passes the variable in Compose. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../src/engine/apply-fixes';
import { LineIndex } from '../src/engine/line-index';
import { composeEnvEdit } from '../src/features/compose-env-edit';
import { buildProjectModel } from '../src/workspace/project-model';

function run(compose: string, file = 'api/src/db.ts', name = 'DATABASE_URL'): string | undefined {
  const files = [{ path: 'compose.yaml', text: compose }, { path: file, text: 'export const x = 1;\n' }];
  const model = buildProjectModel(files);
  const edit = composeEnvEdit(model, file, name, (p) => files.find((f) => f.path === p)?.text);
  if (!edit) return undefined;
  const lines = new LineIndex(compose);
  return applyEdits(compose, [{ start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end), newText: edit.newText }]);
}

test('block mapping: a new key at the same indentation', () => {
  assert.equal(run('services:\n  api:\n    build: ./api\n    environment:\n      NODE_ENV: production\n'),
    'services:\n  api:\n    build: ./api\n    environment:\n      NODE_ENV: production\n      DATABASE_URL: ${DATABASE_URL}\n');
});

test('list form: a new `- NAME=${NAME}` item', () => {
  assert.equal(run('services:\n  api:\n    build:\n      context: api\n    environment:\n      - NODE_ENV=production\n    ports: ["3000:3000"]\n'),
    'services:\n  api:\n    build:\n      context: api\n    environment:\n      - NODE_ENV=production\n      - DATABASE_URL=${DATABASE_URL}\n    ports: ["3000:3000"]\n');
});

test('no environment: one is added after the service\'s last key (no trailing newline kept working)', () => {
  assert.equal(run('services:\n  api:\n    build: ./api\n    ports:\n      - "3000:3000"'),
    'services:\n  api:\n    build: ./api\n    ports:\n      - "3000:3000"\n    environment:\n      DATABASE_URL: ${DATABASE_URL}\n');
});

test('left alone: flow style, already passed, a file outside every build context, image-only services', () => {
  assert.equal(run('services:\n  api:\n    build: ./api\n    environment: { NODE_ENV: production }\n'), undefined);
  assert.equal(run('services:\n  api:\n    build: ./api\n    environment:\n      DATABASE_URL: postgres://db/x\n'), undefined);
  assert.equal(run('services:\n  api:\n    build: ./api\n', 'worker/src/db.ts'), undefined);
  assert.equal(run('services:\n  api:\n    image: node:22\n'), undefined);
});
