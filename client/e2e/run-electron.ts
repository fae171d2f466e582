/**
 * `npm run test:electron`: the same suite under @vscode/test-electron, for machines that can
 * download VS Code (this project's CI cannot: it uses e2e/run-vscode-e2e.js with code-server).
 * Needs the bundles (npm run build) because the extension's main is dist/client.js.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const workspace = mkdtempSync(path.join(tmpdir(), 'factorlint-electron-'));
  cpSync(path.join(root, 'client/e2e/workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`test:electron failed: ${String(error)}\n`);
  process.exit(1);
});
