/**
 * One file of the CLI's role pre-pass, as a scan worker runs it: read the file and compute its
 * light project-model facts (`factsOf(..., { light: true })`: hints from a scanner; a parse only
 * for the rare text that may handle shutdown, export environment flags or import types only).
 * The parse of a file the engine will analyse is made through the engine and kept in this
 * worker (`KeptParses`) for that file's analysis, which the pool sends to the same worker: no
 * file is parsed twice (up to the kept trees' budget) and no tree crosses threads.
 */
import { contentHash } from '../cache/analysis-cache';
import { classifyFile } from '../engine/classify';
import { parseDocument, type ParsedDocument } from '../engine/document';
import type { ParsedTs } from '../parse/typescript';
import { factsOf, type FileFacts } from '../workspace/project-model';
import { slash } from './project-facts';
import { tryReadRegularText } from './safe-fs';

export interface PrepassJob {
  abs: string;
  /** The path the project model uses (relative to the model root). */
  rel: string;
  /** The engine analyses this file: a parse the facts need is kept for its analysis. */
  analysing: boolean;
}

export interface PrepassResult {
  abs: string;
  /** Undefined: unreadable (not a regular file, too large, gone). */
  text?: string;
  facts?: FileFacts;
  /** This worker kept a parse of the text for the file's analysis: send that job here. */
  kept?: boolean;
  /** `contentHash(text)`, when asked (the cache records the facts under it). */
  textHash?: string;
}

/**
 * Characters of text whose pre-pass trees one thread holds at once. A tree takes ~14× its text
 * in heap (effect's 15.7 MB of kept texts: 221 MB of RSS), so this bounds a thread's kept trees
 * to ~230 MB however many files of a large repository import types only; past it, a file is
 * parsed again for its analysis. The bench workspace (19 MB kept in all) stays under it per thread
 * with two workers.
 */
export const KEPT_PARSES_TEXT_BUDGET = 16 * 1024 * 1024;

/** A pre-pass parse and the text it was made of. */
type KeptParse = { text: string; parsed: ParsedDocument };

/** Parses a thread made in the pre-pass, by path, until the file's analysis takes them, within a text budget. */
export class KeptParses {
  private readonly byPath = new Map<string, KeptParse>();
  private held = 0;

  constructor(private readonly budget = KEPT_PARSES_TEXT_BUDGET) {}

  /** Keeps a file's parse for its analysis, unless that would pass the budget (its analysis then parses it again). */
  offer(abs: string, text: string, parsed: ParsedDocument): void {
    if (this.byPath.has(abs) || this.held + text.length > this.budget) return;
    this.byPath.set(abs, { text, parsed });
    this.held += text.length;
  }

  has(abs: string): boolean {
    return this.byPath.has(abs);
  }

  get(abs: string): KeptParse | undefined {
    return this.byPath.get(abs);
  }

  /** The file's kept parse, handed over once: the thread no longer holds it. */
  take(abs: string): KeptParse | undefined {
    const entry = this.byPath.get(abs);
    if (!entry) return undefined;
    this.byPath.delete(abs);
    this.held -= entry.text.length;
    return entry;
  }

  get size(): number {
    return this.byPath.size;
  }

  clear(): void {
    this.byPath.clear();
    this.held = 0;
  }
}

export function runPrepassJob(job: PrepassJob, maxBytes: number, kept: KeptParses, hash = false): PrepassResult {
  const text = tryReadRegularText(job.abs, maxBytes);
  if (text === undefined) return { abs: job.abs };
  const parseTs = job.analysing ? enginePrepassParse(job.abs, text, (parsed) => kept.offer(job.abs, text, parsed)) : undefined;
  const facts = factsOf(job.rel, text, undefined, { light: true, parseTs });
  return { abs: job.abs, text, facts, ...(kept.has(job.abs) ? { kept: true } : {}), ...(hash ? { textHash: contentHash(text) } : {}) };
}

/**
 * The pre-pass's parse of a file the engine will analyse, for `factsOf`'s `parseTs`: made
 * through the engine so the file's analysis can reuse it (`keep` receives it), on whichever
 * thread runs the pre-pass (this worker, or the CLI's thread in analyze-paths.ts).
 */
export function enginePrepassParse(abs: string, text: string, keep: (parsed: ParsedDocument) => void): () => ParsedTs {
  return () => {
    const file = classifyFile(slash(abs), text, undefined);
    if (file?.kind !== 'ts') throw new Error('not a TS/JS file'); // factsOf treats a throw as "no facts"
    const parsed = parseDocument(file, text);
    keep(parsed);
    return parsed.value as ParsedTs;
  };
}
