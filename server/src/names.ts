/**
 * Names the user sees or configures, defined once for every layer and for the client (which
 * reaches them through `protocol.ts`): the configuration file's name and the `source` of every
 * factorlint diagnostic. Plain constants: no imports, so the lowest layer may read them.
 */

/** The configuration file looked up from a file's folder up to the workspace root. */
export const CONFIG_FILE_NAME = '.factorlintrc.json';

/** The `source` of every diagnostic factorlint publishes (the client filters on it). */
export const DIAGNOSTIC_SOURCE = 'factorlint';
