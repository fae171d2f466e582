/**
 * Plugs the file-system host (`ProjectFacts`) into the language server: one `ProjectFacts`
 * per workspace folder, reading open editor buffers before the disk, invalidated when the
 * client reports changes of project files (package.json, .gitignore…). Project context and
 * roles come from its project model (`projectContextFor`), as in the CLI and Analyze Workspace.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ClassifyOptions } from '../engine/classify';
import type { ProjectContext } from '../engine/project-context';
import type { ProjectContextProvider, ServerServices } from './project-provider';
import { ProjectFacts } from './project-facts';
import * as fs from 'node:fs';

function toPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return fileURLToPath(uri); } catch { return undefined; }
}

export function createEditorProjectProvider(services: ServerServices): ProjectContextProvider {
  let folders: string[] = [];
  const factsByFolder = new Map<string, ProjectFacts>();
  const readFile = (absPath: string): string | undefined => {
    const open = services.openDocumentText(pathToFileURL(absPath).toString());
    if (open !== undefined) return open;
    try {
      const stat = fs.statSync(absPath);
      if (!stat.isFile() || stat.size > 2 * 1024 * 1024) return undefined;
      return fs.readFileSync(absPath, 'utf8');
    } catch {
      return undefined;
    }
  };
  const factsFor = (absPath: string): ProjectFacts | undefined => {
    // the innermost workspace folder holding the file; files outside folders get one of their own
    const folder = folders.filter((f) => absPath === f || absPath.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0] ?? path.dirname(absPath);
    let facts = factsByFolder.get(folder);
    if (!facts) {
      facts = new ProjectFacts(folder, { useGit: false, readFile });
      factsByFolder.set(folder, facts);
    }
    return facts;
  };
  return {
    projectContextFor(uri: string): ProjectContext {
      const abs = toPath(uri);
      if (!abs) return {};
      return factsFor(abs)?.contextFor(abs) ?? {};
    },
    classifyOptionsFor(uri: string, folderUri: string | undefined): ClassifyOptions {
      const abs = toPath(uri);
      if (!abs) return {};
      const folder = folderUri ? toPath(folderUri) : undefined;
      const facts = factsFor(abs);
      if (!facts) return {};
      const role = facts.roleFor(abs);
      return { ...facts.classifyOptionsFor(abs, folder), ...(role ? { role } : {}) };
    },
    withoutModel: {
      projectContextFor(uri: string): ProjectContext {
        const abs = toPath(uri);
        if (!abs) return {};
        return factsFor(abs)?.contextWithoutModel(abs) ?? {};
      },
      classifyOptionsFor(uri: string, folderUri: string | undefined): ClassifyOptions {
        const abs = toPath(uri);
        if (!abs) return {};
        return factsFor(abs)?.classifyOptionsFor(abs, folderUri ? toPath(folderUri) : undefined) ?? {};
      },
    },
    onDidChangeWorkspaceFolders(folderUris: readonly string[]): void {
      folders = folderUris.map(toPath).filter((p): p is string => !!p);
      factsByFolder.clear();
    },
    onDidChangeFiles(): void {
      for (const facts of factsByFolder.values()) facts.invalidate();
    },
  };
}
