/**
 * Where a variable is declared besides env templates, Compose and Dockerfiles: the variables a
 * package.json script sets for its command, and a Heroku `app.json` manifest's `env`.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { scriptAssignedVars } from '../src/rules/support/script-env';
import { appJsonEnvNames } from '../src/workspace/extract-app-json';

test('a script sets variables by prefix assignment, cross-env, env, export and set', () => {
  assert.deepEqual(scriptAssignedVars('BUILD_ENV=pre npm run build'), ['BUILD_ENV']);
  assert.deepEqual(scriptAssignedVars('cross-env NODE_ENV=production APP_MODE="a b" node dist/main.js'), ['APP_MODE', 'NODE_ENV']);
  assert.deepEqual(scriptAssignedVars('npm run lint && env DEBUG_X=1 node app.js'), ['DEBUG_X']);
  assert.deepEqual(scriptAssignedVars('export TZ=UTC; set WIN_VAR=1&& node app.js'), ['TZ', 'WIN_VAR']);
  // arguments of other programs are not assignments to the environment
  assert.deepEqual(scriptAssignedVars('echo NOT_SET=1 && node app.js --flag X=1'), []);
  assert.deepEqual(scriptAssignedVars('node -e "process.env.A=1"'), []);
});

test('app.json env keys and environments.<stage>.env keys are declared, with the key\'s location', () => {
  const text = '{\n  "description": "see ACKEE_TTL",\n  "env": {\n    "ACKEE_TTL": { "required": false },\n    "bad name": "x"\n  },\n  "environments": { "test": { "env": { "CI_ONLY": "1" } } }\n}\n';
  const names = appJsonEnvNames('app.json', text);
  assert.deepEqual(names.map((n) => n.name), ['ACKEE_TTL', 'CI_ONLY']);
  assert.deepEqual(names[0].loc.range.start, { line: 3, character: 5 });
  assert.deepEqual(appJsonEnvNames('app.json', '{ "name": "x" }'), []);
  assert.deepEqual(appJsonEnvNames('app.json', 'not json'), []);
  assert.deepEqual(appJsonEnvNames('app.json', '[1]'), []);
});
