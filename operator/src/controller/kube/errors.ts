// API errors carry the HTTP status so callers can tell NotFound, Conflict and Forbidden apart.
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly verb: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${verb} ${path}: ${status} ${reason}`);
    this.name = 'KubeApiError';
  }
}

export const isNotFound = (error: unknown): boolean => error instanceof KubeApiError && error.status === 404;
export const isConflict = (error: unknown): boolean => error instanceof KubeApiError && error.status === 409;
export const isAlreadyExists = isConflict;
export const isForbidden = (error: unknown): boolean => error instanceof KubeApiError && error.status === 403;
