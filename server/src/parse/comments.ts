/** What every parse adapter hands the engine about comments (the engine interprets them). */

/** A comment as found by the parse adapter: its text without the comment markers, and where it is. */
export interface CommentSpan {
  text: string;
  start: number;
  end: number;
  line: number;
  /** True when the comment is the only thing on its line. */
  ownLine: boolean;
  /** A Dockerfile parser directive (`# check=…` at the top, where BuildKit reads it), not a comment. */
  parserDirective?: boolean;
}

/** Offset lookup by (line, character), as the engine's `LineIndex` provides it. */
export interface OffsetLookup {
  offsetAt(position: { line: number; character: number }): number;
}
