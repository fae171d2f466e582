/**
 * Dockerfile adapter: `dockerfile-ast` parses once per version; this adds the build-stage
 * model the rules share (stage names, resolved base images, inheritance, the final stage).
 */
import { DockerfileParser, type Dockerfile, type From, type Instruction } from 'dockerfile-ast';
import type { CommentSpan, OffsetLookup } from './comments';

export interface Stage {
  index: number;
  from: From;
  /** `AS name`, lower-cased, when given. */
  name?: string;
  /** The base image with `${ARG}` references resolved from global ARG defaults where possible. */
  image: string;
  /** The image as written. */
  rawImage: string;
  /** The stage this one builds on (`FROM build AS runtime`), when defined in the same file. */
  parent?: Stage;
  /** Instructions after the FROM up to the next FROM. */
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  readonly dockerfile: Dockerfile;
  readonly stages: readonly Stage[];
  /** The stage that ships: the last one. */
  readonly finalStage: Stage | undefined;
  /** The final stage and the stages it inherits from, nearest first. */
  readonly finalChain: readonly Stage[];
  readonly escapeChar: string;
  directiveComments(): readonly CommentSpan[];
}

/** Replaces `$NAME`/`${NAME}`/`${NAME:-default}` with known ARG defaults. */
export function resolveArgs(value: string, args: ReadonlyMap<string, string | undefined>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const known = args.get(name);
    if (known !== undefined && known !== '') return known;
    if (fallback !== undefined && whole.includes(':-')) return fallback;
    return whole;
  });
}

/** The parser directives Docker knows; other `# key=value` lines at the top are comments. */
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

export function parseDockerfile(text: string, lines: OffsetLookup): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text);
  const globalArgs = new Map<string, string | undefined>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) globalArgs.set(property.getName(), property.getValue() ?? undefined);
  }
  const instructions = dockerfile.getInstructions();
  const stages: Stage[] = [];
  const byName = new Map<string, Stage>(); // the first stage of each name, as Docker resolves `FROM <name>`
  let current: Stage | undefined;
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') {
      const from = instruction as From;
      const rawImage = from.getImage() ?? '';
      const image = resolveArgs(rawImage, globalArgs);
      const name = from.getBuildStage()?.toLowerCase() ?? undefined;
      const parent = byName.get(image.toLowerCase());
      current = { index: stages.length, from, name, image, rawImage, parent, instructions: [] };
      stages.push(current);
      if (name !== undefined && !byName.has(name)) byName.set(name, current);
    } else if (current) {
      current.instructions.push(instruction);
    }
  }
  const finalStage = stages[stages.length - 1];
  const finalChain: Stage[] = [];
  for (let s: Stage | undefined = finalStage, seen = new Set<Stage>(); s && !seen.has(s); s = s.parent) { seen.add(s); finalChain.push(s); }
  let comments: CommentSpan[] | undefined;
  return {
    dockerfile,
    stages,
    finalStage,
    finalChain,
    escapeChar: dockerfile.getEscapeCharacter(),
    directiveComments() {
      if (comments) return comments;
      comments = dockerfile.getComments().map((c) => {
        const range = c.getRange();
        const start = lines.offsetAt(range.start);
        return { text: c.getContent() ?? '', start, end: lines.offsetAt(range.end), line: range.start.line, ownLine: true };
      });
      // dockerfile-ast reads any `# key=value` line at the top as a parser directive, but Docker
      // only knows a few: `# hadolint ignore=DL3006` or `#checkov:skip=…` above the first FROM are comments
      // BuildKit's `# check=skip=…` is a directive that suppresses checks: handed over flagged as one
      for (const d of dockerfile.getDirectives()) {
        const name = d.getName().toLowerCase();
        if (KNOWN_DIRECTIVES.has(name) && name !== 'check') continue;
        const range = d.getRange();
        const start = lines.offsetAt(range.start);
        const end = lines.offsetAt(range.end);
        comments.push({ text: text.slice(start, end).replace(/^\s*#\s*/, ''), start, end, line: range.start.line, ownLine: true, ...(name === 'check' ? { parserDirective: true } : {}) });
      }
      return comments;
    },
  };
}
