/**
 * Lua patterns (the subset liquid-lua's `replace`, `remove`, `split`… filters
 * use, policies.md §4.3) translated to JavaScript RegExp. The spec asks to keep
 * this quirk: `{{ 'a.b' | replace: '.', '-' }}` replaces every character,
 * because `.` is "any character" in a Lua pattern.
 *
 * Not supported (throw, which the caller turns into a rendering error):
 * `%b` balanced matches and `%f` frontiers.
 */

const CLASS_BODIES: Partial<Record<string, string>> = {
  a: 'A-Za-z',
  d: '0-9',
  l: 'a-z',
  s: ' \\t\\n\\r\\f\\v',
  u: 'A-Z',
  w: 'A-Za-z0-9',
  x: 'A-Fa-f0-9',
  p: '!-\\/:-@\\[-`{-~',
  c: '\\x00-\\x1f\\x7f',
  g: '!-~',
};

export class LuaPatternError extends Error {}

function escapeForRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** `%a` → `[A-Za-z]`, `%A` → `[^A-Za-z]`; `%.` → literal. */
function percentClass(letter: string, insideSet: boolean): string {
  const body = CLASS_BODIES[letter.toLowerCase()];
  if (body === undefined) {
    if (/[0-9]/.test(letter) || letter === 'b' || letter === 'f') {
      throw new LuaPatternError(`unsupported Lua pattern item %${letter}`);
    }
    return escapeForRegex(letter);
  }
  const negated = letter !== letter.toLowerCase();
  if (insideSet) {
    if (negated) throw new LuaPatternError(`negated class %${letter} inside a set is not supported`);
    return body;
  }
  return negated ? `[^${body}]` : `[${body}]`;
}

/** Translates a Lua pattern into the source of an equivalent JavaScript RegExp. */
export function luaPatternToRegexSource(pattern: string): string {
  let out = '';
  let i = 0;
  // Whether the last emitted item is a single-character class a quantifier may follow.
  let lastIsSingle = false;
  if (pattern.startsWith('^')) {
    out += '^';
    i = 1;
  }
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === '%') {
      const next = pattern.at(i + 1);
      if (next === undefined) throw new LuaPatternError('malformed pattern (ends with %)');
      if (/[1-9]/.test(next)) {
        out += `\\${next}`;
        lastIsSingle = false;
      } else {
        out += percentClass(next, false);
        lastIsSingle = true;
      }
      i += 2;
      continue;
    }
    if (ch === '[') {
      let j = i + 1;
      let set = '[';
      if (pattern[j] === '^') {
        set += '^';
        j++;
      }
      let first = true;
      while (j < pattern.length && (pattern[j] !== ']' || first)) {
        const c = pattern[j];
        first = false;
        if (c === '%') {
          const letter = pattern.at(j + 1);
          if (letter === undefined) throw new LuaPatternError('malformed pattern (ends with %)');
          set += percentClass(letter, true);
          j += 2;
        } else if (pattern[j + 1] === '-' && pattern.at(j + 2) !== undefined && pattern[j + 2] !== ']') {
          set += `${escapeForRegex(c)}-${escapeForRegex(pattern[j + 2])}`;
          j += 3;
        } else {
          set += escapeForRegex(c);
          j++;
        }
      }
      if (j >= pattern.length) throw new LuaPatternError('malformed pattern (missing ])');
      out += `${set}]`;
      i = j + 1;
      lastIsSingle = true;
      continue;
    }
    if ((ch === '*' || ch === '+' || ch === '-' || ch === '?') && lastIsSingle) {
      out += ch === '-' ? '*?' : ch;
      lastIsSingle = false;
      i++;
      continue;
    }
    if (ch === '$' && i === pattern.length - 1) {
      out += '$';
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      out += ch;
      lastIsSingle = false;
      i++;
      continue;
    }
    out += ch === '.' ? '[\\s\\S]' : escapeForRegex(ch);
    lastIsSingle = true;
    i++;
  }
  return out;
}

const cache = new Map<string, RegExp>();

/** Compiled (global) RegExp for a Lua pattern; small cache because templates reuse literals. */
export function luaPatternToRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = new RegExp(luaPatternToRegexSource(pattern), 'g');
    if (cache.size > 500) cache.clear();
    cache.set(pattern, re);
  }
  re.lastIndex = 0;
  return re;
}

/** Expands a Lua gsub replacement string: `%0`–`%9` captures, `%%` a percent. */
function expandReplacement(replacement: string, match: string, groups: (string | undefined)[]): string {
  return replacement.replace(/%(.)/g, (_all, c: string) => {
    if (c === '0') return match;
    if (/[1-9]/.test(c)) {
      const index = Number(c) - 1;
      if (groups.length === 0 && index === 0) return match; // Lua: %1 with no captures = whole match
      if (index >= groups.length) throw new LuaPatternError(`invalid capture index %${c} in replacement string`);
      return groups[index] ?? '';
    }
    return c;
  });
}

/** Lua `string.gsub(subject, pattern, replacement, limit)`. */
export function luaGsub(subject: string, pattern: string, replacement: string, limit = Infinity): string {
  const re = luaPatternToRegExp(pattern);
  let count = 0;
  return subject.replace(re, (match: string, ...rest: unknown[]) => {
    if (count >= limit) return match;
    count++;
    const groups = rest.slice(0, rest.length - 2) as (string | undefined)[];
    return expandReplacement(replacement, match, groups);
  });
}

/** Splits on a Lua pattern; an empty pattern splits into characters. */
export function luaSplit(subject: string, pattern: string): string[] {
  if (pattern === '') return Array.from(subject);
  return subject.split(new RegExp(luaPatternToRegexSource(pattern)));
}
