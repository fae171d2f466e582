import { compareContracts } from '../../workspace/contract-sync';
import type { WorkspaceRule } from '../../workspace/workspace-rule';

/**
 * The OpenAPI document and the routes disagree, both ways: a route the document does not
 * describe (reported at the route), a documented operation with no handler (reported at the
 * document's path line). The comparison and its precision guards live in
 * `workspace/contract-sync.ts`: only packages whose every route path is known are compared.
 */
const rule: WorkspaceRule = {
  meta: {
    id: 'api-first/contract-drift',
    factor: 'api-first',
    severity: 'warning',
    description: 'The OpenAPI document and the routes in code disagree: a route the document does not describe, or a documented operation with no handler.',
    rationale: 'API first (factor XIII) works only while the published contract is the API: consumers, generated clients, mocks and gateways trust the document. A route the document omits is invisible to them; a documented operation with no handler fails at run time. Only packages whose every route path is known are compared (no computed paths, prefixes or directory autoloading the model cannot follow).',
    messages: {
      undocumented: '{{method}} {{route}} is not described by {{contract}}: add the operation to the contract (API first), or remove the route.',
      unimplemented: '{{method}} {{route}} is documented here but no route in {{package}} handles it: implement it, or remove it from the contract.',
    },
    fix: 'none',
  },
  checkWorkspace(model, report) {
    for (const c of compareContracts(model)) {
      const contract = c.schemas.map((s) => s.path).join(', ');
      for (const { route: r, samePath } of c.undocumented) {
        report({
          messageId: 'undocumented',
          data: { method: r.route.method, route: r.fullPath, contract },
          path: r.route.path,
          range: r.route.loc.range,
          related: [samePath
            ? { path: samePath.schema.path, range: samePath.op.loc.range, message: `the contract describes ${samePath.op.method} ${samePath.op.path}, not ${r.route.method}` }
            : { path: c.schemas[0].path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'the contract' }],
        });
      }
      for (const { doc, samePath } of c.unimplemented) {
        report({
          messageId: 'unimplemented',
          data: { method: doc.op.method, route: doc.op.path, package: c.dir === '' ? 'the workspace' : c.dir },
          path: doc.schema.path,
          range: doc.op.loc.range,
          related: samePath ? [{ path: samePath.route.path, range: samePath.route.loc.range, message: `${samePath.route.method} ${samePath.fullPath} is handled here` }] : undefined,
        });
      }
    }
  },
};

export default rule;
