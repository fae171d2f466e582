/**
 * Globs from configuration (`ignore`, `appOnly.include/exclude`): checked for cost, then
 * compiled once per list and reused for every file. Configuration comes from the workspace,
 * which may be untrusted: a glob such as `**\/*a*a*a…c.ts` compiles to a regular expression
 * that backtracks for minutes on a crafted file name, so patterns whose matching cost grows
 * with a power of the path length are refused (a configuration error naming the glob).
 */
import picomatch from 'picomatch';

/** `*` wildcards allowed in one path segment (`*.test.*` has two); each multiplies the worst case by the segment's length. */
export const MAX_STARS_PER_SEGMENT = 3;
/** `**` segments allowed in one glob (`src/**\/gen/**` has two). */
export const MAX_GLOBSTARS = 3;
export const MAX_GLOB_LENGTH = 500;
/** Globs in one list; beyond it the list is refused rather than slowing every file. */
export const MAX_GLOBS = 5_000;

/** Why a glob would cost too much to match, or undefined when it is fine. */
export function globProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `it is longer than ${MAX_GLOB_LENGTH} characters`;
  if (/[@!?+*]\(/.test(glob)) return 'extended glob groups (`+(…)`, `*(…)`, `@(…)`, `?(…)`, `!(…)`) are not supported';
  const segments = glob.split('/');
  if (segments.filter((s) => s === '**').length > MAX_GLOBSTARS) return `it has more than ${MAX_GLOBSTARS} \`**\` segments`;
  for (const segment of segments) {
    if (segment === '**') continue;
    const stars = segment.replace(/\*\*+/g, '*').split('*').length - 1;
    if (stars > MAX_STARS_PER_SEGMENT) return `a path segment has more than ${MAX_STARS_PER_SEGMENT} \`*\` wildcards (matching it could take minutes)`;
  }
  return undefined;
}

/** The problems of a glob list, one line per refused glob (for configuration errors). */
export function globListProblems(field: string, globs: readonly string[]): string[] {
  if (globs.length > MAX_GLOBS) return [`${field}: more than ${MAX_GLOBS} globs`];
  const problems: string[] = [];
  for (const glob of globs) {
    const problem = globProblem(glob);
    if (problem) problems.push(`${field}: the glob ${JSON.stringify(glob.length > 80 ? `${glob.slice(0, 80)}…` : glob)} is refused: ${problem}`);
  }
  return problems;
}

type Matcher = (path: string) => boolean;
const NEVER: Matcher = () => false;
const byList = new WeakMap<readonly string[], Matcher>();
const byKey = new Map<string, Matcher>();

/**
 * One matcher for a list of globs (dot files included), compiled once: memoised by the list
 * itself and by its content (a configuration re-read yields an equal list). Globs that
 * `globProblem` refuses are left out; configuration loading reports them.
 */
export function compiledGlobs(globs: readonly string[]): Matcher {
  const known = byList.get(globs);
  if (known) return known;
  const key = globs.join('\u0000');
  let matcher = byKey.get(key);
  if (!matcher) {
    const safe = globs.length > MAX_GLOBS ? [] : globs.filter((g) => !globProblem(g));
    matcher = safe.length === 0 ? NEVER : oneMatcher(safe);
    if (byKey.size >= 64) byKey.clear();
    byKey.set(key, matcher);
  }
  byList.set(globs, matcher);
  return matcher;
}

/**
 * All globs as a few regular expressions: globs whose first segment is a literal (`legacy/**`,
 * `src/gen/*.ts`) are bucketed by it, so a path is tested only against the globs that could
 * match its first segment plus the wildcard-led ones (`**\/*.generated.ts`); each bucket is one
 * regular expression, compiled on first use. 3,000 listed folders cost about one glob.
 */
function oneMatcher(globs: readonly string[]): Matcher {
  const byFirst = new Map<string, string[]>();
  const anywhere: string[] = [];
  for (const glob of globs) {
    const first = glob.split('/')[0];
    if (glob.includes('/') && first !== '' && !/[*?[\]{}()!+@\\]/.test(first)) byFirst.set(first, [...(byFirst.get(first) ?? []), glob]);
    else anywhere.push(glob);
  }
  const compile = (list: readonly string[]): RegExp => new RegExp(list.map((g) => `(?:${picomatch.makeRe(g, { dot: true }).source})`).join('|'));
  const anywhereRe = anywhere.length > 0 ? compile(anywhere) : undefined;
  const bucketRes = new Map<string, RegExp>();
  return (p) => {
    if (anywhereRe?.test(p)) return true;
    const first = p.split('/', 1)[0];
    const bucket = byFirst.get(first);
    if (!bucket) return false;
    let re = bucketRes.get(first);
    if (!re) bucketRes.set(first, (re = compile(bucket)));
    return re.test(p);
  };
}
