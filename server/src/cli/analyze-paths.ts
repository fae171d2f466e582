/**
 * The CLI's workspace analysis: walk the paths, read each file once, hand it with its
 * project facts to the engine. Output formats consume the `RunResult`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../engine/run';
import type { ResolvedConfig } from '../engine/config';
import type { LineIndex } from '../engine/line-index';
import type { Finding, Severity } from '../engine/types';
import { ProjectFacts, slash, type ShutdownPredicate } from '../host/project-facts';
import { walkFiles, type SkipReason } from '../host/walk';

export interface FileResult {
  /** Absolute path. */
  abs: string;
  /** Relative to the current folder, forward slashes (the contract's `file`). */
  file: string;
  text: string;
  lines?: LineIndex;
  findings: Finding[];
}

export interface Summary {
  error: number;
  warning: number;
  info: number;
  hint: number;
  filesAnalyzed: number;
  filesSkipped: number;
  durationMs: number;
}

export interface RunResult {
  files: FileResult[];
  skipped: Array<{ file: string; reason: SkipReason | 'ignored' | 'binary' | 'unsupported' }>;
  summary: Summary;
  ruleErrors: string[];
}

export interface RunOptions {
  paths: readonly string[];
  cwd: string;
  config: ResolvedConfig;
  /** Folder the config file's globs are relative to (undefined without a config file). */
  configRoot?: string;
  /** Root for `.gitignore`, git and workspace facts. */
  factsRoot: string;
  useGit: boolean;
  shutdownPredicate?: ShutdownPredicate;
  today?: string;
}

export function relativeToCwd(cwd: string, abs: string): string {
  return slash(path.relative(cwd, abs)) || '.';
}

export function summarize(files: readonly FileResult[], skipped: number, durationMs: number): Summary {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of files) for (const finding of f.findings) counts[finding.severity]++;
  return { ...counts, filesAnalyzed: files.length, filesSkipped: skipped, durationMs };
}

export function runAnalysis(options: RunOptions): RunResult {
  const started = Date.now();
  const facts = new ProjectFacts(options.factsRoot, { useGit: options.useGit, maxFileSize: options.config.maxFileSize, shutdownPredicate: options.shutdownPredicate });
  const skipped: RunResult['skipped'] = [];
  const ruleErrors: string[] = [];
  const paths = walkFiles(options.paths.map((p) => path.resolve(options.cwd, p)), {
    root: options.factsRoot,
    maxFileSize: options.config.maxFileSize,
    isIgnored: (abs, isDir) => facts.isGitIgnored(abs, isDir),
    onSkip: (abs, reason) => skipped.push({ file: relativeToCwd(options.cwd, abs), reason }),
  });
  const files: FileResult[] = [];
  for (const abs of paths) {
    const file = relativeToCwd(options.cwd, abs);
    let text: string;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch {
      skipped.push({ file, reason: 'unreadable' });
      continue;
    }
    const classify = facts.classifyOptionsFor(abs, options.configRoot);
    const result = analyze({ path: slash(abs), text }, {
      config: options.config,
      project: facts.contextFor(abs),
      classify,
      today: options.today,
      reportUnusedSuppressions: true,
      onRuleError: (ruleId, _p, error) => ruleErrors.push(`${ruleId} failed on ${file}: ${(error as Error)?.message ?? String(error)}`),
    });
    if (result.skipped && result.skipped !== 'too-large' && result.skipped !== 'unparseable') {
      skipped.push({ file, reason: result.skipped });
      continue;
    }
    files.push({ abs, file, text, lines: result.parsed?.lines, findings: result.findings });
  }
  return { files, skipped, ruleErrors, summary: summarize(files, skipped.length, Date.now() - started) };
}
