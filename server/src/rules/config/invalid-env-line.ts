import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedDotenv } from '../../parse/dotenv';

function check(ctx: RuleContext<ParsedDotenv>): void {
  for (const line of ctx.parsed.invalid) {
    // never echo the line: it may hold a value; a name before `=` is only shown for badKey
    const eq = ctx.text.slice(line.start, line.end).indexOf('=');
    const name = line.problem === 'badKey' && eq > 0 ? ctx.text.slice(line.start, line.start + eq).trim().slice(0, 40) : '';
    ctx.report({ messageId: line.problem, data: { name }, start: line.start, end: line.problem === 'badKey' && eq > 0 ? line.start + eq : line.end });
  }
}

const rule: Rule = {
  meta: {
    id: 'config/invalid-env-line',
    factor: 'config',
    severity: 'warning',
    description: 'A .env line that dotenv and Compose cannot read (no name, a name with spaces, a quote never closed, text after a closing quote).',
    rationale: 'Config read from the environment must be what the file says (factor III). dotenv skips a line it cannot parse without a word, so a typo silently drops a setting (or, for an unclosed quote, keeps the quote in the value) and the app starts with a default or nothing.',
    messages: {
      noKey: 'This line has no name before "=": dotenv ignores it.',
      badKey: '"{{name}}" is not a valid variable name (letters, digits, _, . and - only): dotenv ignores this line, Compose rejects it.',
      unclosedQuote: 'The quote opening this value is never closed: dotenv keeps the quote as part of the value, Compose rejects the file. Close the quote.',
      textAfterQuote: 'Text follows the closing quote of this value: dotenv then reads the whole rest of the line, quotes included. Put it inside the quotes or after a " #" comment.',
      notAssignment: 'This line is neither a KEY=value assignment nor a comment: dotenv ignores it. Comment it out with "#" or fix it.',
    },
    fix: 'none',
  },
  check: { dotenv: check },
};

export default rule;
