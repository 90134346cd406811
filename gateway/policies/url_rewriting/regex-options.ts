/**
 * PCRE-style option letters of url_rewriting `options` mapped onto JavaScript
 * RegExp (spec README "regular expressions"): `i` case-insensitive, `j`/`o`
 * accepted and ignored (JIT / compile-once have no JS meaning), `x` extended,
 * `m`/`s`/`u` the JS flags of the same letters; any other letter is invalid.
 */

export class RegexOptionError extends Error {}

/** Returns the JS flags for `options`; throws RegexOptionError naming a bad letter. */
export function jsFlagsFor(options: string): { flags: string; extended: boolean } {
  let flags = '';
  let extended = false;
  for (const letter of options) {
    switch (letter) {
      case 'i':
      case 'm':
      case 's':
      case 'u':
        if (!flags.includes(letter)) flags += letter;
        break;
      case 'j':
      case 'o':
        break;
      case 'x':
        extended = true;
        break;
      default:
        throw new RegexOptionError(`unsupported option '${letter}' (allowed: i, j, o, x, m, s, u)`);
    }
  }
  return { flags, extended };
}

/**
 * PCRE extended mode: unescaped whitespace and `#…` comments to the end of the
 * line are dropped, except inside a character class.
 */
export function stripExtended(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (ch === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
      continue;
    }
    out += ch;
  }
  return out;
}
