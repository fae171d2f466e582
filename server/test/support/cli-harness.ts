/** Running the compiled CLI as a user does (a child process) and writing small project trees. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

/** The tsc output of the CLI (`out/server/src/cli.js`). */
export const CLI = path.resolve(__dirname, '../../src/cli.js');

export interface CliRun { code: number; stdout: string; stderr: string }

/** `node cli.js …args` in `cwd`, colours off unless `env` forces them. */
export function runCli(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env }, timeout: timeoutMs });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Writes `files` (relative path → text) under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
}
