/**
 * The fixture harness. A fixture is `fixtures/<factor>/<name>[.<variant>].<ext>`; an own-line
 * comment `expect: <id>[, <id>…]` names the findings expected on the next code line.
 * A first-line comment `fixture-path: <path>` sets the path the engine sees (to emulate a
 * test file, a CLI, a compose file name…); `<base>.project.json` holds the ProjectContext facts
 * and, in its optional `config` field, a `.factorlintrc.json` body (e.g. `logger.module`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectContext } from '../../src/engine/project-context';
import { resolveConfig, type FactorlintConfig, type ResolvedConfig } from '../../src/engine/config';

export const FIXTURES_DIR = path.resolve(__dirname, '../../../../server/test/fixtures');

export interface Fixture {
  ruleId: string;
  /** Fixture file on disk. */
  file: string;
  /** Path given to the engine. */
  virtualPath: string;
  text: string;
  /** Expected (0-based line, rule id) pairs. */
  expected: Array<{ line: number; ruleId: string }>;
  /** The golden file after fixes, when one exists. */
  fixedFile?: string;
  /** Golden edits of other files (`<base>.other-files.json`), for fixes that only touch other files. */
  otherFilesFile?: string;
  project: ProjectContext;
  /** Configuration from the sidecar's `config` field (a `.factorlintrc.json` body), when present. */
  config?: ResolvedConfig;
}

const MARKER = /^\s*(?:\/\/|#|\/\*)\s*expect:\s*([a-z0-9\-/,\s]+?)\s*(?:\*\/)?\s*$/;
const PATH_DIRECTIVE = /^\s*(?:\/\/|#)\s*fixture-path:\s*(\S+)/;

/** `name.fixed.ext` for `name.ext`; `name.variant.fixed.ext` for `name.variant.ext`. */
export function fixedNameFor(file: string): string {
  const base = path.basename(file);
  const dot = base.lastIndexOf('.');
  return path.join(path.dirname(file), dot > 0 ? `${base.slice(0, dot)}.fixed${base.slice(dot)}` : `${base}.fixed`);
}

export function isFixedFile(file: string): boolean {
  return /\.fixed(?:\.[^.]+)?$/.test(path.basename(file)) || path.basename(file).includes('.fixed.');
}

function defaultVirtualPath(fileName: string): string {
  if (/\.(?:Dockerfile|dockerfile|Containerfile)$/.test(fileName)) return `app/${fileName}`;
  if (/\.ya?ml$/.test(fileName)) return 'app/compose.yaml';
  if (/\.env$/.test(fileName)) return 'app/.env';
  return `app/src/${fileName}`;
}

export function loadFixture(ruleId: string, file: string): Fixture {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const directive = PATH_DIRECTIVE.exec(lines[0] ?? '');
  const virtualPath = directive ? directive[1] : defaultVirtualPath(path.basename(file));
  const expected: Fixture['expected'] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = MARKER.exec(lines[i]);
    if (!m) continue;
    let target = i + 1;
    while (target < lines.length && MARKER.test(lines[target])) target++;
    for (const id of m[1].split(',').map((s) => s.trim()).filter(Boolean)) expected.push({ line: target, ruleId: id });
  }
  const fixed = fixedNameFor(file);
  const projectFile = file.replace(/\.[^.]+$/, '.project.json');
  const sidecar = fs.existsSync(projectFile) ? JSON.parse(fs.readFileSync(projectFile, 'utf8')) as Record<string, unknown> : {};
  const { config, ...facts } = sidecar as { config?: FactorlintConfig };
  const project: ProjectContext = projectFromJson(facts);
  const otherFiles = file.replace(/\.[^.]+$/, '.other-files.json');
  return {
    ruleId, file, virtualPath, text, expected, project,
    fixedFile: fs.existsSync(fixed) ? fixed : undefined,
    otherFilesFile: fs.existsSync(otherFiles) ? otherFiles : undefined,
    config: config ? resolveConfig(config) : undefined,
  };
}

/** Project facts in JSON form: `gitIgnored` (paths), `workspacePackageNames`, other fields as is. */
function projectFromJson(json: Record<string, unknown>): ProjectContext {
  const { gitIgnored, workspacePackageNames, files, ...rest } = json as { gitIgnored?: string[]; workspacePackageNames?: string[]; files?: Record<string, string> };
  const project: ProjectContext = { ...(rest as ProjectContext) };
  if (gitIgnored) project.isGitIgnored = (p) => gitIgnored.some((g) => p === g || p.endsWith('/' + g));
  if (workspacePackageNames) project.workspacePackageNames = new Set(workspacePackageNames);
  if (files) project.readWorkspaceFile = (p) => files[p] ?? Object.entries(files).find(([k]) => p.endsWith('/' + k))?.[1];
  return project;
}

/** Every fixture of a rule: files named `<name>.*` in `fixtures/<factor>/`, golden and sidecar files excluded. */
export function fixturesFor(ruleId: string): Fixture[] {
  const [factor, name] = ruleId.split('/');
  const dir = path.join(FIXTURES_DIR, factor);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((f) => f.startsWith(`${name}.`) && !isFixedFile(f) && !f.endsWith('.project.json') && !f.endsWith('.other-files.json'))
    .sort()
    .map((f) => loadFixture(ruleId, path.join(dir, f)));
}
