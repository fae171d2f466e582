'use strict';
/**
 * The ESLint setup a team would bend to factorlint's job: no-console, a few
 * no-restricted-syntax selectors for the structural rules, and a custom rule that checks
 * string literals for secrets with the same knowledge factorlint uses (so the comparison
 * measures the framework, not a weaker check).
 */
const { Linter } = require('eslint');
const tsParser = require('@typescript-eslint/parser');
const { isSecretName, findCredential, isPlaceholder } = require('../out/server/src/engine/secrets.js');

const secretRule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const check = (node, name) => {
      if (typeof node.value !== 'string') return;
      if (findCredential(node.value) || (typeof name === 'string' && isSecretName(name) && !isPlaceholder(node.value))) context.report({ node, message: 'hardcoded secret' });
    };
    return {
      Literal(node) {
        const p = node.parent;
        const name = p && p.type === 'Property' ? (p.key.name ?? p.key.value) : p && p.type === 'VariableDeclarator' ? p.id.name : undefined;
        check(node, name);
      },
    };
  },
};

const config = [{
  files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
  languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
  plugins: { local: { rules: { 'hardcoded-secret': secretRule } } },
  rules: {
    'no-console': 'warn',
    'local/hardcoded-secret': 'warn',
    'no-restricted-syntax': ['warn',
      "CallExpression[callee.property.name='listen'] > Literal",
      "Property[key.name='rejectUnauthorized'][value.value=false]",
      "NewExpression[callee.property.name='File']",
      "CallExpression[callee.name='cors'][arguments.length=0]",
      "CallExpression[callee.property.name=/^(writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream)$/]",
      "Property[key.name='synchronize'][value.value=true]",
    ],
  },
}];

function createEslintRunner() {
  const linter = new Linter({ configType: 'flat', cwd: '/bench' });
  let checked = false;
  return (file) => {
    // flat config matches paths relative to cwd: give ESLint the same virtual path under /bench
    const messages = linter.verify(file.text, config, { filename: file.path });
    if (!checked) {
      checked = true;
      const unconfigured = messages.find((m) => m.ruleId === null && /No matching configuration/.test(m.message));
      if (unconfigured) throw new Error(`ESLint is not linting: ${unconfigured.message}`);
    }
    return messages.length;
  };
}

module.exports = { createEslintRunner };
