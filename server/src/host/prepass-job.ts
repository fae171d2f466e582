/**
 * One file of the CLI's role pre-pass, as a scan worker runs it: read the file and compute its
 * light project-model facts (`factsOf(..., { light: true })`: hints from a scanner, no parse).
 * A file the engine will analyse whose text needs a parse for those facts (it may handle
 * shutdown, export environment flags or import types only) is handed back with its text and
 * no facts: the main thread parses it and keeps that parse for the file's analysis, so no file
 * is parsed twice and no tree has to cross threads.
 */
import { factsOf, type FileFacts } from '../workspace/project-model';
import { tryReadRegularText } from './safe-fs';

export interface PrepassJob {
  abs: string;
  /** The path the project model uses (relative to the model root). */
  rel: string;
  /** The engine analyses this file (its parse, if one is needed, is made on the main thread). */
  analysing: boolean;
}

export interface PrepassResult {
  abs: string;
  /** Undefined: unreadable (not a regular file, too large, gone). */
  text?: string;
  /** Undefined with a text: the main thread computes them (a parse it keeps for the analysis). */
  facts?: FileFacts;
}

/** Thrown from the parse hook: the facts of this file are made where its parse is kept. */
const PARSE_ON_MAIN = new Error('parsed on the main thread');

export function runPrepassJob(job: PrepassJob, maxBytes: number): PrepassResult {
  const text = tryReadRegularText(job.abs, maxBytes);
  if (text === undefined) return { abs: job.abs };
  let needsParse = false;
  const facts = factsOf(job.rel, text, undefined, { light: true, ...(job.analysing ? { parseTs: () => { needsParse = true; throw PARSE_ON_MAIN; } } : {}) });
  return needsParse ? { abs: job.abs, text } : { abs: job.abs, text, facts };
}
