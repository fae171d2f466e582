/**
 * Suppression comments for workspace findings: the same `factorlint-disable-next-line <id>`
 * (and `-line`, `-file`, block, foreign-tool) comments as single-file findings, read from the
 * text of the file each finding lands in. Shell scripts (not an engine file kind) get `#` comments.
 */
import { classifyFile } from '../engine/classify';
import { parseDocument } from '../engine/document';
import { mayContainSuppression, parseSuppressions, SuppressionIndex, type CommentSpan } from '../engine/suppressions';
import type { LocatedFinding } from './workspace-rule';

/** `#` comments of a shell script: own-line, or after whitespace outside quotes. */
export function shellComments(text: string): CommentSpan[] {
  const out: CommentSpan[] = [];
  let offset = 0;
  text.split('\n').forEach((raw, line) => {
    const lineText = raw.replace(/\r$/, '');
    let quote = '';
    for (let i = 0; i < lineText.length; i++) {
      const c = lineText[i];
      if (quote) { if (c === quote) quote = ''; else if (c === '\\' && quote === '"') i++; continue; }
      if (c === '"' || c === "'") { quote = c; continue; }
      if (c === '\\') { i++; continue; }
      if (c === '#' && (i === 0 || /\s/.test(lineText[i - 1]))) {
        if (line === 0 && i === 0 && lineText.startsWith('#!')) break; // the shebang
        out.push({ text: lineText.slice(i + 1).trim(), start: offset + i, end: offset + lineText.length, line, ownLine: lineText.slice(0, i).trim() === '' });
        break;
      }
    }
    offset += raw.length + 1;
  });
  return out;
}

function commentsOf(path: string, text: string): readonly CommentSpan[] {
  const file = classifyFile(path, text, undefined);
  if (file) return parseDocument(file, text).directiveComments();
  return shellComments(text);
}

/** Drops workspace findings silenced by a comment in their file; files with unknown text keep theirs. */
export function suppressWorkspaceFindings<T extends LocatedFinding>(findings: readonly T[], textOf: (path: string) => string | undefined, today: string): T[] {
  const indexes = new Map<string, SuppressionIndex | undefined>();
  const indexFor = (path: string) => {
    if (!indexes.has(path)) {
      const text = textOf(path);
      let index: SuppressionIndex | undefined;
      // no suppression marker in the text: nothing to read (and no parse)
      if (text !== undefined && !mayContainSuppression(text)) { indexes.set(path, undefined); return undefined; }
      try { index = text === undefined ? undefined : new SuppressionIndex(parseSuppressions(commentsOf(path, text)), today); } catch { index = undefined; }
      indexes.set(path, index);
    }
    return indexes.get(path);
  };
  return findings.filter((f) => !indexFor(f.path)?.check(f.ruleId, f.range.start.line).suppressed);
}
