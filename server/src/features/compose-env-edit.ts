/**
 * For "Extract to environment variable": the line that passes the new variable to the
 * Compose service running the code, `NAME: ${NAME}` under the service's `environment:`.
 * Only simple, block-style YAML is edited (an `environment:` block mapping or list, or a
 * service mapping without one); anything else (flow style, anchors, merges) is left alone.
 */
import { isMap, isScalar, isSeq, type Pair, type Scalar } from 'yaml';
import { LineIndex } from '../engine/line-index';
import { parseCompose } from '../parse/compose';
import { contextOfService } from '../workspace/resolve';
import { isUnder } from '../workspace/project-model';
import type { ProjectModel } from '../workspace/model-types';

export interface ComposeEnvEdit {
  /** The compose file (model path). */
  path: string;
  service: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function indentAt(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartOf(text, offset)))![0];
}

/** The edit adding `name` to the service that builds the folder holding `filePath`, or undefined. */
export function composeEnvEdit(model: ProjectModel, filePath: string, name: string, textOf: (path: string) => string | undefined): ComposeEnvEdit | undefined {
  const service = model.composeServices
    .map((s) => ({ s, ctx: contextOfService(s) }))
    .filter((x): x is { s: typeof x.s; ctx: string } => x.ctx !== undefined && isUnder(filePath, x.ctx))
    .sort((a, b) => b.ctx.length - a.ctx.length || a.s.path.localeCompare(b.s.path) || a.s.name.localeCompare(b.s.name))[0]?.s;
  if (!service) return undefined;
  if (service.environment.some((e) => e.name === name)) return undefined; // already passed
  const text = textOf(service.path);
  if (text === undefined) return undefined;
  let parsed;
  try { parsed = parseCompose(text); } catch { return undefined; }
  if (parsed.errors.length > 0) return undefined;
  const svc = parsed.services.find((s) => s.name === service.name);
  if (!svc || svc.map.flow) return undefined;
  const ownPair = svc.map.items.find((p) => isScalar(p.key) && (p.key as Scalar).value === 'environment') as Pair<Scalar, unknown> | undefined;
  const lines = new LineIndex(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const insertAfter = (endOffset: number, line: string) => {
    // after the line holding endOffset - 1 (the last item), as a new line
    let at = text.indexOf('\n', Math.max(0, endOffset - 1));
    let prefix = '';
    if (at < 0) { at = text.length; prefix = eol; } else at += 1;
    const pos = lines.positionAt(at);
    return { path: service.path, service: service.name, range: { start: pos, end: pos }, newText: `${prefix}${line}${eol}` };
  };
  const value = `\${${name}}`;
  if (ownPair) {
    const env = ownPair.value;
    if (isMap(env) && !env.flow && env.items.length > 0 && env.range) {
      const firstKey = env.items[0].key as Scalar | undefined;
      if (!firstKey?.range) return undefined;
      const last = env.items[env.items.length - 1];
      const end = (last.value as Scalar | undefined)?.range?.[1] ?? (last.key as Scalar).range![1];
      return insertAfter(end, `${indentAt(text, firstKey.range[0])}${name}: ${value}`);
    }
    if (isSeq(env) && !env.flow && env.items.length > 0 && env.range) {
      const first = env.items[0] as Scalar;
      if (!isScalar(first) || !first.range) return undefined;
      const lastItem = env.items[env.items.length - 1] as Scalar;
      if (!isScalar(lastItem) || !lastItem.range) return undefined;
      const dashIndent = indentAt(text, first.range[0]);
      return insertAfter(lastItem.range[1], `${dashIndent}- ${name}=${value}`);
    }
    return undefined; // empty, flow style, an alias: not simple
  }
  // no environment: add one after the service's last key, at the service's key indentation
  const firstKey = svc.map.items[0]?.key as Scalar | undefined;
  if (!firstKey?.range) return undefined;
  const indent = indentAt(text, firstKey.range[0]);
  if (svc.map.items.some((p) => isScalar(p.key) && (p.key as Scalar).value === '<<')) return undefined;
  const last = svc.map.items[svc.map.items.length - 1];
  const lastNode = (last.value ?? last.key) as { range?: [number, number, number] } | null;
  if (!lastNode?.range) return undefined;
  return insertAfter(lastNode.range[1], `${indent}environment:${eol}${indent}  ${name}: ${value}`);
}
