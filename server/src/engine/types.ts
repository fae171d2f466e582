/**
 * The engine's vocabulary: positions, findings, fixes and the rule contract.
 * Everything here is plain data so the engine stays pure (no LSP runtime, no I/O).
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../parse/typescript';
import type { ParsedDockerfile } from '../parse/dockerfile';
import type { ParsedCompose } from '../parse/compose';
import type { ParsedDotenv } from '../parse/dotenv';
import type { ProjectContext } from './project-context';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** Factor slugs, in the order of the factors (I..XV). */
export type FactorSlug =
  | 'codebase' | 'dependencies' | 'config' | 'backing-services' | 'build-release-run'
  | 'processes' | 'port-binding' | 'concurrency' | 'disposability' | 'dev-prod-parity'
  | 'logs' | 'admin-processes' | 'api-first' | 'telemetry' | 'security';

/** The file kinds factorlint understands; one check per kind in a rule. */
export type FileKind = 'ts' | 'dockerfile' | 'compose' | 'dotenv';

/** 0-based line and UTF-16 character, as LSP. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

/** An edit in the analysed document, by UTF-16 offsets (end exclusive). */
export interface TextEdit { start: number; end: number; newText: string }

/** An edit of another file in the workspace: append text, creating the file when absent. */
export interface FileAppend {
  /** Path of the target file, absolute or relative to the analysed file's folder. */
  path: string;
  /** Text appended to the file (the file is created with this text when it does not exist). */
  append: string;
  /** Skip the append when the file already contains a line starting with this prefix. */
  unlessLineStartsWith?: string;
  /** Skip the append when the file already contains this exact line (trimmed), e.g. `.env` in `.gitignore`. */
  unlessLineEquals?: string;
}

/**
 * `safe`: behaviour-preserving, applied by fix-all. `unsafe`: offered one at a time.
 * `suggestion`: a refactoring the user chooses deliberately.
 */
export type FixKind = 'safe' | 'unsafe' | 'suggestion';

export interface Fix {
  title: string;
  kind: FixKind;
  edits: TextEdit[];
  /** Edits of other files (e.g. `.env.example`, `.gitignore`). */
  otherFiles?: FileAppend[];
  /**
   * Offer it as the preferred quick fix even though it is not `safe`: only for findings of high
   * confidence (a credential format, a credential slot), never for guesses from a name.
   */
  preferred?: boolean;
  /**
   * Only in findings read back from the analysis cache: the fix existed but its text held a
   * secret, so the cache kept its title and kind, not its edits. A fix applier re-analyses the
   * file afresh instead of applying it; a report still counts the finding as fixable.
   */
  withheld?: true;
}

export interface RelatedLocation { path: string; range: Range; message: string }

export interface Finding {
  ruleId: string;
  factor: FactorSlug;
  severity: Severity;
  message: string;
  /** Offsets into the analysed text. */
  start: number;
  end: number;
  range: Range;
  fixes: Fix[];
  related?: RelatedLocation[];
}

/** What a rule hands to `report`. */
export interface Report {
  messageId: string;
  /** The message's `{{name}}` values; never changed once reported (messages are kept by this object: rule-contract.ts). */
  data?: Readonly<Record<string, string | number>>;
  start: number;
  end: number;
  fixes?: Fix[];
  /** Overrides the default severity for this finding (e.g. credentials embedded in a URL). */
  severity?: Severity;
  related?: RelatedLocation[];
}

/**
 * What a TS/JS file is for, decided once per workspace from evidence (workspace/roles.ts):
 * `server` code the service runs, `browser` code bundled for a browser, `script`s run by hand
 * or by package scripts (seeds, migrations, CLIs), `test`s, `tooling` configuration of tools,
 * and `vendored` copies of third-party or generated code (never analysed).
 * Dockerfiles, Compose and .env files are `server` or, when they exist for tests/CI, `test`.
 */
export type FileRole = 'server' | 'browser' | 'script' | 'test' | 'tooling' | 'vendored';

export const FILE_ROLES: readonly FileRole[] = ['server', 'browser', 'script', 'test', 'tooling', 'vendored'];

/** A file's role and the evidence for it, in a short human sentence. */
export interface RoleDecision { role: FileRole; reason: string }

/** Facts about the analysed file, computed once by the engine. */
export interface FileInfo {
  /** Path as given (absolute in the editor, as walked in the CLI). Forward slashes. */
  path: string;
  kind: FileKind;
  /** TS/JS flavour: drives the parser's script kind. */
  scriptKind?: 'ts' | 'tsx' | 'js' | 'jsx';
  /** What the file is for, and why factorlint thinks so. */
  role: FileRole;
  roleReason: string;
  /** Application code: `role === 'server'` (kept for rules that read it). */
  isApp: boolean;
  /** `role === 'test'`. */
  isTest: boolean;
}

export interface RuleOptions {
  /** Module specifier of the project's logger, for the console-logging fix (e.g. `./logger`). */
  loggerModule?: string;
  /**
   * The running rule's own options from the config (`"rules": { "<id>": ["warning", { ... }] }`),
   * already validated against the rule's entry in engine/rule-options.ts; `{}` when none.
   */
  rule?: Readonly<Record<string, unknown>>;
}

export interface RuleContext<P> {
  readonly file: FileInfo;
  readonly text: string;
  readonly parsed: P;
  readonly options: RuleOptions;
  readonly project: ProjectContext;
  /** Converts an offset to a position in the analysed text. */
  positionAt(offset: number): Position;
  /** Converts a position to an offset in the analysed text. */
  offsetAt(position: Position): number;
  report(report: Report): void;
}

export interface ParsedByKind {
  ts: ParsedTs;
  dockerfile: ParsedDockerfile;
  compose: ParsedCompose;
  dotenv: ParsedDotenv;
}

export type RuleCheck<K extends FileKind> = (ctx: RuleContext<ParsedByKind[K]>) => void;

export interface RuleMeta {
  /** `<factor>/<name>`, equal to the module's path under `rules/`. */
  id: string;
  factor: FactorSlug;
  severity: Severity;
  /** One line: what the rule finds. */
  description: string;
  /** Why it matters, in the factor's terms. */
  rationale: string;
  /** Message templates by id; `{{name}}` placeholders are filled from the report's data. */
  messages: Record<string, string>;
  /** The strongest fix kind the rule offers, or `none`. */
  fix: FixKind | 'none';
  /**
   * The file roles the rule applies to (see `FileRole`); every role but `vendored` when absent.
   * Dockerfiles, Compose and .env files have the role `server`, or `test` when they exist for
   * tests or CI, so a rule without `test` also skips those.
   */
  roles?: readonly FileRole[];
}

/**
 * A TS check split so that an edited document re-checks only the top-level statements the edit
 * made, keeping the others' findings (engine/statement-memo.ts); a cold analysis runs `part`,
 * `summary` and `check` once over the whole file (`statementwiseTs`). The contract, which
 * server/test/incremental-index.test.ts' chain-equals-full property checks for every rule that
 * has one:
 * - `part` reads only the nodes of `ctx.parsed` (a view of some statements, or the whole file)
 *   and `statements` (the top-level statements in view), and is a fold: the parts of the
 *   statements one by one tell `summary` what one part of them all would;
 * - `summary` folds the parts (statement order, then the end-of-file token's) with file-wide
 *   facts that are cheap to read (imports, the file, options, the project): everything `check`
 *   reads beyond the statement of the node it judges, project facts included (the memo is not
 *   keyed by the project context);
 * - `check` reports only for nodes of `ctx.parsed`, each report starting and ending inside its
 *   node's top-level statement with no `related` locations; its fixes' edits lie in that
 *   statement, or at offsets the summary decides (an import insertion point).
 */
export interface StatementwiseCheck<Part = unknown, Summary = unknown> {
  /**
   * What `part` reads besides its statements (import bindings, top-level consts), when it reads
   * anything: computed over the whole file on every edit; a different key drops every kept part
   * and report (the rule runs whole). Without it, a part reads only its statements.
   */
  partsKey?(ctx: RuleContext<ParsedTs>): string;
  part(ctx: RuleContext<ParsedTs>, statements: readonly TS.Statement[]): Part;
  summary(ctx: RuleContext<ParsedTs>, parts: readonly Part[]): Summary;
  /** Equal summaries: every kept statement's findings are still exactly right. */
  sameSummary(a: Summary, b: Summary): boolean;
  /**
   * Opt-in, for memo units below the top level (engine/nested-units.ts): when an edit re-creates
   * a top-level statement but TypeScript reused statements of its blocks (the same objects), the
   * check skips those and keeps their findings while this key is the same. It names everything
   * `check` reads, for the nodes inside a statement of `list` (a block, case clause or module
   * block below the top level), outside that statement besides the summary: the enclosing
   * scopes' consts, the sibling statements it tests, the ancestors' kinds. Undefined: the
   * statements of `list` are always checked. The reports of a node inside such a statement must
   * start and end inside it, their fixes' edits lie inside it or at offsets the summary decides
   * (as for a top-level statement), and no node outside it reports inside it.
   */
  nestedKey?(ctx: RuleContext<ParsedTs>, list: TS.Node): string | undefined;
  /**
   * With `nestedKey`: what the check reads outside `unit` that differs between the statements of
   * one list (a fact of the summary about the unit's own nodes, such as a const's uses elsewhere),
   * compared with `nestedKey` before a unit's findings are kept.
   */
  nestedUnitKey?(ctx: RuleContext<ParsedTs>, unit: TS.Statement, summary: Summary): string;
  /**
   * Opt-in: `partsKey`, `summary` and `check` read the top-level variable statements only to
   * resolve names, through `constInitializer`, `constResolver`, `localValue` or `flowOf` (the
   * enclosing blocks first, where a `const` of the name stops each of them, then the file). Then
   * an edit that changes those statements re-parts and re-checks only the statements that name a
   * changed const outside such a block (engine/const-changes.ts), not the whole file, provided the
   * rest of the key and the summary is equal, as these say.
   */
  constsByName?: {
    /** `partsKey` without the top-level variable statements (undefined: the rule has no `partsKey`). */
    partsKey?(ctx: RuleContext<ParsedTs>): string;
    /** `sameSummary` without the top-level variable statements. */
    sameSummary(a: Summary, b: Summary): boolean;
    /** The reports hold offsets in a const's statement (a fix editing its value): a const whose statement moved counts as changed. */
    places?: true;
  };
  /** `summary()` is the file's summary, computed on first call (a cold check that returns early never pays for it). */
  check(ctx: RuleContext<ParsedTs>, summary: () => Summary): void;
}

export interface Rule {
  meta: RuleMeta;
  check: { [K in FileKind]?: RuleCheck<K> };
  /** The TS check split per top-level statement, when the rule offers it (`check.ts` is then engine/statement-memo.ts' `statementwiseTs(it)`). */
  statementwise?: StatementwiseCheck<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
