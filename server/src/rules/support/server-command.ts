/**
 * Whether the command an image starts runs a long-lived network server, followed through
 * package.json scripts (`npm start` → `node server.js`). Conservative on purpose: only commands
 * that name a server say so, and any sign of a worker, job or tool says it is not one.
 */
import type { PackageJsonFacts } from '../../engine/project-context';
import { basename } from '../../engine/command-model';
import { resolveCommand } from '../../engine/script-resolver';
import type { Word } from '../../parse/shell';

/** Entry files named for serving: `dist/main.js`, `server.js`, `src/app.ts`, `bin/www`. */
const SERVER_FILE = /^(?:main|server|app|www|http|api|web)(?:\.[cm]?[jt]s)?$/;
/** Framework servers started by their CLI (`next start`, `nest start`, `remix-serve build`). */
const SERVER_CLI: ReadonlyArray<[RegExp, RegExp | undefined]> = [
  [/^(?:next|nuxt|nuxi|nest|astro|fastify|sails|strapi|medusa|adonis)$/, /^(?:start|preview|serve)$/],
  [/^(?:remix-serve|react-router-serve|http-server|serve|nitro|keystone)$/, undefined],
];
/** Words that say the process consumes work rather than serving requests. */
export const NOT_A_SERVER = /(?:^|[/._:-])(?:workers?|queues?|consumers?|cron|scheduler|jobs?|bot|cli|migrat\w*|seed\w*|scripts?|tasks?|listeners?|subscribers?|poller|backup|tests?|e2e)(?:$|[/._:-])/i;
/** Runtimes whose first operand is the entry file (`pm2-runtime start dist/main.js` too). */
const RUNTIMES = /^(?:node|nodejs|bun|ts-node|tsx|deno|pm2-runtime|pm2-docker)$/;
/** Entries that name no role (`node .`, `node dist`, `index.js`): a server only when the package depends on an HTTP framework. */
const NEUTRAL_ENTRY = /^(?:\.|dist|build|lib|src|out|index(?:\.[cm]?[jt]s)?)$/;
/** HTTP server frameworks: a package depending on one and starting a role-less entry serves HTTP. */
const HTTP_FRAMEWORKS = /^(?:express|fastify|koa|@hapi\/hapi|hapi|restify|@nestjs\/core|next|nuxt|hono|@hono\/node-server|@adonisjs\/core|sails|@loopback\/core|loopback|@feathersjs\/feathers|polka|micro|@apollo\/server|apollo-server(?:-express)?|graphql-yoga|@remix-run\/serve|@sveltejs\/kit)$/;

function dependsOnHttpFramework(pkg: PackageJsonFacts | undefined): boolean {
  return Object.keys(pkg?.dependencies ?? {}).some((d) => HTTP_FRAMEWORKS.test(d));
}

export interface ServerCommand { command: string }

function fromWords(words: readonly string[]): 'server' | 'entry' | 'not' | undefined {
  if (words.length === 0) return undefined;
  if (words.some((w) => NOT_A_SERVER.test(w))) return 'not';
  const program = basename(words[0]);
  if (RUNTIMES.test(program)) {
    const rest = words.slice(1).filter((w) => !w.startsWith('-'));
    const file = program === 'deno' || ((program === 'bun' || program === 'deno') && rest[0] === 'run') || (program.startsWith('pm2') && rest[0] === 'start') ? rest[1] : rest[0];
    if (!file) return undefined;
    const base = basename(file.replace(/\/+$/, '')) || file;
    if (SERVER_FILE.test(base)) return 'server';
    // `node .`, `node dist`, `index.js`: as often a worker or a bot as a server, the package decides
    return NEUTRAL_ENTRY.test(base) ? 'entry' : undefined;
  }
  for (const [cli, sub] of SERVER_CLI) {
    if (cli.test(program) && (!sub || sub.test(words[1] ?? ''))) return 'server';
  }
  return undefined;
}

/**
 * The server command the words run, followed through package.json scripts (three at most) by
 * the one script resolver (`npm start` without a `start` script is npm's `node server.js`);
 * undefined when it is not a server or cannot be told.
 */
export function serverCommand(words: readonly Word[], pkg: PackageJsonFacts | undefined): ServerCommand | undefined {
  const main = resolveCommand(words, pkg?.scripts ?? {}, { maxDepth: 3, npmDefaultStart: pkg !== undefined }).find((c) => c.main);
  // a script named for a worker or a job runs one, whatever its command says
  if (!main || main.scripts.some((s) => NOT_A_SERVER.test(s))) return undefined;
  const values = main.words.map((w) => w.value);
  const verdict = fromWords(values);
  return verdict === 'server' || (verdict === 'entry' && dependsOnHttpFramework(pkg)) ? { command: values.join(' ') } : undefined;
}
