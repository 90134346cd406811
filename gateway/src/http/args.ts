/**
 * Query/form arguments as an ordered, multi-valued list that keeps the raw
 * (still percent-encoded) text, because the gateway needs both views:
 * credentials use the raw value of the first occurrence, mapping rules the
 * decoded value of the last one (gateway.md §4.3, §4.4).
 */
export function decodeComponent(raw: string): string {
  const spaced = raw.includes('+') ? raw.replace(/\+/g, ' ') : raw;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Invalid escapes stay literal, as nginx leaves them.
    return spaced.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

export class Args {
  /** [rawName, rawValue | undefined (no '=')]. */
  private readonly pairs: [string, string | undefined][];

  constructor(pairs: [string, string | undefined][] = []) {
    this.pairs = pairs;
  }

  static parse(query: string): Args {
    const pairs: [string, string | undefined][] = [];
    if (query) {
      for (const part of query.split('&')) {
        if (part === '') continue;
        const eq = part.indexOf('=');
        pairs.push(eq < 0 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)]);
      }
    }
    return new Args(pairs);
  }

  /** Raw value of the first argument whose decoded name equals `name` case-insensitively (nginx $arg_name). */
  rawFirstIgnoreCase(name: string): string | undefined {
    const wanted = name.toLowerCase();
    for (const [n, v] of this.pairs) if (decodeComponent(n).toLowerCase() === wanted) return v ?? '';
    return undefined;
  }

  has(name: string): boolean {
    return this.pairs.some(([n]) => decodeComponent(n) === name);
  }

  /** Decoded value of the first occurrence ('' for a bare `name`). */
  get(name: string): string | undefined {
    for (const [n, v] of this.pairs) if (decodeComponent(n) === name) return v === undefined ? '' : decodeComponent(v);
    return undefined;
  }

  /** Decoded value of the last occurrence. */
  getLast(name: string): string | undefined {
    for (let i = this.pairs.length - 1; i >= 0; i--) {
      const [n, v] = this.pairs[i];
      if (decodeComponent(n) === name) return v === undefined ? '' : decodeComponent(v);
    }
    return undefined;
  }

  getAll(name: string): string[] {
    return this.pairs.filter(([n]) => decodeComponent(n) === name).map(([, v]) => (v === undefined ? '' : decodeComponent(v)));
  }

  /** Decoded names and values, in order. */
  entries(): [string, string][] {
    return this.pairs.map(([n, v]) => [decodeComponent(n), v === undefined ? '' : decodeComponent(v)]);
  }

  /** Replaces every occurrence of `name` by the given decoded value(s), at the first one's position. */
  set(name: string, value: string | string[]): void {
    const values = Array.isArray(value) ? value : [value];
    const index = this.pairs.findIndex(([n]) => decodeComponent(n) === name);
    this.delete(name);
    const encoded = values.map((v): [string, string] => [encodeURIComponent(name), encodeURIComponent(v)]);
    this.pairs.splice(index < 0 ? this.pairs.length : index, 0, ...encoded);
  }

  append(name: string, value: string): void {
    this.pairs.push([encodeURIComponent(name), encodeURIComponent(value)]);
  }

  delete(name: string): void {
    for (let i = this.pairs.length - 1; i >= 0; i--) if (decodeComponent(this.pairs[i][0]) === name) this.pairs.splice(i, 1);
  }

  /** Overlays `other` (decoded names): names present in `other` take its values (form body over query, §4.4). */
  overlay(other: Args): Args {
    const otherNames = new Set(other.entries().map(([n]) => n));
    const kept = this.pairs.filter(([n]) => !otherNames.has(decodeComponent(n)));
    return new Args([...kept, ...other.pairs]);
  }

  get size(): number {
    return this.pairs.length;
  }

  toString(): string {
    return this.pairs.map(([n, v]) => (v === undefined ? n : `${n}=${v}`)).join('&');
  }
}
