/**
 * A small JSONC reader for `.factorlintrc.json` that keeps where every value and key is, so
 * configuration problems point at their line and column (in the CLI's messages and as
 * diagnostics in the config file itself). Accepts comments and trailing commas, like VS Code's
 * JSON-with-comments; nothing else beyond JSON.
 */

export interface JsonNode {
  kind: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
  value: unknown;
  /** UTF-16 offsets of the value in the text (end exclusive). */
  start: number;
  end: number;
  /** Object members in order, with the key's own span (for "unknown key" problems). */
  members?: Array<{ key: string; keyStart: number; keyEnd: number; value: JsonNode }>;
  items?: JsonNode[];
}

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

/** Nesting deeper than this is not a configuration file: stop before the stack does. */
const MAX_DEPTH = 64;

export function parseJsonWithLocations(text: string): JsonNode {
  let i = 0;
  const fail = (message: string, at = i): never => { throw new JsonSyntaxError(message, Math.min(at, text.length)); };
  const skip = (): void => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\uFEFF') i++;
      else if (c === '/' && text[i + 1] === '/') { while (i < text.length && text[i] !== '\n') i++; }
      else if (c === '/' && text[i + 1] === '*') { const end = text.indexOf('*/', i + 2); if (end < 0) fail('unterminated comment'); i = end + 2; }
      else return;
    }
  };
  const describe = (): string => (i >= text.length ? 'end of file' : `'${text[i]}'`);
  const readString = (): string => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text[i];
      if (c === '"') { i++; return out; }
      if (c === '\n') fail('unterminated string', start);
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) { out += simple[e]; i += 2; continue; }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) { out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6; continue; }
        fail('invalid escape in string');
      }
      out += c;
      i++;
    }
  };
  const readValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    skip();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members: NonNullable<JsonNode['members']> = [];
      const value: Record<string, unknown> = {};
      for (;;) {
        skip();
        if (text[i] === '}') { i++; break; }
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe()}`);
        const keyStart = i;
        const key = readString();
        const keyEnd = i;
        skip();
        if (text[i] !== ':') fail(`expected ':' after "${key}", found ${describe()}`);
        i++;
        const member = readValue(depth + 1);
        members.push({ key, keyStart, keyEnd, value: member });
        value[key] = member.value;
        skip();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; break; }
        fail(`expected ',' or '}' after a property value, found ${describe()}`);
      }
      return { kind: 'object', value, start, end: i, members };
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      for (;;) {
        skip();
        if (text[i] === ']') { i++; break; }
        items.push(readValue(depth + 1));
        skip();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; break; }
        fail(`expected ',' or ']' after an array item, found ${describe()}`);
      }
      return { kind: 'array', value: items.map((n) => n.value), start, end: i, items };
    }
    if (c === '"') return { kind: 'string', value: readString(), start, end: i };
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) fail(`unexpected ${describe()}`);
    i += literal![0].length;
    const word = literal![0];
    if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true', start, end: i };
    if (word === 'null') return { kind: 'null', value: null, start, end: i };
    return { kind: 'number', value: Number(word), start, end: i };
  };
  const root = readValue(0);
  skip();
  if (i < text.length) fail(`unexpected ${describe()} after the end of the configuration`);
  return root;
}

/** 1-based line and column of an offset (the form editors and the CLI show). */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
