/**
 * Keys of the batcher's shared storage (policies.md §5.2). Credential values
 * are percent-encoded in batch keys so every key parses back (the original
 * could not parse values outside [\w-] and dropped those reports; a fix we
 * chose to make). Keys live in memory only and never reach a log.
 */
import type { Credentials } from '../../src/credentials/credentials.js';
import type { Usage } from '../../src/mapping/usage.js';

export function credentialsPart(credentials: Credentials): string {
  switch (credentials.kind) {
    case 'user_key':
      return `user_key:${encodeURIComponent(credentials.user_key)}`;
    case 'access_token':
      return `access_token:${encodeURIComponent(credentials.access_token)}`;
    case 'app_id':
      return credentials.app_key === undefined
        ? `app_id:${encodeURIComponent(credentials.app_id)}`
        : `app_id:${encodeURIComponent(credentials.app_id)},app_key:${encodeURIComponent(credentials.app_key)}`;
  }
}

/** `service_id:<id>,<creds>,metrics:<m1>=<d1>;<m2>=<d2>` with metrics sorted. */
export function authKey(serviceId: string, credentials: Credentials, usage: Usage): string {
  const metrics = [...usage.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([m, d]) => `${m}=${d}`)
    .join(';');
  return `service_id:${serviceId},${credentialsPart(credentials)},metrics:${metrics}`;
}

/** `service_id:<id>,<creds>,metric:<m>`. */
export function batchKey(serviceId: string, credentials: Credentials, metric: string): string {
  return `service_id:${serviceId},${credentialsPart(credentials)},metric:${encodeURIComponent(metric)}`;
}

/** Report credentials: user_key, else app_id (without app_key), else access_token. */
export function reportCredentials(credentials: Credentials): Credentials {
  if (credentials.kind === 'app_id') return { kind: 'app_id', app_id: credentials.app_id };
  return credentials;
}

export function parseBatchKey(key: string): { serviceId: string; credentials: Credentials; metric: string } | undefined {
  const match = /^service_id:([^,]*),(user_key|app_id|access_token):([^,]*)(?:,app_key:[^,]*)?,metric:(.*)$/.exec(key);
  if (!match) return undefined;
  const [, serviceId, kind, value, metric] = match as unknown as [string, string, string, string, string];
  const v = decodeURIComponent(value);
  const credentials: Credentials =
    kind === 'user_key'
      ? { kind: 'user_key', user_key: v }
      : kind === 'access_token'
        ? { kind: 'access_token', access_token: v }
        : { kind: 'app_id', app_id: v };
  return { serviceId, credentials, metric: decodeURIComponent(metric) };
}
