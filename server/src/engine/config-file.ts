/**
 * Parses and validates `.factorlintrc.json` text against the shipped schema.
 * Returns readable problems instead of throwing: a broken config file must not break linting.
 */
import Ajv from 'ajv';
import schema from '../../../schemas/factorlintrc.schema.json';
import type { FactorlintConfig } from './config';
import { globListProblems } from './glob';
import { isModuleSpecifier } from './module-specifier';

export interface ConfigParseResult { config?: FactorlintConfig; errors: string[] }

let validator: ReturnType<Ajv['compile']> | undefined;

function validate(value: unknown): string[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (validator(value)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? `: ${(e.params.allowedValues as string[]).join(', ')}` : ''}`);
}

/** Strips // and /* *\/ comments outside strings so commented config files (JSONC) parse. */
function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') { out += text[++i] ?? ''; } else if (c === '"') inString = false;
    } else if (c === '"') { inString = true; out += c; }
    else if (c === '/' && text[i + 1] === '/') { while (i < text.length && text[i] !== '\n') i++; out += '\n'; }
    else if (c === '/' && text[i + 1] === '*') { const end = text.indexOf('*/', i + 2); i = end < 0 ? text.length : end + 1; out += ' '; }
    else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

export function parseConfigText(text: string): ConfigParseResult {
  let value: unknown;
  try {
    value = JSON.parse(stripJsonComments(text.replace(/^\uFEFF/, '')));
  } catch (error) {
    return { errors: [`not valid JSON: ${(error as Error).message}`] };
  }
  const errors = validate(value);
  if (errors.length > 0) return { errors };
  const config = value as FactorlintConfig;
  const problems = configProblems(config);
  if (problems.length > 0) return { errors: problems };
  return { config, errors: [] };
}

/**
 * What the schema cannot say: globs that would cost too much to match, and a logger module
 * that is not a module specifier (it is pasted into code by a quick fix).
 */
export function configProblems(config: FactorlintConfig): string[] {
  const problems = [
    ...globListProblems('/ignore', config.ignore ?? []),
    ...globListProblems('/appOnly/include', config.appOnly?.include ?? []),
    ...globListProblems('/appOnly/exclude', config.appOnly?.exclude ?? []),
  ];
  const module = config.logger?.module;
  if (module !== undefined && !isModuleSpecifier(module)) problems.push(`/logger/module is not a module specifier (${JSON.stringify(module.slice(0, 60))}): use a path or package name such as "./src/logger"`);
  return problems;
}
