/**
 * The filter set of policies.md §4.3: liquidjs' standard filters minus the
 * ones liquid-lua does not have (`default`, `date`, `truncate`, …), with the
 * liquid-lua semantics where they differ (Lua patterns, inclusive `slice`,
 * float `divided_by`, 0-based `index`, joined `map`) plus the gateway (ngx)
 * filters. Binary results (`md5_bin`, `sha1_bin`, `hmac_sha1`) are
 * {@link BinaryString}s so `encode_base64` sees the raw bytes.
 */
import { createHash, createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Liquid } from 'liquidjs';
import { luaGsub, luaSplit } from './lua-pattern.js';
import { displayString } from '../display-string.js';

/** Bytes that print as a Latin-1 string (as a Lua byte string would). */
export class BinaryString {
  constructor(readonly bytes: Buffer) {}
  toString(): string {
    return this.bytes.toString('latin1');
  }
}

/** Filters kept from liquidjs unchanged. */
const KEPT_FILTERS = new Set([
  'append',
  'prepend',
  'capitalize',
  'downcase',
  'upcase',
  'escape',
  'strip',
  'lstrip',
  'rstrip',
  'strip_newlines',
  'join',
  'first',
  'last',
  'concat',
  'reverse',
  'size',
  'sort',
  'uniq',
  'abs',
  'ceil',
  'floor',
  'plus',
  'minus',
  'times',
  'round',
  'modulo',
]);

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return displayString(value);
}

function bytesOf(value: unknown): Buffer {
  if (value instanceof BinaryString) return value.bytes;
  return Buffer.from(text(value), 'utf8');
}

function toNumberStrict(value: unknown, filter: string): number {
  const n = Number(value instanceof BinaryString ? value.toString() : value);
  if (Number.isNaN(n)) throw new Error(`${filter}: ${text(value)} is not a number`);
  return n;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `yyyy-mm-dd hh:mm:ss` in local time or UTC. */
function dateTime(date: Date, utc: boolean): string {
  const y = utc ? date.getUTCFullYear() : date.getFullYear();
  const mo = (utc ? date.getUTCMonth() : date.getMonth()) + 1;
  const d = utc ? date.getUTCDate() : date.getDate();
  const h = utc ? date.getUTCHours() : date.getHours();
  const mi = utc ? date.getUTCMinutes() : date.getMinutes();
  const s = utc ? date.getUTCSeconds() : date.getSeconds();
  return `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
}

/** ngx.cookie_time: `Thu, 18-Nov-10 11:27:35 GMT`. */
export function cookieTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return (
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${pad(d.getUTCFullYear() % 100)} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`
  );
}

/** ngx.http_time: `Thu, 18 Nov 2010 11:27:35 GMT`. */
export function httpTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toUTCString();
}

/** ngx.escape_uri: everything but unreserved characters becomes `%XX`. */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** ngx.unescape_uri: `%XX` decoded and `+` as a space; malformed escapes kept. */
export function unescapeUri(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '+') {
      bytes.push(0x20);
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** ngx.quote_sql_str (MySQL escaping, single-quoted). */
function quoteSqlString(value: string): string {
  const map: Record<string, string> = {
    '\0': '\\0',
    '\b': '\\b',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\x1a': '\\Z',
    '\\': '\\\\',
    "'": "\\'",
    '"': '\\"',
  };
  // eslint-disable-next-line no-control-regex -- quoting control characters (\0, \x1a) is what this filter is for
  return `'${value.replace(/[\0\b\n\r\t\x1a\\'"]/g, (c) => map[c])}'`;
}

type FilterFn = (this: unknown, value: unknown, ...args: unknown[]) => unknown;

const REPLACED_AND_ADDED: Record<string, FilterFn> = {
  // Lua-pattern string filters (quirk kept, §4.3).
  replace: (v, pattern, replacement) => luaGsub(text(v), text(pattern), text(replacement)),
  replace_first: (v, pattern, replacement) => luaGsub(text(v), text(pattern), text(replacement), 1),
  remove: (v, pattern) => luaGsub(text(v), text(pattern), ''),
  remove_first: (v, pattern) => luaGsub(text(v), text(pattern), '', 1),
  split: (v, pattern) => luaSplit(text(v), text(pattern)),
  // 0-based start, inclusive end; no end ⇒ up to the end of the string.
  slice: (v, from, to) => {
    const start = Math.trunc(Number(from) || 0);
    const source = Array.isArray(v) ? v : text(v);
    const end = to === undefined || to === null ? source.length : Math.trunc(Number(to)) + 1;
    return source.slice(start, end);
  },
  url_encode: (v) => encodeURIComponent(text(v)).replace(/%20/g, '+'),
  url_decode: (v) => text(v).replace(/(?:%[0-9a-fA-F]{2})+/g, (m) => Buffer.from(m.replace(/%/g, ''), 'hex').toString('utf8')),
  str_reverse: (v) => Array.from(text(v)).reverse().join(''),
  json: (v) => JSON.stringify(v instanceof BinaryString ? v.toString() : (v ?? null)),
  index: (v, n) => {
    if (!Array.isArray(v)) return undefined;
    const items: readonly unknown[] = v;
    return items[Math.trunc(Number(n))];
  },
  map: (v, field) => (Array.isArray(v) ? v.map((item) => text((item as Record<string, unknown> | null)?.[text(field)])).join('') : ''),
  divided_by: (v, divisor) => {
    const d = toNumberStrict(divisor, 'divided_by');
    if (d === 0) throw new Error('divided_by: division by zero');
    return toNumberStrict(v, 'divided_by') / d;
  },
  // Gateway (ngx) filters.
  escape_uri: (v) => escapeUri(text(v)),
  unescape_uri: (v) => unescapeUri(text(v)),
  encode_base64: (v) => bytesOf(v).toString('base64'),
  decode_base64: (v) => new BinaryString(Buffer.from(text(v), 'base64')),
  crc32_short: (v) => crc32(bytesOf(v)),
  crc32_long: (v) => crc32(bytesOf(v)),
  // Quirk kept (§4.3): the piped value is the key, the argument the message.
  hmac_sha1: (v, message) => new BinaryString(createHmac('sha1', bytesOf(v)).update(bytesOf(message)).digest()),
  md5: (v) => createHash('md5').update(bytesOf(v)).digest('hex'),
  md5_bin: (v) => new BinaryString(createHash('md5').update(bytesOf(v)).digest()),
  sha1_bin: (v) => new BinaryString(createHash('sha1').update(bytesOf(v)).digest()),
  quote_sql_str: (v) => quoteSqlString(text(v)),
  today: () => dateTime(new Date(), false).slice(0, 10),
  time: () => Math.floor(Date.now() / 1000),
  now: () => Date.now() / 1000,
  localtime: () => dateTime(new Date(), false),
  utctime: () => dateTime(new Date(), true),
  cookie_time: (v) => cookieTime(toNumberStrict(v, 'cookie_time')),
  http_time: (v) => httpTime(toNumberStrict(v, 'http_time')),
  parse_http_time: (v) => {
    const ms = Date.parse(text(v));
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  },
};

/** Replaces the liquidjs filter set of `engine` with the policies.md §4.3 set. */
export function installFilters(engine: Liquid): void {
  for (const name of Object.keys(engine.filters)) {
    if (!KEPT_FILTERS.has(name)) engine.unregisterFilter(name);
  }
  for (const [name, fn] of Object.entries(REPLACED_AND_ADDED)) {
    engine.registerFilter(name, fn);
  }
}

export const AVAILABLE_FILTERS: readonly string[] = [...KEPT_FILTERS, ...Object.keys(REPLACED_AND_ADDED)].sort();
