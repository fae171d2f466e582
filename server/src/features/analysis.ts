/**
 * Runs the pure engine for an open document and caches the result per (uri, version,
 * settings generation). The parse of a version is reused when only the settings changed.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyKind, type ClassifyOptions } from '../engine/classify';
import type { ProjectContext } from '../engine/project-context';
import { analyze, analyzeAsync, type AnalysisResult, type AnalyzeOptions } from '../engine/run';
import type { Rule } from '../engine/types';
import type { DocumentConfig } from './settings';

/** Facts about other files for a document; the host (file-system index) plugs in here. */
export interface ProjectContextProvider {
  projectContextFor(uri: string): ProjectContext;
  /**
   * Classification inputs (package.json `bin` targets, the path globs see) for a document;
   * `folderUri` is its workspace folder, where `.factorlintrc.json` lives. When absent, the
   * path relative to the workspace folder is used.
   */
  classifyOptionsFor?(uri: string, folderUri: string | undefined): ClassifyOptions;
  /** The workspace folders, at initialization and whenever they change. */
  onDidChangeWorkspaceFolders?(folderUris: readonly string[]): void;
  /**
   * Files the provider may have indexed changed on disk (`package.json`, `.gitignore`…, as
   * reported by the client's file watcher); open documents are re-validated afterwards.
   */
  onDidChangeFiles?(uris: readonly string[]): void;
}

/** Files whose changes can alter project facts; the server watches them for the provider. */
export const PROJECT_FILE_GLOBS = ['**/package.json', '**/.gitignore'];

/** Knows nothing about other files: rules must cope (untitled buffers, no host). */
export const EMPTY_PROJECT_PROVIDER: ProjectContextProvider = { projectContextFor: () => ({}) };

/** Extension for editor language ids, so untitled buffers still get the right parser. */
const LANGUAGE_EXTENSIONS: Record<string, string> = {
  typescript: '.ts', typescriptreact: '.tsx', javascript: '.js', javascriptreact: '.jsx',
};

/** The file-system path of a document for the engine (forward slashes), or a synthetic one. */
export function pathForUri(uri: string, languageId?: string): string {
  let p: string;
  if (uri.startsWith('file:')) {
    try {
      p = fileURLToPath(uri).replace(/\\/g, '/');
    } catch {
      p = decodeURIComponent(uri.replace(/^file:\/\//, ''));
    }
  } else {
    // untitled:Untitled-1, vscode-notebook-cell:…: keep the path part only
    const colon = uri.indexOf(':');
    p = decodeURIComponent(uri.slice(colon + 1)).replace(/^\/\//, '/');
  }
  if (!classifyKind(p, languageId) && languageId && LANGUAGE_EXTENSIONS[languageId]) p += LANGUAGE_EXTENSIONS[languageId];
  return p;
}

/** Directory of a document, for resolving paths relative to it. */
export function dirForUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.dirname(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export interface AnalysisEntry {
  uri: string;
  version: number;
  generation: number;
  result: AnalysisResult;
}

export interface AnalyzerOptions {
  project: ProjectContextProvider;
  /** The rules to run; the whole registry by default. */
  rules?: readonly Rule[];
  /** Called at most once per (rule, file) when a rule throws. */
  onRuleError(ruleId: string, path: string, error: unknown): void;
  /** Ids of rules run elsewhere (workspace rules): suppressions naming them are not "unused". */
  externalRuleIds?: () => ReadonlySet<string> | undefined;
}

export class Analyzer {
  private readonly cache = new Map<string, AnalysisEntry>();

  constructor(private readonly options: AnalyzerOptions) {}

  /** The analysis of the document's current version under `generation`'s settings. */
  analyzeDocument(doc: TextDocument, cfg: DocumentConfig, generation: number): AnalysisEntry {
    const cached = this.cache.get(doc.uri);
    if (cached && cached.version === doc.version && cached.generation === generation) return cached;
    const reuse = cached && cached.version === doc.version ? cached.result.parsed : undefined;
    // perf hook: an earlier version's tree is reparsed incrementally (it is replaced just below)
    const previous = cached && cached.version !== doc.version ? cached.result.parsed : undefined;
    const result = this.analyzeText(doc.uri, doc.getText(), doc.languageId, cfg, reuse, previous);
    const entry: AnalysisEntry = { uri: doc.uri, version: doc.version, generation, result };
    this.cache.set(doc.uri, entry);
    return entry;
  }

  /**
   * The same, yielding to the event loop while rules run (the server keeps answering other
   * requests) and giving up, undefined, as soon as `isCancelled` says the result is unwanted.
   */
  async analyzeDocumentAsync(doc: TextDocument, cfg: DocumentConfig, generation: number, isCancelled: () => boolean): Promise<AnalysisEntry | undefined> {
    const cached = this.cache.get(doc.uri);
    if (cached && cached.version === doc.version && cached.generation === generation) return cached;
    const reuse = cached && cached.version === doc.version ? cached.result.parsed : undefined;
    // an earlier version's tree is reparsed incrementally
    const previous = cached && cached.version !== doc.version ? cached.result.parsed : undefined;
    const version = doc.version;
    const result = await analyzeAsync({ path: pathForUri(doc.uri, doc.languageId), text: doc.getText(), languageId: doc.languageId }, { ...this.optionsFor(doc.uri, cfg, reuse, previous), isCancelled });
    if (!result) return undefined;
    const entry: AnalysisEntry = { uri: doc.uri, version, generation, result };
    this.cache.set(doc.uri, entry);
    return entry;
  }

  /** Globs (`ignore`, `appOnly`, `overrides`) match the path relative to the config root the settings chose. */
  private classifyOptions(uri: string, cfg: DocumentConfig): AnalyzeOptions['classify'] {
    const fromProject = this.options.project.classifyOptionsFor?.(uri, cfg.folderUri);
    if (!fromProject) return cfg.relativePath ? { relativePath: cfg.relativePath } : undefined;
    return cfg.relativePath ? { ...fromProject, relativePath: cfg.relativePath } : fromProject;
  }

  private optionsFor(uri: string, cfg: DocumentConfig, parsed?: AnalysisResult['parsed'], previous?: AnalysisResult['parsed']): AnalyzeOptions {
    return {
      config: cfg.config,
      project: this.options.project.projectContextFor(uri),
      classify: this.classifyOptions(uri, cfg),
      parsed,
      previous,
      rules: this.options.rules,
      reportUnusedSuppressions: !this.options.rules,
      externalRuleIds: this.options.externalRuleIds?.(),
      onRuleError: this.options.onRuleError,
    };
  }

  /** Analyses arbitrary text as if it were the document (fix-all passes). */
  analyzeText(uri: string, text: string, languageId: string, cfg: DocumentConfig, parsed?: AnalysisResult['parsed'], previous?: AnalysisResult['parsed']): AnalysisResult {
    return analyze({ path: pathForUri(uri, languageId), text, languageId }, this.optionsFor(uri, cfg, parsed, previous));
  }

  /** The facts about other files the provider gives a document. */
  projectContextFor(uri: string): ProjectContext {
    return this.options.project.projectContextFor(uri);
  }

  /** Drops every cached analysis (the workspace facts changed). */
  forgetAll(): void {
    this.cache.clear();
  }

  /** The cached entry, whatever its version (callers check). */
  peek(uri: string): AnalysisEntry | undefined {
    return this.cache.get(uri);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
