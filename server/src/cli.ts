/**
 * `factorlint [paths…]`: the same engine as the editor, over folders, with text, json, sarif
 * and markdown output. Exit codes: 0 clean, 1 findings at or above `--fail-on`, 2 usage or
 * configuration error. See `factorlint --help`.
 */
import { extractEnvDiffs } from './cli/extract-env';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigCascade, configWarnings, formatProblems, loadConfigFile, resolveFolderConfig, type ConfigFileState } from './host/config-loader';
import { resolveConfig, type FactorlintConfig, type ResolvedConfig } from './engine/config';
import { LineIndex } from './engine/line-index';
import type { AnalyzeOptions } from './engine/run';
import type { SeveritySetting } from './engine/types';
import { atOrAbove, HELP, isDefaultBaseline, parseCliArgs, parseMergeArgs, UsageError, type CliArgs } from './cli/args';
import { keptTexts, locatedFindings, modelAnalyzeOptions, runAnalysis, summarize, type FileResult, type RunResult, type RunOptions } from './cli/analyze-paths';
import { isKnownRuleId } from './cli/catalogue';
import { accountLines, fixFiles, type FixRunResult } from './cli/fix';
import { readRegularText, writeFileAtomic, writeTarget, tryReadRegularText } from './host/safe-fs';
import { analyze } from './engine/run';
import { formatHtml, formatJson, formatMarkdown, formatRuleList, formatSarif, formatText, painter, summaryLine } from './cli/formats';
import { mergeShardOutputs } from './cli/merge';
import { formatCheckstyle, formatCodeClimate, formatGithub, formatJunit } from './cli/ci-formats';
import { explainRule } from './cli/explain';
import { enableCompileCache } from './host/compile-cache';
import { tuneV8ForBatch } from './host/batch-v8';
import { defaultCacheFile } from './host/parallel-analyze';
import { ProjectFacts, slash } from './host/project-facts';
import { BASELINE_FILE, createBaseline, filterBaselined, lineTextFrom, loadBaseline, serializeBaseline } from './report/baseline';
import { buildReport } from './report/report-model';
import { reportSubtitle } from './report/render-html';
import { formatFactorReport } from './report-summary';
import type { JsonReport } from './shard';
import { RULES } from './rules/registry';
import { CONFIG_FILE_NAME } from './names';


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

/** What the CLI's flags add on top of every config file. */
function cliLayer(args: CliArgs): FactorlintConfig {
  const rules: Record<string, SeveritySetting> = {};
  for (const { id, severity } of args.rules) {
    if (!isKnownRuleId(id)) throw new UsageError(`--rule: unknown rule "${id}" (factorlint --list-rules shows the rules)`);
    rules[id] = severity;
  }
  return { rules, maxFileSize: args.maxFileSize };
}

function throwOnProblems(files: readonly ConfigFileState[], cwd: string): void {
  const broken = files.filter((f) => f.problems.some((p) => p.severity === 'error'));
  if (broken.length === 0) return;
  throw new UsageError(broken.map((f) => `invalid configuration in ${f.file}:\n${formatProblems(f, cwd).map((l) => `  ${l}`).join('\n')}`).join('\n'));
}

interface CliConfig {
  config: ResolvedConfig;
  /** The config files read (for their warnings, once the run knows every folder). */
  files: () => ConfigFileState[];
  configRoot?: string;
  /** Per analysed folder, when nested `.factorlintrc.json` files may apply (no `--config`). */
  configForDir?: (dir: string) => { config: ResolvedConfig; configRoot?: string };
  /** The walk's listings, for `configForDir`: a folder listed without a config file is not probed for one. */
  folderListed?: (dir: string, entries: readonly fs.Dirent[]) => void;
}

/**
 * `--config FILE`: that file alone (with what it extends). Otherwise nested configs: for each
 * folder, the `.factorlintrc.json` files from the search root down to it (host/config-loader.ts),
 * the search root being the cwd when the paths are inside it, else the first path's folder.
 */
function loadCliConfig(args: CliArgs, cwd: string, firstDir: string): CliConfig {
  const flags = cliLayer(args);
  const single = (file: string): CliConfig => {
    // read as a regular, size-capped file first: a FIFO or a device is refused with the reason, never read
    const text = readInput(file, 'configuration file');
    const state = loadConfigFile(file, (p) => (p === file ? text : tryReadRegularText(p)));
    if (!state.exists) throw new UsageError(`cannot read configuration file ${file}`);
    throwOnProblems([state], cwd);
    return { config: resolveConfig(...state.layers, flags), configRoot: path.dirname(file), files: () => [state] };
  };
  if (args.config) return single(path.resolve(cwd, args.config));
  const boundary = isInside(cwd, firstDir) ? cwd : firstDir;
  const cascade = new ConfigCascade(boundary);
  const primary = cascade.forFolder(firstDir);
  if (primary.files.length === 0 && boundary !== cwd && fs.existsSync(path.join(cwd, CONFIG_FILE_NAME))) return single(path.join(cwd, CONFIG_FILE_NAME));
  throwOnProblems(primary.files, cwd);
  const forDir = (dir: string) => {
    const folder = cascade.forFolder(dir);
    throwOnProblems(folder.files, cwd);
    return { config: resolveFolderConfig(folder, [], [flags]), configRoot: folder.configRoot };
  };
  return { ...forDir(firstDir), configForDir: forDir, folderListed: (dir, entries) => cascade.folderListed(dir, entries), files: () => cascade.loadedFiles() };
}

/**
 * Applies the safe fixes of the analysed files (see `cli/fix.ts`). Edits only files inside the
 * given paths and appends to other files (`.env.example`, `.gitignore`) only inside a folder
 * given on the command line: a fix never reads or writes elsewhere.
 */
function applyFixesToFiles(result: RunResult, args: CliArgs, io: CliIo, roots: { edit: readonly string[]; append: readonly string[] }, maxFileSize: number, analyzeOptionsFor: (abs: string) => AnalyzeOptions): FixRunResult {
  // a file shown only for a workspace finding is not a file the user asked to fix
  const candidates = result.files.filter((f) => f.analysed !== false).map((f) => ({ abs: f.abs, label: f.file, findings: f.findings }));
  const outcome = fixFiles(candidates, {
    dryRun: !!args.fixDryRun,
    editRoots: roots.edit,
    appendRoots: roots.append,
    maxFileSize,
    analyze: (abs, text) => analyze({ path: slash(abs), text }, analyzeOptionsFor(abs)).findings,
    labelOf: (abs) => slash(path.relative(io.cwd, abs)),
  });
  for (const line of accountLines(outcome.accounts)) io.stderr(`${line}\n`);
  for (const file of result.files) {
    const fixed = outcome.fixed.get(file.abs);
    if (!fixed) continue;
    file.text = fixed.text;
    file.lines = new LineIndex(fixed.text);
    file.findings = [...fixed.findings];
  }
  return outcome;
}

/** Writes an output file (`-o`, baseline) atomically; never through a symlink leaving `roots`, never over a device. */
function writeOutput(file: string, text: string, roots: readonly string[], what: string): void {
  try {
    writeFileAtomic(file, text, { roots });
  } catch (error) {
    throw new UsageError(`cannot write ${what} ${file}: ${(error as Error).message}`);
  }
}

/** Reads an input file (config, baseline, shard output): a regular file, size-capped. */
function readInput(file: string, what: string, hint = ''): string {
  try {
    return readRegularText(file);
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${(error as Error).message}${hint}`);
  }
}

/** `factorlint merge`: the shards' JSON outputs combined into one report. */
function mergeMain(argv: readonly string[], io: CliIo): number {
  try {
    const args = parseMergeArgs(argv);
    const outputs = args.files.map((file) => {
      const text = readInput(path.resolve(io.cwd, file), 'shard output');
      try { return JSON.parse(text) as JsonReport; } catch { throw new UsageError(`${file} is not JSON (use the output of factorlint --format json)`); }
    });
    let merged: ReturnType<typeof mergeShardOutputs>;
    try { merged = mergeShardOutputs(outputs); } catch (error) { throw new UsageError((error as Error).message); }
    const { json, report } = merged;
    const summary = json.summary as unknown as RunResult['summary'];
    let output: string;
    if (args.format === 'json') output = `${JSON.stringify(json, null, 2)}\n`;
    else if (args.format === 'markdown') {
      if (!report) throw new UsageError('merge --format markdown needs the factors section in every input (factorlint ≥ 0.1 JSON output)');
      output = formatMarkdown({ summary } as RunResult, report);
    } else {
      const lines = json.findings.map((f) => `${f.file}:${f.line}:${f.column}  ${f.severity}  ${String(f.message ?? '')}  ${f.rule}`);
      output = [...lines, ...(report ? ['', formatFactorReport(report)] : []), '', summaryLine(summary), ''].join('\n');
    }
    if (args.output) writeOutput(path.resolve(io.cwd, args.output), output, [io.cwd], '--output');
    else io.stdout(output);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) { io.stderr(`factorlint: ${error.message}\n`); return 2; }
    throw error;
  }
}

/** Hides baselined findings; returns how many were hidden. */
function applyBaseline(result: RunResult, file: string): number {
  const text = readInput(file, 'baseline', ' (create it with --baseline-create)');
  let baseline;
  try { baseline = loadBaseline(text); } catch (error) { throw new UsageError((error as Error).message); }
  const lineText = lineTextFrom(keptTexts(result.files, 'path'));
  let hidden = 0;
  for (const f of result.files) {
    // fingerprints count occurrences per (rule, file, line text): filtering file by file is the same
    const located = f.findings.map((finding) => ({ ...finding, path: f.path }));
    const { kept, baselined } = filterBaselined(located, baseline, lineText);
    hidden += baselined.length;
    const keep = new Set(kept.map((k) => located.indexOf(k)));
    f.findings = f.findings.filter((_x, i) => keep.has(i));
  }
  result.files = result.files.filter((f) => f.analysed !== false || f.findings.length > 0);
  return hidden;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'merge') return mergeMain(argv.slice(1), io);
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) { io.stderr(`factorlint: ${error.message}\n`); return 2; }
    throw error;
  }
  if (args.help) { io.stdout(`${HELP}\n`); return 0; }
  if (args.version) { io.stdout(`${cliVersion()}\n`); return 0; }
  if (args.explain !== undefined) {
    const page = explainRule(args.explain);
    if (!page.ok) { io.stderr(`factorlint: ${page.error}\n`); return 2; }
    io.stdout(page.text.endsWith('\n') ? page.text : `${page.text}\n`);
    return 0;
  }
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
    const { config, configRoot, configForDir, folderListed, files: configFiles } = loadCliConfig(args, io.cwd, firstDir);
    const gitDir = findUp(firstDir, '.git');
    const factsRoot = gitDir ? path.dirname(gitDir) : isInside(io.cwd, firstDir) ? io.cwd : firstDir;

    // The model's paths (report, baseline fingerprints, shard slices) are relative to the current
    // folder when every path is inside it (CI runs from the checkout root), else to the first folder.
    const modelRoot = resolved.every((abs) => isInside(io.cwd, abs)) ? io.cwd : firstDir;
    const cacheFile = args.cacheLocation ? path.resolve(io.cwd, args.cacheLocation) : args.cache ? defaultCacheFile(factsRoot) : undefined;
    // outputs may go through a symlink only to a file inside the analysed folders
    const outputRoots = [factsRoot, ...resolved.filter((abs) => fs.statSync(abs).isDirectory())];
    if (cacheFile) {
      try { writeTarget(cacheFile, outputRoots); } catch (error) { throw new UsageError(`refusing --cache-location ${cacheFile}: ${(error as Error).message}`); }
    }
    const runOptions: RunOptions = { paths: resolved, cwd: io.cwd, config, configRoot, configForDir, onListed: folderListed, factsRoot, modelRoot, useGit: args.git, shard: args.shard, jobs: args.jobs, cacheFile };
    let result = await runAnalysis(runOptions);
    for (const message of result.ruleErrors) io.stderr(`factorlint: rule error: ${message}\n`);
    // the same warnings the editor shows in the config files (globs matching no file)
    for (const file of configFiles()) for (const line of formatProblems({ ...file, problems: configWarnings(file) }, io.cwd)) io.stderr(`factorlint: ${line}\n`);
    let cacheWriteError = result.cacheWriteError;
    const baselineFile = args.baseline && !isDefaultBaseline(args.baseline) ? path.resolve(io.cwd, args.baseline) : path.join(configRoot ?? io.cwd, BASELINE_FILE);

    if (args.baselineCreate) {
      const all = locatedFindings(result);
      const baseline = createBaseline(all, lineTextFrom(keptTexts(result.files, 'path')));
      writeOutput(baselineFile, serializeBaseline(baseline), outputRoots, 'baseline');
      io.stdout(`factorlint: recorded ${all.length} finding${all.length === 1 ? '' : 's'} in ${slash(path.relative(io.cwd, baselineFile)) || BASELINE_FILE}; --baseline hides them from now on.\n`);
      return 0;
    }

    if (args.fix || args.fixDryRun) {
      const facts = new ProjectFacts(factsRoot, { useGit: args.git, maxFileSize: config.maxFileSize });
      const fileOptions = (abs: string) => modelAnalyzeOptions(result, facts, abs, configRoot);
      const writableRoots = resolved.filter((abs) => fs.statSync(abs).isDirectory());
      const { diffs, filesChanged: fixed, fixesApplied: fixes } = applyFixesToFiles(result, args, io, { edit: resolved, append: writableRoots }, config.maxFileSize, (abs) => ({
        config, rules: RULES, ...fileOptions(abs), reportUnusedSuppressions: true,
      }));
      result.summary = summarize(result.files, result.summary.filesSkipped, result.summary.durationMs);
      if (args.fixDryRun) {
        io.stdout(diffs.join(''));
        io.stdout(`${fixes} safe ${fixes === 1 ? 'fix' : 'fixes'} would be applied in ${fixed} ${fixed === 1 ? 'file' : 'files'} (dry run: nothing written).\n`);
        if (args.extractEnv) {
          // the editor's "Extract to environment variable" refactoring, shown for review only
          const extract = extractEnvDiffs(result.files.filter((f) => f.analysed !== false && f.text !== undefined).map((f) => ({ abs: f.abs, label: f.file, text: f.text!, findings: f.findings, project: fileOptions(f.abs).project })), io.cwd);
          io.stdout(extract ? `\nExtract to environment variable (refactoring, review before applying):\n${extract}` : 'No hardcoded config literal to extract.\n');
        }
        return exitCodeFor(result, args);
      }
      if (!args.quiet) io.stderr(`factorlint: applied ${fixes} safe ${fixes === 1 ? 'fix' : 'fixes'} in ${fixed} ${fixed === 1 ? 'file' : 'files'}.\n`);
      // cross-file findings depend on the fixed texts: analyse again
      if (fixed > 0) { result = await runAnalysis(runOptions); cacheWriteError ??= result.cacheWriteError; }
    }

    let baselined: number | undefined;
    if (args.baseline !== undefined) {
      baselined = applyBaseline(result, baselineFile);
      result.summary = { ...summarize(result.files, result.summary.filesSkipped, result.summary.durationMs), baselined };
    }

    const code = exitCodeFor(result, args);
    const shown = args.quiet ? filterQuiet(result, args) : result;
    if (baselined !== undefined && shown !== result) shown.summary = { ...shown.summary, baselined };
    const needsReport = args.report || args.format === 'json' || args.format === 'markdown' || args.format === 'html';
    const report = needsReport ? buildReport({ ...(result.reportFacts ? { modelFacts: result.reportFacts } : { model: result.model }), findings: locatedFindings(shown), baselined: baselined ?? 0, filesAnalysed: result.summary.filesAnalyzed }) : undefined;
    let output: string;
    switch (args.format) {
      case 'json': output = formatJson(shown, { cwd: io.cwd, report }); break;
      case 'sarif': output = formatSarif(shown, io.cwd, cliVersion(), args.shard); break;
      case 'markdown': output = formatMarkdown(shown, report!); break;
      case 'html': output = formatHtml(report!, result.modelRoot, reportSubtitle(result.modelRoot)); break;
      case 'github': output = formatGithub(shown); break;
      case 'codeclimate': output = formatCodeClimate(shown); break;
      case 'junit': output = formatJunit(shown); break;
      case 'checkstyle': output = formatCheckstyle(shown, cliVersion()); break;
      default: output = formatText(shown, paint, { report: args.report ? report : undefined, quiet: args.quiet });
    }
    if (args.output) {
      writeOutput(path.resolve(io.cwd, args.output), output, outputRoots, '--output');
    } else {
      io.stdout(output);
    }
    // the results stand, but a cache that could not be written is an error the user must see
    if (cacheWriteError) { io.stderr(`factorlint: ${cacheWriteError}\n`); return 2; }
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
  const files: FileResult[] = result.files.map((f) => ({ ...f, findings: f.findings.filter((x) => atOrAbove(x.severity, threshold)) }));
  return { ...result, files, summary: summarize(files, result.summary.filesSkipped, result.summary.durationMs) };
}

/** Runs the CLI on this process's arguments and sets the exit code (used by `bin/factorlint.js`). */
export async function runFromProcess(): Promise<void> {
  enableCompileCache();
  tuneV8ForBatch(); // a batch run: fewer optimised compilations of briefly hot code, no pretenuring (host/batch-v8.ts)
  // `factorlint … | head`: the reader closed the pipe early. Stop quietly, as Unix tools do,
  // instead of dying on an unhandled EPIPE with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.stderr.write(`factorlint: cannot write the output: ${error.message}\n`);
    process.exit(error.code === 'EPIPE' ? (process.exitCode ?? 0) : 2);
  });
  let code: number;
  try {
    code = await main(process.argv.slice(2), {
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

if (require.main === module) void runFromProcess();
