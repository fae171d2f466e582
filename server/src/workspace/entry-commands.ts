/**
 * The files a command line starts, for file roles: `node dist/main.js`, `ts-node prisma/seed.ts`,
 * `nodemon --watch src src/index.ts`. Package scripts (`npm run start:prod`), `sh -c "…"` and
 * `concurrently "…" "…"` are followed by the one script resolver (`engine/script-resolver.ts`);
 * this module only reads the script path off each program it reaches.
 */
import { toolArgv } from '../engine/command-model';
import { resolveCommandLine } from '../engine/script-resolver';

/** Programs whose first non-option argument is the script they run. */
const RUNNERS = new Set([
  'node', 'nodejs', 'bun', 'ts-node', 'ts-node-dev', 'tsnd', 'tsx', 'nodemon', 'babel-node', 'esno', 'esr', 'node-dev',
  'supervisor', 'vite-node', 'jiti', 'swc-node', 'pm2-runtime', 'pm2-docker', 'pm2-dev', 'k6', 'electron',
]);
/** `forever start x`, `pm2 start x`, `deno run x`, `bun run x` (when x is a file). */
const SUBCOMMAND_RUNNERS: Record<string, Set<string>> = { pm2: new Set(['start']), forever: new Set(['start']), deno: new Set(['run']) };
/** Options of those runners that take a value (the value is not the script). */
const OPTIONS_WITH_VALUE = new Set([
  '-r', '--require', '--import', '--loader', '--experimental-loader', '-w', '--watch', '--ext', '-e', '--exec', '--config',
  '-i', '--instances', '--name', '-n', '--env-file', '--project', '-P', '--ignore', '--delay', '-x', '--max-old-space-size',
  '--inspect-port', '--conditions', '-C', '--title', '--cwd', '--out', '-o', '--tsconfig',
]);

export interface CommandTarget {
  /** The script path as written (relative to the command's working folder). */
  file: string;
  /** The package script that ran it, when the command went through one. */
  viaScript?: string;
}

/**
 * The script files a command runs. `scripts` are the package.json scripts of the folder the
 * command runs in (for `npm run x`).
 */
export function commandTargets(command: string, scripts: Readonly<Record<string, string>> = {}): CommandTarget[] {
  return resolveCommandLine(command, scripts).flatMap((program) => {
    const file = scriptFileOf(toolArgv(program.words).map((w) => w.value));
    return file === undefined ? [] : [{ file, ...(program.scripts.length > 0 ? { viaScript: program.scripts[program.scripts.length - 1] } : {}) }];
  });
}

/** The script file a program's words run (`node --watch dist/main.js` → `dist/main.js`), if any. */
function scriptFileOf(words: readonly string[]): string | undefined {
  let i = 0;
  // environment assignments and wrappers the resolver leaves in place (`time`, `--`)
  while (words[i] !== undefined && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]) || words[i] === 'time' || words[i] === '--')) i++;
  if (words[i] === undefined) return undefined;
  const program = words[i].replace(/^.*\/node_modules\/\.bin\//, '').replace(/^(?:\/usr\/(?:local\/)?bin\/)/, '');
  let rest = words.slice(i + 1);
  const sub = SUBCOMMAND_RUNNERS[program];
  if (sub) {
    if (!rest[0] || !sub.has(rest[0])) return undefined;
    rest = rest.slice(1);
  } else if (!RUNNERS.has(program)) {
    // a script run directly: `./bin/www`, `/app/start.js`
    return /\.[cm]?[jt]sx?$/.test(program) || program.startsWith('./') ? program : undefined;
  }
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k];
    if (a.startsWith('-')) { if (OPTIONS_WITH_VALUE.has(a)) k++; continue; }
    if ((program === 'bun' && a === 'run') || (program.startsWith('pm2-') && a === 'start')) continue;
    return a;
  }
  return undefined;
}
