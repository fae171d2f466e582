/**
 * "Why this file?": what factorlint makes of one file (`factorlint/explainFile`, the command
 * *factorlint: Explain File* and the status hover). Decided exactly as the analysis decides:
 * the same config for the path (`overrides` included), the same `ignore` globs, the same role
 * classification and the same rule filter (`engine/run.ts`: kind, enabled, role).
 */
import * as path from 'node:path';
import { classifyKind } from '../engine/classify';
import { configForPath } from '../engine/config';
import { compiledGlobs } from '../engine/glob';
import { ruleEnabled } from '../engine/rule-contract';
import { ruleAppliesToRole } from '../engine/run';
import type { RoleDecision, Rule } from '../engine/types';
import { CONFIG_FILE_NAME } from '../names';
import type { ExplainFileResult } from '../protocol';
import { pathForUri } from './analysis';
import type { DocumentConfig } from './settings';

export interface ExplainInput {
  uri: string;
  languageId?: string;
  cfg: DocumentConfig;
  /** The role decision of the analysis (`Analyzer.roleOf`), undefined for kinds factorlint does not read. */
  role: RoleDecision | undefined;
  rules: readonly Rule[];
  workspaceRules: number;
}

export function explainFile(input: ExplainInput): ExplainFileResult {
  const { cfg, role } = input;
  const relative = cfg.relativePath ?? path.basename(pathForUri(input.uri, input.languageId));
  const base: ExplainFileResult = { path: relative, configFiles: cfg.configFiles ?? [], rules: [], rulesOff: [], workspaceRules: input.workspaceRules };
  const kind = classifyKind(pathForUri(input.uri, input.languageId).replace(/\\/g, '/'), input.languageId)?.kind;
  if (!kind) return { ...base, skipped: 'factorlint does not analyse this kind of file' };
  const config = configForPath(cfg.config, relative);
  if (!cfg.settings.enable) return { ...base, kind, skipped: 'factorlint is turned off here (setting factorlint.enable)' };
  if (config.ignore.length > 0 && compiledGlobs(config.ignore)(relative)) return { ...base, kind, skipped: `an \`ignore\` glob (settings or ${CONFIG_FILE_NAME}) matches it` };
  if (!role) return { ...base, kind, skipped: 'factorlint does not analyse this kind of file' };
  const withRole = { ...base, kind, role: role.role, reason: role.reason };
  if (role.role === 'vendored') return { ...withRole, skipped: 'vendored code (generated, bundled or copied) is not analysed' };
  const forKind = input.rules.filter((r) => r.check[kind] && ruleAppliesToRole(r, role.role));
  return {
    ...withRole,
    rules: forKind.filter((r) => ruleEnabled(r.meta, config)).map((r) => r.meta.id).sort(),
    rulesOff: forKind.filter((r) => !ruleEnabled(r.meta, config)).map((r) => r.meta.id).sort(),
  };
}
