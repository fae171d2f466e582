/**
 * Runs the pure engine for an open document and caches the result per (uri, version,
 * settings generation). The parse of a version is reused when only the settings changed.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyFile, classifyKind } from '../engine/classify';
import { parseDocument, type ParsedDocument } from '../engine/document';
import type { ProjectContext } from '../engine/project-context';
import { analyze, analyzeAsync, isLikelyBinary, type AnalysisResult, type AnalyzeInput, type AnalyzeOptions } from '../engine/run';
import { forgetStatementMemo, statementMemoUnbuilt } from '../engine/statement-memo';
import type { RoleDecision, Rule } from '../engine/types';
import type { DocumentConfig } from './settings';
import { RULES } from '../rules/registry';

export { EMPTY_PROJECT_PROVIDER, PROJECT_FILE_GLOBS, type ProjectContextProvider } from '../host/project-provider';
import type { ProjectContextProvider } from '../host/project-provider';

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
  /** The project facts the analysis saw (see `Analyzer.projectChanged`). */
  projectStamp: number;
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
  /** Told when an open document's analysis starts and ends: background work (the index) waits meanwhile. */
  foreground?: { begin(): void; end(): void };
}

export class Analyzer {
  /** Analyses by document, valid for one (version, settings generation, project stamp). */
  private readonly cache = new Map<string, AnalysisEntry>();
  /**
   * The one parse of each open document's latest version, kept apart from the analyses: a new
   * project stamp or settings generation re-runs the rules on it, and the next version is
   * reparsed incrementally from it. The workspace index reads its facts from it (`parseOf`).
   */
  private readonly parses = new Map<string, { version: number; parsed: ParsedDocument }>();
  /** Bumped when project facts change: analyses go stale, parses stay. */
  private projectStamp = 0;
  /**
   * The engine path each document was analysed at: its language id can add an extension
   * (`untitled:Untitled-1` as TypeScript is `Untitled-1.ts`), which `forget` is not given.
   */
  private readonly enginePaths = new Map<string, string>();

  /** `pathForUri`, remembered for `forget` (the rules' per-statement memo is kept by this path). */
  private enginePath(uri: string, languageId: string | undefined): string {
    const p = pathForUri(uri, languageId);
    this.enginePaths.set(uri, p);
    return p;
  }

  constructor(private readonly options: AnalyzerOptions) {}

  private fresh(cached: AnalysisEntry | undefined, doc: TextDocument, generation: number): cached is AnalysisEntry {
    return !!cached && cached.version === doc.version && cached.generation === generation && cached.projectStamp === this.projectStamp;
  }

  /** The stored parse of this version (reused as is) and of an earlier one (reparsed incrementally). */
  private parseInputs(doc: TextDocument): { parsed?: ParsedDocument; previous?: ParsedDocument } {
    const stored = this.parses.get(doc.uri);
    if (!stored) return {};
    return stored.version === doc.version ? { parsed: stored.parsed } : { previous: stored.parsed };
  }

  private remember(uri: string, version: number): (parsed: ParsedDocument) => void {
    return (parsed) => { this.parses.set(uri, { version, parsed }); };
  }

  /**
   * An open document's engine input and options, as the editor analyses it: its path (kept for
   * `forget`), the given parse or the one to reparse from, the new parse stored as soon as it
   * exists, and `editing` (the rules keep their findings per statement).
   */
  private editorAnalysis(doc: TextDocument, cfg: DocumentConfig, parses: { parsed?: ParsedDocument; previous?: ParsedDocument }): [AnalyzeInput, AnalyzeOptions] {
    return [
      { path: this.enginePath(doc.uri, doc.languageId), text: doc.getText(), languageId: doc.languageId },
      { ...this.optionsFor(doc.uri, cfg, parses.parsed, parses.previous), onParsed: this.remember(doc.uri, doc.version), editing: true },
    ];
  }

  /** The analysis of the document's current version under `generation`'s settings. */
  analyzeDocument(doc: TextDocument, cfg: DocumentConfig, generation: number): AnalysisEntry {
    const cached = this.cache.get(doc.uri);
    if (this.fresh(cached, doc, generation)) return cached;
    const result = analyze(...this.editorAnalysis(doc, cfg, this.parseInputs(doc)));
    const entry: AnalysisEntry = { uri: doc.uri, version: doc.version, generation, projectStamp: this.projectStamp, result };
    this.cache.set(doc.uri, entry);
    return entry;
  }

  /**
   * The same, yielding to the event loop while rules run (the server keeps answering other
   * requests) and giving up, undefined, as soon as `isCancelled` says the result is unwanted.
   * The parse is kept even then: the next request reuses it.
   */
  async analyzeDocumentAsync(doc: TextDocument, cfg: DocumentConfig, generation: number, isCancelled: () => boolean): Promise<AnalysisEntry | undefined> {
    const cached = this.cache.get(doc.uri);
    if (this.fresh(cached, doc, generation)) return cached;
    const [input, options] = this.editorAnalysis(doc, cfg, this.parseInputs(doc));
    const version = doc.version;
    const stamp = this.projectStamp;
    this.options.foreground?.begin();
    let result: AnalysisResult | undefined;
    try {
      result = await analyzeAsync(input, { ...options, isCancelled });
    } finally {
      this.options.foreground?.end();
    }
    if (!result) return undefined;
    const entry: AnalysisEntry = { uri: doc.uri, version, generation, projectStamp: stamp, result };
    this.cache.set(doc.uri, entry);
    return entry;
  }

  /**
   * Builds what the document's first keystroke would otherwise build: an editor's open keeps
   * each rule's findings per statement but leaves their parts to the next edit (`firstRun`),
   * which on a 5k-line file made the first keystroke cost three times a later one. This runs
   * the edit path on the open's parse with the text unchanged (TypeScript returns the same tree:
   * every statement is kept, each rule builds its parts, no statement is checked again) and
   * keeps the result, which has the same findings. Does nothing, false, unless the cached
   * analysis is of the current version and settings and some parts are missing. Callers run it
   * while the editor is idle (`IdleWork`); it yields between rules and gives up, false, once
   * `isCancelled` says so (a keystroke arrived): the rules that ran keep their parts, the others
   * are built by the next edit or the next idle time, and the tree stays the version's parse.
   */
  async prepareEdits(doc: TextDocument, cfg: DocumentConfig, generation: number, isCancelled: () => boolean = () => false): Promise<boolean> {
    const cached = this.cache.get(doc.uri);
    const stored = this.parses.get(doc.uri);
    if (!this.fresh(cached, doc, generation) || stored?.version !== doc.version || stored.parsed.kind !== 'ts') return false;
    if (!statementMemoUnbuilt(pathForUri(doc.uri, doc.languageId))) return false;
    // reparsed from the open's parse with the same text: TypeScript keeps the tree, the memo its statements
    const [input, options] = this.editorAnalysis(doc, cfg, { previous: stored.parsed });
    const result = await analyzeAsync(input, { ...options, isCancelled });
    if (!result || this.cache.get(doc.uri) !== cached) return false;
    this.cache.set(doc.uri, { ...cached, result });
    return true;
  }

  /**
   * The parse of the document's current version, shared with the workspace index so a version
   * is parsed once: the stored one, or a new (incremental) parse that the analysis then reuses.
   * Undefined for files the engine does not parse or cannot parse.
   */
  parseOf(doc: TextDocument): ParsedDocument | undefined {
    const { parsed, previous } = this.parseInputs(doc);
    if (parsed) return parsed;
    const text = doc.getText();
    const file = classifyFile(pathForUri(doc.uri, doc.languageId), text, doc.languageId);
    if (!file || isLikelyBinary(text)) return undefined;
    try {
      const fresh = parseDocument(file, text, previous);
      this.parses.set(doc.uri, { version: doc.version, parsed: fresh });
      return fresh;
    } catch {
      return undefined; // the analysis reports the unparseable file
    }
  }

  /** Globs (`ignore`, `appOnly`, `overrides`) match the path relative to the config root the settings chose. */
  private classifyOptions(uri: string, cfg: DocumentConfig): AnalyzeOptions['classify'] {
    const fromProject = this.options.project.classifyOptionsFor?.(uri, cfg.folderUri);
    if (!fromProject) return cfg.relativePath ? { relativePath: cfg.relativePath } : undefined;
    return cfg.relativePath ? { ...fromProject, relativePath: cfg.relativePath } : fromProject;
  }

  private optionsFor(uri: string, cfg: DocumentConfig, parsed?: ParsedDocument, previous?: ParsedDocument): AnalyzeOptions {
    return {
      config: cfg.config,
      project: this.options.project.projectContextFor(uri),
      classify: this.classifyOptions(uri, cfg),
      parsed,
      previous,
      rules: this.options.rules ?? RULES,
      reportUnusedSuppressions: !this.options.rules,
      externalRuleIds: this.options.externalRuleIds?.(),
      onRuleError: this.options.onRuleError,
    };
  }

  /**
   * Analyses arbitrary text as if it were the document (fix-all passes, the warm-up). `edited`:
   * as a version of a document open in the editor, reparsed incrementally from `previous` when
   * given, keeping the rules' per-statement findings for the next version (the warm-up's keystrokes).
   */
  analyzeText(uri: string, text: string, languageId: string, cfg: DocumentConfig, edited?: { previous?: ParsedDocument }): AnalysisResult {
    const options = this.optionsFor(uri, cfg, undefined, edited?.previous);
    // only an edited text gets a memo for `forget` to drop (fix-all passes analyse closed files' texts too)
    return analyze({ path: edited ? this.enginePath(uri, languageId) : pathForUri(uri, languageId), text, languageId }, edited ? { ...options, editing: true } : options);
  }

  /** The role a text at `uri` is analysed with, and why (undefined for files factorlint does not analyse). */
  roleOf(uri: string, text: string, languageId: string | undefined, cfg: DocumentConfig): RoleDecision | undefined {
    const classify = this.optionsFor(uri, cfg).classify;
    const info = classifyFile(pathForUri(uri, languageId), text, languageId, { appScope: cfg.config.appOnly, roleGlobs: cfg.config.roles, ...classify });
    return info ? { role: info.role, reason: info.roleReason } : undefined;
  }

  /** The facts about other files the provider gives a document. */
  projectContextFor(uri: string): ProjectContext {
    return this.options.project.projectContextFor(uri);
  }

  /**
   * Project facts changed (workspace model, package files): every analysis is stale, but the
   * parses stay (same texts) and the next analysis of each document reuses its parse.
   */
  projectChanged(): void {
    this.projectStamp++;
  }

  /** The cached entry, whatever its version (callers check). */
  peek(uri: string): AnalysisEntry | undefined {
    return this.cache.get(uri);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.parses.delete(uri);
    forgetStatementMemo(this.enginePaths.get(uri) ?? pathForUri(uri)); // the rules' per-statement findings of its last version
    this.enginePaths.delete(uri);
  }
}
