/**
 * The options a rule accepts in `.factorlintrc.json` (`"rules": { "<id>": ["warning", { ... }] }`).
 * Only rules with a real knob have an entry; the config validator rejects options for any other
 * rule and unknown option names, so a typo never silently does nothing. Rules read their options
 * from `ctx.options.rule` (file rules) or the third argument of `checkWorkspace`.
 */

export interface RuleOptionSpec {
  /** `regexes`: strings compiled as JavaScript regular expressions (bounded, see below). */
  type: 'strings' | 'regexes';
  description: string;
}

export const RULE_OPTION_SPECS: Readonly<Record<string, Readonly<Record<string, RuleOptionSpec>>>> = {
  'telemetry/missing-health-endpoint': {
    healthRoutes: { type: 'strings', description: 'Extra routes that count as health endpoints (e.g. "/_status", "/api/heartbeat"); compared exactly, without the query string.' },
  },
  'config/hardcoded-secret': {
    allowPatterns: { type: 'regexes', description: 'Regular expressions of values that are not secrets (test tokens, documented placeholders); a value matching one in full is not reported.' },
  },
  'logs/console-logging': {
    loggerModules: { type: 'strings', description: 'Extra files (paths relative to the package root, without extension, e.g. "src/lib/log") that are logger implementations and may write to the console.' },
  },
};

/** A pattern longer than this is not an allow-list entry but a program. */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_OPTION_ITEMS = 100;

/**
 * Why a user-supplied regular expression is refused, or undefined when it is safe to run.
 * Backtracking engines blow up on nested quantifiers (`(a+)+`, `(.*)*`, `(a|aa)*`) and
 * back-references; those are rejected outright rather than timed.
 */
export function unsafePatternReason(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `it is longer than ${MAX_PATTERN_LENGTH} characters`;
  if (/\\[1-9]|\\k</.test(pattern)) return 'it uses a back-reference';
  // a group that contains a quantifier (or an alternation) and is itself quantified
  if (/\((?:[^()\\]|\\.)*(?:[+*}|]|\?(?!:))(?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d*,)/.test(pattern)) return 'it nests quantifiers (catastrophic backtracking)';
  try {
    new RegExp(pattern);
  } catch (error) {
    return `it is not a valid regular expression (${(error as Error).message})`;
  }
  return undefined;
}

/** Problems with one rule's options: `key` names the offending option (undefined: the whole value). */
export function ruleOptionProblems(ruleId: string, options: unknown): Array<{ key?: string; message: string; suggestionsFrom?: string[] }> {
  const specs = RULE_OPTION_SPECS[ruleId];
  if (!specs) return [{ message: `rule '${ruleId}' has no options (only a severity)` }];
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return [{ message: `the options of '${ruleId}' must be an object` }];
  const problems: Array<{ key?: string; message: string; suggestionsFrom?: string[] }> = [];
  for (const [key, value] of Object.entries(options)) {
    const spec = specs[key];
    if (!spec) { problems.push({ key, message: `Unknown option '${key}' for rule '${ruleId}'`, suggestionsFrom: Object.keys(specs) }); continue; }
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0)) { problems.push({ key, message: `option '${key}' of '${ruleId}' must be an array of non-empty strings` }); continue; }
    if (value.length > MAX_OPTION_ITEMS) { problems.push({ key, message: `option '${key}' of '${ruleId}' has more than ${MAX_OPTION_ITEMS} entries` }); continue; }
    if (spec.type === 'regexes') {
      for (const pattern of value as string[]) {
        const reason = unsafePatternReason(pattern);
        if (reason) problems.push({ key, message: `pattern ${JSON.stringify(pattern.slice(0, 40))}${pattern.length > 40 ? '…' : ''} in '${key}' of '${ruleId}' is refused: ${reason}` });
      }
    }
  }
  return problems;
}

/** Reads a validated string-list option (an empty list when absent). */
export function stringsOption(options: Readonly<Record<string, unknown>> | undefined, key: string): readonly string[] {
  const value = options?.[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Compiled allow-list patterns, anchored to match a whole value; compiled once per list. */
const compiledPatterns = new Map<string, RegExp[]>();
export function anchoredPatterns(patterns: readonly string[]): RegExp[] {
  const key = patterns.join('\u0000');
  let compiled = compiledPatterns.get(key);
  if (!compiled) {
    if (compiledPatterns.size > 100) compiledPatterns.clear();
    compiled = patterns.filter((p) => unsafePatternReason(p) === undefined).map((p) => new RegExp(`^(?:${p})$`));
    compiledPatterns.set(key, compiled);
  }
  return compiled;
}
