/** The commented `.factorlintrc.json` written by "Create Configuration File" (pure, tested). */

/** `$schema` points at the schema shipped in the extension, so completion works offline. */
export function configTemplate(schemaUri: string): string {
  return `{
  // Validation and completion come from factorlint's JSON schema.
  "$schema": ${JSON.stringify(schemaUri)},

  // Severity per rule id ("<factor>/<name>"): "error", "warning", "info", "hint" or "off".
  // Run "factorlint: Show Documentation for Rule" to read what a rule checks.
  "rules": {
    // "logs/console-logging": "off"
  },

  // Files never analysed (globs relative to this file). node_modules, dist, build… are skipped already.
  "ignore": [],

  // What counts as application code for app-only rules (tests, scripts and CLIs are excluded by default).
  "appOnly": {
    "include": [],
    "exclude": []
  },

  // The project's logger, used by the console-logging quick fix.
  // "logger": { "module": "./src/logger" },

  // Files larger than this many bytes are skipped with one info diagnostic.
  "maxFileSize": 2097152
}
`;
}
