/**
 * The `replace` template of url_rewriting commands, with the syntax of
 * ngx.re.sub: `$0` (whole match), `$1`…`$9…`, `${N}`, `$$` (a literal `$`).
 * Parsed once at load so a malformed template rejects the configuration
 * instead of failing requests. A group the regex does not have renders empty.
 */

export type TemplatePart = string | { group: number };

export class ReplaceTemplateError extends Error {}

export function parseReplaceTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== '$') {
      literal += ch;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      literal += '$';
      i++;
      continue;
    }
    let digits: string | undefined;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      digits = close < 0 ? undefined : template.slice(i + 2, close);
      if (digits === undefined || !/^\d+$/.test(digits)) {
        throw new ReplaceTemplateError(`invalid capture reference at position ${i}: expected \${N}`);
      }
      i = close;
    } else {
      const match = /^\d+/.exec(template.slice(i + 1));
      if (!match)
        throw new ReplaceTemplateError(`invalid capture reference at position ${i}: '$' must be followed by a digit, '{N}' or '$'`);
      digits = match[0];
      i += digits.length;
    }
    if (literal) {
      parts.push(literal);
      literal = '';
    }
    parts.push({ group: Number(digits) });
  }
  if (literal) parts.push(literal);
  return parts;
}

export function renderReplaceTemplate(parts: readonly TemplatePart[], match: RegExpExecArray | string[]): string {
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : (match[part.group] ?? '');
  return out;
}
