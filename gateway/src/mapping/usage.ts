/**
 * Usage reported to 3scale: metric → delta, in order of first appearance
 * (gateway.md §4.4 "Usage").
 */
export class Usage {
  private readonly deltas = new Map<string, number>();

  static of(entries: Iterable<readonly [string, number]>): Usage {
    const usage = new Usage();
    for (const [metric, delta] of entries) usage.add(metric, delta);
    return usage;
  }

  /** Adds a delta (kept even when ≤ 0 until `merge` normalizes). */
  add(metric: string, delta: number): void {
    this.deltas.set(metric, (this.deltas.get(metric) ?? 0) + delta);
  }

  get(metric: string): number | undefined {
    return this.deltas.get(metric);
  }

  get metrics(): string[] {
    return [...this.deltas.keys()];
  }

  entries(): IterableIterator<[string, number]> {
    return this.deltas.entries();
  }

  get isEmpty(): boolean {
    return this.deltas.size === 0;
  }

  /** Adds `other`'s deltas, then drops every metric whose value is ≤ 0 (quirk kept: delta 0 vanishes). */
  merge(other: Usage): this {
    for (const [metric, delta] of other.deltas) this.add(metric, delta);
    for (const [metric, delta] of this.deltas) if (delta <= 0) this.deltas.delete(metric);
    return this;
  }

  /** Subtracts deltas (API-as-a-Product cleanup), dropping metrics that reach ≤ 0. */
  subtract(other: Usage): this {
    for (const [metric, delta] of other.deltas) this.add(metric, -delta);
    for (const [metric, delta] of this.deltas) if (delta <= 0) this.deltas.delete(metric);
    return this;
  }

  clone(): Usage {
    return Usage.of(this.deltas);
  }

  /** `usage%5Bhits%5D=2&usage%5Borders%5D=1` — the form the backend receives and cache keys use. */
  encode(): string {
    let out = '';
    for (const [metric, delta] of this.deltas) {
      if (out) out += '&';
      out += `usage%5B${encodeURIComponent(metric)}%5D=${delta}`;
    }
    return out;
  }
}
