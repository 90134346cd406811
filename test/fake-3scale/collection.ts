/**
 * One table of the fake: rows by id, ordered by id, ids from a counter that
 * is shared by every tenant (porta's ids are per table, not per account) and
 * never reused. Timestamps are ISO strings that strictly increase, so a
 * change is always visible in `updated_at` even within one millisecond.
 */
export interface Row {
  id: number;
  created_at: string;
  updated_at: string;
}

export type New<T extends Row> = Omit<T, 'id' | 'created_at' | 'updated_at'>;

export class IdCounter {
  private last = 0;
  next(): number {
    return ++this.last;
  }
}

let lastStamp = 0;
export function timestamp(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp).toISOString();
}

export class Collection<T extends Row> {
  private readonly rows = new Map<number, T>();

  constructor(
    readonly kind: string,
    private readonly ids: IdCounter,
  ) {}

  /** Every row, by id: a Map keeps insertion order and ids only grow, so no sort is needed (the bench syncs thousands of rows). */
  all(): T[] {
    return [...this.rows.values()];
  }

  where(test: (row: T) => boolean): T[] {
    return this.all().filter(test);
  }

  find(test: (row: T) => boolean): T | undefined {
    return this.all().find(test);
  }

  get(id: number): T | undefined {
    return this.rows.get(id);
  }

  get size(): number {
    return this.rows.size;
  }

  insert(fields: New<T>): T {
    const at = timestamp();
    const row = { ...fields, id: this.ids.next(), created_at: at, updated_at: at } as T;
    this.rows.set(row.id, row);
    return row;
  }

  /** Changes the row in place (callers hold references) and bumps updated_at. */
  update(id: number, fields: Partial<New<T>>): T {
    const row = this.rows.get(id);
    if (!row) throw new Error(`${this.kind} ${id} does not exist`);
    Object.assign(row, fields, { updated_at: timestamp() });
    return row;
  }

  delete(id: number): boolean {
    return this.rows.delete(id);
  }

  deleteWhere(test: (row: T) => boolean): T[] {
    const gone = this.where(test);
    for (const row of gone) this.rows.delete(row.id);
    return gone;
  }
}

/** One counter per table, shared by all tenants of one fake. */
export class IdCounters {
  private readonly counters = new Map<string, IdCounter>();
  of(kind: string): IdCounter {
    let counter = this.counters.get(kind);
    if (!counter) this.counters.set(kind, (counter = new IdCounter()));
    return counter;
  }
}
