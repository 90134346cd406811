/**
 * Parsers for single environment values (spec README "env vars", gateway.md §1.1).
 * Pure: each takes the raw value and the variable name, returns the parsed value
 * or throws a SettingsError naming the variable.
 */

export class SettingsError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'SettingsError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** An empty string counts as unset everywhere (gateway.md §1.1). */
export function readString(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', '']);

/** 1/true/yes/on → true, 0/false/no/off/empty → false (case-insensitive); anything else is an error. */
export function readBoolean(env: Env, name: string, fallback = false): boolean {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new SettingsError(name, `"${raw}" is not a boolean (use 1/true/yes/on or 0/false/no/off)`);
}

/** Base-10 integer; unparsable counts as unset (gateway.md §1.1: "unparsable → treated as unset"). */
export function readInteger(env: Env, name: string, fallback: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  const value = Number.parseInt(raw, 10);
  return Number.isNaN(value) ? fallback : value;
}

/** A TCP port: here a wrong value is an error, since a gateway silently listening elsewhere helps nobody. */
/** With a numeric fallback, always a port. */
export function readPort(env: Env, name: string, fallback: number): number;
export function readPort(env: Env, name: string, fallback: number | undefined): number | undefined;
export function readPort(env: Env, name: string, fallback: number | undefined): number | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new SettingsError(name, `"${raw}" is not a TCP port (0-65535)`);
  }
  return value;
}

export function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new SettingsError(name, `"${raw}" is not one of ${allowed.join(', ')}`);
}

export function readUrl(env: Env, name: string): URL | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  try {
    return new URL(raw);
  } catch {
    throw new SettingsError(name, `"${redactUserinfo(raw)}" is not a URL`);
  }
}

/** Removes `user:password@` so that URLs carrying tokens can be named in errors. */
export function redactUserinfo(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1***@');
}

/** nginx size syntax: `32k`, `1m`, plain bytes. */
export function readSize(env: Env, name: string): number | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  const match = /^(\d+)([kKmMgG]?)$/.exec(raw.trim());
  if (!match) throw new SettingsError(name, `"${raw}" is not a size (e.g. 32k, 1m)`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(match[1]) * unit;
}

/** nginx time syntax (`1m`, `30s`, `1h`, `500ms`, plain seconds) → seconds. */
export function readDuration(env: Env, name: string, fallbackSeconds: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallbackSeconds;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(raw.trim());
  if (!match) throw new SettingsError(name, `"${raw}" is not a duration (e.g. 30s, 1m)`);
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[(match.at(2) ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * factor;
}
