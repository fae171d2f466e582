/**
 * The rule pages shipped with factorlint (`docs/rules/<factor>/<name>.md` beside `dist/` in
 * the npm package and the extension, and in a checkout): the one place that finds them, so
 * the CLI's `--explain`, SARIF's rule help and the editor's documentation links all show the
 * same bundled page, offline. No web address is invented for them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** `<factor>/<name>`: also what keeps a rule id from naming a file outside docs/rules. */
const RULE_ID = /^[a-z-]+\/[a-z0-9-]+$/;

/** The page's path inside the package, forward slashes: what links use when no file is at hand. */
export function rulePageRelativePath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

let docsDir: string | null | undefined;

/** `docs/rules` of this installation: the nearest one above the running code (bundle or tsc output). */
export function shippedDocsDir(): string | undefined {
  if (docsDir === undefined) {
    docsDir = null;
    for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'docs', 'rules');
      if (fs.existsSync(path.join(candidate, 'README.md'))) { docsDir = candidate; break; }
    }
  }
  return docsDir ?? undefined;
}

/** The absolute path of a rule's page, when this installation ships it. */
export function rulePagePath(ruleId: string): string | undefined {
  const dir = shippedDocsDir();
  if (!dir || !RULE_ID.test(ruleId)) return undefined;
  const page = path.join(dir, `${ruleId}.md`);
  return fs.existsSync(page) ? page : undefined;
}

const pages = new Map<string, string | undefined>();

/** The page's Markdown, when shipped (read once per process). */
export function readRulePage(ruleId: string): string | undefined {
  if (!pages.has(ruleId)) {
    const file = rulePagePath(ruleId);
    let text: string | undefined;
    try { text = file ? fs.readFileSync(file, 'utf8') : undefined; } catch { text = undefined; }
    pages.set(ruleId, text);
  }
  return pages.get(ruleId);
}

const links = new Map<string, string>();

/**
 * A link to the page: its file URI when shipped, else its path inside the package. Once per
 * rule and process: every diagnostic carries it, and the editor converts hundreds of findings
 * per keystroke (a `stat` per diagnostic was ~5% of the server's per-edit CPU).
 */
export function rulePageLink(ruleId: string): string {
  let link = links.get(ruleId);
  if (link === undefined) {
    const file = rulePagePath(ruleId);
    link = file ? pathToFileURL(file).href : rulePageRelativePath(ruleId);
    links.set(ruleId, link);
  }
  return link;
}
