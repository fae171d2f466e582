/**
 * The integration suite's entry point in the shape `@vscode/test-electron` expects
 * (`extensionTestsPath`): VS Code's extension host calls `run()` and exits with its outcome.
 * Runs the same inside code-server (e2e/run-vscode-e2e.js) and under test-electron.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.e2e.js')).sort()) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // a recognisable summary line for the runner's log
      console.log(`factorlint e2e: ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} e2e tests failed`));
      else resolve();
    });
  });
}
