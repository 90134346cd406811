/**
 * What a route answers, and porta's error shapes: 404 `{"status":"Not found"}`,
 * 422 `{"errors":{"field":["message"]}}`, 400 `{"error":"…"}`. Routes throw
 * ApiError so that validation deep inside a helper ends the request at once.
 */
export interface Reply {
  status: number;
  /** JSON-encoded unless undefined (then the body is empty, as porta's `head :ok`). */
  body?: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${status} ${JSON.stringify(body)}`);
  }
}

export type FieldErrorMap = Record<string, string[]>;

export const notFound = (): ApiError => new ApiError(404, { status: 'Not found' });
export const badRequest = (error: string): ApiError => new ApiError(400, { error });
export const invalid = (errors: FieldErrorMap): ApiError => new ApiError(422, { errors });

/** Collects field errors the way ActiveRecord does and throws them together. */
export class FieldErrors {
  private readonly map: FieldErrorMap = {};
  add(field: string, message: string): this {
    (this.map[field] ??= []).push(message);
    return this;
  }
  get empty(): boolean {
    return Object.keys(this.map).length === 0;
  }
  throwIfAny(): void {
    if (!this.empty) throw invalid(this.map);
  }
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
/** porta answers a DELETE with 200 and an empty body. */
export const deleted = (): Reply => ({ status: 200 });
