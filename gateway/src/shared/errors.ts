/**
 * A rejection or catch reason as an Error. Node's and undici's APIs reject with Errors, which come back
 * as they are; anything else thrown is wrapped, its message the reason as a string.
 */
export function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
