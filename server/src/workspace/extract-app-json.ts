/**
 * Environment variable names declared by a Heroku `app.json` manifest (also read by Dokku,
 * Render's and Scalingo's "deploy" buttons): the keys of its `env` object and of
 * `environments.<name>.env`. The deploy asks for these values, so they are declared config.
 */
import { LineIndex } from '../engine/line-index';
import type { Loc } from './model-types';

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function keysOf(value: unknown): string[] {
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}

export function appJsonEnvNames(path: string, text: string): Array<{ name: string; loc: Loc }> {
  let json: unknown;
  try { json = JSON.parse(text); } catch { return []; }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return [];
  const manifest = json as { env?: unknown; environments?: unknown };
  const names = new Set(keysOf(manifest.env));
  const environments = manifest.environments && typeof manifest.environments === 'object' ? manifest.environments as Record<string, unknown> : {};
  for (const stage of keysOf(environments)) {
    const env = (environments[stage] as { env?: unknown } | null)?.env;
    for (const name of keysOf(env)) names.add(name);
  }
  const lines = new LineIndex(text);
  const envKey = Math.max(0, text.indexOf('"env"'));
  const out: Array<{ name: string; loc: Loc }> = [];
  for (const name of [...names].filter((n) => VAR_NAME.test(n)).sort()) {
    // the key as written, after the first `"env"` (a name may also appear earlier, in a description)
    const at = text.indexOf(`"${name}"`, envKey);
    const start = at < 0 ? 0 : at + 1;
    out.push({ name, loc: { path, range: { start: lines.positionAt(start), end: lines.positionAt(start + (at < 0 ? 0 : name.length)) } } });
  }
  return out;
}
