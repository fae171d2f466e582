/**
 * The command model: what a simple command (words from the shell lexer, `parse/shell.ts`)
 * does — the program that really runs behind wrappers (`exec`, `env`, `sudo`, `tini`…), package
 * manager actions (install, build, start, run a script), admin tasks (migrations, seeds), build
 * steps and dev servers at start, daemonizing. Shared by the Dockerfile rules and by the
 * workspace's command chains (`workspace/command-chains.ts`), so a CMD and the package.json
 * script it runs are judged by the same knowledge. Which script or command line a command
 * hands on to is the script resolver's (`script-resolver.ts`).
 */
import { argv, basename, type SimpleCommand, type Word } from '../parse/shell';

export { basename };

/**
 * The words of the program that actually runs: skips `exec`, `command`, `time`, `env [VAR=…]`,
 * `sudo [-u user]`, `gosu user`, `su-exec user`, `tini --`, `dumb-init`.
 */
export function programArgv(command: SimpleCommand): Word[] {
  let words = argv(command);
  for (let guard = 0; guard < 8 && words.length > 0; guard++) {
    const p = basename(words[0].value);
    if (p === 'exec' || p === 'command' || p === 'time') words = words.slice(1);
    else if (p === 'env') { let i = 1; while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].value) || words[i].value.startsWith('-'))) i++; words = words.slice(i); }
    else if (p === 'sudo') { let i = 1; while (i < words.length && words[i].value.startsWith('-')) i += /^-[ugCD]$/.test(words[i].value) ? 2 : 1; words = words.slice(i); }
    else if (p === 'gosu' || p === 'su-exec') words = words.slice(2);
    else if (/^(?:tini|tini-static|dumb-init|catatonit)$/.test(p)) { let i = 1; while (i < words.length && words[i].value.startsWith('-')) { const stop = words[i].value === '--'; i++; if (stop) break; } words = words.slice(i); }
    else break;
  }
  return words;
}


export type PackageManager = 'npm' | 'yarn' | 'pnpm';

/** The package manager a program word names (`npm`, `/usr/local/bin/yarn`, `corepack pnpm` is not handled). */
export function packageManagerOf(program: string): PackageManager | undefined {
  const p = basename(program);
  return p === 'npm' || p === 'yarn' || p === 'pnpm' ? p : undefined;
}

/** npm/yarn/pnpm flags that take a separate value (`--prefix /app`), so the value is not a package name. */
const VALUE_FLAGS = new Set(['--prefix', '-C', '--dir', '--loglevel', '--registry', '--cache', '--omit', '--include', '--workspace', '-w', '--userconfig', '--filter', '-F', '--cwd', '--network-timeout', '--modules-folder', '--mutex', '--cache-folder', '--store-dir', '--virtual-store-dir']);

/** Whether a flag consumes the next word: `-w` is npm's `--workspace <name>` but pnpm's boolean `--workspace-root`. */
function takesValue(flag: string, pm?: PackageManager): boolean {
  return VALUE_FLAGS.has(flag) && !(flag === '-w' && pm !== 'npm');
}

/** The first non-flag word and the index after it (`npm --silent run build` → `run`). */
export function subcommand(args: readonly Word[], pm?: PackageManager): { word?: Word; index: number } {
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (takesValue(v, pm)) { i++; continue; }
    if (v.startsWith('-')) continue;
    return { word: args[i], index: i };
  }
  return { index: args.length };
}

/** Non-flag operands after position `from` (flag values skipped). */
export function operands(args: readonly Word[], from: number, pm?: PackageManager): Word[] {
  const result: Word[] = [];
  for (let i = from; i < args.length; i++) {
    const v = args[i].value;
    if (takesValue(v, pm)) { i++; continue; }
    if (v.startsWith('-')) continue;
    result.push(args[i]);
  }
  return result;
}

export function hasFlag(args: readonly Word[], ...flags: string[]): boolean {
  return args.some((w) => flags.some((f) => w.value === f || w.value.startsWith(`${f}=`)));
}

const BUILD_SCRIPT = /^(?:build|compile|bundle|tsc)(?::[\w-]+)?$/;

/**
 * Classifies a package-manager command line: `install` (dependencies), `build`, `run <script>`
 * (with the script name), `start`, or `other`.
 */
export function packageAction(pm: PackageManager, args: readonly Word[]): { action: 'install' | 'add' | 'build' | 'start' | 'run' | 'other'; script?: string; sub?: Word; subIndex: number } {
  const { word, index } = subcommand(args, pm);
  const sub = word?.value;
  if (sub === undefined) {
    // bare `yarn` installs, but not `yarn --version` / `yarn --help`
    const info = args.some((w) => /^(?:-v|--version|-h|--help)$/.test(w.value));
    return pm === 'yarn' && !info ? { action: 'install', subIndex: index } : { action: 'other', subIndex: index };
  }
  if (['install', 'i', 'isntall', 'ci', 'clean-install', 'ic', 'install-clean', 'add'].includes(sub)) {
    if (sub === 'add' || operands(args, index + 1, pm).length > 0) return { action: 'add', sub: word, subIndex: index };
    return { action: 'install', sub: word, subIndex: index };
  }
  if (sub === 'start') return { action: 'start', sub: word, subIndex: index, script: 'start' };
  if (sub === 'run' || sub === 'run-script') {
    const script = operands(args, index + 1, pm)[0]?.value;
    if (script && BUILD_SCRIPT.test(script)) return { action: 'build', script, sub: word, subIndex: index };
    if (script === 'start') return { action: 'start', script, sub: word, subIndex: index };
    return { action: 'run', script, sub: word, subIndex: index };
  }
  if (BUILD_SCRIPT.test(sub) && pm !== 'npm') return { action: 'build', script: sub, sub: word, subIndex: index };
  if (pm === 'npm' && (sub === 'rebuild')) return { action: 'build', script: sub, sub: word, subIndex: index };
  // `yarn dev`, `pnpm serve`: yarn and pnpm run scripts by name
  if (pm !== 'npm' && !['global', 'config', 'set', 'cache', 'exec', 'dlx', 'why', 'list', 'info', 'link', 'fetch', 'prune', 'workspace', 'workspaces', 'dedupe', 'up', 'upgrade', 'remove', 'rm', 'audit', 'outdated', 'pack', 'publish', 'version', 'init', 'create', 'plugin'].includes(sub)) {
    return { action: 'run', script: sub, sub: word, subIndex: index };
  }
  return { action: 'other', sub: word, subIndex: index };
}

/** Words that run a migration or a seed (`prisma migrate deploy`, `knex migrate:latest`, `npm run db:migrate`, `manage.py migrate`). */
export function isAdminTask(words: readonly Word[]): string | undefined {
  const values = words.map((w) => w.value);
  const text = values.join(' ');
  const program = basename(values[0] ?? '');
  const pm = packageManagerOf(program);
  // `pnpm exec prisma migrate deploy`, `npm exec -- knex migrate:latest`: the tool it runs
  if (pm && (values[1] === 'exec' || values[1] === 'dlx')) return isAdminTask(toolArgv(words)) ? text : undefined;
  if (pm) {
    const action = packageAction(pm, words.slice(1));
    if ((action.action === 'run') && action.script && /(?:^|[:_-])(?:migrat\w*|seed\w*)(?:$|[:_-])/i.test(action.script)) return text;
    return undefined;
  }
  const args = program === 'npx' || program === 'pnpx' || program === 'bunx' ? values.slice(1).filter((v) => !v.startsWith('-')) : values;
  const tool = basename(args[0] ?? '');
  const rest = args.slice(1);
  if (tool === 'prisma' && (rest[0] === 'migrate' || (rest[0] === 'db' && (rest[1] === 'push' || rest[1] === 'seed')))) return text;
  if (/^(?:sequelize|sequelize-cli)$/.test(tool) && rest.some((v) => /^db:(?:migrate|seed)/.test(v))) return text;
  if (tool === 'knex' && rest.some((v) => /^(?:migrate|seed):/.test(v))) return text;
  if (/^typeorm(?:-ts-node-(?:commonjs|esm))?$/.test(tool) && rest.some((v) => /^(?:migration:run|schema:sync)$/.test(v))) return text;
  if ((tool === 'drizzle-kit' && rest.some((v) => v === 'migrate' || v === 'push')) || (tool === 'mikro-orm' && rest.some((v) => /^migration:up|^seeder:run/.test(v)))) return text;
  if (/^python[\d.]*$/.test(tool) && rest[0]?.endsWith('manage.py') && (rest[1] === 'migrate' || rest[1] === 'loaddata')) return text;
  if ((tool === 'rails' || tool === 'rake' || (tool === 'bundle' && rest[0] === 'exec')) && values.some((v) => /^db:(?:migrate|seed|setup|prepare)$/.test(v))) return text;
  if (tool === 'alembic' && rest[0] === 'upgrade') return text;
  if (tool === 'flask' && rest[0] === 'db' && rest[1] === 'upgrade') return text;
  if ((tool === 'migrate' || tool === 'goose' || tool === 'dbmate' || tool === 'flyway' || tool === 'liquibase') && rest.length > 0) return text;
  if ((tool === 'node' || tool === 'ts-node' || tool === 'tsx') && rest.some((v) => /(?:^|\/)(?:migrat\w*|seed\w*)\.[cm]?[jt]s$/i.test(v))) return text;
  return undefined;
}

/** What a command installs or builds at container start, as a short label, when it does. */
export function buildStep(words: readonly Word[]): string | undefined {
  if (words.length === 0) return undefined;
  const values = words.map((w) => w.value);
  const program = basename(values[0]);
  const pm = packageManagerOf(program);
  if (pm) {
    const { action } = packageAction(pm, words.slice(1));
    if (action === 'install' || action === 'add' || action === 'build') return values.slice(0, 3).join(' ');
    return undefined;
  }
  if (program === 'npx' || program === 'pnpx') {
    const tool = values.slice(1).find((v) => !v.startsWith('-'));
    return tool && /^(?:tsc|typescript|webpack|vite|next|nest|rollup|esbuild|tsup|parcel)$/.test(tool) && (tool === 'tsc' || values.includes('build')) ? values.slice(0, 3).join(' ') : undefined;
  }
  if (program === 'tsc') return 'tsc';
  if (/^pip[\d.]*$/.test(program) && values[1] === 'install') return `${program} install`;
  if (/^python[\d.]*$/.test(program) && values[1] === '-m' && /^pip[\d.]*$/.test(values[2] ?? '') && values[3] === 'install') return `${program} -m pip install`;
  if ((program === 'poetry' || program === 'pipenv' || program === 'bundle' || program === 'composer') && values[1] === 'install') return `${program} install`;
  if ((program === 'apt-get' || program === 'apt' || program === 'yum' || program === 'dnf' || program === 'microdnf') && values.includes('install')) return `${program} install`;
  if (program === 'apk' && values[1] === 'add') return 'apk add';
  if ((program === 'go' || program === 'cargo') && values[1] === 'build') return `${program} build`;
  if ((program === 'mvn' || program === 'mvnw' || program === 'gradle' || program === 'gradlew') && values.some((v) => /^(?:package|install|build|assemble)$/.test(v))) return program;
  return undefined;
}

/** The tool `npx`/`pnpx`/`bunx`/`pnpm exec`/`yarn exec` runs, with its arguments; the words themselves otherwise. */
export function toolArgv(words: readonly Word[]): Word[] {
  const program = basename(words[0]?.value ?? '');
  let rest: Word[] | undefined;
  if (program === 'npx' || program === 'pnpx' || program === 'bunx') rest = words.slice(1);
  else if ((program === 'pnpm' || program === 'yarn' || program === 'npm') && (words[1]?.value === 'exec' || words[1]?.value === 'dlx')) rest = words.slice(2);
  if (!rest) return [...words];
  let i = 0;
  while (i < rest.length && rest[i].value.startsWith('-')) { const stop = rest[i].value === '--'; i += /^(?:-p|--package)$/.test(rest[i].value) ? 2 : 1; if (stop) break; }
  return rest.slice(i);
}

/**
 * A development server or a TypeScript runner that compiles at start (`react-scripts start`,
 * `ng serve`, `vue-cli-service serve`, `nest start`, `next dev`, `vite`, `ts-node`, `nodemon`,
 * `node --watch`…), as a short label, when the command is one.
 */
export function devServer(words: readonly Word[]): string | undefined {
  const tool = toolArgv(words);
  const values = tool.map((w) => w.value);
  const program = basename(values[0] ?? '');
  const sub = values.slice(1).find((v) => !v.startsWith('-'));
  if (program === 'react-scripts' && sub === 'start') return 'react-scripts start';
  if (program === 'ng' && (sub === 'serve' || sub === 's')) return 'ng serve';
  if (program === 'vue-cli-service' && sub === 'serve') return 'vue-cli-service serve';
  if (program === 'nest' && sub === 'start') return values.includes('--watch') || values.includes('-w') ? 'nest start --watch' : 'nest start';
  if ((program === 'next' || program === 'nuxt' || program === 'nuxi' || program === 'remix' || program === 'astro') && sub === 'dev') return `${program} dev`;
  if (program === 'gatsby' && sub === 'develop') return 'gatsby develop';
  if (program === 'vite' && (sub === undefined || sub === 'dev' || sub === 'serve')) return 'vite';
  if (program === 'webpack' && sub === 'serve') return 'webpack serve';
  if (program === 'webpack-dev-server') return 'webpack-dev-server';
  if (program === 'ts-node' || program === 'ts-node-dev' || program === 'tsnd' || program === 'nodemon') return program;
  if (program === 'tsx' && sub === 'watch') return 'tsx watch';
  if (program === 'node' && values.some((v) => v === '--watch' || v.startsWith('--watch='))) return 'node --watch';
  return undefined;
}

/** How a command daemonizes (`nohup`, `pm2 start`, `forever start`, `service … start`); `pm2` names the word a fix may rewrite. */
export function daemonizing(command: SimpleCommand): { what: string; pm2?: Word } | undefined {
  const raw = argv(command);
  if (raw.length === 0) return undefined;
  const words = programArgv(command);
  if (basename(raw[0].value) === 'nohup' || basename(words[0]?.value ?? '') === 'nohup') return { what: 'nohup' };
  const program = basename(words[0]?.value ?? '');
  const values = words.map((w) => w.value);
  if (program === 'pm2' && values[1] === 'start' && !values.includes('--no-daemon')) return { what: 'pm2 start', pm2: words[0] };
  if (program === 'forever' && values[1] === 'start') return { what: 'forever start' };
  if (program === 'service' && values.length >= 3 && values[2] === 'start') return { what: `service ${values[1]} start` };
  if (program === 'systemctl' && values[1] === 'start') return { what: 'systemctl start' };
  if (/^\/etc\/init\.d\//.test(words[0]?.value ?? '') && values[1] === 'start') return { what: `${words[0].value} start` };
  return undefined;
}

/**
 * A command sent to the background (`node worker.js &`) in a sequence where more follows: the
 * container then runs two processes, or (when it is the last) orphans its app. `commands` are
 * the non-empty commands of one script, `i` the index of the one to judge.
 */
export function backgrounded(commands: readonly SimpleCommand[], i: number): 'trailing' | 'two-processes' | undefined {
  if (commands[i].after !== '&') return undefined;
  if (i === commands.length - 1) return 'trailing';
  // `a & b`: a second long-running process beside the first (a `wait` alone is not one)
  const rest = commands.slice(i + 1).map((c) => basename(programArgv(c)[0]?.value ?? ''));
  return rest.some((p) => p !== '' && !/^(?:wait|exit|true|false|sleep|echo|printf|trap|cd|export|set|:)$/.test(p)) ? 'two-processes' : undefined;
}

const DEV_FILE = /(?:^|[.\-_])(?:dev|develop|development|local|override|debug|test|e2e|ci)(?:[.\-_]|$)/i;

/** A Dockerfile, Compose file or stage meant for development (`Dockerfile.dev`, `docker-compose.override.yml`, `AS dev`): dev servers are its purpose. */
export function isDevelopmentName(name: string): boolean {
  return DEV_FILE.test(basename(name));
}

/** A workspace-relative path whose file or folders say development (`envs/local/Dockerfile`, `docker/dev/compose.yaml`). */
export function isDevelopmentPath(relativePath: string): boolean {
  return relativePath.split('/').some((segment) => DEV_FILE.test(segment));
}
