/**
 * The files a command line starts, for file roles: `node dist/main.js`, `ts-node prisma/seed.ts`,
 * `nodemon --watch src src/index.ts`, `npm run start:prod` (followed into package.json
 * scripts), `sh -c "…"`, `concurrently "…" "…"`. Best effort and deliberately small: it only
 * needs the script paths, not the full command model (that is the command rules' business).
 */
import { shellCommands } from '../parse/shell';

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
const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);
const PM_BUILTINS = new Set(['install', 'i', 'ci', 'add', 'remove', 'exec', 'dlx', 'x', 'build', 'test', 'publish', 'link', 'audit', 'prune', 'rebuild', 'init', 'config', 'cache']);

export interface CommandTarget {
  /** The script path as written (relative to the command's working folder). */
  file: string;
  /** The package script that ran it, when the command went through one. */
  viaScript?: string;
}


/**
 * The script files a command runs. `scripts` are the package.json scripts of the folder the
 * command runs in (for `npm run x`); `depth` bounds script-to-script recursion.
 */
export function commandTargets(command: string, scripts: Readonly<Record<string, string>> = {}, depth = 0, viaScript?: string): CommandTarget[] {
  if (depth > 5) return [];
  // the one shell lexer: each simple command of `a && b; c | d &` on its own
  return shellCommands(command).flatMap((c) => (c.words.length > 0 ? segmentTargets(c.words.map((w) => w.value), scripts, depth, viaScript) : []));
}

function runScript(name: string, scripts: Readonly<Record<string, string>>, depth: number): CommandTarget[] {
  const body = scripts[name];
  if (body === undefined) return [];
  return [
    ...commandTargets(scripts[`pre${name}`] ?? '', scripts, depth + 1, `pre${name}`),
    ...commandTargets(body, scripts, depth + 1, name),
  ];
}

function segmentTargets(words: string[], scripts: Readonly<Record<string, string>>, depth: number, viaScript?: string): CommandTarget[] {
  let i = 0;
  // environment assignments and wrappers that run the rest of the line
  for (;;) {
    const w = words[i];
    if (w === undefined) return [];
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || w === 'exec' || w === 'env' || w === 'time' || w === 'nohup' || w === 'npx' || w === 'dumb-init' || w === 'tini' || w === '--' || w === 'cross-env' || w === 'cross-env-shell') { i++; continue; }
    if (w === 'dotenv' || w === 'env-cmd') { const dash = words.indexOf('--', i); i = dash < 0 ? i + 1 : dash + 1; continue; }
    break;
  }
  const program = words[i].replace(/^.*\/node_modules\/\.bin\//, '').replace(/^(?:\/usr\/(?:local\/)?bin\/)/, '');
  const args = words.slice(i + 1);
  if (program === 'sh' || program === 'bash' || program === '/bin/sh' || program === '/bin/bash') {
    const c = args.indexOf('-c');
    return c >= 0 && args[c + 1] ? commandTargets(args[c + 1], scripts, depth + 1, viaScript) : [];
  }
  if (program === 'concurrently' || program === 'npm-run-all' || program === 'run-p' || program === 'run-s') {
    const out: CommandTarget[] = [];
    for (const a of args) {
      if (a.startsWith('-')) continue;
      if (a.startsWith('npm:')) out.push(...runScript(a.slice(4), scripts, depth));
      else if (program === 'concurrently') out.push(...commandTargets(a, scripts, depth + 1, viaScript));
      else out.push(...runScript(a, scripts, depth));
    }
    return out;
  }
  if (PACKAGE_MANAGERS.has(program)) {
    const [first, second] = args;
    if (first === 'start') return runScript('start', scripts, depth);
    if ((first === 'run' || first === 'run-script') && second) return runScript(second, scripts, depth);
    if (program === 'bun' && first && /\.[cm]?[jt]sx?$/.test(first)) return [{ file: first, viaScript }];
    if (program !== 'npm' && first && !first.startsWith('-') && !PM_BUILTINS.has(first)) return runScript(first, scripts, depth);
    return [];
  }
  let rest = args;
  const sub = SUBCOMMAND_RUNNERS[program];
  if (sub) {
    if (!rest[0] || !sub.has(rest[0])) return [];
    rest = rest.slice(1);
  } else if (!RUNNERS.has(program)) {
    // a script run directly: `./bin/www`, `/app/start.js`
    return /\.[cm]?[jt]sx?$/.test(program) || program.startsWith('./') ? [{ file: program, viaScript }] : [];
  }
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k];
    if (a.startsWith('-')) { if (OPTIONS_WITH_VALUE.has(a)) k++; continue; }
    if ((program === 'bun' && a === 'run') || (program.startsWith('pm2-') && a === 'start')) continue;
    return [{ file: a, viaScript }];
  }
  return [];
}
