/**
 * Configuration strings that end up in the user's code must be what they claim to be:
 * `logger.module` is pasted into an `import` by the console-logging quick fix, so it has to
 * be a module specifier (`./src/logger`, `@acme/log`, `#logger`, `pino`), never text that
 * could close the string and add statements (quotes, `;`, line breaks, backticks, `$`…).
 */
const SPECIFIER = /^(?:@[A-Za-z0-9._~-]+\/)?[A-Za-z0-9._~#@/:+-]+$/;

export function isModuleSpecifier(value: string): boolean {
  return value.length > 0 && value.length <= 214 && SPECIFIER.test(value) && !value.includes('//');
}
