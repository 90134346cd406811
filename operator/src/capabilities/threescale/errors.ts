// What a 3scale API call can end in, other than success. Messages name the call and 3scale's reasons, never the
// access token (it travels in the query or body, which are not part of `path` here).

/** 3scale answered with an error status. 422 carries field errors: `{"errors":{"system_name":["has already been taken"]}}`. */
export class ThreescaleApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly fieldErrors: Record<string, string[]>,
    detail: string,
  ) {
    super(`3scale ${method} ${path}: ${status} ${detail}`);
    this.name = 'ThreescaleApiError';
  }

  get notFound(): boolean {
    return this.status === 404;
  }
  /** The request was wrong (4xx except 404/429): retrying the same write cannot help. */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 404 && this.status !== 429 && this.status !== 408;
  }
}

/** The call did not get an answer (connection refused, reset, timeout). */
export class ThreescaleUnreachableError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    cause: string,
  ) {
    super(`3scale ${method} ${path}: no answer (${cause})`);
    this.name = 'ThreescaleUnreachableError';
  }
}

/** "system_name: has already been taken; name: can't be blank" from 3scale's error bodies. */
export function describeErrorBody(body: unknown): { fields: Record<string, string[]>; detail: string } {
  if (typeof body !== 'object' || body === null) return { fields: {}, detail: '' };
  const record = body as Record<string, unknown>;
  const fields: Record<string, string[]> = {};
  if (typeof record.errors === 'object' && record.errors !== null && !Array.isArray(record.errors)) {
    for (const [field, reasons] of Object.entries(record.errors as Record<string, unknown>)) {
      fields[field] = Array.isArray(reasons) ? reasons.map(String) : [String(reasons)];
    }
  }
  const parts = Object.entries(fields).map(([field, reasons]) => `${field}: ${reasons.join(', ')}`);
  if (typeof record.error === 'string') parts.push(record.error);
  if (typeof record.status === 'string') parts.push(record.status);
  return { fields, detail: parts.join('; ').slice(0, 500) };
}
