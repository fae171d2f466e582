import type * as TS from 'typescript';
import type { Fix, Rule, RuleContext, StatementwiseCheck } from '../../engine/types';
import { statementwiseTs } from '../../engine/statement-memo';
import type { ParsedTs } from '../../parse/typescript';
import { topLevelVariablePlaces } from '../support/statement-facts';
import { constInitializer, nameOf, readsEnv, unwrap } from '../support/ts-helpers';

/** Constructors that take `{ port }` and bind it: ws `Server`/`WebSocketServer`, socket.io, Hapi, gRPC-ish servers. */
const SERVER_CONSTRUCTORS = new Set(['Server', 'WebSocketServer', 'WebSocket.Server', 'Hapi.Server', 'Hapi.server', 'server']);

interface PortLiteral { literal: TS.NumericLiteral; via?: string }

/** Resolves a port expression to the numeric literal it is, directly or through a `const`. */
function portLiteral(ts: typeof TS, expression: TS.Expression): PortLiteral | undefined {
  const e = unwrap(ts, expression);
  if (ts.isNumericLiteral(e)) return { literal: e };
  if (ts.isStringLiteral(e) && /^\d{2,5}$/.test(e.text)) return undefined; // '3000' strings are rare; env-first code uses them as defaults
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ts, e.text, e);
    if (init && !readsEnv(ts, init)) {
      const inner = unwrap(ts, init);
      if (ts.isNumericLiteral(inner)) return { literal: inner, via: e.text };
    }
  }
  return undefined;
}

function fixFor(ctx: RuleContext<ParsedTs>, port: PortLiteral): Fix {
  const { literal } = port;
  const start = literal.getStart(ctx.parsed.sourceFile);
  return {
    title: `Read the port from process.env.PORT (default ${literal.text})`,
    kind: 'safe',
    edits: [{ start, end: literal.end, newText: `Number(process.env.PORT ?? ${literal.text})` }],
  };
}

function report(ctx: RuleContext<ParsedTs>, at: TS.Node, port: PortLiteral, callee: string): void {
  if (Number(port.literal.text) === 0) return; // port 0: the OS picks a free port
  ctx.report({
    messageId: port.via ? 'viaConst' : 'literal',
    data: { port: port.literal.text, name: port.via ?? '', callee },
    start: at.getStart(ctx.parsed.sourceFile),
    end: at.end,
    fixes: [fixFor(ctx, port)],
  });
}

function portProperty(ts: typeof TS, object: TS.Expression): TS.PropertyAssignment | undefined {
  const o = unwrap(ts, object);
  if (!ts.isObjectLiteralExpression(o)) return undefined;
  return o.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && nameOf(ts, p.name) === 'port');
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts } = ctx.parsed;
  for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'listen') continue;
    const first = call.arguments[0];
    if (!first) continue;
    const port = portLiteral(ts, first);
    if (port) { report(ctx, first, port, 'listen()'); continue; }
    const property = portProperty(ts, first); // fastify.listen({ port: 3000 })
    if (property) {
      const p = portLiteral(ts, property.initializer);
      if (p) report(ctx, property.initializer, p, 'listen()');
    }
  }
  for (const construct of ctx.parsed.nodesOfKind<TS.NewExpression>(ts.SyntaxKind.NewExpression)) {
    const name = ts.isIdentifier(construct.expression) ? construct.expression.text
      : ts.isPropertyAccessExpression(construct.expression) && ts.isIdentifier(construct.expression.expression) ? `${construct.expression.expression.text}.${construct.expression.name.text}` : undefined;
    if (!name || !SERVER_CONSTRUCTORS.has(name)) continue;
    const options = construct.arguments?.[0];
    const property = options && portProperty(ts, options);
    if (!property) continue;
    const p = portLiteral(ts, property.initializer);
    if (p) report(ctx, property.initializer, p, `new ${name}()`);
  }
}

/**
 * Split per top-level statement (engine/statement-memo.ts). A finding is at the port of a
 * `listen()` or server constructor, in that call's statement; the port may be a top-level
 * const's value, which the message names and the fix edits in the const's statement: the
 * summary is the top-level variable statements' texts and places (a const that moves, even with
 * the same text, runs the rule whole, so a kept fix never edits a stale offset).
 */
const statementwise: StatementwiseCheck<undefined, string> = {
  part: () => undefined,
  summary: (ctx) => topLevelVariablePlaces(ctx.parsed),
  sameSummary: (a, b) => a === b,
  // a port const is found through `constInitializer`, and its fix edits the const's statement: by name, and where it is
  constsByName: { sameSummary: () => true, places: true },
  check: (ctx) => checkTs(ctx),
};

const rule: Rule = {
  meta: {
    id: 'port-binding/hardcoded-port',
    factor: 'port-binding',
    severity: 'warning',
    description: 'A server listens on a port written into the code instead of the one the environment assigns.',
    rationale: 'A twelve-factor app exports its service by binding to a port given by the execution environment (factor VII): platforms such as Heroku, Cloud Run or Kubernetes set PORT, and a fixed port breaks them and blocks running two instances side by side.',
    messages: {
      literal: '{{callee}} binds the hardcoded port {{port}}: read it from the environment, e.g. Number(process.env.PORT ?? {{port}}).',
      viaConst: '{{callee}} binds {{name}}, a constant fixed to port {{port}}: read it from the environment, e.g. Number(process.env.PORT ?? {{port}}).',
    },
    fix: 'safe',
    roles: ['server'],
  },
  check: { ts: statementwiseTs(statementwise) },
  statementwise,
};

export default rule;
