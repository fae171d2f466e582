/**
 * Open documents take their project context and role from the background index's model once
 * it is built (the model Analyze Workspace and the report use), so the editor, Analyze
 * Workspace and the CLI derive both the same way (`projectContextFor`). Before the index is
 * complete, or without one, the host's provider answers (its own model of the folder).
 */
import { fileURLToPath } from 'node:url';
import { projectContextFor } from '../workspace/project-context-for';
import type { ProjectContextProvider } from './analysis';
import type { WorkspaceIndex } from './workspace-index';

export function withIndexModel(base: ProjectContextProvider, index: () => WorkspaceIndex | undefined): ProjectContextProvider {
  const located = (uri: string) => {
    const where = index()?.locate(uri);
    return where?.folder.complete ? where : undefined;
  };
  const abs = (p: string) => p.replace(/\\/g, '/');
  // an index exists but has no model for the file yet: answer without walking the folder
  const interim = () => (index() && base.withoutModel ? base.withoutModel : base);
  return {
    ...base,
    projectContextFor(uri) {
      const where = located(uri);
      if (!where) return interim().projectContextFor(uri);
      const io = (base.withoutModel ?? base).projectContextFor(uri); // the host's I/O only: no model of its own
      const context = projectContextFor(where.folder.builder.model(), where.rel, { root: abs(where.folder.root), textOf: (p) => index()?.textOf(where.folder, p) });
      // .gitignore and git answers stay the host's (I/O); reads go through the index's texts
      return { ...context, isGitIgnored: io.isGitIgnored, isTracked: io.isTracked, readWorkspaceFile: context.readWorkspaceFile ?? io.readWorkspaceFile };
    },
    classifyOptionsFor(uri, folderUri) {
      const where = located(uri);
      if (!where) return interim().classifyOptionsFor?.(uri, folderUri) ?? {};
      const options = (base.withoutModel ?? base).classifyOptionsFor?.(uri, folderUri) ?? {};
      const role = where.folder.builder.model().roleOf(where.rel);
      return role ? { ...options, role } : options;
    },
  };
}

/** The file-system path of a `file:` URI, forward slashes (undefined for other schemes). */
export function uriPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return fileURLToPath(uri).replace(/\\/g, '/'); } catch { return undefined; }
}
