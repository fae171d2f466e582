/**
 * Expands a VS Code snippet body the way the editor does with every placeholder left at its
 * default: `${1:default}` → default (nested), `${1|a,b|}` → a, `$1`/`$0`/`${1}` → '', and the
 * escapes `\$`, `\}`, `\\`.
 */
export function expandSnippet(body: string | string[]): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  let i = 0;
  function parse(inPlaceholder: boolean): string {
    let out = '';
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length && '$}\\'.includes(text[i + 1])) { out += text[i + 1]; i += 2; continue; }
      if (inPlaceholder && c === '}') { i++; return out; }
      if (c === '$') {
        const simple = /^\$(\d+|[A-Z_]+)/.exec(text.slice(i));
        if (simple) { i += simple[0].length; continue; }
        const choice = /^\$\{\d+\|([^|]*)\|\}/.exec(text.slice(i));
        if (choice) { out += choice[1].split(',')[0]; i += choice[0].length; continue; }
        const open = /^\$\{(\d+|[A-Z_]+)(:?)/.exec(text.slice(i));
        if (open) {
          i += open[0].length;
          const inner = parse(true);
          if (open[2] === ':') out += inner;
          continue;
        }
      }
      out += c;
      i++;
    }
    if (inPlaceholder) throw new Error('unterminated placeholder in snippet');
    return out;
  }
  return parse(false);
}
