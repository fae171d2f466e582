/**
 * `factorlint --explain <rule>`: the rule's documentation page as shipped in the package, so
 * it works offline and matches the installed version. Engine diagnostics (`factorlint/…`) have
 * no page of their own: their description and rationale are printed instead.
 */
import { readRulePage } from '../host/rule-docs';
import { ruleCatalogue } from './catalogue';

export type Explained = { ok: true; text: string } | { ok: false; error: string };

/** Edit distance, to suggest the rule a typo meant. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_x, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

export function explainRule(query: string): Explained {
  const catalogue = ruleCatalogue();
  const wanted = query.trim();
  // `hardcoded-port` alone is enough when only one rule has that name
  const byName = catalogue.filter((e) => e.id.split('/')[1] === wanted);
  const entry = catalogue.find((e) => e.id === wanted) ?? (byName.length === 1 ? byName[0] : undefined);
  if (!entry) {
    const closest = catalogue.map((e) => ({ id: e.id, d: Math.min(distance(wanted, e.id), distance(wanted, e.id.split('/')[1]) + 1) }))
      .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))[0];
    const hint = closest && closest.d <= Math.max(3, wanted.length / 3) ? ` Did you mean ${closest.id}?` : '';
    return { ok: false, error: `--explain: unknown rule "${wanted}".${hint} (factorlint --list-rules shows the rules)` };
  }
  const page = entry.id.startsWith('factorlint/') ? undefined : readRulePage(entry.id);
  if (page) return { ok: true, text: page };
  return { ok: true, text: `# ${entry.id}\n\n${entry.description}\n\n${entry.rationale}\n` };
}
