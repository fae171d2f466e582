/** Escaping for the report renderers: every string from a workspace is untrusted. */

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Escapes inline text for GitHub-flavoured Markdown (PR comments): HTML is neutralised
 * (`<` → `&lt;`), emphasis, code, link, table and strikethrough characters and `@mentions` are
 * backslash-escaped, and autolinks (`scheme://`, `www.`) are broken, so a message or path cannot
 * open a link, an image, a table cell or raw HTML, or ping anyone. Newlines become spaces (one
 * finding, one line). Only for text inside a line the renderer starts itself: line-start
 * syntax (`#`, `-`, `1.`) is not escaped, to keep the comment readable as plain text.
 */
export function escapeMarkdown(value: string | number): string {
  return String(value)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~@])/g, '\\$1')
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.');
}

/** Percent-encodes a workspace path for use in a URL (keeps `/`). */
export function encodePath(path: string): string {
  return path.split('/').map((segment) => encodeURIComponent(segment)).join('/');
}
