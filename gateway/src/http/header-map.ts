/**
 * Case-insensitive, multi-valued HTTP headers that keep the first spelling of
 * each name. Used for the request forwarded upstream and the client response.
 */
export type HeaderValue = string | string[];

interface Entry {
  name: string;
  values: string[];
}

export class HeaderMap {
  private readonly entries = new Map<string, Entry>();

  /** From Node's rawHeaders ([name, value, name, value, …]) or a plain object. */
  static fromRaw(raw: readonly string[]): HeaderMap {
    const map = new HeaderMap();
    for (let i = 0; i + 1 < raw.length; i += 2) map.append(raw[i], raw[i + 1]);
    return map;
  }

  static fromObject(object: Record<string, HeaderValue | number | undefined>): HeaderMap {
    const map = new HeaderMap();
    for (const [name, value] of Object.entries(object)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) map.append(name, v);
      else map.append(name, String(value));
    }
    return map;
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  /** First value, or undefined. */
  get(name: string): string | undefined {
    return this.entries.get(name.toLowerCase())?.values[0];
  }

  getAll(name: string): string[] {
    return this.entries.get(name.toLowerCase())?.values.slice() ?? [];
  }

  set(name: string, value: HeaderValue): void {
    const values = Array.isArray(value) ? value.slice() : [value];
    const key = name.toLowerCase();
    const existing = this.entries.get(key);
    if (existing) existing.values = values;
    else this.entries.set(key, { name, values });
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const existing = this.entries.get(key);
    if (existing) existing.values.push(value);
    else this.entries.set(key, { name, values: [value] });
  }

  delete(name: string): boolean {
    return this.entries.delete(name.toLowerCase());
  }

  get size(): number {
    return this.entries.size;
  }

  /** [name as first spelled, values] pairs in insertion order. */
  *[Symbol.iterator](): IterableIterator<[string, string[]]> {
    for (const entry of this.entries.values()) yield [entry.name, entry.values];
  }

  /** Flat [name, value, name, value, …] list (undici and Node accept it). */
  toFlat(): string[] {
    const flat: string[] = [];
    for (const entry of this.entries.values()) for (const v of entry.values) flat.push(entry.name, v);
    return flat;
  }

  toObject(): Record<string, string | string[]> {
    const object: Record<string, string | string[]> = {};
    for (const entry of this.entries.values()) object[entry.name] = entry.values.length === 1 ? entry.values[0] : entry.values.slice();
    return object;
  }
}
