/**
 * Facts from one Dockerfile (stages, EXPOSE, effective ENTRYPOINT/CMD, USER, HEALTHCHECK,
 * ENV/ARG names, dependency installs, COPY sources), from the shared Dockerfile adapter.
 */
import type { Arg, Copy, Env, Healthcheck, Instruction, JSONInstruction } from 'dockerfile-ast';
import { LineIndex } from '../engine/line-index';
import { redactEnvValue } from '../engine/secrets';
import { parseDockerfile, type Stage } from '../parse/dockerfile';
import { splitShellWords } from '../parse/shell';
import { commandText } from '../rules/support/dockerfile-commands';
import type { DockerCommandFact, DockerfileFact, Loc } from './model-types';

function isExecForm(instruction: Instruction): boolean {
  const json = instruction as JSONInstruction;
  return typeof json.getOpeningBracket === 'function' && json.getOpeningBracket() !== null && json.getClosingBracket() !== null;
}

/** `scratch`, an earlier stage, a digest, or a tag other than `latest`. */
export function isPinnedImage(image: string, stageNames: ReadonlySet<string>): boolean {
  const lower = image.toLowerCase();
  if (lower === 'scratch' || stageNames.has(lower)) return true;
  if (image.includes('@sha256:')) return true;
  if (image.includes('$')) return false;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return false;
  return image.slice(colon + 1) !== 'latest';
}

/** Reverse proxies and web servers that front an app inside the same image. */
const PROXIES = ['caddy', 'nginx', 'haproxy', 'traefik', 'openresty', 'envoy', 'httpd', 'apache2'];
const PROXY_IMAGE = new RegExp(`^(?:[^/]+/)*(?:library/)?(${PROXIES.join('|')})(?:[:@]|$)`);
const PROXY_INSTALL = new RegExp(`\\b(?:apk\\s+add|apt-get\\s+install|apt\\s+install|yum\\s+install|dnf\\s+install|microdnf\\s+install)\\b[^&|;]*?\\s(${PROXIES.join('|')})(?=[\\s=]|$)`);

/** The proxy a RUN line installs with the OS package manager (`apk add --no-cache curl caddy`). */
export function proxyInstalledBy(line: string): string | undefined {
  return PROXY_INSTALL.exec(line)?.[1];
}

const INSTALL = /\b(npm|yarn|pnpm)\s+(ci|install|i)\b[^&|;]*/g;

/** Dependency installs in a RUN line and whether each honours the lockfile. */
export function installsIn(line: string): Array<{ command: string; lockfile: boolean }> {
  const result: Array<{ command: string; lockfile: boolean }> = [];
  for (const m of line.matchAll(INSTALL)) {
    const command = m[0].trim();
    const [tool, verb] = [m[1], m[2]];
    if (/\s-g\b|\s--global\b/.test(command)) continue; // global tools: not the app's dependencies
    if (tool === 'npm' && verb !== 'ci' && /\s[^-\s][^\s]*/.test(command.slice(command.indexOf(verb) + verb.length))) continue; // `npm install pkg`: adding, not installing the tree
    const lockfile = tool === 'npm' ? verb === 'ci' : /--frozen-lockfile|--immutable/.test(command);
    result.push({ command, lockfile });
  }
  return result;
}

export function extractDockerfile(path: string, text: string): DockerfileFact {
  const lines = new LineIndex(text);
  const parsed = parseDockerfile(text, lines);
  const loc = (range: { start: { line: number; character: number }; end: { line: number; character: number } }): Loc => ({ path, range: { start: { ...range.start }, end: { ...range.end } } });
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const stageNames = new Set<string>();
  // memoised along the inheritance: each stage adds its own EXPOSE ports to its parent's (one
  // pass for 20,000 chained stages instead of a walk per stage); a port is listed once
  const exposed = new Map<Stage, DockerfileFact['expose']>();
  const exposeOf = (stage: Stage): DockerfileFact['expose'] => {
    const known = exposed.get(stage);
    if (known) return known;
    exposed.set(stage, []); // a cycle sees nothing inherited
    const inherited = stage.parent && stage.parent.index < stage.index ? exposeOf(stage.parent) : [];
    const own: DockerfileFact['expose'] = [];
    for (const instruction of stage.instructions) {
      if (instruction.getKeyword() !== 'EXPOSE') continue;
      for (const a of instruction.getArguments()) {
        const m = /^(\d{1,5})(?:-\d{1,5})?(?:\/(tcp|udp))?$/i.exec(a.getValue());
        if (m) own.push({ port: Number(m[1]), protocol: (m[2] ?? 'tcp').toLowerCase(), loc: loc(a.getRange()) });
      }
    }
    const fresh = own.filter((p) => !inherited.some((q) => q.port === p.port && q.protocol === p.protocol));
    const ports = fresh.length === 0 ? inherited : [...inherited, ...fresh];
    exposed.set(stage, ports);
    return ports;
  };
  const stages = parsed.stages.map((s) => {
    const fact = { name: s.name, image: s.image, pinned: isPinnedImage(s.image, stageNames), expose: exposeOf(s), loc: loc(s.from.getRange()) };
    if (s.name) stageNames.add(s.name);
    return fact;
  });
  const fact: DockerfileFact = { path, dir, stages, expose: [], env: [], args: [], installs: [], copies: [] };
  const finalChain = new Set<Stage>(parsed.finalChain);
  const offsetAt = (p: { line: number; character: number }) => lines.offsetAt(p);

  const command = (instruction: Instruction, keyword: 'CMD' | 'ENTRYPOINT'): DockerCommandFact | undefined => {
    if (isExecForm(instruction)) {
      const args = (instruction as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue());
      return { keyword, form: 'exec', args, text: args.join(' '), loc: loc(instruction.getRange()) };
    }
    const line = commandText(text, instruction, parsed.escapeChar, offsetAt);
    if (!line || line.text === '') return undefined;
    return { keyword, form: 'shell', args: splitShellWords(line.text).words, text: line.text, loc: loc(instruction.getRange()) };
  };

  // the final chain from its root to the final stage, so later instructions win
  const chain = [...parsed.finalChain].reverse();
  for (const stage of parsed.stages) {
    const isFinal = finalChain.has(stage);
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (keyword === 'ENV') {
        for (const p of (instruction as Env).getProperties()) fact.env.push({ name: p.getName(), value: redactEnvValue(p.getName(), p.getValue() ?? undefined), finalStage: isFinal, loc: loc(p.getNameRange()) });
      } else if (keyword === 'ARG') {
        const p = (instruction as Arg).getProperty();
        if (p) fact.args.push({ name: p.getName(), loc: loc(p.getNameRange()) });
      } else if (keyword === 'RUN') {
        const line = commandText(text, instruction, parsed.escapeChar, offsetAt);
        if (line) for (const install of installsIn(line.text)) fact.installs.push({ ...install, loc: loc(instruction.getRange()) });
        const proxy = line && isFinal ? proxyInstalledBy(line.text) : undefined;
        if (proxy && !fact.proxy) fact.proxy = { name: proxy, loc: loc(instruction.getRange()) };
      } else if (keyword === 'COPY' || keyword === 'ADD') {
        const fromStage = keyword === 'COPY' && (instruction as Copy).getFromFlag() !== null;
        const words = instruction.getArguments().map((a) => a.getValue()).filter((w) => !w.startsWith('--'));
        if (words.length >= 2) fact.copies.push({ sources: words.slice(0, -1), dest: words[words.length - 1], fromStage });
      }
    }
  }
  for (const p of parsed.dockerfile.getInitialARGs()) {
    const property = p.getProperty();
    if (property) fact.args.push({ name: property.getName(), loc: loc(property.getNameRange()) });
  }
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (keyword === 'USER') {
        const value = instruction.getArguments().map((a) => a.getValue()).join(' ');
        fact.user = { value, loc: loc(instruction.getRange()) };
      } else if (keyword === 'HEALTHCHECK') {
        const sub = (instruction as Healthcheck).getSubcommand?.()?.getValue()?.toUpperCase();
        fact.healthcheck = { disabled: sub === 'NONE', loc: loc(instruction.getRange()) };
      } else if (keyword === 'ENTRYPOINT') {
        fact.entrypoint = command(instruction, 'ENTRYPOINT');
      } else if (keyword === 'CMD') {
        fact.cmd = command(instruction, 'CMD');
      }
    }
  }
  fact.expose = stages.length > 0 ? stages[stages.length - 1].expose : [];
  const root = parsed.finalChain.find((s) => !s.parent);
  const baseProxy = root ? PROXY_IMAGE.exec(root.image.toLowerCase())?.[1] : undefined;
  if (root && baseProxy) fact.proxy = { name: baseProxy, loc: loc(root.from.getRange()) };
  fact.env.sort((a, b) => a.name.localeCompare(b.name) || a.loc.range.start.line - b.loc.range.start.line);
  fact.args.sort((a, b) => a.name.localeCompare(b.name) || a.loc.range.start.line - b.loc.range.start.line);
  return fact;
}
