/**
 * `--fix` and `--fix-dry-run`: apply the safe fixes (behaviour-preserving by contract) in
 * passes until none applies, then write each file atomically (temp file in the same folder +
 * rename, mode and line endings preserved). A file whose content changed since it was read
 * is left alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyFixes } from '../engine/apply-fixes';
import { analyze, type AnalyzeOptions } from '../engine/run';
import { maskText } from '../engine/mask';
import { maskSecret } from '../engine/secrets';
import type { FileAppend, Finding, Fix } from '../engine/types';

const MAX_PASSES = 10;

export interface FixOutcome {
  /** The text after all safe fixes. */
  text: string;
  fixesApplied: number;
  /** Appends to other files requested by the applied fixes. */
  appends: FileAppend[];
  /** The findings of the fixed text. */
  findings: readonly Finding[];
}

function safeFixOf(finding: Finding): Fix | undefined {
  return finding.fixes.find((fix) => fix.kind === 'safe');
}

/** `\n` in inserted text becomes `\r\n` in CRLF files, so fixes keep the file's line endings. */
function matchLineEndings(fix: Fix, crlf: boolean): Fix {
  if (!crlf) return fix;
  return { ...fix, edits: fix.edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') })) };
}

/** Applies safe fixes to `text` until a fixpoint (or MAX_PASSES); pure apart from analysis. */
export function computeSafeFixes(pathForEngine: string, text: string, findings: readonly Finding[], options: AnalyzeOptions): FixOutcome {
  const crlf = /\r\n/.test(text) && !/(^|[^\r])\n/.test(text);
  let current = text;
  let pending = findings;
  let fixesApplied = 0;
  const appends: FileAppend[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const fixes = pending.map(safeFixOf).filter((f): f is Fix => f !== undefined).map((f) => matchLineEndings(f, crlf));
    if (fixes.length === 0) break;
    const { text: next, applied } = applyFixes(current, fixes);
    if (applied.length === 0 || next === current) break;
    fixesApplied += applied.length;
    for (const fix of applied) appends.push(...(fix.otherFiles ?? []));
    current = next;
    pending = analyze({ path: pathForEngine, text: current }, options).findings;
  }
  return { text: current, fixesApplied, appends, findings: pending };
}

/** Writes `text` to `file` through a temp file + rename; false when the file changed since `expected` was read. */
export function writeAtomically(file: string, text: string, expected: string | undefined): boolean {
  let mode: number | undefined;
  try {
    const stat = fs.statSync(file);
    mode = stat.mode & 0o7777;
    if (expected !== undefined && fs.readFileSync(file, 'utf8') !== expected) return false;
  } catch {
    if (expected !== undefined) return false; // it was there when read: deleted meanwhile
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.factorlint-${process.pid}-${Date.now()}.tmp`);
  try {
    fs.writeFileSync(temp, text, { encoding: 'utf8', flag: 'wx', mode: mode ?? 0o644 });
    if (mode !== undefined) fs.chmodSync(temp, mode);
    fs.renameSync(temp, file);
  } catch (error) {
    try { fs.unlinkSync(temp); } catch { /* already gone */ }
    throw error;
  }
  return true;
}

/** The text of another file after an append, or undefined when nothing needs to change. */
export function appendedText(current: string | undefined, append: FileAppend): string | undefined {
  const existing = current ?? '';
  const lines = existing.split(/\r?\n/);
  if (append.unlessLineStartsWith && lines.some((l) => l.startsWith(append.unlessLineStartsWith!))) return undefined;
  if (append.unlessLineEquals !== undefined && lines.some((l) => l.trim() === append.unlessLineEquals!.trim())) return undefined;
  const eol = /\r\n/.test(existing) ? '\r\n' : '\n';
  const sep = existing.length > 0 && !existing.endsWith('\n') ? eol : '';
  return existing + sep + append.append.replace(/\r?\n/g, eol);
}

// ---- dry-run diffs -----------------------------------------------------------------------

/**
 * Masks known secret values in printed lines: a diff shows source text, and a line near a
 * fix may hold a secret another rule found.
 */
export function secretMasker(text: string, findings: readonly Finding[]): (line: string) => string {
  const secrets = findings
    .filter((f) => /secret|connection-string|credential|committed-env/.test(f.ruleId))
    .map((f) => text.slice(f.start, f.end).replace(/^['"`]|['"`]$/g, ''))
    .filter((s) => s.length >= 4)
    .sort((a, b) => b.length - a.length);
  return (line) => secrets.reduce((l, s) => l.split(s).join(maskSecret(s)), line);
}

/** A unified diff (3 lines of context) between two texts, from a line-level LCS of the changed middle. */
export function unifiedDiff(fileLabel: string, before: string, after: string, mask: (line: string) => string = (l) => l): string {
  if (before === after) return '';
  // every line printed, context too, goes through the one masker (it keeps line breaks, so hunks stay aligned)
  const a = maskText(before).split(/\r?\n/);
  const b = maskText(after).split(/\r?\n/);
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
    for (const op of hunk) out.push(`${op.tag}${mask(op.line)}`);
    k = end;
    start = end;
  }
  return out.join('\n') + '\n';
}
