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
import { LineIndex } from '../../engine/line-index';
import { parseDockerfile, type Stage } from '../../parse/dockerfile';
import { basename, type SimpleCommand } from '../../parse/shell';
import { chainInstructions, effectiveInstruction, scriptOf, type DockerfileSource } from './dockerfile-commands';

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

/**
 * A one-shot job image: what the stage starts (its effective ENTRYPOINT and CMD) is a one-shot
 * job, and the image declares nothing a service would (EXPOSE, HEALTHCHECK along its chain).
 * A stage that starts nothing of its own is not one: its command comes from elsewhere.
 */
export function isOneShotImage(ctx: DockerfileSource, stage: Stage): boolean {
  if (chainInstructions(stage).some((i) => i.getKeyword() === 'EXPOSE' || i.getKeyword() === 'HEALTHCHECK')) return false;
  // with an ENTRYPOINT, that is the program (CMD only gives it arguments); else CMD is
  const instruction = effectiveInstruction(stage, 'ENTRYPOINT') ?? effectiveInstruction(stage, 'CMD');
  const script = instruction && scriptOf(ctx, instruction);
  return !!script && isOneShotJob(script.commands);
}

/** Whether the image a Dockerfile's text builds (its final stage) is a one-shot job image. */
export function isOneShotDockerfile(text: string): boolean {
  const lines = new LineIndex(text);
  const parsed = parseDockerfile(text, lines);
  const final = parsed.finalStage;
  return !!final && isOneShotImage({ text, parsed, offsetAt: (p) => lines.offsetAt(p) }, final);
}
