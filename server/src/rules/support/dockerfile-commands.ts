/**
 * The commands a Dockerfile RUN/CMD/ENTRYPOINT runs, as simple commands of the one shell lexer
 * (`parse/shell.ts`) with offsets, so rules detect on structure (the program and its arguments,
 * read through `engine/command-model.ts`) and fix with precise edits.
 *
 * Three forms: shell form (`RUN npm ci && npm run build`, tokenized straight from the source,
 * honouring `\`/`# escape=` continuations, comment lines inside them, quotes, heredocs),
 * exec form (`CMD ["npm", "start"]`: one command whose words are the JSON strings) and
 * exec form wrapping a shell (`CMD ["sh", "-c", "…"]`: the script string is tokenized, and
 * edits to it are re-serialised into that JSON string).
 */
import type { Instruction } from 'dockerfile-ast';
import type { RuleContext, TextEdit } from '../../engine/types';
import type { ParsedDockerfile, Stage } from '../../parse/dockerfile';
import { argv, tokenize, type SimpleCommand, type Word } from '../../parse/shell';

/** The instruction's arguments as one line: continuations joined, comment lines inside dropped. */
export function commandText(source: string, instruction: Instruction, escapeChar: string, offsetAt: (p: { line: number; character: number }) => number): { text: string; start: number; end: number } | undefined {
  const range = instruction.getArgumentsRange();
  if (!range) return undefined;
  const start = offsetAt(range.start);
  const end = offsetAt(range.end);
  const raw = source.slice(start, end);
  const esc = escapeChar === '`' ? '`' : '\\\\';
  const joined = raw
    .replace(new RegExp(`${esc}[ \\t]*\\r?\\n(?:[ \\t]*#[^\\n]*\\n)*`, 'g'), ' ')
    .replace(/[ \t]+/g, (m) => (m.length > 1 ? ' ' : m));
  return { text: joined.trim(), start, end };
}

export type ScriptForm = 'shell' | 'exec' | 'exec-shell';

/** What reading a Dockerfile's commands needs: its text, its parse and offsets (a rule's context has them; so does a Dockerfile read for another file's rule). */
export type DockerfileSource = Pick<RuleContext<ParsedDockerfile>, 'text' | 'parsed' | 'offsetAt'>;

export interface Script {
  form: ScriptForm;
  instruction: Instruction;
  /** The text word offsets index into: the document for shell/exec form, the decoded script for exec-shell. */
  text: string;
  commands: SimpleCommand[];
  /** exec form: the decoded JSON strings with their document ranges (quotes included). */
  execArgs?: Word[];
  /** exec-shell: the JSON string holding the script. */
  scriptArg?: Word;
}

const SHELLS = /^(?:.*\/)?(?:sh|bash|dash|ash|zsh|ksh)$/;

/** True when the instruction is in exec form: its arguments are a valid JSON array of strings. */
export function isExecForm(ctx: DockerfileSource, instruction: Instruction): boolean {
  return execArgsOf(ctx, instruction) !== undefined;
}

function execArgsOf(ctx: DockerfileSource, instruction: Instruction): Word[] | undefined {
  const range = instruction.getArgumentsRange();
  if (!range) return undefined;
  const start = ctx.offsetAt(range.start);
  const raw = ctx.text.slice(start, ctx.offsetAt(range.end));
  if (!raw.trimStart().startsWith('[')) return undefined;
  const esc = ctx.parsed.escapeChar === '`' ? '`' : '\\\\';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.replace(new RegExp(`${esc}[ \\t]*\\r?\\n`, 'g'), ''));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) return undefined;
  // the strings' own ranges (dockerfile-ast loses strings after a backtick continuation)
  const words: Word[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '"') continue;
    let j = i + 1;
    while (j < raw.length && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
    let value: string;
    try {
      value = JSON.parse(raw.slice(i, j + 1)) as string;
    } catch {
      return undefined;
    }
    words.push({ value, start: start + i, end: start + j + 1, expands: false });
    i = j;
  }
  return words.length === parsed.length && words.every((w, i) => w.value === parsed[i]) ? words : undefined;
}

/** The commands of a RUN/CMD/ENTRYPOINT/HEALTHCHECK instruction, or undefined when it has none. */
export function scriptOf(ctx: DockerfileSource, instruction: Instruction): Script | undefined {
  const range = instruction.getArgumentsRange();
  if (!range) return undefined;
  const execArgs = execArgsOf(ctx, instruction);
  if (execArgs) {
    if (execArgs.length === 0) return undefined;
    const [program, flag, body] = execArgs;
    if (SHELLS.test(program.value) && flag && /^-[a-z]*c[a-z]*$/.test(flag.value) && body) {
      return { form: 'exec-shell', instruction, text: body.value, commands: tokenize(body.value, 0, body.value.length, '\\'), execArgs, scriptArg: body };
    }
    const command: SimpleCommand = { words: execArgs, redirects: [], start: execArgs[0].start, end: execArgs[execArgs.length - 1].end };
    return { form: 'exec', instruction, text: ctx.text, commands: [command], execArgs };
  }
  const start = ctx.offsetAt(range.start);
  const end = ctx.offsetAt(range.end);
  return { form: 'shell', instruction, text: ctx.text, commands: tokenize(ctx.text, start, end, ctx.parsed.escapeChar) };
}

/** Document edits for edits expressed in the script's text. */
export function scriptEdits(script: Script, edits: TextEdit[]): TextEdit[] {
  if (script.form !== 'exec-shell') return edits;
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let value = script.text;
  for (const e of sorted) value = value.slice(0, e.start) + e.newText + value.slice(e.end);
  return [{ start: script.scriptArg!.start, end: script.scriptArg!.end, newText: JSON.stringify(value) }];
}

/** An edit replacing one word by a new (plain) value, in any form. */
export function replaceWordEdit(script: Script, word: Word, value: string): TextEdit[] {
  if (script.form === 'exec') return [{ start: word.start, end: word.end, newText: JSON.stringify(value) }];
  return scriptEdits(script, [{ start: word.start, end: word.end, newText: value }]);
}

/** The command that becomes the long-running process: the last one of the script (callers check `after === "&"`). */
export function mainCommand(script: Script): SimpleCommand | undefined {
  const commands = script.commands.filter((c) => argv(c).length > 0);
  return commands[commands.length - 1];
}

/** The last instruction with this keyword in the stage or, failing that, in the stages it builds on. */
export function effectiveInstruction(stage: Stage, keyword: string): Instruction | undefined {
  for (let s: Stage | undefined = stage, guard = 0; s && guard < 64; s = s.parent, guard++) {
    const found = s.instructions.filter((i) => i.getKeyword() === keyword);
    if (found.length > 0) return found[found.length - 1];
  }
  return undefined;
}

/** The CMD and ENTRYPOINT each stage ends with (its own last ones), each instruction once. */
export function stageEntrypoints(parsed: ParsedDockerfile): Array<{ stage: Stage; instruction: Instruction }> {
  const result: Array<{ stage: Stage; instruction: Instruction }> = [];
  for (const stage of parsed.stages) {
    for (const keyword of ['ENTRYPOINT', 'CMD']) {
      const own = stage.instructions.filter((i) => i.getKeyword() === keyword);
      if (own.length > 0) result.push({ stage, instruction: own[own.length - 1] });
    }
  }
  return result;
}

/** Where an instruction starts, as an offset (reports on RUN steps start here so `# hadolint ignore` above the instruction applies). */
export function instructionStart(ctx: RuleContext<ParsedDockerfile>, instruction: Instruction): number {
  return ctx.offsetAt(instruction.getRange().start);
}

export function instructionEnd(ctx: RuleContext<ParsedDockerfile>, instruction: Instruction): number {
  return ctx.offsetAt(instruction.getRange().end);
}

/** The base image a stage chain finally rests on (the external image of the root stage), lower-cased. */
export function rootImage(stage: Stage): string {
  let s = stage;
  for (let guard = 0; s.parent && guard < 64; guard++) s = s.parent;
  return s.image.toLowerCase();
}

/** The instructions of a stage and the stages it inherits from, in build order (root first). */
export function chainInstructions(stage: Stage): Instruction[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage, seen = new Set<Stage>(); s && !seen.has(s); s = s.parent) { seen.add(s); chain.push(s); }
  return chain.reverse().flatMap((s) => s.instructions);
}

/** Edits adding an argument right after a word (`yarn install` → `yarn install --frozen-lockfile`), in any form. */
export function insertArgAfterEdit(script: Script, word: Word, arg: string): TextEdit[] {
  if (script.form === 'exec') return [{ start: word.end, end: word.end, newText: `, ${JSON.stringify(arg)}` }];
  return scriptEdits(script, [{ start: word.end, end: word.end, newText: ` ${arg}` }]);
}
