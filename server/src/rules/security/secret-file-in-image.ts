import type { Instruction, JSONInstruction } from 'dockerfile-ast';
import { isEnvTemplateName } from '../../engine/classify';
import type { Rule, RuleContext } from '../../engine/types';
import { parseDockerIgnore, type DockerIgnore } from '../../parse/dockerignore';
import { parseDotenv } from '../../parse/dotenv';
import { isSecretEntry } from '../support/env-secrets';
import type { ParsedDockerfile, Stage } from '../../parse/dockerfile';

type SecretKind = 'env' | 'key';

const KEY_FILE = /^(?:id_(?:rsa|dsa|ecdsa|ed25519)|.+\.(?:key|p12|pfx))$/i;
/** A `.pem` holds a certificate or a key; the name says which when it mentions the key. */
const PEM_KEY_NAME = /(?:^|[._-])(?:priv(?:ate)?|privkey|key)(?:[._-]|$)/i;

function baseName(path: string): string {
  return path.replace(/\/+$/, '').slice(path.replace(/\/+$/, '').lastIndexOf('/') + 1);
}

/** What a COPY source is, when it names a secret file (`.env`, `id_rsa`, `server.key`, `*.pem` key). */
function secretKindOf(source: string, read: (path: string) => string | undefined): SecretKind | undefined {
  const name = baseName(source);
  if ((name === '.env' || name.startsWith('.env.')) && !isEnvTemplateName(name) && !/[*?[]/.test(name)) {
    // a committed env file without a secret-like value is public build config (Next.js
    // NEXT_PUBLIC_* in .env.production); one that is not in the workspace is someone's local file
    const text = read(source);
    return text === undefined || parseDotenv(text).entries.some(isSecretEntry) ? 'env' : undefined;
  }
  if (/\.pub$/i.test(name) || /\.crt$|\.cer$/i.test(name)) return undefined;
  if (KEY_FILE.test(name)) return 'key';
  if (/\.pem$/i.test(name)) {
    if (PEM_KEY_NAME.test(name.slice(0, -4))) return 'key';
    // the file in the workspace tells a certificate (public) from a private key
    const text = /[*?[]/.test(name) ? undefined : read(source);
    if (text !== undefined && /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return 'key';
  }
  return undefined;
}

/** The sources of a COPY/ADD without `--from` (shell or JSON form); undefined for stage and URL copies. */
function localSources(instruction: Instruction): Array<{ value: string; start: { line: number; character: number }; end: { line: number; character: number } }> | undefined {
  const flags = (instruction as JSONInstruction).getFlags();
  if (flags.some((f) => f.getName().toLowerCase() === 'from')) return undefined;
  const json = (instruction as JSONInstruction).getJSONStrings();
  const args = json.length > 0 ? json.map((j) => ({ value: j.getJSONValue(), range: j.getRange() })) : instruction.getArguments().map((a) => ({ value: a.getValue(), range: a.getRange() }));
  if (args.length < 2) return undefined;
  return args.slice(0, -1).filter((a) => !/^[a-z]+:\/\//i.test(a.value)).map((a) => ({ value: a.value, start: a.range.start, end: a.range.end }));
}

/** The folder of the analysed file and the folders above it (relative paths, nearest first), at most four. */
function contextCandidates(): string[] {
  return ['.', '..', '../..', '../../..', '../../../..'];
}

/**
 * The `.dockerignore` that applies: `<Dockerfile>.dockerignore` beside the Dockerfile (BuildKit
 * reads it first), else the nearest `.dockerignore` in the Dockerfile's folder or above, whose
 * folder is taken as the build context. Undefined when none is found (or the host cannot read).
 */
function findDockerIgnore(ctx: RuleContext<ParsedDockerfile>): { ignore: DockerIgnore; dir: string; path: string } | undefined {
  const read = ctx.project.readWorkspaceFile;
  if (!read) return undefined;
  const own = `${baseName(ctx.file.path)}.dockerignore`;
  const beside = read(own);
  if (beside !== undefined) return { ignore: parseDockerIgnore(beside), dir: '.', path: own };
  for (const dir of contextCandidates()) {
    const path = dir === '.' ? '.dockerignore' : `${dir}/.dockerignore`;
    const text = read(path);
    if (text !== undefined) return { ignore: parseDockerIgnore(text), dir, path };
  }
  return undefined;
}

/** The Dockerfile's folder as seen from a context folder `dir` (`..` → the Dockerfile's folder name). */
function dockerfileDirFrom(filePath: string, dir: string): string | undefined {
  const ups = dir === '.' ? 0 : dir.split('/').length;
  const folders = filePath.split('/').slice(0, -1);
  if (ups > folders.length) return undefined;
  return folders.slice(folders.length - ups).join('/');
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  const read = (p: string) => ctx.project.readWorkspaceFile?.(p);
  let dockerignore: ReturnType<typeof findDockerIgnore> | null = null;
  const ignoreFile = () => (dockerignore === null ? (dockerignore = findDockerIgnore(ctx)) : dockerignore);
  /** Whether the .dockerignore keeps a source (relative to the assumed context) out of the build. */
  const ignored = (source: string): boolean => {
    const found = ignoreFile();
    if (!found) return false;
    const prefix = dockerfileDirFrom(ctx.file.path, found.dir);
    // relative to the context: the context is the .dockerignore's folder
    const rel = source.replace(/^\.\//, '').replace(/^\/+/, '');
    return found.ignore.excludes(rel) || (prefix ? found.ignore.excludes(`${prefix}/${rel}`) : false);
  };
  const shipped = new Set<Stage>(ctx.parsed.finalChain);
  for (const stage of ctx.parsed.stages) {
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (keyword !== 'COPY' && keyword !== 'ADD') continue;
      const sources = localSources(instruction);
      if (!sources) continue;
      for (const source of sources) {
        const kind = secretKindOf(source.value, read);
        if (!kind) continue;
        if (ignored(source.value)) continue; // the build context leaves it out (this COPY then fails, loudly)
        const found = ignoreFile();
        ctx.report({
          messageId: kind === 'env' ? 'envFile' : 'keyFile',
          data: {
            file: source.value,
            keyword,
            where: shipped.has(stage) ? 'the image you ship' : `build stage "${stage.name ?? stage.index + 1}" (and the build cache)`,
            ignore: found ? `${found.path} does not exclude it` : 'no .dockerignore excludes it',
          },
          start: ctx.offsetAt(source.start),
          end: ctx.offsetAt(source.end),
          severity: shipped.has(stage) ? 'warning' : 'info',
        });
      }
      // `COPY . .` takes a local .env with it unless the .dockerignore leaves it out
      if (sources.some((s) => /^\.\/?$/.test(s.value)) && secretKindOf('.env', read) === 'env' && read('.env') !== undefined && !ignored('.env')) {
        const whole = sources.find((s) => /^\.\/?$/.test(s.value))!;
        const found = ignoreFile();
        ctx.report({
          messageId: 'wholeContext',
          data: { keyword, ignore: found ? `${found.path} does not exclude it` : 'there is no .dockerignore', where: shipped.has(stage) ? 'the image you ship' : `build stage "${stage.name ?? stage.index + 1}"` },
          start: ctx.offsetAt(whole.start),
          end: ctx.offsetAt(whole.end),
          severity: shipped.has(stage) ? 'warning' : 'info',
        });
      }
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'security/secret-file-in-image',
    factor: 'security',
    severity: 'warning',
    description: '`COPY .env` or a private key (`id_rsa`, `*.key`, a key `.pem`) copied into the image, unless the `.dockerignore` leaves it out of the build context.',
    rationale: 'Config and credentials belong to each deploy\'s environment, not to the build (factors III and V): an image is pushed, cached and pulled by people and machines that must not hold the production .env or a private key, and a layer keeps the file even if a later step deletes it. Provide secrets at run time (environment, mounted secrets) and keep them out of the build context with .dockerignore.',
    messages: {
      envFile: '{{keyword}} {{file}} puts an environment file into {{where}} ({{ignore}}): everyone who can pull the image reads its values. Provide them at run time (docker run --env-file, Compose env_file/environment) and add it to .dockerignore.',
      keyFile: '{{keyword}} {{file}} puts a private key into {{where}} ({{ignore}}): every layer keeps it, even if a later step deletes it. Mount it at run time (a secret or volume), or use RUN --mount=type=secret for build steps that need it.',
      wholeContext: '{{keyword}} . copies the whole build context into {{where}}, and the .env beside this Dockerfile with it ({{ignore}}). Add .env (and other local secrets) to .dockerignore.',
    },
    fix: 'none',
    roles: ['server', 'browser', 'script', 'tooling'],
  },
  check: { dockerfile: check },
};

export default rule;
