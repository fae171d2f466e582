/**
 * Whole-workspace analysis from file texts (pure; the host reads the files): the project
 * model, every file through the single-file engine with a `ProjectContext` derived from the
 * model, then the workspace rules. The CLI and "Analyze workspace" share it.
 */
import type { ResolvedConfig } from '../engine/config';
import type { PackageInfo, ProjectContext } from '../engine/project-context';
import { analyze, countsAsAnalysed } from '../engine/run';
import type { Rule } from '../engine/types';
import type { PackageFact, ProjectModel } from './model-types';
import { buildProjectModel, dirOf, isUnder, joinPath, type WorkspaceFile } from './project-model';
import { WORKSPACE_RULES } from './registry';
import { suppressWorkspaceFindings } from './suppress';
import { compareFindings, runWorkspaceRules, type LocatedFinding, type WorkspaceRule } from './workspace-rule';
import { RULES } from '../rules/registry';

export interface AnalyzeWorkspaceOptions {
  config?: ResolvedConfig;
  rules?: readonly Rule[];
  workspaceRules?: readonly WorkspaceRule[];
  /** YYYY-MM-DD for suppression expiry. */
  today?: string;
  /** Report unused suppression comments (when the whole registry runs). */
  reportUnusedSuppressions?: boolean;
  onRuleError?: (ruleId: string, path: string, error: unknown) => void;
}

export interface WorkspaceAnalysis {
  model: ProjectModel;
  /** Single-file and workspace findings, sorted by path and position. */
  findings: LocatedFinding[];
  /** Files analysed (`countsAsAnalysed`). */
  filesAnalysed: number;
}

function packageInfo(p: PackageFact, raw: string | undefined): PackageInfo {
  let json: PackageInfo['json'] = {};
  try { if (raw) json = JSON.parse(raw) as PackageInfo['json']; } catch { /* invalid package.json: no facts */ }
  return { dir: p.dir, json };
}

/** The facts a single-file rule may know about the rest of the workspace, for one file. */
export function projectContextFor(model: ProjectModel, path: string, textOf: (path: string) => string | undefined): ProjectContext {
  const containing = model.packages.filter((p) => isUnder(path, p.dir)).sort((a, b) => b.dir.length - a.dir.length);
  const nearest = containing[0];
  const beside = model.packages.find((p) => p.dir === dirOf(path));
  const shutdownFiles = model.shutdown.filter((s) => !nearest || isUnder(s.path, nearest.dir)).map((s) => s.path);
  const names = new Set(model.packages.map((p) => p.name).filter((n): n is string => !!n));
  return {
    nearestPackage: nearest ? packageInfo(nearest, textOf(nearest.path)) : undefined,
    packageBesideFile: beside ? packageInfo(beside, textOf(beside.path)) : undefined,
    workspacePackageNames: names,
    packageHasShutdownHandler: shutdownFiles.length > 0,
    shutdownHandlerFiles: [...new Set(shutdownFiles)].sort(),
    readWorkspaceFile: (p) => textOf(/^(?:\/|[A-Za-z]:\/)/.test(p) ? p : joinPath(dirOf(path), p)) ?? textOf(p),
  };
}

export function analyzeWorkspace(files: readonly WorkspaceFile[], options: AnalyzeWorkspaceOptions = {}): WorkspaceAnalysis {
  const texts = new Map(files.map((f) => [f.path.replace(/\\/g, '/'), f.text]));
  const textOf = (p: string) => texts.get(p);
  const model = buildProjectModel(files);
  const workspaceRules = options.workspaceRules ?? WORKSPACE_RULES;
  const externalRuleIds = new Set(workspaceRules.map((r) => r.meta.id));
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const findings: LocatedFinding[] = [];
  let filesAnalysed = 0;
  for (const [path, text] of [...texts].sort(([a], [b]) => a.localeCompare(b))) {
    const result = analyze({ path, text }, {
      config: options.config,
      rules: options.rules ?? RULES,
      project: projectContextFor(model, path, textOf),
      today,
      reportUnusedSuppressions: options.reportUnusedSuppressions,
      externalRuleIds,
      onRuleError: options.onRuleError,
    });
    if (result.file && countsAsAnalysed(result)) filesAnalysed++;
    for (const f of result.findings) findings.push({ ...f, path });
  }
  const workspaceFindings = runWorkspaceRules(model, workspaceRules, {
    config: options.config,
    onRuleError: (id, error) => options.onRuleError?.(id, '<workspace>', error),
  });
  findings.push(...suppressWorkspaceFindings(workspaceFindings, textOf, today));
  return { model, findings: findings.sort(compareFindings), filesAnalysed };
}
