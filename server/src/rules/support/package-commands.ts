/**
 * What a command does, in package-manager terms: install dependencies, build, start the app,
 * run a migration. Shared by the Dockerfile rules that look at RUN/CMD/ENTRYPOINT.
 */
import { basename, type Word } from './dockerfile-commands';

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
