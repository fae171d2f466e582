/**
 * Whether a container's command is a one-shot job: every program it runs is a tool that does
 * its work and exits. Such a container is not a long-running process that must drain on
 * SIGTERM (factor IX): a fixture loader (`mongoimport … --file fixture.json`) or a step that
 * copies generated certificates into a shared volume (`cp /pki/ca.pem /pki-out/`).
 *
 * Judged by what the programs are, by category, never by the image's or file's name:
 * - file and text utilities of coreutils/busybox, which never serve anything;
 * - database load, dump and restore clients, which exit when the data is moved;
 * - certificate and key generators.
 * Anything else (a runtime, a server, a shell script, `sleep`, `tail -f`) may run for long, so
 * one such command makes the whole command long-running.
 */
import { programArgv } from '../../engine/command-model';
import { basename, type SimpleCommand } from '../../parse/shell';

const FILE_UTILITIES = new Set([
  'cp', 'mv', 'ln', 'install', 'rm', 'mkdir', 'rmdir', 'chmod', 'chown', 'chgrp', 'touch', 'cat', 'echo',
  'printf', 'tar', 'gzip', 'gunzip', 'zcat', 'unzip', 'ls', 'true', 'false', 'test', '[', 'basename', 'dirname',
]);
const DATA_LOADERS = new Set([
  'mongoimport', 'mongorestore', 'mongodump', 'mongoexport', 'pg_restore', 'pg_dump', 'pg_dumpall',
  'mysqldump', 'mysqlimport', 'mariadb-dump', 'mariadb-import',
]);
const KEY_GENERATORS = new Set(['openssl', 'cfssl', 'cfssljson', 'ssh-keygen', 'mkcert']);

/** True when the program (path or name) is a tool that runs to completion. */
export function isFiniteProgram(program: string): boolean {
  const name = basename(program);
  return FILE_UTILITIES.has(name) || DATA_LOADERS.has(name) || KEY_GENERATORS.has(name);
}

/**
 * True when the commands hold at least one program and every one of them is a finite tool,
 * none sent to the background: the container exits once they are done.
 */
export function isOneShotJob(commands: readonly SimpleCommand[]): boolean {
  const programs = commands.map((c) => ({ words: programArgv(c), after: c.after })).filter((c) => c.words.length > 0);
  return programs.length > 0 && programs.every((c) => c.after !== '&' && isFiniteProgram(c.words[0].value));
}
