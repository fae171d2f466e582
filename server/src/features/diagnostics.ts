/**
 * Findings → LSP diagnostics, and when to compute them: pushed (`publishDiagnostics`,
 * debounced on change) for clients without pull support (Neovim 0.7, Emacs), pulled
 * (`textDocument/diagnostic` with result ids) for clients that advertise it.
 * Invariant: a result computed for version V is never sent once the document moved past V.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DiagnosticSeverity, LSPErrorCodes, ResponseError,
  type Connection, type Diagnostic, type DocumentDiagnosticReport, type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { rulePageLink } from '../host/rule-docs';
import type { Finding, Severity } from '../engine/types';
import { DIAGNOSTIC_SOURCE, StatusNotification, type SeverityCounts, type StatusParams } from '../protocol';
import { dirForUri, type AnalysisEntry, type Analyzer } from './analysis';
import type { SettingsStore } from './settings';
import type { IdleWork } from './idle-work';


/** The rule's page as shipped beside the server (a file URI: the link works offline). */
export function docsUrlFor(ruleId: string): string {
  return rulePageLink(ruleId);
}

/**
 * `Diagnostic.data`: the document version the diagnostic was computed for, and nothing else.
 * Code actions find the finding again in the analysis of the current version (rule id =
 * `code`, range) and refuse a diagnostic of another version. Fixes travel with the code
 * actions, not here: the diagnostics are sent on every keystroke, the fixes of the few under
 * the cursor only when asked for (`CodeActionsFeature`).
 */
export interface DiagnosticData {
  version: number;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A path from the engine (absolute, or relative to the document) as a URI. */
export function uriForPath(p: string, docUri: string): string {
  if (/^[a-z][a-z0-9+.-]+:/i.test(p) && !/^[a-z]:[\\/]/i.test(p)) return p;
  const dir = dirForUri(docUri);
  const absolute = path.isAbsolute(p) ? p : dir ? path.resolve(dir, p) : undefined;
  return absolute ? pathToFileURL(absolute).href : p;
}

/**
 * A rule's `codeDescription`: one object per rule, not one per diagnostic per keystroke (~600
 * per publish on a large file). Read-only: every diagnostic of the rule shares it.
 */
const codeDescriptions = new Map<string, Readonly<{ href: string }>>();
function codeDescriptionOf(ruleId: string): Readonly<{ href: string }> {
  const href = docsUrlFor(ruleId);
  let description = codeDescriptions.get(ruleId);
  if (description?.href !== href) codeDescriptions.set(ruleId, (description = Object.freeze({ href })));
  return description;
}

/**
 * A finding as a diagnostic of the document `uri` at a version (related paths resolved against
 * `uri`): the version's number, or its `data` object shared by the diagnostics of one publish
 * (read-only, like every diagnostic's `data`).
 */
export function toDiagnostic(finding: Finding, uri: string, version: number | Readonly<DiagnosticData>): Diagnostic {
  const data: Readonly<DiagnosticData> = typeof version === 'number' ? { version } : version;
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: codeDescriptionOf(finding.ruleId),
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    data,
  };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({ location: { uri: uriForPath(r.path, uri), range: r.range }, message: r.message }));
  }
  return diagnostic;
}

/** An analysis' diagnostics, sharing one `data` object (the same version for all). */
export function diagnosticsOf(entry: AnalysisEntry): Diagnostic[] {
  const data: Readonly<DiagnosticData> = Object.freeze({ version: entry.version });
  return entry.result.findings.map((f) => toDiagnostic(f, entry.uri, data));
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

interface DocState {
  timer?: NodeJS.Timeout;
  /** Bumped per scheduled run; a run that finds a newer ticket was superseded. */
  ticket: number;
  /** Version last saved or opened (for `run: onSave`). */
  savedVersion?: number;
  /** Whether non-empty diagnostics were pushed (to clear them later). */
  published: boolean;
}

export interface DiagnosticsDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  settings: SettingsStore;
  analyzer: Analyzer;
  /** Use pull diagnostics (the client advertised `textDocument.diagnostic`). */
  pull: boolean;
  /** The client can be asked to re-pull (`workspace.diagnostics.refreshSupport`). */
  refreshSupport: boolean;
  log(message: string): void;
  /** Diagnostics from elsewhere (cross-file findings) shown with the document's own. */
  extra?(uri: string, version: number): Diagnostic[];
  /** Changes when `extra` may give something new (part of pull result ids). */
  extraGeneration?(): number;
  /** A document closed; true when its diagnostics were taken care of (kept for the workspace). */
  onClosed?(uri: string): boolean;
  /**
   * A document is waiting for its diagnostics, from the start of `validate` (its settings
   * request included) to its publish: background work (the workspace index) pauses meanwhile.
   */
  foreground?: { begin(): void; end(): void };
  /**
   * Work for when the editor is idle: after a document's diagnostics, what its first keystroke
   * would build (`Analyzer.prepareEdits`). Every open, change and analysis here restarts its idle time.
   */
  idle?: IdleWork;
}

export class DiagnosticsFeature {
  private readonly states = new Map<string, DocState>();
  private disposed = false;
  /** Analyses running for a publish or a pull: idle work waits for none of them. */
  private running = 0;

  constructor(private readonly deps: DiagnosticsDeps) {}

  private state(uri: string): DocState {
    if (this.disposed) return { ticket: 0, published: false };
    let s = this.states.get(uri);
    if (!s) {
      s = { ticket: 0, published: false };
      this.states.set(uri, s);
    }
    return s;
  }

  private status(params: StatusParams): void {
    void this.deps.connection.sendNotification(StatusNotification.method, params).catch(() => undefined);
  }

  /** Whether an analysis a user waits for is running. */
  busy(): boolean {
    return this.running > 0;
  }

  onOpen(doc: TextDocument): void {
    this.deps.idle?.activity();
    const s = this.state(doc.uri);
    s.savedVersion = doc.version;
    if (!this.deps.pull) void this.validate(doc.uri, doc.version);
  }

  /** Every content change: debounce, then analyse the latest version only. */
  onChange(doc: TextDocument): void {
    this.deps.idle?.activity();
    if (this.deps.pull) return;
    const s = this.states.get(doc.uri);
    if (!s || s.savedVersion === doc.version) return; // the open already triggered a run
    s.ticket++;
    if (s.timer) clearTimeout(s.timer);
    void this.deps.settings.settingsFor(doc.uri).then((settings) => {
      const current = this.states.get(doc.uri);
      if (current !== s || this.deps.documents.get(doc.uri)?.version !== doc.version) return;
      if (settings.run === 'onSave') return;
      if (s.timer) clearTimeout(s.timer);
      // debounce 0: analyse now, not after a timer tick (≥ 1 ms per keystroke)
      if (settings.debounceMs <= 0) {
        s.timer = undefined;
        void this.validate(doc.uri, doc.version);
        return;
      }
      s.timer = setTimeout(() => {
        s.timer = undefined;
        void this.validate(doc.uri, doc.version);
      }, settings.debounceMs);
    }, () => undefined);
  }

  onSave(doc: TextDocument): void {
    const s = this.state(doc.uri);
    s.savedVersion = doc.version;
    if (this.deps.pull) {
      if (this.deps.refreshSupport) void this.deps.connection.languages.diagnostics.refresh().catch(() => undefined);
      return;
    }
    void this.deps.settings.settingsFor(doc.uri).then((settings) => {
      if (settings.run === 'onSave') void this.validate(doc.uri, doc.version);
    }, () => undefined);
  }

  onClose(uri: string): void {
    const s = this.states.get(uri);
    if (s?.timer) clearTimeout(s.timer);
    this.states.delete(uri);
    this.deps.idle?.remove(uri);
    this.deps.analyzer.forget(uri);
    this.deps.settings.forget(uri);
    if (this.deps.onClosed?.(uri)) return;
    // no ghost diagnostics for closed documents (push clients keep them otherwise)
    if (!this.deps.pull && s?.published) void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  /** Stops pending debounced runs (shutdown). */
  dispose(): void {
    this.disposed = true;
    for (const s of this.states.values()) if (s.timer) clearTimeout(s.timer);
    this.states.clear();
  }

  /** Settings or configuration changed: every open document again. */
  revalidateAll(): void {
    if (this.deps.pull) {
      if (this.deps.refreshSupport) void this.deps.connection.languages.diagnostics.refresh().catch(() => undefined);
      return;
    }
    for (const doc of this.deps.documents.all()) void this.validate(doc.uri, doc.version);
  }

  /** Computes and pushes diagnostics for `version`, unless the document moved on meanwhile. */
  async validate(uri: string, version: number): Promise<void> {
    const s = this.states.get(uri);
    if (!s || this.disposed) return;
    const ticket = ++s.ticket;
    const stale = () => this.states.get(uri) !== s || s.ticket !== ticket || this.deps.documents.get(uri)?.version !== version;
    this.deps.foreground?.begin();
    this.begin();
    try {
      const cfg = await this.deps.settings.configFor(uri);
      const generation = this.deps.settings.generation;
      if (stale()) return;
      const doc = this.deps.documents.get(uri)!;
      if (!cfg.settings.enable) {
        if (s.published) await this.deps.connection.sendDiagnostics({ uri, version, diagnostics: [] });
        s.published = false;
        return;
      }
      this.status({ state: 'analyzing', uri });
      const entry = await this.deps.analyzer.analyzeDocumentAsync(doc, cfg, generation, stale);
      if (!entry || stale()) return;
      // workspace findings still show in a file the engine does not analyse (an entrypoint script)
      const diagnostics = [...diagnosticsOf(entry), ...(this.deps.extra?.(uri, version) ?? [])];
      if ((entry.result.skipped === 'unsupported' || entry.result.skipped === 'ignored') && !s.published && diagnostics.length === 0) {
        this.status({ state: 'idle', uri });
        return;
      }
      await this.deps.connection.sendDiagnostics({ uri, version, diagnostics });
      s.published = diagnostics.length > 0;
      this.status({ state: 'idle', uri, counts: countBySeverity(entry.result.findings) });
      this.prepareWhenIdle(uri);
    } catch (error) {
      this.deps.log(`factorlint: analysis of ${uri} failed: ${(error as Error)?.name ?? 'error'}`);
      this.status({ state: 'error', uri, message: 'Analysis failed; see the factorlint output.' });
    } finally {
      this.end();
      this.deps.foreground?.end();
    }
  }

  private begin(): void {
    this.running++;
    this.deps.idle?.activity();
  }

  private end(): void {
    this.running--;
    this.deps.idle?.activity();
  }

  /**
   * Queues `Analyzer.prepareEdits` for the document's version as it is when the editor is idle
   * (before other idle work: the user is looking at it). Interrupted (a keystroke, another
   * document opened), it is queued again for the next idle time; the Analyzer tells when there
   * is nothing left to build.
   */
  private prepareWhenIdle(uri: string): void {
    this.deps.idle?.add(uri, async (interrupted) => {
      const cfg = await this.deps.settings.configFor(uri);
      const doc = this.deps.documents.get(uri);
      if (!doc || this.disposed || !cfg.settings.enable) return;
      if (!interrupted()) await this.deps.analyzer.prepareEdits(doc, cfg, this.deps.settings.generation, () => interrupted() || this.disposed);
      if (interrupted() && !this.disposed && this.deps.documents.get(uri)) this.prepareWhenIdle(uri);
    }, true);
  }

  /** `textDocument/diagnostic`. */
  async pull(uri: string, previousResultId: string | undefined, cancelled: () => boolean): Promise<DocumentDiagnosticReport> {
    const doc = this.deps.documents.get(uri);
    if (!doc) return { kind: 'full', items: [] };
    const version = doc.version;
    const cfg = await this.deps.settings.configFor(uri);
    const generation = this.deps.settings.generation;
    if (cancelled()) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    const current = this.deps.documents.get(uri);
    // Never answer for a version the client has already replaced: ask it to pull again.
    if (!current || current.version !== version) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
    if (!cfg.settings.enable) return { kind: 'full', resultId: `off.${generation}`, items: [] };
    const s = this.state(uri);
    if (cfg.settings.run === 'onSave' && s.savedVersion !== version && previousResultId) {
      return { kind: 'unchanged', resultId: previousResultId };
    }
    const resultId = `${version}.${generation}.${this.deps.extraGeneration?.() ?? 0}`;
    if (previousResultId === resultId) return { kind: 'unchanged', resultId };
    this.status({ state: 'analyzing', uri });
    const moved = () => this.deps.documents.get(uri)?.version !== version;
    this.begin();
    let entry: AnalysisEntry | undefined;
    try {
      entry = await this.deps.analyzer.analyzeDocumentAsync(current, cfg, generation, () => cancelled() || moved());
    } finally {
      this.end();
    }
    if (!entry) {
      // superseded while analysing: ask the client to pull the new version, or honour its cancellation
      if (moved()) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
      throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    }
    this.status({ state: 'idle', uri, counts: countBySeverity(entry.result.findings) });
    this.prepareWhenIdle(uri);
    return { kind: 'full', resultId, items: [...diagnosticsOf(entry), ...(this.deps.extra?.(uri, version) ?? [])] };
  }
}
