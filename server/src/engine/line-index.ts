import type { Position } from './types';

/** Offset <-> (line, character) conversion for one text; lines split on \n, \r\n and \r. */
export class LineIndex {
  private lazyStarts?: number[];

  constructor(private readonly text: string) {}

  /** Line starts, computed on first use: most files have no findings and never need them. */
  private get starts(): number[] {
    return (this.lazyStarts ??= lineStarts(this.text));
  }

  get lineCount(): number { return this.starts.length; }

  lineStart(line: number): number { return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]; }

  /** End of the line's content, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1];
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > 0 && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string { return this.text.slice(this.lineStart(line), this.lineEnd(line)); }

  positionAt(offset: number): Position {
    const o = this.clamp(offset);
    const line = this.lineOf(o);
    return { line, character: o - this.starts[line] };
  }

  /** Whether `positionAt(offset)` would answer `position`, without making one (engine/finding-memo.ts compares kept findings). */
  isAt(offset: number, position: Position): boolean {
    const o = this.clamp(offset);
    const line = this.lineOf(o);
    return line === position.line && o - this.starts[line] === position.character;
  }

  private clamp(offset: number): number { return Math.max(0, Math.min(offset, this.text.length)); }

  /** The line holding offset `o` (within the text). */
  private lineOf(o: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  offsetAt(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = this.starts[position.line];
    return Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
  }
}

function lineStarts(text: string): number[] {
  // No \r (most files): jump from \n to \n with the native search, a fraction of a character
  // loop on a large file, which the editor pays on every keystroke.
  if (text.indexOf('\r') < 0) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}
