import type { FactorSlug } from './types';

export interface FactorInfo { slug: FactorSlug; numeral: string; title: string; summary: string }

/** The fifteen factors, in order: the twelve of 12factor.net and three modern additions. */
export const FACTORS: readonly FactorInfo[] = [
  { slug: 'codebase', numeral: 'I', title: 'Codebase', summary: 'One codebase tracked in revision control, many deploys.' },
  { slug: 'dependencies', numeral: 'II', title: 'Dependencies', summary: 'Explicitly declare and isolate dependencies.' },
  { slug: 'config', numeral: 'III', title: 'Config', summary: 'Store config in the environment.' },
  { slug: 'backing-services', numeral: 'IV', title: 'Backing services', summary: 'Treat backing services as attached resources.' },
  { slug: 'build-release-run', numeral: 'V', title: 'Build, release, run', summary: 'Strictly separate build and run stages.' },
  { slug: 'processes', numeral: 'VI', title: 'Processes', summary: 'Execute the app as one or more stateless processes.' },
  { slug: 'port-binding', numeral: 'VII', title: 'Port binding', summary: 'Export services via port binding.' },
  { slug: 'concurrency', numeral: 'VIII', title: 'Concurrency', summary: 'Scale out via the process model.' },
  { slug: 'disposability', numeral: 'IX', title: 'Disposability', summary: 'Maximize robustness with fast startup and graceful shutdown.' },
  { slug: 'dev-prod-parity', numeral: 'X', title: 'Dev/prod parity', summary: 'Keep development, staging, and production as similar as possible.' },
  { slug: 'logs', numeral: 'XI', title: 'Logs', summary: 'Treat logs as event streams.' },
  { slug: 'admin-processes', numeral: 'XII', title: 'Admin processes', summary: 'Run admin/management tasks as one-off processes.' },
  { slug: 'api-first', numeral: 'XIII', title: 'API first', summary: 'Design and publish the API contract first.' },
  { slug: 'telemetry', numeral: 'XIV', title: 'Telemetry', summary: 'Expose health, metrics and traces.' },
  { slug: 'security', numeral: 'XV', title: 'Authentication & authorization', summary: 'Secure every endpoint and every transport.' },
];

const BY_SLUG = new Map(FACTORS.map((f) => [f.slug, f]));

export function factorInfo(slug: FactorSlug): FactorInfo {
  const info = BY_SLUG.get(slug);
  if (!info) throw new Error(`unknown factor ${slug}`);
  return info;
}

export function isFactorSlug(value: string): value is FactorSlug {
  return BY_SLUG.has(value as FactorSlug);
}
