/**
 * Roles decided once per set of evidence, across runs (issue 15, "the warm scan, wave 6"):
 * `decideRoles` is a pure function of its `RoleInputs` (the sources' hints, the packages,
 * Dockerfiles, Procfiles, serverless handlers, HTML scripts, tsconfigs and the role globs), and
 * on a workspace of 15k files it is most of a model's build. A host that persists results (the
 * CLI's `--cache`) keeps the decision under a digest of those inputs; a later build whose inputs
 * hash the same takes it instead of deciding again. Any change of evidence — an import added, a
 * package.json script, a Dockerfile CMD — changes the digest, so the roles are decided afresh.
 *
 * The key is the inputs' JSON (`roleEvidence`): the facts are plain data (they cross threads and the
 * cache as JSON already, and `ProjectModelBuilder` compares them the same way).
 */
import type { RoleDecision } from '../engine/types';
import type { RoleInputs } from './roles';

/** Where decided roles are kept between runs (`AnalysisCache` in the CLI, which keys them by `contentHash(roleEvidence(inputs))`). */
export interface RoleMemo {
  /** The roles of this evidence: those kept for the same evidence, else `decide(inputs)`, kept. */
  rolesOf(inputs: RoleInputs, decide: (inputs: RoleInputs) => ReadonlyMap<string, RoleDecision>): ReadonlyMap<string, RoleDecision>;
}

/** Every input `decideRoles` reads, as one JSON text (what a memo keys the decision by). */
export function roleEvidence(inputs: RoleInputs): string {
  return JSON.stringify([
    [...inputs.sources],
    inputs.packages,
    inputs.dockerfiles,
    inputs.procfiles,
    inputs.serverless,
    inputs.htmlScripts,
    inputs.tsconfigs,
    inputs.roleGlobs ?? null,
    inputs.appScope ?? null,
  ]);
}
