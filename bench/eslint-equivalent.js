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

// ESLint's default parser (espree) for JavaScript, as a team would configure it; typescript-eslint
// only for TypeScript. `.js` files that are CommonJS parse as modules too (both accept them).
const config = [{
  files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
  languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
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
}, {
  files: ['**/*.{ts,tsx,mts,cts}'],
  languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } },
}];

/** A function linting one corpus file; `runner.parseErrors` counts files a parser rejected (by parser). */
function createEslintRunner() {
  const linter = new Linter({ configType: 'flat', cwd: '/bench' });
  const checked = new Set();
  const parseErrors = { espree: 0, 'typescript-eslint': 0 };
  const runner = (file) => {
    // flat config matches paths relative to cwd: give ESLint the same virtual path under /bench
    const messages = linter.verify(file.text, config, { filename: file.path });
    const parser = /\.[cm]?tsx?$/.test(file.path) ? 'typescript-eslint' : 'espree';
    if (!checked.has(parser)) {
      checked.add(parser);
      const unconfigured = messages.find((m) => m.ruleId === null && /No matching configuration/.test(m.message));
      if (unconfigured) throw new Error(`ESLint is not linting: ${unconfigured.message}`);
    }
    if (messages.some((m) => m.fatal)) parseErrors[parser]++;
    return messages.length;
  };
  runner.parseErrors = parseErrors;
  return runner;
}

module.exports = { createEslintRunner, config };
