// What a pass wrote to 3scale, in words a user reads in Events ("created mapping rule GET /pets"). Also how the
// drift report is built: a pass that writes while the CR did not change corrected drift.
export interface Write {
  verb: 'created' | 'updated' | 'deleted' | 'deployed' | 'promoted' | 'adopted';
  what: string;
  /** Field names sent on update (values are not listed: they may be secret tokens). */
  fields?: string[];
}

export class WriteLog {
  readonly writes: Write[] = [];

  add(write: Write): void {
    this.writes.push(write);
  }

  get count(): number {
    return this.writes.filter((w) => w.verb !== 'adopted').length;
  }

  static describe(write: Write): string {
    return `${write.verb} ${write.what}${write.fields && write.fields.length > 0 ? ` (${write.fields.join(', ')})` : ''}`;
  }
}
