/**
 * A configuration field that the schema requires in this case (manifest `dependencies`, `if`/`then`) and that
 * ajv checked before the code runs, which a generated type (one interface for every case) cannot say.
 * Missing all the same means a bug between schema and code: a clear error, not a TypeError later.
 */
export function schemaRequired<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`${field} is missing, though the schema requires it`);
  return value;
}
