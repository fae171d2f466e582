/**
 * Multi-file fixtures for workspace rules: `fixtures/_workspace/<factor>/<name>/<case>/` is a
 * small workspace; `expect.json` lists the expected findings as `{ file, line (1-based), rule }`;
 * `__fixed__/` holds the golden text of every file the rule's fixes change.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Fix } from '../../src/engine/types';
import { applyEdits } from '../../src/engine/apply-fixes';
import { dirOf, joinPath, type WorkspaceFile } from '../../src/workspace/project-model';
import type { LocatedFinding } from '../../src/workspace/workspace-rule';
import { FIXTURES_DIR } from './fixtures';

export const WORKSPACE_FIXTURES_DIR = path.join(FIXTURES_DIR, '_workspace');

export interface ExpectedFinding { file: string; line: number; rule: string }

export interface WorkspaceCase {
  name: string;
  dir: string;
  files: WorkspaceFile[];
  expected: ExpectedFinding[];
  /** Golden texts after fixes, by workspace path. */
  fixed: Map<string, string>;
}

function walk(dir: string, base = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

export function readWorkspace(dir: string): WorkspaceFile[] {
  return walk(dir)
    .filter((p) => p !== 'expect.json' && !p.startsWith('__fixed__/'))
    .map((p) => ({ path: p, text: fs.readFileSync(path.join(dir, p), 'utf8') }));
}

export function casesFor(ruleId: string): WorkspaceCase[] {
  const root = path.join(WORKSPACE_FIXTURES_DIR, ruleId);
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).sort().map((name) => {
    const dir = path.join(root, name);
    const fixedDir = path.join(dir, '__fixed__');
    const fixed = new Map<string, string>();
    if (fs.existsSync(fixedDir)) for (const p of walk(fixedDir)) fixed.set(p, fs.readFileSync(path.join(fixedDir, p), 'utf8'));
    return {
      name,
      dir,
      files: readWorkspace(dir),
      expected: JSON.parse(fs.readFileSync(path.join(dir, 'expect.json'), 'utf8')) as ExpectedFinding[],
      fixed,
    };
  });
}

/**
 * Applies the first fix of each finding to an in-memory workspace: edits into the finding's
 * file, `otherFiles` appends resolved from the finding file's folder (created when absent,
 * skipped when a line already starts with `unlessLineStartsWith`).
 */
export function applyWorkspaceFixes(files: WorkspaceFile[], findings: Array<LocatedFinding & { fixes: Fix[] }>): WorkspaceFile[] {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  for (const finding of findings) {
    const fix = finding.fixes[0];
    if (!fix) continue;
    if (fix.edits.length > 0) texts.set(finding.path, applyEdits(texts.get(finding.path) ?? '', fix.edits));
    for (const append of fix.otherFiles ?? []) {
      const target = joinPath(dirOf(finding.path), append.path);
      const current = texts.get(target);
      if (current === undefined) { texts.set(target, append.append); continue; }
      if (append.unlessLineStartsWith && current.split(/\r?\n/).some((l) => l.startsWith(append.unlessLineStartsWith!))) continue;
      texts.set(target, (current === '' || current.endsWith('\n') ? current : `${current}\n`) + append.append);
    }
  }
  return [...texts].map(([p, text]) => ({ path: p, text })).sort((a, b) => a.path.localeCompare(b.path));
}
