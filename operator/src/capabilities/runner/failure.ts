// How a failed call is reported and retried. A refusal (422, 403, 400) is the spec's or the token's fault:
// retrying the same write cannot help, so the CR waits for a change or the next resync. No answer, a 5xx or a
// timeout may pass: the queue retries with exponential backoff. Neither writes status again unless it changed,
// so a failing CR's resourceVersion stays put.
import { ThreescaleApiError, ThreescaleUnreachableError } from '../threescale/errors.js';

export interface FailureReport {
  reason: string;
  message: string;
  retry: boolean;
}

export function describeFailure(error: unknown): FailureReport {
  if (error instanceof ThreescaleApiError) {
    if (error.status === 401 || error.status === 403)
      return { reason: 'AccessDenied', message: `${error.message} (check the token's scope and account)`, retry: false };
    if (error.permanent) return { reason: 'Rejected', message: error.message, retry: false };
    return { reason: 'ThreescaleError', message: error.message, retry: true };
  }
  if (error instanceof ThreescaleUnreachableError) return { reason: 'ThreescaleUnreachable', message: error.message, retry: true };
  return { reason: 'Error', message: error instanceof Error ? error.message : String(error), retry: true };
}
