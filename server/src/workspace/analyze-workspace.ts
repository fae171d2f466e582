/**
 * Whole-workspace analysis from file texts (pure; the host reads the files): the project
 * model, every file through the single-file engine with a `ProjectContext` derived from the
 * model, then the workspace rules. The CLI and "Analyze workspace" share it.
 */
import type { ResolvedConfig } from '../engine/config';
import type { ClassifyOptions } from '../engine/classify';
import { analyze, countsAsAnalysed } from '../engine/run';
import type { Rule } from '../engine/types';
import type { ProjectModel } from './model-types';
import { projectContextFor } from './project-context-for';
import { dirOf, joinPath } from './paths';
import { buildProjectModel, type WorkspaceFile } from './project-model';
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
  /** The host's .gitignore answers for workspace paths (this module does no I/O); unknown when absent. */
  isGitIgnored?: (path: string) => boolean;
}

export interface WorkspaceAnalysis {
  model: ProjectModel;
  /** Single-file and workspace findings, sorted by path and position. */
  findings: LocatedFinding[];
  /** Files analysed (`countsAsAnalysed`). */
  filesAnalysed: number;
}

export { projectContextFor } from './project-context-for';

/** The engine's classification inputs for a model file: the role the model decided. */
export function roleOptions(model: ProjectModel, path: string): ClassifyOptions {
  const role = model.roleOf(path);
  return role ? { role } : {};
}

export function analyzeWorkspace(files: readonly WorkspaceFile[], options: AnalyzeWorkspaceOptions = {}): WorkspaceAnalysis {
  const texts = new Map(files.map((f) => [f.path.replace(/\\/g, '/'), f.text]));
  const textOf = (p: string) => texts.get(p);
  const model = buildProjectModel(files, { roleGlobs: options.config?.roles, appScope: options.config?.appOnly });
  const workspaceRules = options.workspaceRules ?? WORKSPACE_RULES;
  const externalRuleIds = new Set(workspaceRules.map((r) => r.meta.id));
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const findings: LocatedFinding[] = [];
  let filesAnalysed = 0;
  for (const [path, text] of [...texts].sort(([a], [b]) => a.localeCompare(b))) {
    const result = analyze({ path, text }, {
      config: options.config,
      rules: options.rules ?? RULES,
      project: {
        ...projectContextFor(model, path, { textOf }),
        // the engine asks about the file itself by its workspace path; other paths are relative to the file
        ...(options.isGitIgnored ? { isGitIgnored: (p: string) => options.isGitIgnored!(p === path ? path : joinPath(dirOf(path), p)) } : {}),
      },
      classify: roleOptions(model, path),
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
