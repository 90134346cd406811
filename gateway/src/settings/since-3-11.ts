/**
 * Environment variables APIcast added or removed between 3.11 and 3.16
 * (docs/gateway-env.md), kept in their own file so settings.ts only spreads
 * the result in. Each new variable is validated: a bad value throws a
 * SettingsError naming it (the CLI exits 1).
 */
import { type Env, SettingsError, readEnum, readSize, readString } from './env-values.js';

export type HttpsVerifyClient = 'off' | 'optional' | 'optional_no_ca';
const VERIFY_CLIENT_MODES: readonly HttpsVerifyClient[] = ['off', 'optional', 'optional_no_ca'];

export interface HeaderBuffers {
  /** nginx: one buffer; the request line and each header line must fit in it. */
  readonly size: number;
  /** nginx: how many buffers; all the headers together must fit in them. */
  readonly count: number;
}

export interface Since311Settings {
  /** Whether the HTTPS listener asks clients for a certificate (never verified by the listener itself). */
  httpsVerifyClient: HttpsVerifyClient;
  /** Largest upstream response head (status line + headers) accepted, bytes; beyond ⇒ 502. Undefined: undici's 16 KiB. */
  proxyBufferSize: number | undefined;
  /** Request line / header line / all headers limits; undefined keeps the gateway's 8 KiB line, 32 KiB headers. */
  largeClientHeaderBuffers: HeaderBuffers | undefined;
  /** nginx's first header buffer: parsed for compatibility, no Node equivalent (the parser grows on its own). */
  clientRequestHeaderBuffers: number | undefined;
  /** Requests per kept-alive upstream or backend connection before it is closed; undefined = no limit. */
  socketKeepaliveRequests: number | undefined;
  /** Bytes of pending 3scale_batcher reports before it reports early; undefined = only on its timer. */
  batcherSharedMemorySize: number | undefined;
}

/** nginx `large_client_header_buffers`: `<number> <size>`, e.g. `4 8k`. */
function readHeaderBuffers(env: Env, name: string): HeaderBuffers | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  const match = /^\s*(\d+)\s+(\S+)\s*$/.exec(raw);
  const count = Number(match?.[1]);
  const size = match ? readSize({ [name]: match[2] }, name) : undefined;
  if (!match || !(count >= 1) || size === undefined || size < 1024) {
    throw new SettingsError(name, `"${raw}" is not "<number> <size>" with a number ≥ 1 and a size ≥ 1k (e.g. "4 8k")`);
  }
  return { count, size };
}

function readPositiveInteger(env: Env, name: string): number | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < 1) throw new SettingsError(name, `"${raw}" is not a positive integer`);
  return value;
}

function readPositiveSize(env: Env, name: string): number | undefined {
  const value = readSize(env, name);
  if (value === 0) throw new SettingsError(name, 'must be larger than 0');
  return value;
}

export function readSince311(env: Env): Since311Settings {
  return {
    httpsVerifyClient: readEnum(env, 'APICAST_HTTPS_VERIFY_CLIENT', VERIFY_CLIENT_MODES, 'optional_no_ca'),
    proxyBufferSize: readPositiveSize(env, 'APICAST_PROXY_BUFFER_SIZE'),
    largeClientHeaderBuffers: readHeaderBuffers(env, 'APICAST_LARGE_CLIENT_HEADER_BUFFERS'),
    clientRequestHeaderBuffers: readPositiveSize(env, 'APICAST_CLIENT_REQUEST_HEADER_BUFFERS'),
    socketKeepaliveRequests: readPositiveInteger(env, 'APICAST_LUA_SOCKET_KEEPALIVE_REQUESTS'),
    batcherSharedMemorySize: readPositiveSize(env, 'APICAST_POLICY_BATCHER_SHARED_MEMORY_SIZE'),
  };
}

/**
 * Variables APIcast removed: still accepted (a deployment that sets them
 * keeps booting), one warning each. The first two keep working here.
 */
const REMOVED: ReadonlyArray<readonly [string, string]> = [
  ['APICAST_LOAD_SERVICES_WHEN_NEEDED', 'APICAST_LOAD_SERVICES_WHEN_NEEDED is deprecated: APIcast removed it; still honoured here for now'],
  ['APICAST_OAUTH_TOKENS_TTL', 'APICAST_OAUTH_TOKENS_TTL is deprecated: APIcast removed it; still honoured here for now'],
  ['APICAST_MODULE', 'APICAST_MODULE is deprecated: APIcast removed it; ignored'],
];

export function removedVariableNotices(env: Env): string[] {
  return REMOVED.filter(([name]) => readString(env, name) !== undefined).map(([, notice]) => notice);
}

/** Notes for values accepted for compatibility that mean less here than in nginx. */
export function since311Notices(settings: Since311Settings): string[] {
  const notices: string[] = [];
  if (settings.httpsVerifyClient === 'optional') {
    notices.push(
      'APICAST_HTTPS_VERIFY_CLIENT=optional: no client CA is configured, certificates are requested and left to the tls_validation policy (as optional_no_ca)',
    );
  }
  if (settings.clientRequestHeaderBuffers !== undefined) {
    notices.push(
      'APICAST_CLIENT_REQUEST_HEADER_BUFFERS has no effect: the header parser has no initial buffer to size (limits: APICAST_LARGE_CLIENT_HEADER_BUFFERS)',
    );
  }
  return notices;
}
