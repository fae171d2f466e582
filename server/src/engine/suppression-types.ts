/** What a suppression comment says, shared by factorlint's own directives and other tools' (foreign-suppressions.ts). */
export type SuppressionScope = 'next-line' | 'line' | 'file' | 'block-start' | 'block-end';

export interface Suppression {
  scope: SuppressionScope;
  /** Rule ids; empty means every rule. */
  ruleIds: string[];
  /** 0-based line the suppression applies to (for next-line/line), or the comment's line. */
  targetLine: number;
  commentLine: number;
  start: number;
  end: number;
  reason?: string;
  /** `until` date as YYYY-MM-DD, when given. */
  until?: string;
  /** Set when the comment belongs to another tool (`hadolint`, `trivy`…): never reported as unused. */
  foreign?: string;
}
