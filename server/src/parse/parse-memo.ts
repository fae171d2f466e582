/**
 * Values computed once per parse (a file's imports, its value strings…), kept on the parse
 * object itself so they die with it.
 *
 * Not a module-level `WeakMap<ParsedTs, V>`: V8's minor GC (the scavenger) treats the values of
 * a WeakMap that has moved to the old generation as live until a collection clears the entry of
 * a key that died. A cached value that reaches one tree node reaches the whole tree (`parent`
 * links), so every file's tree outlived its analysis by one minor GC and was copied once more:
 * on the CLI's typeorm scan 123 MB survived minor GCs instead of 31 MB (the floor's: 23 MB) and
 * the peak RSS fell 188 → 163 MB (docs/performance.md, "CLI CPU over the floor, wave 5").
 */

/** A per-parse cache slot: one value per parse object. */
export interface ParseMemo<V> {
  get(parsed: object): V | undefined;
  /** Stores `value` for `parsed` and returns it. */
  set(parsed: object, value: V): V;
}

/**
 * The one property a parse object keeps its memos under (an array, one index per memo). The TS
 * parse classes declare it, so it is part of their shape from construction: memos added in any
 * order never change an object's hidden class (which would make every site that reads a parse
 * polymorphic). Other parse objects (a YAML document) gain it once, on their first memo.
 */
export const PARSE_MEMOS: unique symbol = Symbol('parseMemos');

/** An object that may carry memos. */
export interface MemoHolder { [PARSE_MEMOS]?: unknown[] }

let slots = 0;

/** A new cache slot; `name` only says what it holds (for the reader). */
export function parseMemo<V>(name: string): ParseMemo<V> {
  void name;
  const slot = slots++;
  return {
    get: (parsed) => (parsed as MemoHolder)[PARSE_MEMOS]?.[slot] as V | undefined,
    set: (parsed, value) => (((parsed as MemoHolder)[PARSE_MEMOS] ??= [])[slot] = value),
  };
}
