/** One parse per document version, shared by every rule that checks the file. */
import { parseCompose } from '../parse/compose';
import { parseDockerfile } from '../parse/dockerfile';
import { parseDotenv } from '../parse/dotenv';
import { parseTypescript } from '../parse/typescript';
import { LineIndex } from './line-index';
import type { CommentSpan } from './suppressions';
import type { FileInfo, FileKind, ParsedByKind } from './types';

export interface ParsedDocument<K extends FileKind = FileKind> {
  readonly kind: K;
  readonly text: string;
  readonly lines: LineIndex;
  readonly value: ParsedByKind[K];
  directiveComments(): readonly CommentSpan[];
  /** Why the parse is partial (a bound cut it short), when it is: the analysis reports it as incomplete. */
  incomplete?(): string | undefined;
}

/**
 * `previous`: a parse of an earlier version of the same document, for an incremental reparse
 * (TS/JS only; other kinds are small and reparsed in full). It is consumed: do not use it after.
 */
export function parseDocument(file: FileInfo, text: string, previous?: ParsedDocument): ParsedDocument {
  const lines = new LineIndex(text);
  switch (file.kind) {
    case 'ts': {
      const value = parseTypescript(text, file, previous?.kind === 'ts' ? (previous.value as ParsedByKind['ts']) : undefined);
      return { kind: 'ts', text, lines, value, directiveComments: () => value.directiveComments() };
    }
    case 'dockerfile': {
      const value = parseDockerfile(text, lines);
      return { kind: 'dockerfile', text, lines, value, directiveComments: () => value.directiveComments() };
    }
    case 'compose': {
      const value = parseCompose(text);
      return { kind: 'compose', text, lines, value, directiveComments: () => value.directiveComments(), incomplete: () => value.incomplete() };
    }
    case 'dotenv': {
      const value = parseDotenv(text);
      return { kind: 'dotenv', text, lines, value, directiveComments: () => value.directiveComments() };
    }
  }
}
