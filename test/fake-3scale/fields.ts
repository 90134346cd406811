/**
 * Reading typed values out of request fields. Form bodies carry only
 * strings, JSON bodies real types: both are accepted, as porta's params are.
 * `undefined` means "not sent", so updates change only what was sent.
 */
import type { Fields } from './body.js';
import { FieldErrors } from './reply.js';

export function text(fields: Fields, key: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  // Objects and arrays (a JSON body's nested values) as their JSON text.
  return JSON.stringify(value);
}

export function flag(fields: Fields, key: string, errors: FieldErrors): boolean | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  errors.add(key, 'is not a boolean');
  return undefined;
}

export function integer(fields: Fields, key: string, errors: FieldErrors): number | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number)) {
    errors.add(key, 'is not a number');
    return undefined;
  }
  return number;
}

export function decimal(fields: Fields, key: string, errors: FieldErrors): number | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) {
    errors.add(key, 'is not a number');
    return undefined;
  }
  return number;
}

export function oneOf<T extends string>(fields: Fields, key: string, allowed: readonly T[], errors: FieldErrors): T | undefined {
  const value = text(fields, key);
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  errors.add(key, 'is not included in the list');
  return undefined;
}

/**
 * The system_name porta derives from a name when none is sent,
 * `name.parameterize.underscore`: accents dropped, lower case, every run of
 * characters other than letters, digits, `-` and `_` becomes one `-`, `-` at
 * either end dropped, then every `-` becomes `_` ("My API v2!" → "my_api_v2",
 * "Café-Bar" → "cafe_bar").
 */
export function systemNameOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9\-_]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '')
    .replace(/-/g, '_');
}

/** porta's `validates_system_name` format: a word character, then at least one word character, `-` or `/`. */
export function checkSystemName(errors: FieldErrors, systemName: string | undefined): void {
  if (systemName && !/^\w[\w\-/]+$/.test(systemName)) errors.add('system_name', 'is invalid');
}

/** Only what was sent: `{a: undefined}` entries are dropped so an update leaves them alone. */
export function defined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A field that validation above has already required (the request ended
 * with a 422 otherwise): answers it, typed as present. A missing one here
 * is a bug in the fake, not a bad request.
 */
export function checked<T>(value: T | undefined, key: string): T {
  if (value === undefined) throw new Error(`fake 3scale: ${key} passed validation but is missing`);
  return value;
}
