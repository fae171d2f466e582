/**
 * `factorlint [paths…]`: the same engine as the editor, over folders, with text, json, sarif
 * and markdown output. Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage or
 * configuration error. See `factorlint --help`.
 */
import { shutdownPredicate } from './rules/support/shutdown';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfigText } from './engine/config-file';
import { resolveConfig, type FactorlintConfig, type ResolvedConfig } from './engine/config';
import { LineIndex } from './engine/line-index';
import type { AnalyzeOptions } from './engine/run';
import type { SeveritySetting } from './engine/types';
import { atOrAbove, HELP, parseCliArgs, UsageError, type CliArgs } from './cli/args';
import { runAnalysis, summarize, type RunResult } from './cli/analyze-paths';
import { isKnownRuleId } from './cli/catalogue';
import { appendedText, computeSafeFixes, secretMasker, unifiedDiff, writeAtomically } from './cli/fix';
import { formatJson, formatMarkdown, formatRuleList, formatSarif, formatText, painter } from './cli/formats';
import { ProjectFacts, slash, type ShutdownPredicate } from './host/project-facts';

export const CONFIG_FILE_NAME = '.factorlintrc.json';

/**
 * The pure "this file registers a SIGTERM handler / graceful shutdown library" predicate of
 * disposability/no-graceful-shutdown: the host scans each package's TS/JS files with it and
 * fills `ProjectContext.packageHasShutdownHandler`, so a handler in any module counts.
 */
export const SHUTDOWN_PREDICATE: ShutdownPredicate = shutdownPredicate;

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdoutIsTTY: boolean;
}

/** The version in the package.json next to the build (found upward from this file). */
export function cliVersion(): string {
  if (process.env.FACTORLINT_VERSION) return process.env.FACTORLINT_VERSION; // inlined by scripts/bundle.js
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'factorlint' && pkg.version) return pkg.version;
    } catch { /* keep looking */ }
    if (path.dirname(dir) === dir) return '0.0.0';
  }
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function findUp(start: string, name: string, stopAt?: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
    if (dir === stopAt || path.dirname(dir) === dir) return undefined;
  }
}

/** The config file to use: `--config`, else `.factorlintrc.json` from the first path's folder up to the cwd, else in the cwd. */
function locateConfig(args: CliArgs, cwd: string, firstDir: string): string | undefined {
  if (args.config) return path.resolve(cwd, args.config);
  const found = isInside(cwd, firstDir) ? findUp(firstDir, CONFIG_FILE_NAME, cwd) : findUp(firstDir, CONFIG_FILE_NAME, firstDir);
  return found ?? (fs.existsSync(path.join(cwd, CONFIG_FILE_NAME)) ? path.join(cwd, CONFIG_FILE_NAME) : undefined);
}

function loadConfig(file: string | undefined, args: CliArgs): ResolvedConfig {
  let fromFile: FactorlintConfig | undefined;
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read configuration file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const parsed = parseConfigText(text);
    if (!parsed.config) throw new UsageError(`invalid configuration in ${file}:\n${parsed.errors.map((e) => `  - ${e}`).join('\n')}`);
    fromFile = parsed.config;
  }
  const rules: Record<string, SeveritySetting> = {};
  for (const { id, severity } of args.rules) {
    if (!isKnownRuleId(id)) throw new UsageError(`--rule: unknown rule "${id}" (factorlint --list-rules shows the rules)`);
    rules[id] = severity;
  }
  return resolveConfig(fromFile, { rules, maxFileSize: args.maxFileSize });
}

function applyFixesToFiles(result: RunResult, args: CliArgs, io: CliIo, analyzeOptionsFor: (abs: string) => AnalyzeOptions): { diffs: string[]; fixed: number; fixes: number } {
  const diffs: string[] = [];
  let fixed = 0;
  let fixes = 0;
  const pendingAppends = new Map<string, string | undefined>();
  for (const file of result.files) {
    if (!file.findings.some((f) => f.fixes.some((x) => x.kind === 'safe'))) continue;
    const outcome = computeSafeFixes(slash(file.abs), file.text, file.findings, analyzeOptionsFor(file.abs));
    if (outcome.fixesApplied === 0) continue;
    if (args.fixDryRun) {
      diffs.push(unifiedDiff(file.file, file.text, outcome.text, secretMasker(file.text, file.findings)));
    } else if (!writeAtomically(file.abs, outcome.text, file.text)) {
      io.stderr(`factorlint: ${file.file} changed while it was being fixed; left unchanged.\n`);
      continue;
    }
    fixed++;
    fixes += outcome.fixesApplied;
    file.text = outcome.text;
    file.lines = new LineIndex(outcome.text);
    file.findings = [...outcome.findings];
    for (const append of outcome.appends) {
      const target = path.resolve(path.dirname(file.abs), append.path);
      const current = pendingAppends.has(target) ? pendingAppends.get(target) : readOrUndefined(target);
      const next = appendedText(current, append);
      if (next !== undefined) pendingAppends.set(target, next);
    }
  }
  for (const [target, text] of pendingAppends) {
    if (text === undefined) continue;
    const before = readOrUndefined(target);
    const label = slash(path.relative(io.cwd, target));
    if (args.fixDryRun) diffs.push(unifiedDiff(label, before ?? '', text));
    else writeAtomically(target, text, before);
  }
  return { diffs, fixed, fixes };
}

function readOrUndefined(file: string): string | undefined {
  try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; }
}

export function main(argv: readonly string[], io: CliIo): number {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) { io.stderr(`factorlint: ${error.message}\n`); return 2; }
    throw error;
  }
  if (args.help) { io.stdout(`${HELP}\n`); return 0; }
  if (args.version) { io.stdout(`${cliVersion()}\n`); return 0; }
  const forced = !!io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0';
  const color = args.color ?? (!args.output && (forced || (io.stdoutIsTTY && !io.env.NO_COLOR)));
  const paint = painter(color);
  if (args.listRules) {
    io.stdout(formatRuleList(args.format === 'json' ? 'json' : args.format === 'markdown' ? 'markdown' : 'text', paint));
    return 0;
  }

  try {
    const resolved = args.paths.map((p) => path.resolve(io.cwd, p));
    for (const [i, abs] of resolved.entries()) {
      try { fs.accessSync(abs, fs.constants.R_OK); } catch { throw new UsageError(`cannot read path "${args.paths[i]}" (no such file or folder, or no permission)`); }
    }
    const first = resolved[0];
    const firstDir = fs.statSync(first).isDirectory() ? first : path.dirname(first);
    const configFile = locateConfig(args, io.cwd, firstDir);
    const config = loadConfig(configFile, args);
    const configRoot = configFile ? path.dirname(configFile) : undefined;
    const gitDir = findUp(firstDir, '.git');
    const factsRoot = gitDir ? path.dirname(gitDir) : isInside(io.cwd, firstDir) ? io.cwd : firstDir;

    const result = runAnalysis({ paths: resolved, cwd: io.cwd, config, configRoot, factsRoot, useGit: args.git, shutdownPredicate: SHUTDOWN_PREDICATE });
    for (const message of result.ruleErrors) io.stderr(`factorlint: rule error: ${message}\n`);

    if (args.fix || args.fixDryRun) {
      const facts = new ProjectFacts(factsRoot, { useGit: args.git, maxFileSize: config.maxFileSize, shutdownPredicate: SHUTDOWN_PREDICATE });
      const { diffs, fixed, fixes } = applyFixesToFiles(result, args, io, (abs) => ({
        config, project: facts.contextFor(abs), classify: facts.classifyOptionsFor(abs, configRoot), reportUnusedSuppressions: true,
      }));
      result.summary = summarize(result.files, result.summary.filesSkipped, result.summary.durationMs);
      if (args.fixDryRun) {
        io.stdout(diffs.join(''));
        io.stdout(`${fixes} safe ${fixes === 1 ? 'fix' : 'fixes'} would be applied in ${fixed} ${fixed === 1 ? 'file' : 'files'} (dry run: nothing written).\n`);
        return exitCodeFor(result, args);
      }
      if (!args.quiet) io.stderr(`factorlint: applied ${fixes} safe ${fixes === 1 ? 'fix' : 'fixes'} in ${fixed} ${fixed === 1 ? 'file' : 'files'}.\n`);
    }

    const code = exitCodeFor(result, args);
    const shown = args.quiet ? filterQuiet(result, args) : result;
    let output: string;
    switch (args.format) {
      case 'json': output = formatJson(shown); break;
      case 'sarif': output = formatSarif(shown, io.cwd, cliVersion()); break;
      case 'markdown': output = formatMarkdown(shown); break;
      default: output = formatText(shown, paint, { report: args.report, quiet: args.quiet });
    }
    if (args.output) {
      try {
        fs.writeFileSync(path.resolve(io.cwd, args.output), output);
      } catch (error) {
        throw new UsageError(`cannot write --output ${args.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    } else {
      io.stdout(output);
    }
    return code;
  } catch (error) {
    if (error instanceof UsageError) { io.stderr(`factorlint: ${error.message}\n`); return 2; }
    throw error;
  }
}

function exitCodeFor(result: RunResult, args: CliArgs): number {
  return result.files.some((f) => f.findings.some((x) => atOrAbove(x.severity, args.failOn))) ? 1 : 0;
}

/** `--quiet`: only findings at or above `--fail-on` (errors when `--fail-on none`). */
function filterQuiet(result: RunResult, args: CliArgs): RunResult {
  const threshold = args.failOn === 'none' ? 'error' : args.failOn;
  const files = result.files.map((f) => ({ ...f, findings: f.findings.filter((x) => atOrAbove(x.severity, threshold)) }));
  return { ...result, files, summary: summarize(files, result.summary.filesSkipped, result.summary.durationMs) };
}

/** Runs the CLI on this process's arguments and sets the exit code (used by `bin/factorlint.js`). */
export function runFromProcess(): void {
  let code: number;
  try {
    code = main(process.argv.slice(2), {
      cwd: process.cwd(),
      env: process.env,
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      stdoutIsTTY: process.stdout.isTTY === true,
    });
  } catch (error) {
    process.stderr.write(`factorlint: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    code = 2;
  }
  process.exitCode = code;
}

if (require.main === module) runFromProcess();
