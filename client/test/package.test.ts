/**
 * What the .vsix ships: `.vscodeignore` is an allowlist, so the package holds the two bundles,
 * media, snippets, syntaxes, the schema, docs, README, LICENSE and CHANGELOG — never sources,
 * tests, fixtures, e2e tooling or node_modules — and stays small.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');
// vsce runs in a staged copy: the checkout has both package.json `files` (the npm package) and
// .vscodeignore (the extension), which vsce refuses to combine
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { stage, vsce: vscePath } = require(join(ROOT, 'scripts', 'stage-extension.js')) as { stage(outDir: string, options?: { build?: boolean; vsix?: string | false }): string | undefined; vsce(): string };
const VSCE = vscePath();
const ALLOWED = [/^dist\/(client|server|index-worker|typescript)\.js$/, /^media\//, /^snippets\/[\w-]+\.code-snippets$/, /^snippets\/env-snippets\.json$/, /^syntaxes\/[\w.-]+\.json$/, /^schemas\/[\w.-]+\.json$/, /^docs\/.+\.md$/, /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/];
const FORBIDDEN = /(^|\/)(node_modules|src|test|tests|fixtures|e2e|out|client|server|scripts|examples|\.ci)\/|\.ts$|\.map$|\.vsix$|\.tsbuildinfo$/;
/** Bound on the packaged size: dist/typescript.js is the TypeScript compiler (~3–4 MB zipped at most). */
const MAX_VSIX_BYTES = 8 * 1024 * 1024;
const hasBundles = existsSync(join(ROOT, 'dist/client.js')) && existsSync(join(ROOT, 'dist/server.js'));

function vsce(args: string[], cwd = ROOT): string {
  return execFileSync(process.execPath, [VSCE, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('vsce ls: only allowlisted files ship', () => {
  const dir = mkdtempSync(join(tmpdir(), 'factorlint-stage-'));
  let listing: string;
  try {
    stage(join(dir, 'ext'), { build: false, vsix: false });
    listing = vsce(['ls', '--no-dependencies'], join(dir, 'ext'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const files = listing.split('\n').map((l) => l.trim()).filter(Boolean);
  for (const file of files) {
    assert.ok(ALLOWED.some((re) => re.test(file)), `${file} is not on the allowlist`);
    assert.ok(!FORBIDDEN.test(file), `${file} must not ship`);
  }
  for (const required of ['package.json', 'LICENSE', 'CHANGELOG.md', 'media/icon.png', 'schemas/factorlintrc.schema.json', 'syntaxes/factorlint-directives.injection.tmLanguage.json', 'snippets/typescript.code-snippets', 'snippets/javascript.code-snippets', 'snippets/env-snippets.json', 'snippets/dockerfile.code-snippets', 'snippets/compose.code-snippets', 'snippets/dotenv.code-snippets']) {
    assert.ok(files.includes(required), `${required} ships`);
  }
  // the server requires the compiler beside it: without it every TS/JS file would fail to parse
  if (hasBundles) for (const bundle of ['dist/client.js', 'dist/server.js', 'dist/typescript.js']) assert.ok(files.includes(bundle), `${bundle} ships`);
});

test('vsce package: the .vsix is small', { skip: !hasBundles && 'dist/ not built (npm run build)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'factorlint-vsix-'));
  try {
    const vsix = join(dir, 'factorlint.vsix');
    stage(join(dir, 'ext'), { build: false, vsix });
    const size = statSync(vsix).size;
    assert.ok(size < MAX_VSIX_BYTES, `${size} bytes > ${MAX_VSIX_BYTES}`);
    assert.ok(statSync(join(ROOT, 'dist/client.js')).size < 1024 * 1024, 'client bundle under 1 MB: nothing heavy in the extension host');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
