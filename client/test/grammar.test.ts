/**
 * The directive injection grammar tokenized by VS Code's own TextMate engine and grammars
 * (vscode-textmate + oniguruma and the built-in TS/Dockerfile/YAML/dotenv grammars, taken from
 * the code-server that e2e/install.sh installs). Skipped when that install is absent.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');
const VSCODE = join(ROOT, 'e2e/vscode/node_modules/code-server/lib/vscode');
const available = existsSync(join(VSCODE, 'node_modules/vscode-textmate'));

interface Token { startIndex: number; endIndex: number; scopes: string[] }
interface TextMate {
  Registry: new (options: unknown) => { loadGrammar(scope: string): Promise<{ tokenizeLine(line: string, state: unknown): { tokens: Token[] } } | null> };
  INITIAL: unknown;
  parseRawGrammar(content: string, path: string): unknown;
}
interface Oniguruma { loadWASM(data: ArrayBuffer): Promise<void>; OnigScanner: unknown; OnigString: unknown }

const GRAMMARS: Record<string, string> = {
  'source.ts': 'extensions/typescript-basics/syntaxes/TypeScript.tmLanguage.json',
  'source.dockerfile': 'extensions/docker/syntaxes/docker.tmLanguage.json',
  'source.yaml': 'extensions/yaml/syntaxes/yaml.tmLanguage.json',
  'source.dotenv': 'extensions/dotenv/syntaxes/dotenv.tmLanguage.json',
};
/** Grammars the main ones include (the YAML grammar delegates to a versioned one). */
const INCLUDED: Record<string, string> = {
  'source.yaml.1.3': 'extensions/yaml/syntaxes/yaml-1.3.tmLanguage.json',
  'source.yaml.1.2': 'extensions/yaml/syntaxes/yaml-1.2.tmLanguage.json',
  'source.yaml.1.1': 'extensions/yaml/syntaxes/yaml-1.1.tmLanguage.json',
  'source.yaml.1.0': 'extensions/yaml/syntaxes/yaml-1.0.tmLanguage.json',
  'source.yaml.embedded': 'extensions/yaml/syntaxes/yaml-embedded.tmLanguage.json',
};

async function tokenizer(scope: string): Promise<(line: string) => Array<{ text: string; scopes: string[] }>> {
  const onig = require(join(VSCODE, 'node_modules/vscode-oniguruma')) as Oniguruma;
  const tm = require(join(VSCODE, 'node_modules/vscode-textmate')) as TextMate;
  const wasm = readFileSync(join(VSCODE, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const injection = join(ROOT, 'syntaxes/factorlint-directives.injection.tmLanguage.json');
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new (onig.OnigScanner as new (p: string[]) => unknown)(p), createOnigString: (s: string) => new (onig.OnigString as new (s: string) => unknown)(s) }),
    loadGrammar: async (name: string) => {
      const relative = GRAMMARS[name] ?? INCLUDED[name];
      const file = name === 'factorlint.directives.injection' ? injection : relative ? join(VSCODE, relative) : undefined;
      return file ? tm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (name: string) => (GRAMMARS[name] ? ['factorlint.directives.injection'] : undefined),
  });
  const grammar = await registry.loadGrammar(scope);
  assert.ok(grammar, scope);
  return (line) => grammar.tokenizeLine(line, tm.INITIAL).tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
}

function scopeOf(tokens: Array<{ text: string; scopes: string[] }>, text: string): string {
  const token = tokens.find((t) => t.text.trim() === text);
  assert.ok(token, `a token "${text}" in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return token.scopes.join(' ');
}

const cases: Array<[string, string, string]> = [
  ['source.ts', '// factorlint-disable-next-line port-binding/hardcoded-port, config/hardcoded-secret -- until 2027-03-01 local tool', 'port-binding/hardcoded-port'],
  ['source.ts', '/* factorlint-disable logs/console-logging -- CLI output */', 'logs/console-logging'],
  ['source.dockerfile', '# factorlint-disable-next-line security/runs-as-root -- until 2027-01-15 base image runs as root', 'security/runs-as-root'],
  ['source.yaml', '    # factorlint-disable-line concurrency/container-name -- until 2027-02-01 legacy tooling', 'concurrency/container-name'],
  ['source.dotenv', '# factorlint-disable-file config/committed-env-file -- until 2027-02-01 sample values', 'config/committed-env-file'],
];

for (const [scope, line, ruleId] of cases) {
  test(`directive highlighting in ${scope}: ${line.trim().slice(0, 40)}…`, { skip: !available && 'code-server not installed (bash e2e/install.sh)' }, async () => {
    const tokens = (await tokenizer(scope))(line);
    const directive = /factorlint-[a-z-]+/.exec(line)![0];
    assert.match(scopeOf(tokens, directive), /comment.*keyword\.control\.directive\.factorlint/);
    assert.match(scopeOf(tokens, ruleId), /entity\.name\.tag\.rule-id\.factorlint/);
    assert.match(scopeOf(tokens, '--'), /punctuation\.separator\.reason\.factorlint/);
    const date = /\d{4}-\d{2}-\d{2}/.exec(line);
    if (date) {
      assert.match(scopeOf(tokens, 'until'), /keyword\.other\.until\.factorlint/);
      assert.match(scopeOf(tokens, date[0]), /constant\.numeric\.date\.factorlint/);
    }
  });
}

test('directive words outside comments stay plain code', { skip: !available && 'code-server not installed' }, async () => {
  const tokens = (await tokenizer('source.ts'))("const factorlintDisable = 'port-binding/hardcoded-port';");
  assert.ok(tokens.every((t) => !t.scopes.some((s) => s.endsWith('.factorlint'))), JSON.stringify(tokens));
});

test('a directive inside a YAML string is not a comment', { skip: !available && 'code-server not installed' }, async () => {
  const tokens = (await tokenizer('source.yaml'))('command: "echo # factorlint-disable-line a/b"');
  assert.ok(tokens.every((t) => !t.scopes.some((s) => s.endsWith('.factorlint'))), JSON.stringify(tokens));
});
