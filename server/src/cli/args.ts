/**
 * Command-line parsing for `factorlint`. Every mistake becomes a `UsageError` (exit code 2)
 * with a message that says what was wrong and what is accepted.
 */
import { parseArgs } from 'node:util';
import type { Severity, SeveritySetting } from '../engine/types';
import { BASELINE_FILE } from '../report/baseline';
import { CONFIG_FILE_NAME } from '../names';
import { parseShard, type ShardSpec } from '../shard';

export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'html', 'github', 'codeclimate', 'junit', 'checkstyle'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['error', 'warning', 'info', 'hint', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];
const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

export class UsageError extends Error {}

export interface CliArgs {
  paths: string[];
  format: Format;
  output?: string;
  listRules: boolean;
  failOn: FailOn;
  config?: string;
  /** `--rule id=severity` overrides, in order. */
  rules: Array<{ id: string; severity: SeveritySetting }>;
  maxFileSize?: number;
  quiet: boolean;
  version: boolean;
  help: boolean;
  report: boolean;
  fix: boolean;
  fixDryRun: boolean;
  /** With --fix-dry-run: show the extract-to-environment refactoring as diffs. */
  extractEnv: boolean;
  /** `--color` / `--no-color`; undefined: colour when writing to a TTY. */
  color?: boolean;
  git: boolean;
  /** `--baseline [file]`: hide the findings of this baseline. */
  baseline?: string;
  /** `--baseline-create`: write the baseline (to `baseline`, default in the config root / cwd). */
  baselineCreate: boolean;
  /** `--shard K/N`. */
  shard?: ShardSpec;
  /** `--jobs N`: worker threads (undefined: one per core). */
  jobs?: number;
  /** `--explain <rule>`: print the rule's bundled documentation page. */
  explain?: string;
  /** `--cache` / `--cache-location <file>`: the persisted content-hash cache. */
  cache: boolean;
  cacheLocation?: string;
}

/** `factorlint merge <files…>`. */
export interface MergeArgs {
  files: string[];
  format: 'json' | 'text' | 'markdown';
  output?: string;
}

export const HELP = `Usage: factorlint [options] [paths...]

Lints a service against the Twelve-Factor App (plus API first, telemetry, security):
TypeScript/JavaScript, Dockerfiles, Compose files and .env files. Paths default to ".".

Options:
  -f, --format <fmt>        text (default), json, sarif, markdown, html (a standalone
                            report page; use with -o report.html); for CI: github
                            (workflow annotations), codeclimate (GitLab Code Quality),
                            junit, checkstyle
  -o, --output <file>       write the output to a file instead of stdout
      --report              after the findings, the factor report: status, score and
                            counts per factor (text)
      --fail-on <level>     error (default), warning, info, hint, none: exit 1 when
                            findings at or above this severity exist
  -c, --config <file>       configuration file (default: ${CONFIG_FILE_NAME} in the
                            first path's folder or an ancestor up to the current folder)
      --rule <id>=<sev>     override a rule's severity (off, hint, info, warning, error);
                            repeatable
      --max-file-size <n>   skip files larger than n bytes (accepts 500k, 2m)
  -q, --quiet               report only findings at or above --fail-on
      --fix                 apply safe fixes in place
      --fix-dry-run         print the diffs --fix would apply, change nothing
      --extract-env         with --fix-dry-run: also show the "Extract to environment
                            variable" refactoring of hardcoded config literals as diffs
      --baseline [file]     hide findings recorded in the baseline (default file:
                            ${BASELINE_FILE} in the config file's folder, else here)
      --baseline-create     record every current finding in the baseline file and exit
      --shard <K/N>         analyse only slice K of N of the files (CI matrix); the
                            cross-file model still covers every file
  -j, --jobs <n>            worker threads for the analysis (default: one per core;
                            1 analyses in the main thread)
      --cache               reuse the results of unchanged files from the last run
                            (content hashes; kept in node_modules/.cache/factorlint)
      --cache-location <f>  the cache file to use (implies --cache)
      --list-rules          list the rules and exit
      --no-git              do not ask git which files are tracked
      --color, --no-color   force or disable colours (default: on a TTY only)
      --explain <rule>      print the rule's documentation page and exit
  -v, --version             print the version
  -h, --help                print this help

  factorlint merge [-f json|text|markdown] [-o file] <shard.json...>
                            combine the JSON outputs of --shard runs into one report

Exit codes: 0 no findings at or above --fail-on, 1 such findings exist, 2 usage or
configuration error.`;

function parseSize(value: string): number {
  const m = /^(\d+)\s*([kKmM]?)[bB]?$/.exec(value.trim());
  if (!m) throw new UsageError(`--max-file-size expects a number of bytes (e.g. 1048576, 500k, 2m), got "${value}"`);
  const n = Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1024 : m[2].toLowerCase() === 'm' ? 1024 * 1024 : 1);
  if (n <= 0) throw new UsageError('--max-file-size must be greater than 0');
  return n;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}; got "${value}"`);
}

/** Marks a bare `--baseline` (its file is optional: a following argument is a value only when it ends in .json). */
const DEFAULT_BASELINE = '\u0000default';

function normalizeBaselineFlag(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') { out.push(...argv.slice(i)); break; }
    if (argv[i] !== '--baseline') { out.push(argv[i]); continue; }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('-') && /\.json$/i.test(next)) { out.push(`--baseline=${next}`); i++; }
    else out.push(`--baseline=${DEFAULT_BASELINE}`);
  }
  return out;
}

/** Whether `--baseline` named no file (use the default location). */
export function isDefaultBaseline(value: string | undefined): boolean {
  return value === DEFAULT_BASELINE;
}

export function parseMergeArgs(argv: readonly string[]): MergeArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { format: { type: 'string', short: 'f' }, output: { type: 'string', short: 'o' } } });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('. ')[0]}. Usage: factorlint merge [-f json|text|markdown] [-o file] <shard.json...>`);
  }
  if (parsed.positionals.length === 0) throw new UsageError('merge needs the JSON outputs of the shards: factorlint merge shard-1.json shard-2.json …');
  return {
    files: parsed.positionals,
    format: parsed.values.format === undefined ? 'json' : oneOf('merge --format', parsed.values.format, ['json', 'text', 'markdown'] as const),
    output: parsed.values.output,
  };
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: normalizeBaselineFlag(argv),
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        'list-rules': { type: 'boolean' },
        'fail-on': { type: 'string' },
        config: { type: 'string', short: 'c' },
        rule: { type: 'string', multiple: true },
        'max-file-size': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
        report: { type: 'boolean' },
        fix: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        'extract-env': { type: 'boolean' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'no-git': { type: 'boolean' },
        baseline: { type: 'string' },
        'baseline-create': { type: 'boolean' },
        shard: { type: 'string' },
        jobs: { type: 'string', short: 'j' },
        cache: { type: 'boolean' },
        'cache-location': { type: 'string' },
        explain: { type: 'string' },
      },
    });
  } catch (error) {
    // node's messages name the flag ("Unknown option '--frmat'"); add the way out.
    throw new UsageError(`${(error as Error).message.split('. ')[0]}. Run factorlint --help for the options.`);
  }
  const v = parsed.values;
  const rules = (v.rule ?? []).map((spec) => {
    const m = /^([^=\s]+)=(\S+)$/.exec(spec);
    if (!m) throw new UsageError(`--rule expects <id>=<severity>, e.g. --rule config/hardcoded-secret=error; got "${spec}"`);
    return { id: m[1], severity: oneOf(`--rule ${m[1]}`, m[2], SEVERITY_SETTINGS) };
  });
  if (v.fix && v['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run cannot be combined');
  if (v['extract-env'] && !v['fix-dry-run']) throw new UsageError('--extract-env goes with --fix-dry-run (the refactoring is shown for review, never applied in bulk)');
  let shard: ShardSpec | undefined;
  try { shard = v.shard === undefined ? undefined : parseShard(v.shard); } catch (error) { throw new UsageError((error as Error).message); }
  if (shard && v['baseline-create']) throw new UsageError('--baseline-create needs every finding: run it without --shard');
  if (shard && (v.fix || v['fix-dry-run'])) throw new UsageError('--fix and --fix-dry-run cannot be combined with --shard');
  let jobs: number | undefined;
  if (v.jobs !== undefined) {
    jobs = /^\d+$/.test(v.jobs.trim()) ? Number(v.jobs.trim()) : NaN;
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) throw new UsageError(`--jobs expects a whole number of worker threads from 1 to 256, got "${v.jobs}"`);
  }
  return {
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    format: v.format === undefined ? 'text' : oneOf('--format', v.format, FORMATS),
    output: v.output,
    listRules: v['list-rules'] ?? false,
    failOn: v['fail-on'] === undefined ? 'error' : oneOf('--fail-on', v['fail-on'], FAIL_ON),
    config: v.config,
    rules,
    maxFileSize: v['max-file-size'] === undefined ? undefined : parseSize(v['max-file-size']),
    quiet: v.quiet ?? false,
    version: v.version ?? false,
    help: v.help ?? false,
    report: v.report ?? false,
    fix: v.fix ?? false,
    fixDryRun: v['fix-dry-run'] ?? false,
    extractEnv: v['extract-env'] ?? false,
    color: v['no-color'] ? false : v.color,
    git: !v['no-git'],
    baseline: v.baseline,
    baselineCreate: v['baseline-create'] ?? false,
    shard,
    jobs,
    cache: (v.cache ?? false) || v['cache-location'] !== undefined,
    cacheLocation: v['cache-location'],
    explain: v.explain,
  };
}

const RANK: Record<Severity, number> = { hint: 0, info: 1, warning: 2, error: 3 };

/** Whether a finding of `severity` counts for `--fail-on` / `--quiet`. */
export function atOrAbove(severity: Severity, threshold: FailOn): boolean {
  return threshold !== 'none' && RANK[severity] >= RANK[threshold];
}
