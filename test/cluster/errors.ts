/** Reading HTTP status codes out of @kubernetes/client-node errors (ApiException carries `code`). */
export function statusCode(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** The `message` of a Kubernetes Status body in a client-node error, else the error message. */
export function statusMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'body' in error) {
    const body = error.body;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') return parsed.message;
    } catch {
      return text;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
