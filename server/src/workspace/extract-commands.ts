/**
 * Facts about what a workspace starts, for the command-chain resolver (`command-chains.ts`):
 * package.json scripts with the range of each command, Procfile processes, and a Compose
 * service's `command:`/`entrypoint:` (string or list) and whether the service is a one-off
 * (a `migrate` job) rather than a long-running process. The Dockerfile side
 * (`DockerfileFact.cmd`/`entrypoint`) comes from `extract-docker.ts`.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { LineIndex } from '../engine/line-index';
import { mapPairs, resolveNode, scalarString, type ComposeService } from '../parse/compose';
import { shellCommands } from '../parse/shell';
import type { ComposeCommandFact, Loc, PackageScriptsFact, ProcfileFact } from './model-types';

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * A package.json's scripts with the range of each command string. A small scanner over the
 * JSON text (the model keeps no JSON tree): top-level `"scripts": { "name": "command", … }`.
 */
export function packageScripts(path: string, text: string): PackageScriptsFact | undefined {
  const lines = new LineIndex(text);
  let i = 0;
  let depth = 0;
  const readString = (): { value: string; start: number; end: number } | undefined => {
    const start = i;
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    i = j + 1;
    try { return { value: JSON.parse(text.slice(start, j + 1)) as string, start, end: j + 1 }; } catch { return undefined; }
  };
  const skipBlank = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const key = readString();
      skipBlank();
      if (depth === 1 && key?.value === 'scripts' && text[i] === ':') {
        i++;
        skipBlank();
        if (text[i] !== '{') return undefined;
        i++;
        const scripts: PackageScriptsFact['scripts'] = [];
        for (;;) {
          skipBlank();
          if (text[i] === ',') { i++; continue; }
          if (text[i] !== '"') break;
          const name = readString();
          skipBlank();
          if (text[i] !== ':') break;
          i++;
          skipBlank();
          if (text[i] !== '"') break; // a non-string script is not a command
          const value = readString();
          if (!name || !value) break;
          scripts.push({ name: name.value, command: value.value, loc: { path, range: { start: lines.positionAt(value.start), end: lines.positionAt(value.end) } } });
        }
        return scripts.length > 0 ? { path, dir: dirOf(path), scripts } : undefined;
      }
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    i++;
  }
  return undefined;
}

/** `web: node dist/server.js` lines of a Procfile. */
export function procfile(path: string, text: string): ProcfileFact | undefined {
  const lines = new LineIndex(text);
  const processes: ProcfileFact['processes'] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(\S.*?)\s*$/.exec(line);
    if (m) {
      const start = offset + line.indexOf(m[2], m[1].length + 1);
      processes.push({ name: m[1], command: m[2], loc: { path, range: { start: lines.positionAt(start), end: lines.positionAt(start + m[2].length) } } });
    }
    offset += line.length + 1;
  }
  return processes.length > 0 ? { path, dir: dirOf(path), processes } : undefined;
}

/** A service's `command:` or `entrypoint:`: a string (split like Compose does, no shell) or a list. */
export function composeCommand(service: ComposeService, keyword: 'command' | 'entrypoint', loc: (node: unknown) => Loc): ComposeCommandFact | undefined {
  const node = service.get(keyword);
  if (isScalar(node)) {
    const text = scalarString(node);
    if (!text) return undefined;
    // Compose splits a string command into words (shlex), it runs no shell
    const args = shellCommands(text).flatMap((c) => c.words.map((w) => w.value));
    return { keyword, form: 'string', args, text, loc: loc(node) };
  }
  if (isSeq(node)) {
    const args = node.items.map((item) => scalarString(resolveNode(service.doc, item)));
    if (args.length === 0 || args.some((a) => a === undefined)) return undefined;
    // the words as a shell would need them written, for readable chain labels
    const text = (args as string[]).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
    return { keyword, form: 'list', args: args as string[], text, loc: loc(node) };
  }
  return undefined;
}

/**
 * A one-off service: `restart: "no"` (or `on-failure`), a `profiles:` entry, or a service others
 * wait for with `condition: service_completed_successfully`. Migrations belong in one.
 */
export function isOneOffService(service: ComposeService, all: readonly ComposeService[]): boolean {
  const restart = scalarString(service.get('restart'));
  if (restart === 'no' || restart === 'false' || restart?.startsWith('on-failure')) return true;
  const profiles = service.get('profiles');
  if (isSeq(profiles) && profiles.items.length > 0) return true;
  const deploy = service.get('deploy');
  if (isMap(deploy)) {
    const policy = resolveNode(service.doc, mapPairs(service.doc, deploy).find((p) => p.key.value === 'restart_policy')?.value);
    if (isMap(policy) && scalarString(resolveNode(service.doc, mapPairs(service.doc, policy).find((p) => p.key.value === 'condition')?.value)) !== 'any') return true;
  }
  return all.some((other) => {
    const dependsOn = other.get('depends_on');
    if (!isMap(dependsOn)) return false;
    const entry = resolveNode(other.doc, mapPairs(other.doc, dependsOn).find((p) => p.key.value === service.name)?.value);
    if (!isMap(entry)) return false;
    return scalarString(resolveNode(other.doc, mapPairs(other.doc, entry).find((p) => p.key.value === 'condition')?.value)) === 'service_completed_successfully';
  });
}
