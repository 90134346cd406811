// Random secret values from the CSPRNG (the original used math/rand; operator.md §10 asks for a CSPRNG).
import { randomInt } from 'node:crypto';

export const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `length` characters drawn uniformly from `alphabet` (randomInt rejects modulo bias). */
export function randomString(length: number, alphabet: string = ALPHANUMERIC): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}
