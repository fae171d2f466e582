/**
 * Runs the engine over the sample apps under `fixtures/_apps/` the way a host would: each
 * file gets the facts of its nearest package.json (dependencies, `bin` targets, workspace
 * package names, and whether any module of the package registers shutdown handling).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/engine/run';
import type { PackageInfo, ProjectContext } from '../../src/engine/project-context';
import type { Finding } from '../../src/engine/types';
import { registersShutdownHandler } from '../../src/rules/support/shutdown';
import { FIXTURES_DIR } from './fixtures';
import { RULES } from '../../src/rules/registry';

export const APPS_DIR = path.join(FIXTURES_DIR, '_apps');

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

export interface SampleFinding { file: string; line: number; ruleId: string; message: string; finding: Finding }

/** Every finding over one app folder; `file` is relative to that folder. */
export function analyzeSampleApp(appDir: string, onRuleError?: (id: string, file: string, e: unknown) => void): SampleFinding[] {
  const files = walk(appDir);
  const rel = (f: string) => path.relative(appDir, f).split(path.sep).join('/');
  const packages = new Map<string, PackageInfo>();
  for (const f of files.filter((x) => path.basename(x) === 'package.json')) {
    const dir = rel(path.dirname(f)) || '.';
    packages.set(dir, { dir, json: JSON.parse(fs.readFileSync(f, 'utf8')) });
  }
  const nearest = (file: string): PackageInfo | undefined => {
    for (let d = path.posix.dirname(file); ; d = path.posix.dirname(d)) {
      const p = packages.get(d);
      if (p) return p;
      if (d === '.' || d === '/' || d === '') return undefined;
    }
  };
  const workspaceNames = new Set([...packages.values()].map((p) => p.json.name).filter((n): n is string => !!n));
  const sources = files.filter((f) => /\.[cm]?[jt]sx?$/.test(f));
  const handlerByPackage = new Map<string, boolean>();
  for (const f of sources) {
    const pkg = nearest(rel(f));
    if (pkg && registersShutdownHandler(fs.readFileSync(f, 'utf8'), f)) handlerByPackage.set(pkg.dir, true);
  }
  const out: SampleFinding[] = [];
  for (const f of files) {
    const relative = rel(f);
    const pkg = nearest(relative);
    const bin = pkg?.json.bin;
    const binTargets = new Set<string>(typeof bin === 'string' ? [bin] : Object.values(bin ?? {}));
    const project: ProjectContext = {
      nearestPackage: pkg,
      workspacePackageNames: workspaceNames,
      packageHasShutdownHandler: pkg ? handlerByPackage.get(pkg.dir) ?? false : undefined,
    };
    const pkgRelative = pkg && pkg.dir !== '.' ? path.posix.relative(pkg.dir, relative) : relative;
    const result = analyze({ path: relative, text: fs.readFileSync(f, 'utf8') }, { rules: RULES,
      project,
      classify: { relativePath: pkgRelative, binTargets: new Set([...binTargets].map((b) => path.posix.join(pkg?.dir ?? '.', b))) },
      onRuleError,
    });
    for (const finding of result.findings) out.push({ file: relative, line: finding.range.start.line + 1, ruleId: finding.ruleId, message: finding.message, finding });
  }
  return out;
}
