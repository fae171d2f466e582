/** Loads a fixture folder as workspace files and analyses it (single-file + workspace rules). */
import * as path from 'node:path';
import { analyzeWorkspace, type WorkspaceAnalysis } from '../../src/workspace/analyze-workspace';
import { RULES } from '../../src/rules/registry';
import type { Rule } from '../../src/engine/types';
import type { WorkspaceFile } from '../../src/workspace/project-model';
import { FIXTURES_DIR } from './fixtures';
import { readWorkspace } from './workspace-fixtures';

/**
 * The single-file rules these tests were written against: exact counts and scores must not
 * change when more rules join the registry (their own fixtures cover them).
 */
export const CORE_RULE_IDS = ['config/hardcoded-secret', 'disposability/shell-form-entrypoint', 'port-binding/hardcoded-port'];
export const CORE_RULES: readonly Rule[] = RULES.filter((r) => CORE_RULE_IDS.includes(r.meta.id));

export const SAMPLE_DIR = path.join(FIXTURES_DIR, '_report', 'orders-service');

export function loadSample(dir = SAMPLE_DIR): WorkspaceFile[] {
  return readWorkspace(dir);
}

export function analyzeSample(files = loadSample()): WorkspaceAnalysis {
  const errors: string[] = [];
  const result = analyzeWorkspace(files, { today: '2026-11-22', rules: CORE_RULES, onRuleError: (id, p, e) => errors.push(`${id} ${p}: ${String(e)}`) });
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return result;
}
