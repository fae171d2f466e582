/**
 * The lines the language server writes to the client's log (VS Code: the factorlint output
 * channel), meant to be pasted into a bug report: versions, folders, what the index found and
 * how long it took, the config files in effect and their errors. Names, counts and timings only:
 * never a file's contents, never a setting's value.
 */
import * as os from 'node:os';
import { fileURLToPath } from 'node:url';
import { classifyKind } from '../engine/classify';
import type { RcFileState } from './settings';
import type { WorkspaceIndex } from './workspace-index';

function displayPath(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try { return fileURLToPath(uri); } catch { return uri; }
}

export interface StartupInfo {
  name: string;
  version: string;
  client?: { name: string; version?: string };
  folders: readonly string[];
  pull: boolean;
  index: boolean;
}

export function startupLines(info: StartupInfo): string[] {
  const client = info.client ? `${info.client.name}${info.client.version ? ' ' + info.client.version : ''}` : 'unknown client';
  return [
    `${info.name} language server ${info.version} on Node ${process.version} (${os.platform()} ${os.arch()}), client: ${client}`,
    `workspace folders: ${info.folders.length === 0 ? 'none (open files only)' : info.folders.map(displayPath).join(', ')}`,
    `diagnostics: ${info.pull ? 'pulled by the client' : 'pushed by the server'}; workspace index: ${info.index ? 'on' : 'off'}`,
  ];
}

/** "server 12, test 40, script 3" — most frequent first. */
function tally(values: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
}

/** What a complete index build found, per folder: files by kind, source files by role, timing. */
export function indexSummary(index: WorkspaceIndex, ms: number): string[] {
  const lines = [`indexed ${index.fileCount()} files in ${ms} ms (${index.lastBuild.fromCache} from the facts cache)`];
  for (const folder of index.allFolders()) {
    const model = index.model(folder);
    const kinds = model.files.map((f) => classifyKind(f)?.kind).filter((k): k is NonNullable<typeof k> => k !== undefined);
    lines.push(`  ${folder.root}: ${model.files.length} files; analysed kinds: ${tally(kinds)}`);
    lines.push(`  roles of source files: ${tally(model.sourceFiles.map((s) => s.role))}`);
    lines.push(`  cross-file findings: ${folder.findings.length}`);
  }
  return lines;
}

/** One line per config file read: in effect, or its errors (messages name keys and places, never values). */
export function describeRcFile(state: RcFileState): string | undefined {
  if (!state.uri) return undefined;
  const file = displayPath(state.uri);
  if (!state.exists) return `config: no ${file} (defaults and the editor's factorlint.* settings)`;
  const warnings = state.problems.filter((p) => p.severity !== 'error');
  const warned = warnings.length > 0 ? `; ${warnings.length} warning${warnings.length === 1 ? '' : 's'}: ${warnings.slice(0, 3).map((p) => `line ${p.line}: ${p.message}`).join('; ')}` : '';
  if (state.errors.length > 0) return `config: ${file} is INVALID and ignored until fixed: ${state.errors.slice(0, 3).join('; ')}${warned}`;
  return `config: ${file} in effect${warned}`;
}
