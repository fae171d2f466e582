/**
 * `--fix` and `--fix-dry-run`: the host side of the one fix applier (`engine/apply-fixes.ts`).
 *
 * Fixes are computed from, and applied to, the same bytes: each file with a safe fix is read
 * again (a regular file inside the analysed folders, size-capped), analysed afresh — never from
 * the cache —, fixed by the engine, and written only if it still has the bytes the fixes came
 * from (hash compared just before a temp-file + rename in the same folder). A symlink is written
 * through to its target only when the target is inside the analysed folders; a read-only file,
 * a non-regular file, or a failed write is reported for that file and the run goes on.
 */
import * as path from 'node:path';
import { applyAppends, applyFindingFixes, type AppliedFix, type RequestedAppend, type SkippedFix } from '../engine/apply-fixes';
import { maskerFor, maskText } from '../engine/mask';
import type { Finding } from '../engine/types';
import { FileRefusal, hashBytes, isInside, readRegularBytes, writeFileAtomic, writeTarget } from '../host/safe-fs';
import * as fs from 'node:fs';

export interface FixCandidate {
  abs: string;
  /** The path shown to the user (relative to the current folder). */
  label: string;
  /** The findings of the analysis run (maybe cached): which files to look at, and workspace appends. */
  findings: readonly Finding[];
}

export interface FixRunOptions {
  dryRun: boolean;
  /** Folders (or named files) whose files may be read and edited; symlinks must resolve inside them. */
  editRoots: readonly string[];
  /** Folders appends to other files (`.env.example`, `.gitignore`) may go to. */
  appendRoots: readonly string[];
  maxFileSize: number;
  /** A fresh, uncached analysis of `text` as the file `abs`. */
  analyze: (abs: string, text: string) => readonly Finding[];
  /** A path as shown to the user. */
  labelOf: (abs: string) => string;
}

/** What happened to one file: fixes applied and skipped (with reasons), or why it was left alone. */
export interface FileFixAccount {
  file: string;
  applied: AppliedFix[];
  skipped: SkippedFix[];
  /** Set when the file was not changed at all (unreadable, changed meanwhile, read-only…). */
  refused?: string;
}

export interface FixRunResult {
  diffs: string[];
  /** Safe fixes applied (or, in a dry run, that would be). */
  fixesApplied: number;
  /** Files written (or, in a dry run, that would be). */
  filesChanged: number;
  accounts: FileFixAccount[];
  /** The new text and findings of each source file written. */
  fixed: Map<string, { text: string; findings: readonly Finding[] }>;
}

const isSafeAppendOnly = (f: Finding) => f.fixes.some((x) => x.kind === 'safe' && x.edits.length === 0 && (x.otherFiles?.length ?? 0) > 0);

/** Workspace findings whose safe fixes only append to other files: they do not depend on the file's bytes. */
function appendOnlyFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter(isSafeAppendOnly).map((f) => ({ ...f, fixes: f.fixes.filter((x) => x.kind === 'safe' && x.edits.length === 0) }));
}

function realOrResolved(p: string): string {
  try { return fs.realpathSync(p); } catch { return path.resolve(p); }
}

/** Applies the safe fixes of `candidates`; see the module comment. Never throws for one file. */
export function fixFiles(candidates: readonly FixCandidate[], options: FixRunOptions): FixRunResult {
  const result: FixRunResult = { diffs: [], fixesApplied: 0, filesChanged: 0, accounts: [], fixed: new Map() };
  const editRoots = options.editRoots.map(realOrResolved);
  const pending = new Map<string, RequestedAppend[]>();
  for (const candidate of candidates) {
    if (!candidate.findings.some((f) => f.fixes.some((x) => x.kind === 'safe'))) continue;
    const account: FileFixAccount = { file: candidate.label, applied: [], skipped: [] };
    result.accounts.push(account);
    let bytes: Buffer;
    try {
      if (!editRoots.some((root) => isInside(root, realOrResolved(candidate.abs)))) throw new FileRefusal('outside the analysed folders');
      bytes = readRegularBytes(candidate.abs, options.maxFileSize);
    } catch (error) {
      account.refused = (error as Error).message;
      continue;
    }
    const text = bytes.toString('utf8');
    const findings = [...options.analyze(candidate.abs, text), ...appendOnlyFindings(candidate.findings)];
    const outcome = applyFindingFixes(text, findings, { reanalyse: (next) => options.analyze(candidate.abs, next) });
    account.skipped.push(...outcome.skipped);
    if (outcome.text !== text) {
      if (options.dryRun) {
        result.diffs.push(unifiedDiff(candidate.label, text, outcome.text, maskerFor(text, findings)));
      } else {
        try {
          writeFileAtomic(candidate.abs, outcome.text, { roots: editRoots, expectedHash: hashBytes(bytes), respectReadOnly: true, confine: true });
        } catch (error) {
          account.refused = (error as Error).message;
          account.skipped.push(...outcome.applied.map((a) => ({ ...a, reason: (error as Error).message })));
          continue;
        }
      }
      result.filesChanged++;
      result.fixed.set(candidate.abs, { text: outcome.text, findings: outcome.findings });
    }
    for (const applied of outcome.applied) if (!applied.appendOnly) { account.applied.push(applied); result.fixesApplied++; }
    for (const request of outcome.appends) {
      const target = path.resolve(path.dirname(candidate.abs), request.append.path);
      if (!options.appendRoots.some((root) => isInside(root, target) && target !== path.resolve(root))) {
        account.skipped.push({ ruleId: request.ruleId, title: request.title, reason: `not writing ${options.labelOf(target)}: outside the analysed folders` });
        continue;
      }
      pending.set(target, [...(pending.get(target) ?? []), request]);
    }
  }
  // an append-only fix counts as applied when one of its appends was
  const counted = new Set<AppliedFix>();
  for (const [target, requests] of pending) {
    const account: FileFixAccount = { file: options.labelOf(target), applied: [], skipped: [] };
    result.accounts.push(account);
    let current: Buffer | undefined;
    try {
      const { exists } = writeTarget(target, options.appendRoots, true);
      current = exists ? readRegularBytes(target, options.maxFileSize) : undefined;
    } catch (error) {
      account.refused = (error as Error).message;
      account.skipped.push(...requests.map((r) => ({ ruleId: r.ruleId, title: r.title, reason: (error as Error).message })));
      continue;
    }
    const before = current?.toString('utf8');
    const appended = applyAppends(before, requests);
    account.skipped.push(...appended.skipped.map((s) => ({ ruleId: s.ruleId, title: s.title, reason: s.reason })));
    if (appended.text === undefined) continue;
    if (options.dryRun) {
      result.diffs.push(unifiedDiff(options.labelOf(target), before ?? '', appended.text, maskText));
    } else {
      try {
        writeFileAtomic(target, appended.text, { roots: options.appendRoots, expectedHash: current ? hashBytes(current) : null, respectReadOnly: true, confine: true });
      } catch (error) {
        account.refused = (error as Error).message;
        account.skipped.push(...appended.applied.map((r) => ({ ruleId: r.ruleId, title: r.title, reason: (error as Error).message })));
        continue;
      }
    }
    result.filesChanged++;
    for (const request of appended.applied) {
      account.applied.push({ ruleId: request.ruleId, title: request.title });
      const from = request.from;
      if (from?.appendOnly && !counted.has(from)) { counted.add(from); result.fixesApplied++; }
    }
  }
  return result;
}

/** One line per file left alone or fix skipped for a reason worth telling (overlaps are retried by the next run). */
export function accountLines(accounts: readonly FileFixAccount[]): string[] {
  const lines: string[] = [];
  for (const account of accounts) {
    if (account.refused) { lines.push(`factorlint: ${account.file}: not fixed: ${account.refused}`); continue; }
    for (const skip of account.skipped) {
      if (skip.reason === 'already present' || skip.reason === 'overlaps another fix') continue;
      lines.push(skip.reason.startsWith('not writing') ? `factorlint: ${skip.reason}.` : `factorlint: ${account.file}: skipped "${skip.title}": ${skip.reason}`);
    }
  }
  return [...new Set(lines)];
}

/** Writes `text` to `file` through a temp file + rename; false when the file changed since `expected` was read. */
export function writeAtomically(file: string, text: string, expected: string | undefined): boolean {
  try {
    writeFileAtomic(file, text, { expectedHash: expected === undefined ? undefined : hashBytes(Buffer.from(expected, 'utf8')) });
    return true;
  } catch (error) {
    if (error instanceof FileRefusal && error.reason === 'file changed since analysis') return false;
    throw error;
  }
}

// ---- dry-run diffs -----------------------------------------------------------------------

/**
 * A unified diff (3 lines of context) between two texts, from a line-level LCS of the changed
 * middle. Both texts go through `mask` first — the one masker, `engine/mask.ts` (`maskerFor`
 * when findings located secrets): it keeps line breaks, so every printed line, context too, is
 * masked and hunks stay aligned.
 */
export function unifiedDiff(fileLabel: string, before: string, after: string, mask: (text: string) => string = maskText): string {
  if (before === after) return '';
  const a = mask(before).split(/\r?\n/);
  const b = mask(after).split(/\r?\n/);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  // Edit script of the middle: LCS when small, otherwise all-removed/all-added (still correct).
  type Op = { tag: ' ' | '-' | '+'; line: string };
  let ops: Op[];
  if (midA.length * midB.length <= 4_000_000) {
    const n = midA.length; const m = midB.length;
    const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = midA[i] === midB[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    ops = [];
    let i = 0; let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) { ops.push({ tag: ' ', line: midA[i] }); i++; j++; }
      else if (i < n && (j === m || dp[i + 1][j] >= dp[i][j + 1])) { ops.push({ tag: '-', line: midA[i++] }); }
      else { ops.push({ tag: '+', line: midB[j++] }); }
    }
  } else {
    ops = [...midA.map((line) => ({ tag: '-' as const, line })), ...midB.map((line) => ({ tag: '+' as const, line }))];
  }
  const all: Op[] = [...a.slice(0, prefix).map((line) => ({ tag: ' ' as const, line })), ...ops, ...a.slice(a.length - suffix).map((line) => ({ tag: ' ' as const, line }))];
  // Group changes into hunks with 3 lines of context.
  const out = [`--- a/${fileLabel}`, `+++ b/${fileLabel}`];
  const CONTEXT = 3;
  let k = 0;
  let lineA = 1; let lineB = 1;
  const posA: number[] = []; const posB: number[] = [];
  for (const op of all) { posA.push(lineA); posB.push(lineB); if (op.tag !== '+') lineA++; if (op.tag !== '-') lineB++; }
  while (k < all.length) {
    while (k < all.length && all[k].tag === ' ') k++;
    if (k >= all.length) break;
    let start = Math.max(0, k - CONTEXT);
    let end = k;
    while (end < all.length) {
      if (all[end].tag !== ' ') { end++; continue; }
      let run = end;
      while (run < all.length && all[run].tag === ' ') run++;
      if (run < all.length && run - end <= 2 * CONTEXT) { end = run; continue; }
      end = Math.min(all.length, end + CONTEXT);
      break;
    }
    const hunk = all.slice(start, end);
    const countA = hunk.filter((o) => o.tag !== '+').length;
    const countB = hunk.filter((o) => o.tag !== '-').length;
    out.push(`@@ -${posA[start]},${countA} +${posB[start]},${countB} @@`);
    for (const op of hunk) out.push(`${op.tag}${op.line}`);
    k = end;
    start = end;
  }
  return out.join('\n') + '\n';
}
