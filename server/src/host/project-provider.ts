/**
 * What the language server asks of a project-context provider (the file-system host plugs in
 * here), and what it offers one. Lives below the server so providers need not import upward.
 */
import type { ClassifyOptions } from '../engine/classify';
import type { ProjectContext } from '../engine/project-context';

/** What the server offers a project-context provider it creates. */
export interface ServerServices {
  /** The text of a document open in the editor (newer than the disk), or undefined. */
  openDocumentText(uri: string): string | undefined;
}

/** Facts about other files for a document; the host (file-system index) plugs in here. */
export interface ProjectContextProvider {
  projectContextFor(uri: string): ProjectContext;
  /**
   * Classification inputs (package.json `bin` targets, the path globs see) for a document;
   * `folderUri` is its workspace folder, where `.factorlintrc.json` lives. When absent, the
   * path relative to the workspace folder is used.
   */
  classifyOptionsFor?(uri: string, folderUri: string | undefined): ClassifyOptions;
  /**
   * The same answers without building a model of the whole folder (no walk, no reads beyond the
   * file's package.json chain): what an open document is analysed with while the background
   * index is still being built, so its first diagnostics never wait for the workspace. Facts
   * only the whole folder can tell (roles by reachability, shutdown handlers elsewhere, path
   * aliases) are left out; the index's model replaces them when it is built.
   */
  withoutModel?: Pick<ProjectContextProvider, 'projectContextFor' | 'classifyOptionsFor'>;
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
