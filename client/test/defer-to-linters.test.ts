/**
 * factorlint.deferToOtherLinters: which rules are left to another installed linter, and how
 * they reach the server (as `off` customisations that never override the user's own choice).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { normalizeSettings } from '../../server/src/features/settings';
import { RULES } from '../../server/src/rules/registry';
import { HADOLINT_RULES, BUILDKIT_CHECKS } from '../../server/src/engine/foreign-suppressions';
import { OTHER_LINTERS, deferredRules, withDeferredRules } from '../src/defer-to-linters';

const SHELL_FORM = 'disposability/shell-form-entrypoint';
const BASE_IMAGE = 'build-release-run/unpinned-base-image';
const OS_PACKAGES = 'dependencies/unpinned-os-packages';

test('nothing is deferred without another linter, or with the setting off', () => {
  assert.deepEqual(deferredRules(true, ['ms-python.python', 'vscode.git']), []);
  assert.deepEqual(deferredRules(false, ['docker.docker', 'exiasr.hadolint']), []);
});

test('Docker DX defers the shell-form check; hadolint also the base image and OS package pins', () => {
  assert.deepEqual(deferredRules(true, ['docker.docker']), [SHELL_FORM]);
  assert.deepEqual(deferredRules(true, ['exiasr.hadolint']), [OS_PACKAGES, BASE_IMAGE, SHELL_FORM].sort());
  assert.deepEqual(deferredRules(true, ['Docker.docker', 'exiasr.hadolint']), [OS_PACKAGES, BASE_IMAGE, SHELL_FORM].sort(), 'ids compare case-insensitively, each rule once');
  // the old Microsoft Docker extension runs no linter: nothing deferred
  assert.deepEqual(deferredRules(true, ['ms-azuretools.vscode-docker']), []);
});

test('every deferred rule exists and is one the other tool really reports (its code maps to it)', () => {
  const ids = new Set(RULES.map((r) => r.meta.id));
  const reportedBy: Record<string, Set<string>> = {
    'exiasr.hadolint': new Set(Object.values(HADOLINT_RULES).flat()),
    'docker.docker': new Set(Object.values(BUILDKIT_CHECKS).flat()),
  };
  for (const linter of OTHER_LINTERS) {
    for (const rule of linter.rules) {
      assert.ok(ids.has(rule), `${rule} is a rule`);
      assert.ok(reportedBy[linter.extensionId]?.has(rule), `${linter.name} reports ${rule}`);
    }
  }
});

test('the deferred rules reach the server as off, below the user\'s own customisations', () => {
  const section = { run: 'onType', rules: { customizations: { [BASE_IMAGE]: 'error', 'logs/console-logging': 'off' } } };
  const merged = withDeferredRules(section, [SHELL_FORM, BASE_IMAGE]);
  const settings = normalizeSettings(merged);
  assert.equal(settings.rules[SHELL_FORM], 'off');
  assert.equal(settings.rules[BASE_IMAGE], 'error', 'a severity the user set wins');
  assert.equal(settings.rules['logs/console-logging'], 'off');
  assert.equal(settings.run, 'onType', 'other settings untouched');
  assert.deepEqual(section.rules.customizations, { [BASE_IMAGE]: 'error', 'logs/console-logging': 'off' }, 'the input is not mutated');
  assert.equal(withDeferredRules(section, []), section, 'nothing deferred: the section as it was');
  assert.equal(normalizeSettings(withDeferredRules({}, [SHELL_FORM])).rules[SHELL_FORM], 'off', 'works without any customisation');
  assert.equal(withDeferredRules(null, [SHELL_FORM]), null);
});

test('the setting is declared, on by default, and documents the deferred rules', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const setting = pkg.contributes.configuration.properties['factorlint.deferToOtherLinters'];
  assert.equal(setting.type, 'boolean');
  assert.equal(setting.default, true);
  for (const linter of OTHER_LINTERS) {
    assert.ok(setting.markdownDescription.includes(linter.extensionId), linter.extensionId);
    for (const rule of linter.rules) assert.ok(setting.markdownDescription.includes(rule), rule);
  }
});
