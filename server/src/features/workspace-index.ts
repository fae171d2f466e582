/**
 * The background workspace index of the language server: one `ProjectModelBuilder` per
 * workspace folder (facts only, no syntax trees, no texts kept), built at `initialized` with
 * work-done progress, cancellable. Its walk, reads and facts (`index-scan.ts`) run in a worker
 * thread in the shipped server, else here, yielding to the event loop between files; either way
 * requests are still answered while it runs, and it pauses while open documents wait. Kept current from open-document edits (debounced) and watched
 * file events. After every model update the workspace rules run again; the paths whose
 * workspace findings changed (`pathsToRefresh`) are reported so their diagnostics are redone.
 *
 * Paths in the model are relative to the folder (as the CLI's), so the report's numbers and
 * locations are the same as the CLI's for the same folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CancellationToken, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_MAX_FILE_SIZE, type ResolvedConfig } from '../engine/config';
import { failureReason, incompleteFinding } from '../engine/run';
import { classifyKind } from '../engine/classify';
import { readTextFile } from '../host/project-facts';
import type { ParsedDocument } from '../engine/document';
import type { ParsedTs } from '../parse/typescript';
import { factsOf, isModelFile, ProjectModelBuilder, type ProjectModel } from '../workspace/project-model';
import { scanWorkspace, type ScanSink, type ScanSpec } from './index-scan';
import { IndexWorkerScan } from './index-worker-client';
import { FOREGROUND_WAIT_MAX_MS } from './index-worker-protocol';
import { WORKSPACE_RULES } from '../workspace/registry';
import { suppressWorkspaceFindings } from '../workspace/suppress';
import { pathsToRefresh, runWorkspaceRules, type LocatedFinding, type WorkspaceRule } from '../workspace/workspace-rule';

/** More files than this are not indexed (a monorepo checkout with vendored trees). */
export const DEFAULT_MAX_INDEXED_FILES = 20_000;
/** Progress is reported every this many files. */
const FILES_PER_PROGRESS = 100;
/** Delay between the last edit of an open document and the model update. */
export const MODEL_DEBOUNCE_MS = 300;

export { isModelFile };

/** The watcher globs the server registers (`workspace/didChangeWatchedFiles`). */
export const INDEX_WATCH_GLOBS: readonly string[] = [
  '**/*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}',
  '**/*Dockerfile*', '**/Containerfile',
  '**/*compose*.{yml,yaml}',
  '**/.env*',
  '**/*.sh', '**/Procfile',
  '**/package.json',
  '**/app.json',
  '**/{tsconfig,jsconfig}*.json',
  '**/.gitignore',
  '**/{openapi,swagger,asyncapi}*.{yml,yaml,json}',
  '**/*.{graphql,gql,graphqls}',
];

export interface FolderIndex {
  /** The folder URI as the client sent it (no trailing slash). */
  uri: string;
  root: string;
  builder: ProjectModelBuilder;
  /** Workspace findings after suppression, paths relative to `root`. */
  findings: LocatedFinding[];
  /** The walk finished (not cancelled): workspace rules may trust the model. */
  complete: boolean;
  /** Bumped on every model change. */
  version: number;
}

export interface WorkspaceIndexDeps {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  /** The resolved configuration of a folder (rules' severities, ignore globs). */
  configFor(folderUri: string): Promise<ResolvedConfig>;
  /** Client supports `window/workDoneProgress/create`. */
  progress: boolean;
  /** Ask the client for `files.exclude` (`workspace/configuration`). */
  configuration: boolean;
  log(message: string): void;
  /** Workspace findings changed for these file URIs (or a whole build finished). */
  onFindingsChanged(uris: readonly string[]): void;
  /** Files gone from disk: their diagnostics must go too. */
  onFilesDeleted(uris: readonly string[]): void;
  rules?: readonly WorkspaceRule[];
  maxFiles?: number;
  maxFileSize?: number;
  /** The engine's parse of an open document's current version, whose facts the model takes (no second parse). */
  parseOf?(doc: TextDocument): ParsedDocument | undefined;
  /** Overrides disk reads (tests). */
  readFile?(absPath: string): string | undefined;
  /**
   * The persisted model-facts cache of a folder (see `FactsCache`); none when undefined. A warm
   * start reads and parses only the files that changed since the last build.
   */
  factsCacheFile?(folderRoot: string): string | undefined;
  /** YYYY-MM-DD for suppression expiry. */
  today?(): string;
  /**
   * Work the index or the first opened file will need soon, as steps the build runs one at a
   * time, serving open documents between them. `ts` (loading the compiler, a sample TS
   * analysis): once, before the first build's walk when a folder is a Node project (package.json,
   * tsconfig.json or jsconfig.json at its root), else when the walk meets the first TS/JS file,
   * so a TS file opened meanwhile does not pay for it on its way to its first diagnostic (and a
   * workspace without TS/JS never loads the compiler). `other` (Dockerfile, Compose, .env
   * samples): once, before the first walk. "Before the walk" is after the client answered the
   * build's progress and `files.exclude` requests: documents restored with the window, whose
   * didOpen follows `initialized`, are analysed first (a Dockerfile must not wait for the compiler).
   */
  warmUp?(kind: 'ts' | 'other'): ReadonlyArray<() => void>;
  /**
   * Run the index's walk, reads and facts (`index-scan.ts`) in a worker thread started from
   * `script` (`index-worker.ts`), its thread niced to `nice` on Linux: this thread then only
   * merges facts and runs the cross-file rules; its own compiler (for open TS/JS documents) is
   * still the `ts` warm-up's, before the walk in a Node project (loading it only for the first
   * TS document cost that document 2 s in the real VS Code with a cold compile cache). Without
   * it (tests, `readFile`), the same scan runs in this thread, sliced.
   */
  worker?: { script: string; nice?: number };
}

function toPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return fileURLToPath(uri); } catch { return undefined; }
}

function slash(p: string): string {
  return p.replace(/\\/g, '/');
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Files whose presence at a folder's root says it holds TS/JS (a Node project). */
const NODE_PROJECT_MARKERS = ['package.json', 'tsconfig.json', 'jsconfig.json'];

export class WorkspaceIndex {
  private folders: FolderIndex[] = [];
  private building: Promise<void> | undefined;
  /** Bumped to cancel a running build (folders changed, shutdown, client cancel). */
  private buildTicket = 0;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private disposed = false;
  /** Bumped whenever any workspace finding changes (pull result ids). */
  generation = 0;
  /** Files indexed by the last build, and how many of them came from the facts cache. */
  lastBuild = { files: 0, fromCache: 0 };
  /** Warm-up kinds already run (`WorkspaceIndexDeps.warmUp`): each once per index. */
  private readonly warmedUp = new Set<'ts' | 'other'>();
  /** Open documents waiting for their diagnostics now: the build waits for them (`yieldToForeground`). */
  private foreground = 0;
  private resumes: Array<() => void> = [];
  /** The running build's worker scan, told when documents wait (`foregroundBegin`) and when to stop. */
  private workerScan: IndexWorkerScan | undefined;

  constructor(private readonly deps: WorkspaceIndexDeps) {}

  get rules(): readonly WorkspaceRule[] { return this.deps.rules ?? WORKSPACE_RULES; }

  /** Ids of workspace rules: suppressions naming them are not "unused" in single-file analysis. */
  get ruleIds(): ReadonlySet<string> { return new Set(this.rules.map((r) => r.meta.id)); }

  allFolders(): readonly FolderIndex[] { return this.folders; }

  /** The folder (innermost) holding a file URI, with the file's folder-relative path. */
  locate(uri: string): { folder: FolderIndex; rel: string; abs: string } | undefined {
    const abs = toPath(uri);
    if (!abs) return undefined;
    const folder = this.folders.filter((f) => abs === f.root || abs.startsWith(f.root.endsWith(path.sep) ? f.root : f.root + path.sep))
      .sort((a, b) => b.root.length - a.root.length)[0];
    if (!folder) return undefined;
    return { folder, rel: slash(path.relative(folder.root, abs)), abs };
  }

  uriOf(folder: FolderIndex, rel: string): string {
    return pathToFileURL(path.join(folder.root, rel)).href;
  }

  /** Text of a folder file: the open editor buffer first, then the disk. */
  textOf(folder: FolderIndex, rel: string): string | undefined {
    const abs = path.join(folder.root, rel);
    return this.openDocument(abs)?.getText() ?? this.readDisk(abs);
  }

  private readDisk(abs: string): string | undefined {
    if (this.deps.readFile) return this.deps.readFile(abs);
    return readTextFile(abs, this.deps.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
  }

  /** The TS parse of an open document's current version, when the engine has (or makes) one. */
  private parsedTsOf(doc: TextDocument | undefined): ParsedTs | undefined {
    const parsed = doc ? this.deps.parseOf?.(doc) : undefined;
    return parsed?.kind === 'ts' ? (parsed.value as ParsedTs) : undefined;
  }

  /** The editor buffer of a file, when it is open. */
  private openDocument(abs: string): TextDocument | undefined {
    return this.deps.documents.get(pathToFileURL(abs).href);
  }

  /** Workspace findings shown in a file (relative paths; see `locate`). */
  findingsFor(uri: string): { folder: FolderIndex; findings: LocatedFinding[] } | undefined {
    const where = this.locate(uri);
    if (!where) return undefined;
    return { folder: where.folder, findings: where.folder.findings.filter((f) => f.path === where.rel) };
  }

  model(folder: FolderIndex): ProjectModel { return folder.builder.model(); }

  /** Files of the model, as URIs. */
  fileCount(): number {
    return this.folders.reduce((n, f) => n + f.builder.model().files.length, 0);
  }

  isComplete(): boolean { return this.folders.every((f) => f.complete); }

  /**
   * An open document is waiting for its diagnostics (from its open or change until they are
   * published, configuration requests included): the build pauses at its next yield until it ends.
   */
  foregroundBegin(): void {
    this.foreground++;
    this.workerScan?.setWaiting(true);
  }

  foregroundEnd(): void {
    if (this.foreground > 0) this.foreground--;
    if (this.foreground === 0) {
      this.workerScan?.setWaiting(false);
      for (const resume of this.resumes.splice(0)) resume();
    }
  }

  /** Between two slices of the build: lets the event loop run, then waits while open documents wait for diagnostics. */
  private async yieldToForeground(): Promise<void> {
    await tick();
    const deadline = performance.now() + FOREGROUND_WAIT_MAX_MS;
    while (this.foreground > 0 && !this.disposed && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - performance.now()));
        this.resumes.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /**
   * Runs the warm-up steps of `kind` once, each after the open documents waiting now (a step is
   * one block of work: a document opened during it waits for that step only).
   */
  private async warmUp(kind: 'ts' | 'other'): Promise<void> {
    if (this.warmedUp.has(kind) || !this.deps.warmUp) return;
    this.warmedUp.add(kind);
    for (const step of this.deps.warmUp(kind)) {
      await this.yieldToForeground();
      if (this.disposed) return;
      try {
        step();
      } catch (error) {
        this.deps.log(`factorlint: warm-up (${kind}) failed: ${(error as Error)?.name ?? 'error'}`); // an optimisation only
      }
    }
  }

  /** Replaces the folders and (re)builds the index in the background. */
  setFolders(folderUris: readonly string[]): Promise<void> {
    this.folders = folderUris.flatMap((uri) => {
      const root = toPath(uri);
      return root ? [{ uri: uri.replace(/\/$/, ''), root: path.resolve(root), builder: new ProjectModelBuilder(), findings: [], complete: false, version: 0 }] : [];
    });
    return this.rebuild();
  }

  /** Starts a fresh build (cancelling a running one); resolves when it ends. */
  rebuild(): Promise<void> {
    this.workerScan?.cancel();
    const ticket = ++this.buildTicket;
    const run = this.build(ticket).catch((error: unknown) => this.deps.log(`factorlint: workspace index failed: ${(error as Error)?.name ?? 'error'}: ${String((error as Error)?.message ?? '').slice(0, 200)}`));
    this.building = run;
    return run;
  }

  /** Waits for the running build; builds again when the last one was cancelled. */
  async ready(token?: CancellationToken): Promise<void> {
    if (this.building) await this.building;
    if (!this.isComplete() && !token?.isCancellationRequested) await this.rebuild();
  }

  /** Cancels the running build (the model keeps what was read; rules wait for a complete walk). */
  cancel(): void {
    this.buildTicket++;
    this.workerScan?.cancel();
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
    for (const resume of this.resumes.splice(0)) resume();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** The folder's `files.exclude` globs that are on (none without a client that answers). */
  private async filesExclude(folder: FolderIndex): Promise<string[]> {
    if (!this.deps.configuration) return [];
    try {
      const value: unknown = await this.deps.connection.workspace.getConfiguration({ scopeUri: folder.uri, section: 'files.exclude' });
      if (!value || typeof value !== 'object') return [];
      return Object.entries(value as Record<string, unknown>).filter(([, on]) => on === true).map(([glob]) => glob);
    } catch {
      return [];
    }
  }

  private async build(ticket: number): Promise<void> {
    const cancelled = () => this.disposed || ticket !== this.buildTicket;
    // no folder (a file opened on its own): nothing to walk, so no worker thread, no warm-up, no progress
    if (this.folders.length === 0) return;
    // documents opened with the window are analysed first: their didOpen is already queued
    await this.yieldToForeground();
    if (cancelled()) return;
    let reporter: { begin(title: string, pct?: number, message?: string, cancellable?: boolean): void; report(pct: number, message?: string): void; done(): void; token: CancellationToken } | undefined;
    if (this.deps.progress) {
      try {
        reporter = await this.deps.connection.window.createWorkDoneProgress();
        reporter.begin('factorlint: indexing the workspace', 0, undefined, true);
        reporter.token.onCancellationRequested(() => { if (ticket === this.buildTicket) this.cancel(); });
      } catch {
        reporter = undefined;
      }
    }
    const maxFiles = this.deps.maxFiles ?? DEFAULT_MAX_INDEXED_FILES;
    const maxFileSize = this.deps.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    const worker = this.deps.readFile ? undefined : this.deps.worker;
    try {
      const spec: ScanSpec = { folders: [], maxFiles, maxFileSize };
      for (const folder of this.folders) {
        folder.complete = false;
        const excludeGlobs = await this.filesExclude(folder);
        const cacheFile = this.deps.readFile ? undefined : this.deps.factsCacheFile?.(folder.root);
        spec.folders.push({ root: folder.root, excludeGlobs, cacheFile });
      }
      const folders = [...this.folders];
      // after the client's answers above, so documents opened with the window were served first
      if (this.deps.warmUp) {
        if (!this.warmedUp.has('ts') && !this.deps.readFile && folders.some((f) => NODE_PROJECT_MARKERS.some((m) => fs.existsSync(path.join(f.root, m))))) await this.warmUp('ts');
        await this.warmUp('other');
        if (cancelled()) return;
      }
      let total = 0;
      let done = 0;
      this.lastBuild = { files: 0, fromCache: 0 };
      const sink: ScanSink = {
        listed: (i, files) => {
          const folder = folders[i];
          total += files.length;
          const seen = new Set(files);
          // files indexed by an earlier (cancelled) build that are gone now
          const gone = folder.builder.model().files.filter((old) => !seen.has(old));
          for (const old of gone) folder.builder.remove(old);
          if (gone.length > 0) this.deps.onFilesDeleted(gone.map((p) => this.uriOf(folder, p)));
          // without a root marker, the compiler once the walk lists TS/JS (in this thread: at its first TS/JS file)
          if (worker && this.deps.warmUp && !this.warmedUp.has('ts') && files.some((rel) => classifyKind(rel)?.kind === 'ts')) void this.warmUp('ts');
        },
        facts: (i, rel, facts, fromCache) => {
          const folder = folders[i];
          // an open document's facts are its buffer's (the scan read the disk)
          const open = this.openDocument(path.join(folder.root, rel));
          const text = open?.getText();
          const own = text === undefined ? facts : text.length <= maxFileSize ? factsOf(rel, text, this.parsedTsOf(open)) : undefined;
          if (own) folder.builder.setFacts(rel, own);
          else folder.builder.remove(rel);
          if (fromCache && !open) this.lastBuild.fromCache++;
          this.lastBuild.files++;
          done++;
          if (done % FILES_PER_PROGRESS === 0) reporter?.report(Math.round((100 * done) / Math.max(total, 1)), `${done}/${total} files`);
        },
        folderDone: (i) => {
          folders[i].version++;
          folders[i].complete = true;
        },
        truncated: (max) => this.deps.log(`factorlint: the workspace index stops at ${max} files; cross-file checks may miss facts.`),
      };
      const completed = worker
        ? await this.scanInWorker(worker, spec, sink, cancelled)
        : await scanWorkspace(spec, {
          yieldNow: () => this.yieldToForeground(),
          cancelled,
          read: this.deps.readFile,
          firstTsFile: this.deps.warmUp ? () => this.warmUp('ts') : undefined,
        }, sink);
      if (!completed || cancelled()) return;
      // the rules run as one block: open documents waiting now go first
      await this.yieldToForeground();
      if (cancelled()) return;
      const changed: string[] = [];
      for (const folder of this.folders) changed.push(...(await this.runRules(folder)));
      this.deps.onFindingsChanged(changed);
    } finally {
      reporter?.done();
    }
  }

  /** Runs the scan in the index worker; its messages reach `sink` in this thread, between events. */
  private async scanInWorker(worker: { script: string; nice?: number }, spec: ScanSpec, sink: ScanSink, cancelled: () => boolean): Promise<boolean> {
    const scan = new IndexWorkerScan(worker.script, spec, {
      // a cancelled build's late messages change nothing
      listed: (...a) => { if (!cancelled()) sink.listed(...a); },
      facts: (...a) => { if (!cancelled()) sink.facts(...a); },
      folderDone: (i) => { if (!cancelled()) sink.folderDone(i); },
      truncated: (max) => { if (!cancelled()) sink.truncated?.(max); },
    }, { nice: worker.nice, waiting: this.foreground > 0 });
    this.workerScan = scan;
    try {
      return await scan.done;
    } finally {
      if (this.workerScan === scan) this.workerScan = undefined;
    }
  }

  /** Runs the workspace rules of a folder; returns the URIs whose findings changed. */
  private async runRules(folder: FolderIndex): Promise<string[]> {
    if (!folder.complete) return [];
    const config = await this.deps.configFor(folder.uri);
    // the configured role globs decide roles here too (as in the CLI and Analyze Workspace)
    folder.builder.setOptions({ roleGlobs: config.roles, appScope: config.appOnly });
    const model = folder.builder.model();
    const failed: string[] = [];
    const found = runWorkspaceRules(model, this.rules, {
      config,
      onRuleError: (id, error) => {
        this.deps.log(`factorlint: workspace rule ${id} threw ${(error as Error)?.name ?? typeof error}`);
        failed.push(`cross-file rule ${id} failed with ${failureReason(error)}`);
      },
    });
    // a cross-file rule that failed is no pass: reported on the first analysable file, as the CLI does
    const anchor = failed.length > 0 ? model.files.find((p) => classifyKind(p) !== undefined) : undefined;
    if (anchor) found.unshift({ ...incompleteFinding(failed.join('; ')), path: anchor });
    const today = this.deps.today?.() ?? new Date().toISOString().slice(0, 10);
    const after = suppressWorkspaceFindings(found, (rel) => this.textOf(folder, rel), today);
    const paths = pathsToRefresh(folder.findings, after);
    folder.findings = after;
    if (paths.length > 0) this.generation++;
    return paths.map((p) => this.uriOf(folder, p));
  }

  /** Configuration changed (severities): rerun the rules everywhere. */
  async rulesConfigChanged(): Promise<void> {
    const changed: string[] = [];
    for (const folder of this.folders) changed.push(...(await this.runRules(folder)));
    if (changed.length > 0) this.deps.onFindingsChanged(changed);
  }

  /** An open document changed (or opened/closed): update its facts after a pause. */
  documentChanged(uri: string): void {
    const where = this.locate(uri);
    if (!where || !isModelFile(where.rel)) return;
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      void this.refresh([uri]);
    }, MODEL_DEBOUNCE_MS));
  }

  /** Files changed on disk (`workspace/didChangeWatchedFiles`); type 3 = deleted. */
  async filesChanged(changes: ReadonlyArray<{ uri: string; type: number }>): Promise<void> {
    // a changed ignore file changes which files belong in the index: walk again
    if (changes.some((c) => /(?:^|\/)\.gitignore$/.test(c.uri) && this.locate(c.uri))) {
      await this.rebuild();
      return;
    }
    const deleted: string[] = [];
    const updated: string[] = [];
    for (const change of changes) {
      const where = this.locate(change.uri);
      if (!where) continue;
      if (change.type === 3) {
        // a file or a whole folder: drop every indexed path at or under it
        const prefix = where.rel + '/';
        for (const p of where.folder.builder.model().files) {
          if (p === where.rel || p.startsWith(prefix)) {
            where.folder.builder.remove(p);
            deleted.push(this.uriOf(where.folder, p));
          }
        }
        where.folder.version++;
      } else if (isModelFile(where.rel)) {
        updated.push(change.uri);
      }
    }
    if (deleted.length > 0) this.deps.onFilesDeleted(deleted);
    await this.refresh(updated, deleted.length > 0);
  }

  /** Re-reads files (buffer or disk) into the model and reruns the rules of their folders. */
  async refresh(uris: readonly string[], force = false): Promise<void> {
    const touched = new Set<FolderIndex>();
    for (const uri of uris) {
      const where = this.locate(uri);
      if (!where) continue;
      const open = this.openDocument(where.abs);
      const text = open ? open.getText() : this.readDisk(where.abs);
      if (text === undefined) where.folder.builder.remove(where.rel);
      else where.folder.builder.update(where.rel, text, this.parsedTsOf(open));
      where.folder.version++;
      touched.add(where.folder);
    }
    if (force) for (const f of this.folders) touched.add(f);
    const changed: string[] = [];
    for (const folder of touched) changed.push(...(await this.runRules(folder)));
    if (changed.length > 0 || force) this.deps.onFindingsChanged(changed);
  }
}
