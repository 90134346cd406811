// The `generate: expression` value generator of OpenShift templates (`oc process`): a parameter's `from`
// is literal text with character classes `[...]{N}` in it, e.g. `[a-z0-9]{8}`, `[\w]{16}`, `pw-[\d]{4}`.
// Inside a class: single characters, ranges `a-z`, and the shorthands OpenShift defines:
// `\w` letters, digits and `_`; `\d` digits; `\a` letters and digits; `\A` ASCII symbols.
// A class without its `{N}` count is not an expression OpenShift accepts, so it is rejected here too.
import { randomInt } from 'node:crypto';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const SYMBOLS = '~!@#$%^&*()-_+={}[]\\|<,>.?/"\';:`';

const SHORTHANDS: Readonly<Partial<Record<string, string>>> = {
  w: LETTERS + DIGITS + '_',
  d: DIGITS,
  a: LETTERS + DIGITS,
  A: SYMBOLS,
};

/** Maximum count per class: a typo like `{80000000}` must not allocate gigabytes. */
const MAX_COUNT = 4096;

export class ExpressionError extends Error {
  constructor(readonly expression: string, reason: string) {
    super(`invalid generate expression ${JSON.stringify(expression)}: ${reason}`);
  }
}

type Part = { literal: string } | { alphabet: string; count: number };

function expandClass(body: string, expression: string): string {
  let alphabet = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '\\') {
      const name = body.at(i + 1);
      const set = name === undefined ? undefined : SHORTHANDS[name];
      if (set === undefined) throw new ExpressionError(expression, `unknown class shorthand \\${name ?? ''}`);
      alphabet += set;
      i++;
    } else if (body[i + 1] === '-' && i + 2 < body.length) {
      const from = char.charCodeAt(0);
      const to = body.charCodeAt(i + 2);
      if (to < from) throw new ExpressionError(expression, `range ${char}-${body[i + 2]} is reversed`);
      for (let code = from; code <= to; code++) alphabet += String.fromCharCode(code);
      i += 2;
    } else {
      alphabet += char;
    }
  }
  const unique = [...new Set(alphabet)].join('');
  if (unique === '') throw new ExpressionError(expression, 'empty character class');
  return unique;
}

/** Parses an expression into literal parts and classes; throws ExpressionError naming the problem. */
export function parseExpression(expression: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < expression.length) {
    const open = expression.indexOf('[', i);
    if (open === -1) {
      parts.push({ literal: expression.slice(i) });
      break;
    }
    if (open > i) parts.push({ literal: expression.slice(i, open) });
    const close = expression.indexOf(']', open + 2); // `[]...]` is not a class; a `]` right after `[` is content
    if (close === -1) throw new ExpressionError(expression, `unclosed "[" at ${open}`);
    const count = /^\{(\d+)\}/.exec(expression.slice(close + 1));
    if (!count) throw new ExpressionError(expression, `class at ${open} has no {count}`);
    const n = Number(count[1]);
    if (n > MAX_COUNT) throw new ExpressionError(expression, `count ${n} exceeds ${MAX_COUNT}`);
    parts.push({ alphabet: expandClass(expression.slice(open + 1, close), expression), count: n });
    i = close + 1 + count[0].length;
  }
  return parts;
}

/** Generates one value with a CSPRNG (node:crypto), as `oc process` does for `generate: expression`. */
export function generateFromExpression(expression: string): string {
  return parseExpression(expression)
    .map((part) => {
      if ('literal' in part) return part.literal;
      let out = '';
      for (let k = 0; k < part.count; k++) out += part.alphabet[randomInt(part.alphabet.length)];
      return out;
    })
    .join('');
}
