/**
 * `--fix-dry-run --extract-env`: shows, as diffs, the "Extract to environment variable"
 * refactoring the editor offers on hardcoded config literals (secrets, connection strings,
 * endpoints, ports): the literal rewritten to `process.env.NAME` and `NAME=` appended to the
 * package's `.env.example`. Never writes: a refactoring changes behaviour (the variable must
 * then be set), so it is reviewed, not applied in bulk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyFixes } from '../engine/apply-fixes';
import { planExtractToEnv } from '../engine/refactor/extract-env';
import type { ProjectContext } from '../engine/project-context';
import type { Finding, Fix } from '../engine/types';
import { parseTypescript } from '../parse/typescript';
import { classifyKind } from '../engine/classify';
import { maskerFor } from '../engine/mask';
import { unifiedDiff } from './fix';

/** The rules whose findings are hardcoded config a user may extract. */
export const EXTRACTABLE_RULES: ReadonlySet<string> = new Set([
  'config/hardcoded-secret', 'config/hardcoded-connection-string', 'config/hardcoded-endpoint', 'port-binding/hardcoded-port',
]);

export interface ExtractInput {
  abs: string;
  /** Path shown in the diff header (relative, forward slashes). */
  label: string;
  text: string;
  findings: readonly Finding[];
  project: ProjectContext;
}

/** Diffs of every extractable literal, per file, then the `.env.example` additions. */
export function extractEnvDiffs(files: readonly ExtractInput[], cwd: string): string {
  const out: string[] = [];
  const appends = new Map<string, string[]>();
  for (const file of files) {
    const kind = classifyKind(file.abs);
    if (kind?.kind !== 'ts') continue;
    const targets = file.findings.filter((f) => EXTRACTABLE_RULES.has(f.ruleId));
    if (targets.length === 0) continue;
    const parsed = parseTypescript(file.text, { path: file.abs, scriptKind: kind.scriptKind });
    const fixes: Fix[] = [];
    const seen = new Set<number>();
    for (const finding of targets) {
      const plan = planExtractToEnv(parsed, finding.start + 1, file.project);
      if (!plan || seen.has(plan.fix.edits[0].start)) continue;
      seen.add(plan.fix.edits[0].start);
      fixes.push(plan.fix);
    }
    const { text, applied } = applyFixes(file.text, fixes);
    if (applied.length === 0) continue;
    out.push(unifiedDiff(file.label, file.text, text, maskerFor(file.text, file.findings)));
    for (const fix of applied) {
      for (const append of fix.otherFiles ?? []) {
        const target = path.isAbsolute(append.path) ? append.path : path.join(path.dirname(file.abs), append.path);
        const list = appends.get(target) ?? [];
        if (!list.some((a) => a === append.append)) list.push(append.append);
        appends.set(target, list);
      }
    }
  }
  for (const [target, additions] of [...appends.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    let before = '';
    try { before = fs.readFileSync(target, 'utf8'); } catch { /* created by the refactoring */ }
    const existing = new Set(before.split(/\r?\n/).map((l) => l.split('=')[0]));
    const fresh = additions.filter((a) => !existing.has(a.trim().split('\n').pop()!.split('=')[0]));
    if (fresh.length === 0) continue;
    const after = (before === '' || before.endsWith('\n') ? before : `${before}\n`) + fresh.join('');
    out.push(unifiedDiff(path.relative(cwd, target).replace(/\\/g, '/'), before, after));
  }
  return out.filter(Boolean).join('\n');
}
