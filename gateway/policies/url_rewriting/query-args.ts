/**
 * The query-argument multimap of policies.md §4.5, shared by url_rewriting
 * (query_args_commands) and rewrite_url_captures (template query): parse the
 * raw query string, apply set/push/add/delete, and re-serialize in a
 * deterministic order (names in order of first appearance, added names
 * appended). When nothing changed, callers keep the client's raw string.
 */

/** `null` marks a flag argument (no `=`), written back as the bare name. */
export type QueryValue = string | null;

export type QueryArgOp = 'set' | 'push' | 'add' | 'delete';

interface Entry {
  name: string;
  values: QueryValue[];
}

/** Form-style decoding: `+` is a space, `%XX` sequences decoded; malformed escapes kept literally. */
function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A lone `%` or an invalid UTF-8 sequence: decode what can be decoded, keep the rest.
    return spaced.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

export class QueryArgs {
  private readonly entries: Entry[] = [];
  private changedFlag = false;

  /** Parses a raw query string (without the leading `?`). */
  static parse(raw: string): QueryArgs {
    const args = new QueryArgs();
    for (const part of raw.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const name = decodeComponent(eq < 0 ? part : part.slice(0, eq));
      const value = eq < 0 ? null : decodeComponent(part.slice(eq + 1));
      const entry = args.find(name);
      if (entry) entry.values.push(value);
      else args.entries.push({ name, values: [value] });
    }
    return args;
  }

  get changed(): boolean {
    return this.changedFlag;
  }

  /** All values of `name` in order (flags as `null`); empty when absent. */
  get(name: string): QueryValue[] {
    return [...(this.find(name)?.values ?? [])];
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  apply(op: QueryArgOp, name: string, value: string): void {
    const entry = this.find(name);
    switch (op) {
      case 'set':
        if (entry) entry.values = [value];
        else this.entries.push({ name, values: [value] });
        break;
      case 'push':
        if (entry) entry.values.push(value);
        else this.entries.push({ name, values: [value] });
        break;
      case 'add':
        if (!entry) return;
        entry.values.push(value);
        break;
      case 'delete':
        if (!entry) return;
        this.entries.splice(this.entries.indexOf(entry), 1);
        break;
    }
    this.changedFlag = true;
  }

  /** Names and values percent-encoded as URI components (`/` ⇒ `%2F`, space ⇒ `%20`). */
  serialize(): string {
    const pairs: string[] = [];
    for (const { name, values } of this.entries) {
      for (const value of values) {
        pairs.push(value === null ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
      }
    }
    return pairs.join('&');
  }

  private find(name: string): Entry | undefined {
    return this.entries.find((entry) => entry.name === name);
  }
}
