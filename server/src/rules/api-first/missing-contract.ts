import { CONTRACT_LIBRARIES, isApiRoute } from '../../knowledge/libraries';
import type { ProjectModel } from '../../workspace/model-types';
import { isUnder } from '../../workspace/paths';
import { packageDirOf } from '../../workspace/resolve';
import type { WorkspaceRule } from '../../workspace/workspace-rule';

function usesContractLibrary(model: ProjectModel): boolean {
  return model.packages.some((p) => [...p.dependencies, ...p.devDependencies].some((d) => CONTRACT_LIBRARIES.has(d)));
}

const rule: WorkspaceRule = {
  meta: {
    id: 'api-first/missing-contract',
    factor: 'api-first',
    severity: 'info',
    description: 'The service defines HTTP routes but the workspace has no OpenAPI, AsyncAPI or GraphQL schema.',
    rationale: 'API first (factor XIII) means the contract is designed and published before and beside the code: consumers, mocks, tests and gateways work from it. Routes with no machine-readable contract leave every consumer to read the source.',
    messages: {
      noContract: 'This service defines {{count}} HTTP route(s) ({{first}}…) but no OpenAPI/AsyncAPI/GraphQL schema file in its package or above it describes it: publish the contract, e.g. an openapi.yaml beside the service.',
    },
    fix: 'none',
  },
  checkWorkspace(model, report) {
    if (usesContractLibrary(model)) return;
    // a server-rendered web app (views, form posts) answers browsers with pages, not an API
    if (model.viewEngines.some((v) => model.sourceFile(v.path)?.isApp)) return;
    // a schema documents the package it sits in and the packages below it (a root openapi.yaml
    // covers the service in src/api), not a sibling package of a monorepo
    const schemaDirs = model.schemas.map((s) => packageDirOf(model, s.path));
    const covered = (path: string) => { const dir = packageDirOf(model, path); return schemaDirs.some((d) => d === '' || dir === d || isUnder(dir, d)); };
    const routes = model.routes.filter((r) => r.method !== 'USE' && model.sourceFile(r.path)?.isApp && !covered(r.path));
    if (!routes.some((r) => isApiRoute(r.method, r.route))) return;
    // the entry file (the one that listens) reads best as "this service"; else the first route file
    const entry = routes.find((r) => model.listens.some((l) => l.path === r.path));
    const first = entry ?? routes[0];
    const files = [...new Set(routes.map((r) => r.path))].filter((p) => p !== first.path);
    report({
      messageId: 'noContract',
      data: { count: routes.length, first: `${first.method} ${first.route}` },
      path: first.path,
      range: first.loc.range,
      related: files.length === 0 ? undefined : files.slice(0, 5).map((path) => {
        const r = routes.find((x) => x.path === path)!;
        return { path, range: r.loc.range, message: `more routes: ${r.method} ${r.route}` };
      }),
    });
  },
};

export default rule;
