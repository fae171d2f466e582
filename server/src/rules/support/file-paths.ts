/** Facts about path expressions shared by the file-writing rules (logs, local state). */
import type * as TS from 'typescript';
import { stringValue, throughConst } from './ts-helpers';

/** A path expression naming a `.log` file (literal, template, `path.join(…, 'x.log')`, or a const holding one). */
export function isLogPath(ts: typeof TS, node: TS.Expression): boolean {
  const e = throughConst(ts, node);
  if (!e) return false;
  const value = stringValue(ts, e);
  if (value !== undefined) return /\.log$/i.test(value);
  if (ts.isTemplateExpression(e)) return /\.log$/i.test(e.templateSpans[e.templateSpans.length - 1].literal.text);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(?:join|resolve)$/.test(e.expression.name.text)) {
    const last = e.arguments[e.arguments.length - 1];
    const lastValue = last && stringValue(ts, last);
    return !!lastValue && /\.log$/i.test(lastValue);
  }
  return false;
}
