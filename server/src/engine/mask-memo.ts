/**
 * `maskText` with a small memo: a file's findings repeat the same messages and fix titles
 * (hundreds of `console.log` findings share one), and the editor analyses the file again on
 * every keystroke. `maskText` is a pure function of its input, so a remembered result is the
 * result. In memory only, never persisted; bounded (cleared when full) so a long session does
 * not grow it.
 */
import { maskText } from './mask';

const LIMIT = 4096;
const memo = new Map<string, string>();

export function maskTextMemo(text: string): string {
  let masked = memo.get(text);
  if (masked === undefined) {
    masked = maskText(text);
    if (memo.size >= LIMIT) memo.clear();
    memo.set(text, masked);
  }
  return masked;
}
