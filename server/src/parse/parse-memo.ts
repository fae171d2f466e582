/**
 * Values computed once per parse (a file's imports, its value strings…), kept on the parse
 * object itself so they die with it.
 *
 * Not a module-level `WeakMap<ParsedTs, V>`: V8's minor GC (the scavenger) treats the values of
 * a WeakMap that has moved to the old generation as live until a collection clears the entry of
 * a key that died. A cached value that reaches one tree node reaches the whole tree (`parent`
 * links), so every file's tree outlived its analysis by one minor GC and was copied once more:
 * on the CLI's typeorm scan 124 MB survived minor GCs instead of 29 MB (the floor's: 20 MB), and
 * V8's parallel scavenger threads took a third of the process CPU (docs/performance.md, "CLI
 * CPU over the floor, wave 5").
 */

/** A per-parse cache slot: one value per parse object, stored on that object under a private symbol. */
export interface ParseMemo<V> {
  get(parsed: object): V | undefined;
  /** Stores `value` for `parsed` and returns it. */
  set(parsed: object, value: V): V;
}

/** A new cache slot; `name` only labels the symbol (debugging). */
export function parseMemo<V>(name: string): ParseMemo<V> {
  const slot = Symbol(name);
  return {
    get: (parsed) => (parsed as Record<symbol, V | undefined>)[slot],
    set: (parsed, value) => ((parsed as Record<symbol, V>)[slot] = value),
  };
}
