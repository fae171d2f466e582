/**
 * Snippets that read environment variables (`snippets/env-snippets.json`) and what comes with
 * them: the variables' NAMES added to the service's env template (`.env.example`), never a
 * value, so the inserted code is not flagged `config/undeclared-env-var`. Pure functions (no
 * `vscode`): the completion provider (`snippet-completions.ts`) and the tests share them.
 */

export type SnippetVariant = 'ts' | 'cjs' | 'esm';

export interface EnvSnippet {
  name: string;
  description: string;
  /** Variables the body reads (fixed names, so the declaration added matches the code). */
  env: string[];
  /** npm packages the body imports (the user installs them; factorlint never runs npm). */
  packages: string[];
  body: Record<SnippetVariant, string[]>;
}

export type EnvSnippets = Record<string, EnvSnippet>;

/** Which body fits a document: TypeScript, or JavaScript as an ES module or CommonJS. */
export function snippetVariant(languageId: string, fileName: string, text: string, packageType?: string): SnippetVariant {
  if (languageId === 'typescript' || languageId === 'typescriptreact') return 'ts';
  if (/\.mjs$/i.test(fileName)) return 'esm';
  if (/\.cjs$/i.test(fileName)) return 'cjs';
  if (/^\s*(?:import\s+(?:[\w*{][^;]*?\s+from\s+)?['"]|export\s)/m.test(text)) return 'esm';
  if (/\brequire\s*\(|\bmodule\.exports\b|^\s*exports\./m.test(text)) return 'cjs';
  // nothing in the file says: JSX is bundled (ES modules); plain .js follows package.json "type"
  if (languageId === 'javascriptreact') return 'esm';
  return packageType === 'module' ? 'esm' : 'cjs';
}

/** Names declared by an env file (`NAME=`, `export NAME=`), in order. */
export function declaredEnvNames(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    if (m) names.push(m[1]);
  }
  return names;
}

/**
 * The template's text with the missing names appended as `NAME=` (no value: the template is the
 * config contract, values live in the environment), or undefined when every name is declared.
 */
export function withDeclaredNames(template: string | undefined, names: readonly string[]): { text: string; added: string[] } | undefined {
  const existing = new Set(declaredEnvNames(template ?? ''));
  const added = [...new Set(names)].filter((n) => !existing.has(n));
  if (added.length === 0) return undefined;
  const eol = template?.includes('\r\n') ? '\r\n' : '\n';
  const before = template === undefined || template === '' ? '' : template.endsWith('\n') ? template : template + eol;
  return { text: before + added.map((n) => `${n}=`).join(eol) + eol, added };
}

/** An env template's file name, as factorlint's model recognises the common ones. */
export function isEnvTemplateName(name: string): boolean {
  return /^\.env\.(?:.*\.)?(?:example|sample|template|dist|defaults)$/i.test(name) || /^(?:example|sample|template)\.env$/i.test(name);
}

/**
 * Where the names go, as `config/undeclared-env-var` suggests it: the template in the nearest
 * folder at or above the file (up to the workspace folder), else `.env.example` beside the
 * nearest package.json, else at the workspace folder. `dirs` lists the folders from the file's
 * own up to the workspace folder, each with its entry names.
 */
export function templateTarget(dirs: ReadonlyArray<{ dir: string; entries: readonly string[] }>): { dir: string; name: string; exists: boolean } | undefined {
  for (const d of dirs) {
    const template = [...d.entries].sort().find(isEnvTemplateName);
    if (template) return { dir: d.dir, name: template, exists: true };
  }
  const pkg = dirs.find((d) => d.entries.includes('package.json')) ?? dirs[dirs.length - 1];
  return pkg ? { dir: pkg.dir, name: '.env.example', exists: false } : undefined;
}


/**
 * A local `.env` beside the template gets the added names commented out (`# NAME=`): the
 * developer sees what to set, the checkout keeps running as before (unset, not empty), and
 * `config/env-example-drift` reads a commented name as known. Undefined when nothing to add.
 */
export function withCommentedNames(localEnv: string, names: readonly string[]): string | undefined {
  const known = new Set(declaredEnvNames(localEnv));
  for (const m of localEnv.matchAll(/^[ \t]*#[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=/gm)) known.add(m[1]);
  const missing = [...new Set(names)].filter((n) => !known.has(n));
  if (missing.length === 0) return undefined;
  const eol = localEnv.includes('\r\n') ? '\r\n' : '\n';
  const before = localEnv === '' || localEnv.endsWith('\n') ? localEnv : localEnv + eol;
  return before + missing.map((n) => `# ${n}=`).join(eol) + eol;
}
