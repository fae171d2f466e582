/**
 * Command chains: what actually runs when a container (or a Procfile process) starts, followed
 * from where it is declared — a Dockerfile's final ENTRYPOINT/CMD (exec and shell form, the two
 * combined), a Compose service's `command:`/`entrypoint:` (overriding the image's), a Procfile
 * line — through package.json scripts (`npm start`, `npm run x`, `yarn x`, `pnpm x`, `bun run x`,
 * npm's `pre`/`post` hooks, `npm-run-all`/`run-s`/`run-p`, `concurrently`) and `sh -c '…'` bodies,
 * each hop as the one script resolver (`engine/script-resolver.ts`) reads it, and into the
 * workspace shell scripts an entrypoint runs.
 *
 * A chain is a tree of texts, each a list of simple commands (the one shell lexer's) with the
 * trail of hops that led to it (`CMD npm run start:prod` → `package.json "start:prod"`), so a rule
 * can judge a command with its neighbours (`migrate && node main`, `a & b`) and report at the
 * chain's start with the other files as related locations.
 */
import { baseName } from '../engine/classify';
import { isDevelopmentPath, programArgv } from '../engine/command-model';
import { commandStep, isShell, launchedArgv, scriptOrder, shellBody, type CommandStep } from '../engine/script-resolver';
import { LineIndex } from '../engine/line-index';
import { argv, basename, shellCommands, type SimpleCommand } from '../parse/shell';
import { contextOfService, contextsOf, dockerfileOfService, packageDirOf, scriptWord } from './resolve';
import { isUnder, joinPath } from './project-model';
import type { ComposeCommandFact, ComposeServiceFact, DockerCommandFact, DockerfileFact, Loc, PackageScriptsFact, ProjectModel, ScriptFact } from './model-types';

/** One step of the way from the declaration to a command: what ran it and where that is written. */
export interface ChainHop { label: string; loc: Loc }

/** One text of a chain: a command line, a package.json script or a shell script. */
export interface ChainText {
  /** Hops from the chain's start to this text, the start first; the last hop is where the text is written. */
  trail: ChainHop[];
  /** 0 for the declaration itself (what single-file rules already see), +1 per followed script. */
  depth: number;
  /** The text's non-empty simple commands (offsets into `source`). */
  commands: SimpleCommand[];
  source: string;
  /** Where each command is written (the script line, the package.json value, the instruction). */
  locs: Loc[];
  /** True when this text's last foreground command is the container's long-running process. */
  main: boolean;
  /** Run beside others (`run-p`, `npm-run-all --parallel`, `concurrently`). */
  parallel: boolean;
}

export type ChainOrigin = 'dockerfile' | 'compose' | 'procfile';

export interface CommandChain {
  origin: ChainOrigin;
  /** The Dockerfile, Compose file or Procfile. */
  path: string;
  /** The Compose service or Procfile process. */
  name?: string;
  /** Where findings land: the instruction, `command:` value or Procfile line. */
  start: ChainHop;
  texts: ChainText[];
  /** A one-off job (Compose `restart: "no"`, `profiles:`…; a Procfile `release` process). */
  oneOff: boolean;
  /** A file meant for development (`Dockerfile.dev`, `docker-compose.override.yml`…): dev servers are its purpose. */
  devFile: boolean;
  /** An init (`tini`, `dumb-init`) runs in front and forwards signals. */
  init: boolean;
  /**
   * The texts a command rule judges: all of them, except for a Dockerfile the declaration
   * itself (depth 0), which the single-file rule reports (`declared`: a chain finding would repeat it).
   */
  judged: ChainText[];
  declared: ChainText[];
  /** Compose: the `entrypoint:` (else `command:`) that starts the service's process. */
  declaration?: ComposeCommandFact;
}

/** What a command rule finds on a chain; `workspace/command-rules.ts` turns it into a finding at the chain's start. */
export interface ChainHit {
  messageId: string;
  data: Record<string, string>;
  /** The text and command found (the chain's description and related locations come from them). */
  text?: ChainText;
  command?: SimpleCommand;
}

const MAX_DEPTH = 6;
const MAX_TEXTS = 64;
const INITS = /^(?:tini|tini-static|dumb-init|catatonit|s6-svscan|init)$/;

/** Shell-quotes a word for a readable label. */
function quoteWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word);
}

function clip(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Where `start..end` of a script is (line-precise). */
function scriptLoc(path: string, lines: LineIndex, start: number, end: number): Loc {
  return { path, range: { start: lines.positionAt(start), end: lines.positionAt(end) } };
}

interface Resolution {
  model: ProjectModel;
  chain: CommandChain;
  /** Folder whose package.json scripts `npm run` finds. */
  packageDir: string | undefined;
  /** Folders a script path may be relative to (build contexts, the package). */
  bases: string[];
  dockerfile?: DockerfileFact;
}

function packageScriptsIn(model: ProjectModel, dir: string | undefined): PackageScriptsFact | undefined {
  return dir === undefined ? undefined : model.packageScripts.find((p) => p.dir === dir);
}

/** The workspace shell script a word names, relative to the bases or through the Dockerfile's COPY. */
function findScript(r: Resolution, word: string): ScriptFact | undefined {
  const scripts = r.model.scripts;
  if (scripts.length === 0) return undefined;
  for (const base of r.bases) {
    const path = joinPath(base, word.replace(/^\.\//, ''));
    const found = scripts.find((s) => s.path === path);
    if (found) return found;
  }
  const name = baseName(word);
  if (r.dockerfile) {
    for (const copy of r.dockerfile.copies) {
      if (copy.fromStage) continue;
      for (const source of copy.sources) {
        if (baseName(source) !== name && !(copy.dest === word || copy.dest.endsWith(`/${name}`))) continue;
        for (const base of r.bases) {
          const candidate = scripts.find((s) => s.path === joinPath(base, source) || (baseName(s.path) === name && s.path.startsWith(`${joinPath(base, source)}/`)));
          if (candidate) return candidate;
        }
      }
    }
  }
  const inBases = scripts.filter((s) => baseName(s.path) === name && r.bases.some((b) => isUnder(s.path, b)))
    .sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
  return inBases[0];
}

/** The script a command runs: `./start.sh`, `sh start.sh`, `bash -e scripts/x.sh`, `/usr/local/bin/entrypoint.sh`. */
function scriptOfCommand(r: Resolution, words: readonly string[]): ScriptFact | undefined {
  let word = words[0];
  if (!word) return undefined;
  if (isShell(word)) {
    if (shellBody(words)) return undefined; // `sh -c '…'` runs a command line, not a script file
    word = words.slice(1).find((w) => !w.startsWith('-')) ?? '';
  }
  if (!word || word.includes('$')) return undefined;
  if (!/\.(?:sh|bash)$/.test(word) && !/(?:^|\/)(?:docker-)?entrypoint$/.test(word) && !word.includes('/')) return undefined;
  return findScript(r, word);
}

function addText(r: Resolution, source: string, trail: ChainHop[], depth: number, main: boolean, parallel: boolean, locOf: (c: SimpleCommand) => Loc, seen: ReadonlySet<string>): void {
  if (r.chain.texts.length >= MAX_TEXTS || depth > MAX_DEPTH) return;
  const commands = shellCommands(source).filter((c) => argv(c).length > 0);
  if (commands.length === 0) return;
  const text: ChainText = { trail, depth, commands, source, locs: commands.map(locOf), main, parallel };
  r.chain.texts.push(text);
  const lastForeground = [...commands].reverse().find((c) => c.after !== '&');
  // `cd backend && npm run prod`: the scripts of the package the text changed into, for the rest of this text
  const saved = r.packageDir;
  commands.forEach((command, i) => {
    const words = argv(command);
    if (words[0]?.value === 'cd' && words[1]) r.packageDir = packageDirAfterCd(r, words[1].value) ?? r.packageDir;
    else follow(r, text, command, i, main && command === lastForeground, seen);
  });
  r.packageDir = saved;
}

/** The package folder `cd dir` enters: relative to the current package (or build context), or an absolute path's trailing folders. */
function packageDirAfterCd(r: Resolution, dir: string): string | undefined {
  if (dir.includes('$') || dir === '-') return undefined;
  const dirs = r.model.packageScripts.map((p) => p.dir);
  if (!dir.startsWith('/')) {
    const candidate = joinPath(r.packageDir ?? r.bases[0] ?? '', dir);
    return dirs.includes(candidate) ? candidate : undefined;
  }
  const parts = dir.split('/').filter(Boolean);
  for (let n = parts.length; n >= 1; n--) {
    const tail = parts.slice(parts.length - n).join('/');
    const found = dirs.filter((d) => (d === tail || d.endsWith(`/${tail}`)) && r.bases.some((b) => isUnder(d, b)));
    if (found.length === 1) return found[0];
  }
  return undefined;
}

/** Follows one command into the texts it runs. */
function follow(r: Resolution, text: ChainText, command: SimpleCommand, index: number, main: boolean, seen: ReadonlySet<string>): void {
  const words = launchedArgv(programArgv(command));
  const values = words.map((w) => w.value);
  const loc = text.locs[index];
  const depth = text.depth;
  // the way on goes through this command's own line (a script's hop otherwise points at the file)
  const here = text.trail[text.trail.length - 1];
  const trailHere = [...text.trail.slice(0, -1), { label: here.label, loc: text.trail.length === 1 ? here.loc : loc }];
  const step = commandStep(words);
  // `sh -c '…'`: the body, written where the command is
  if (step?.kind === 'shell') {
    addText(r, step.body, [...trailHere, { label: step.label, loc }], depth + 1, main, text.parallel, () => loc, seen);
    return;
  }
  if (step?.kind === 'scripts') {
    followScripts(r, text, trailHere, step, main && !step.parallel, seen);
    return;
  }
  if (step?.kind === 'commands') {
    const hop = { label: 'concurrently', loc };
    for (const line of step.commands) addText(r, line, [...trailHere, hop], depth + 1, false, step.parallel, () => loc, seen);
    return;
  }
  const script = scriptOfCommand(r, values);
  if (script && !seen.has(script.path)) {
    const lines = new LineIndex(script.text);
    const hop = { label: baseName(script.path), loc: scriptLoc(script.path, lines, 0, 0) };
    addText(r, script.text, [...trailHere, hop], depth + 1, main, text.parallel, (c) => {
      const lineStart = lines.offsetAt({ line: lines.positionAt(c.start).line, character: 0 });
      return scriptLoc(script.path, lines, lineStart, c.end);
    }, new Set([...seen, script.path]));
  }
}

/** `npm run x` (with npm/yarn v1 `pre`/`post` hooks), `run-s a b`: each script's text, in the resolver's order. */
function followScripts(r: Resolution, text: ChainText, trail: ChainHop[], step: Extract<CommandStep, { kind: 'scripts' }>, main: boolean, seen: ReadonlySet<string>): void {
  const pkg = packageScriptsIn(r.model, r.packageDir);
  if (!pkg) return;
  for (const { script, main: last } of scriptOrder(step)) {
    const entry = pkg.scripts.find((s) => s.name === script);
    const key = `${pkg.path}#${script}`;
    if (!entry || seen.has(key)) continue;
    const hop = { label: `package.json "${script}"`, loc: entry.loc };
    addText(r, entry.command, [...trail, hop], text.depth + 1, main && last, step.parallel, () => entry.loc, new Set([...seen, key]));
  }
}

/** The package whose scripts a container runs: the build context's, else the nearest one. */
function packageDirFor(model: ProjectModel, bases: readonly string[], path: string): string | undefined {
  for (const base of bases) if (model.packageScripts.some((p) => p.dir === base)) return base;
  const nearest = packageDirOf(model, path);
  if (model.packageScripts.some((p) => p.dir === nearest)) return nearest;
  for (const base of bases) {
    const under = model.packageScripts.filter((p) => isUnder(p.dir, base));
    if (under.length === 1) return under[0].dir;
  }
  return undefined;
}

function label(keyword: string, text: string): string {
  return `${keyword} ${clip(text)}`;
}

/** A start command's root text: an exec-form `sh -c` body is the text itself, as the Dockerfile rules see it. */
function rootSource(args: readonly string[], form: 'exec' | 'shell', shellText: string): string {
  if (form === 'shell') return shellText;
  return shellBody(args)?.body ?? args.map(quoteWord).join(' ');
}

function hasInit(args: readonly string[]): boolean {
  return INITS.test(basename(args[0] ?? '')) || args.includes('--init');
}

function dockerfileChain(model: ProjectModel, dockerfile: DockerfileFact): CommandChain | undefined {
  const { entrypoint, cmd } = dockerfile;
  const head = entrypoint ?? cmd;
  if (!head) return undefined;
  const bases = contextsOf(model, dockerfile);
  const start: ChainHop = { label: label(head.keyword, head.text), loc: head.loc };
  const chain: CommandChain = { origin: 'dockerfile', path: dockerfile.path, start, texts: [], oneOff: false, devFile: isDevelopmentPath(dockerfile.path), init: false, judged: [], declared: [] };
  const r: Resolution = { model, chain, packageDir: packageDirFor(model, bases, dockerfile.path), bases, dockerfile };
  addDockerRoots(r, entrypoint, cmd);
  return chain.texts.length > 0 ? chain : undefined;
}

/** ENTRYPOINT + CMD: exec forms combine (`["npm"]` + `["start"]`); a script entrypoint runs CMD through `"$@"`. */
function addDockerRoots(r: Resolution, entrypoint: DockerCommandFact | ComposeCommandFact | undefined, cmd: DockerCommandFact | ComposeCommandFact | undefined): void {
  const formOf = (c: DockerCommandFact | ComposeCommandFact): 'exec' | 'shell' => (c.form === 'shell' ? 'shell' : 'exec');
  const hopOf = (c: DockerCommandFact | ComposeCommandFact): ChainHop => ({ label: label(c.form === 'shell' || c.form === 'exec' ? c.keyword : `${c.keyword}:`, c.text), loc: c.loc });
  const seen = new Set<string>();
  if (entrypoint && hasInit(entrypoint.args)) r.chain.init = true;
  if (!entrypoint) {
    if (cmd) addText(r, rootSource(cmd.args, formOf(cmd), cmd.text), [hopOf(cmd)], 0, true, false, () => cmd.loc, seen);
    return;
  }
  const script = scriptWord({ args: entrypoint.args } as DockerCommandFact);
  if (formOf(entrypoint) === 'shell' || !cmd || formOf(cmd) === 'shell' || (script && !hasInit(entrypoint.args))) {
    addText(r, rootSource(entrypoint.args, formOf(entrypoint), entrypoint.text), [hopOf(entrypoint)], 0, !cmd || formOf(entrypoint) === 'shell', false, () => entrypoint.loc, seen);
    // a script entrypoint ends with `exec "$@"` (the official images' docker-entrypoint.sh does): CMD is the app
    if (cmd && formOf(entrypoint) === 'exec') addText(r, rootSource(cmd.args, formOf(cmd), cmd.text), [hopOf(cmd)], 0, true, false, () => cmd.loc, seen);
    return;
  }
  const args = [...entrypoint.args, ...cmd.args];
  // a Dockerfile says `CMD npm run x` for ["npm"] + ["run", "x"]; a Compose `command:` is named as written
  const hop = cmd.keyword === 'CMD' ? { label: label('CMD', `${entrypoint.text} ${cmd.text}`), loc: cmd.loc } : hopOf(cmd);
  addText(r, rootSource(args, 'exec', ''), [hop], 0, true, false, () => cmd.loc, seen);
}

function composeChain(model: ProjectModel, service: ComposeServiceFact): CommandChain | undefined {
  if (!service.command && !service.entrypoint) return undefined;
  const dockerfile = dockerfileOfService(model, service);
  const context = contextOfService(service);
  const bases = context !== undefined ? [context] : [packageDirOf(model, service.path)];
  const head = service.command ?? service.entrypoint!;
  const start: ChainHop = { label: label(`${head.keyword}:`, head.text), loc: head.loc };
  const chain: CommandChain = { origin: 'compose', path: service.path, name: service.name, start, texts: [], oneOff: service.oneOff === true, devFile: isDevelopmentPath(service.path), init: false, judged: [], declared: [], declaration: service.entrypoint ?? service.command };
  const r: Resolution = { model, chain, packageDir: packageDirFor(model, bases, service.path), bases, dockerfile };
  // `command:` replaces the image's CMD and keeps its ENTRYPOINT; `entrypoint:` replaces both
  const entrypoint = service.entrypoint ?? (dockerfile?.entrypoint?.form === 'exec' ? dockerfile.entrypoint : undefined);
  addDockerRoots(r, entrypoint, service.command);
  // the root texts inherited from the Dockerfile are its own findings' business: only the Compose text counts as depth 0 here
  chain.texts = chain.texts.filter((t) => t.trail[0].loc.path === service.path);
  return chain.texts.length > 0 ? chain : undefined;
}

function procfileChains(model: ProjectModel): CommandChain[] {
  const chains: CommandChain[] = [];
  for (const file of model.procfiles) {
    for (const process of file.processes) {
      const start: ChainHop = { label: `${process.name}: ${clip(process.command)}`, loc: process.loc };
      const chain: CommandChain = { origin: 'procfile', path: file.path, name: process.name, start, texts: [], oneOff: process.name === 'release', devFile: false, init: false, judged: [], declared: [] };
      const r: Resolution = { model, chain, packageDir: packageDirFor(model, [file.dir], file.path), bases: [file.dir] };
      addText(r, process.command, [start], 0, true, false, () => process.loc, new Set());
      if (chain.texts.length > 0) chains.push(chain);
    }
  }
  return chains;
}

const CACHE = new WeakMap<ProjectModel, readonly CommandChain[]>();

/**
 * The command chains of a workspace: one per Dockerfile with a CMD/ENTRYPOINT, per Compose
 * service with `command:`/`entrypoint:`, per Procfile process. Computed once per model.
 */
export function commandChains(model: ProjectModel): readonly CommandChain[] {
  let chains = CACHE.get(model);
  if (!chains) {
    chains = [
      ...model.dockerfiles.map((d) => dockerfileChain(model, d)),
      ...model.composeServices.map((s) => composeChain(model, s)),
      ...procfileChains(model),
    ].filter((c): c is CommandChain => c !== undefined);
    for (const chain of chains) {
      chain.judged = chain.origin === 'dockerfile' ? chain.texts.filter((t) => t.depth > 0) : chain.texts;
      chain.declared = chain.origin === 'dockerfile' ? chain.texts.filter((t) => t.depth === 0) : [];
    }
    CACHE.set(model, chains);
  }
  return chains;
}

/** The readable way to a command: `CMD npm run start:prod → package.json "start:prod" → prisma migrate deploy`. */
export function describeChain(text: ChainText, command: SimpleCommand): string {
  const words = clip(programArgv(command).map((w) => quoteWord(w.value)).join(' '), 50);
  const labels = text.trail.map((h) => h.label);
  // `command: npm start` is its own command: say it once
  return (labels[labels.length - 1].endsWith(words) ? labels : [...labels, words]).join(' → ');
}

/** Related locations for a finding on a chain: each hop written elsewhere than the start, the command's own line last. */
export function chainRelated(chain: CommandChain, text: ChainText, command: SimpleCommand): Array<{ path: string; range: Loc['range']; message: string }> {
  const related = text.trail.slice(1).map((h) => ({ path: h.loc.path, range: h.loc.range, message: h.label }));
  const own = text.locs[text.commands.indexOf(command)];
  const last = related[related.length - 1];
  const sameStart = (x: Loc['range'], y: Loc['range']) => x.start.line === y.start.line && x.start.character === y.start.character;
  if (own && last && own.path === last.path && !sameStart(own.range, last.range)) {
    // a script hop marks the file's start: the command's own line says more
    related[related.length - 1] = { path: own.path, range: own.range, message: `${last.message}: ${clip(text.source.slice(command.start, command.end))}` };
  }
  // hops written at the start itself (`sh -c`) or twice at one place (`concurrently` in a script) add nothing
  return related.filter((r, i) => !(r.path === chain.path && sameStart(r.range, chain.start.loc.range))
    && !related.slice(0, i).some((o) => o.path === r.path && sameStart(o.range, r.range)));
}
