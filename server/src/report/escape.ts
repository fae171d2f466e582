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
  return escapeControl(String(value).replace(/\r?\n|\r/g, ' '))
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~@])/g, '\\$1')
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.');
}

/**
 * Makes control characters visible for a terminal or a plain-text/Markdown report: ESC, OSC
 * and the other C0/C1 controls (and DEL, and Unicode line/bidi overrides) from a Compose
 * service name, a file name or a message would otherwise drive the terminal (colours, titles,
 * hyperlinks, cursor moves). Tab stays; line breaks become `\n` (one finding, one line).
 */
export function escapeControl(value: string | number): string {
  return String(value).replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** Percent-encodes a workspace path for use in a URL (keeps `/`). */
export function encodePath(path: string): string {
  return path.split('/').map((segment) => encodeURIComponent(segment)).join('/');
}
