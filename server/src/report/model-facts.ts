/**
 * What the factor report reads of the project model (`buildReport`): the evidence of good practice
 * and whether each factor applies. A function of the model only, so a recorded run
 * (cli/run-snapshot.ts) keeps it and shows its report without building the model again.
 */
import { FACTORS } from '../engine/factors';
import type { FactorSlug } from '../engine/types';
import type { ProjectModel } from '../workspace/model-types';
import { collectEvidence, type Evidence } from './evidence';

export interface ModelReportFacts {
  evidence: Evidence[];
  /** Per factor, in `FACTORS` order. */
  applicability: Array<{ applies: boolean; reason: string }>;
}

export function reportFactsOf(model: ProjectModel): ModelReportFacts {
  return { evidence: collectEvidence(model), applicability: FACTORS.map((info) => applicability(info.slug, model)) };
}

/** Whether the workspace holds anything a factor covers, and why. */
function applicability(slug: FactorSlug, model: ProjectModel): { applies: boolean; reason: string } {
  const code = model.sourceFiles.some((s) => s.isApp);
  const docker = model.dockerfiles.length > 0;
  const compose = model.composeServices.length > 0;
  const http = model.routes.length > 0 || model.listens.length > 0;
  const what = [code && 'application code', docker && 'Dockerfiles', compose && 'Compose services'].filter(Boolean).join(', ');
  const any = code || docker || compose;
  switch (slug) {
    case 'codebase': return { applies: model.files.length > 0, reason: model.files.length > 0 ? `the workspace holds ${model.files.length} file(s)` : 'the workspace is empty' };
    case 'dependencies': return model.packages.length > 0 || docker ? { applies: true, reason: 'the workspace declares packages or builds images' } : { applies: false, reason: 'no package.json and no Dockerfile' };
    case 'port-binding': return http || docker || compose ? { applies: true, reason: 'the workspace serves network traffic or builds images' } : { applies: false, reason: 'no server, no image, no Compose service' };
    case 'disposability': return http || docker ? { applies: true, reason: 'the workspace runs long-lived processes or images' } : { applies: false, reason: 'no server and no image' };
    case 'build-release-run': return docker || compose ? { applies: true, reason: 'the workspace builds or runs images' } : { applies: false, reason: 'no Dockerfile and no Compose file' };
    case 'api-first': return model.routes.length > 0 || model.schemas.length > 0 ? { applies: true, reason: 'the workspace defines HTTP routes or API schemas' } : { applies: false, reason: 'no HTTP routes and no API schema' };
    case 'telemetry': return http || docker || compose ? { applies: true, reason: 'the workspace runs services' } : { applies: false, reason: 'no server, image or Compose service' };
    case 'logs': case 'admin-processes': case 'backing-services': case 'processes':
      return code || docker || compose ? { applies: true, reason: `the workspace holds ${what}` } : { applies: false, reason: 'no application code, image or Compose service' };
    default: return any ? { applies: true, reason: `the workspace holds ${what}` } : { applies: false, reason: 'no application code, image or Compose service' };
  }
}

const SLUGS = new Set<string>(FACTORS.map((f) => f.slug));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isPosition = (v: unknown) => isObject(v) && isCount(v.line) && isCount(v.character);
const isLoc = (v: unknown) => isObject(v) && isString(v.path) && isObject(v.range) && isPosition(v.range.start) && isPosition(v.range.end);
const isEvidence = (v: unknown) => isObject(v) && isString(v.id) && SLUGS.has(v.factor as string) && isString(v.title) && isString(v.detail) && Array.isArray(v.locations) && v.locations.every(isLoc);

/** The shape `ModelReportFacts` must have before a persisted copy is shown. */
export function isModelReportFacts(v: unknown): v is ModelReportFacts {
  return isObject(v) && Array.isArray(v.evidence) && v.evidence.every(isEvidence)
    && Array.isArray(v.applicability) && v.applicability.length === FACTORS.length
    && v.applicability.every((a) => isObject(a) && typeof a.applies === 'boolean' && isString(a.reason));
}
