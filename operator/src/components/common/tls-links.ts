// TLS and ACL for the connections to Redis and to the system database (the 2.15+ `*TLSEnabled` flags and the
// Secret keys of operator.md §4.1). Everything here is additive: a link whose flag is off, or an ACL key the
// Secret does not have, adds nothing, so a 2.9 installation's objects are unchanged.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { FieldError, TlsLinks } from '../../model/types.js';
import type { BuildContext } from './context.js';
import { fromOptionalSecret, literal } from './env.js';

export interface TlsLink {
  link: keyof TlsLinks;
  /** The CR field that turns it on (named in errors). */
  field: string;
  secret: string;
  keys: { ca: string; cert: string; key: string };
  volume: string;
  mountPath: string;
  files: { ca: string; cert: string; key: string };
  /** Secret volume file mode (the database drivers refuse a key readable by others). */
  defaultMode?: number;
}

export const BACKEND_REDIS_TLS: TlsLink = {
  link: 'backendRedis',
  field: 'spec.backend.redisTLSEnabled',
  secret: 'backend-redis',
  keys: { ca: 'REDIS_SSL_CA', cert: 'REDIS_SSL_CERT', key: 'REDIS_SSL_KEY' },
  volume: 'backend-redis-tls',
  mountPath: '/tls/backend-redis',
  files: { ca: 'backend-redis-ca.crt', cert: 'backend-redis-client.crt', key: 'backend-redis-private.key' },
};

export const QUEUES_REDIS_TLS: TlsLink = {
  link: 'queues',
  field: 'spec.backend.queuesTLSEnabled',
  secret: 'backend-redis',
  keys: { ca: 'REDIS_SSL_QUEUES_CA', cert: 'REDIS_SSL_QUEUES_CERT', key: 'REDIS_SSL_QUEUES_KEY' },
  volume: 'queues-redis-tls',
  mountPath: '/tls/queues',
  files: { ca: 'config-queues-ca.crt', cert: 'config-queues-client.crt', key: 'config-queues-private.key' },
};

export const SYSTEM_REDIS_TLS: TlsLink = {
  link: 'systemRedis',
  field: 'spec.system.redisTLSEnabled',
  secret: 'system-redis',
  keys: { ca: 'REDIS_SSL_CA', cert: 'REDIS_SSL_CERT', key: 'REDIS_SSL_KEY' },
  volume: 'system-redis-tls',
  mountPath: '/tls/system-redis',
  files: { ca: 'system-redis-ca.crt', cert: 'system-redis-client.crt', key: 'system-redis-private.key' },
};

export const SYSTEM_DATABASE_TLS: TlsLink = {
  link: 'systemDatabase',
  field: 'spec.system.databaseTLSEnabled',
  secret: 'system-database',
  keys: { ca: 'DB_SSL_CA', cert: 'DB_SSL_CERT', key: 'DB_SSL_KEY' },
  volume: 'system-database-tls',
  mountPath: '/tls/system-database',
  files: { ca: 'ca.crt', cert: 'tls.crt', key: 'tls.key' },
  defaultMode: 0o640,
};

export const TLS_LINKS: readonly TlsLink[] = [BACKEND_REDIS_TLS, QUEUES_REDIS_TLS, SYSTEM_REDIS_TLS, SYSTEM_DATABASE_TLS];

const present = (ctx: BuildContext, secret: string, key: string): boolean => ctx.secrets.effective[secret]?.[key] !== undefined;
const filled = (ctx: BuildContext, secret: string, key: string): boolean => (ctx.secrets.effective[secret]?.[key] ?? '') !== '';

/** Off, or on with (`client`) or without a client certificate (both CERT and KEY in the Secret). */
export type TlsState = { on: false } | { on: true; client: boolean };

export function tlsState(ctx: BuildContext, link: TlsLink): TlsState {
  if (ctx.model.tls?.[link.link] !== true) return { on: false };
  return { on: true, client: filled(ctx, link.secret, link.keys.cert) && filled(ctx, link.secret, link.keys.key) };
}

/** File paths in the container: the CA always, cert and key with a client certificate. */
export function tlsFiles(link: TlsLink, state: TlsState): { ca: string; cert?: string; key?: string } | undefined {
  if (!state.on) return undefined;
  const path = (file: string) => `${link.mountPath}/${file}`;
  return { ca: path(link.files.ca), ...(state.client ? { cert: path(link.files.cert), key: path(link.files.key) } : {}) };
}

export function tlsVolumes(ctx: BuildContext, links: readonly TlsLink[]): IVolume[] {
  return links.flatMap((link) => {
    const state = tlsState(ctx, link);
    if (!state.on) return [];
    const items = [
      { key: link.keys.ca, path: link.files.ca },
      ...(state.client
        ? [
            { key: link.keys.cert, path: link.files.cert },
            { key: link.keys.key, path: link.files.key },
          ]
        : []),
    ];
    return [
      {
        name: link.volume,
        secret: { secretName: link.secret, items, ...(link.defaultMode !== undefined ? { defaultMode: link.defaultMode } : {}) },
      },
    ];
  });
}

export function tlsMounts(ctx: BuildContext, links: readonly TlsLink[]): IVolumeMount[] {
  return links.filter((link) => tlsState(ctx, link).on).map((link) => ({ name: link.volume, mountPath: link.mountPath, readOnly: true }));
}

/** Env of one link: `<ssl>` = "true", then CA, cert and key paths (names as the component reads them). */
export function tlsEnv(ctx: BuildContext, link: TlsLink, names: { ssl: string; ca: string; cert: string; key: string }): IEnvVar[] {
  const files = tlsFiles(link, tlsState(ctx, link));
  if (files === undefined) return [];
  return [
    literal(names.ssl, 'true'),
    literal(names.ca, files.ca),
    ...(files.cert !== undefined ? [literal(names.cert, files.cert)] : []),
    ...(files.key !== undefined ? [literal(names.key, files.key)] : []),
  ];
}

/** [env var, secret, key]: ACL entries, each added (optional) only when the Secret has the key. */
export type AclEntry = readonly [string, string, string];

export const BACKEND_ACL: readonly AclEntry[] = [
  ['CONFIG_REDIS_USERNAME', 'backend-redis', 'REDIS_STORAGE_USERNAME'],
  ['CONFIG_REDIS_PASSWORD', 'backend-redis', 'REDIS_STORAGE_PASSWORD'],
  ['CONFIG_REDIS_SENTINEL_USERNAME', 'backend-redis', 'REDIS_STORAGE_SENTINEL_USERNAME'],
  ['CONFIG_REDIS_SENTINEL_PASSWORD', 'backend-redis', 'REDIS_STORAGE_SENTINEL_PASSWORD'],
  ['CONFIG_QUEUES_USERNAME', 'backend-redis', 'REDIS_QUEUES_USERNAME'],
  ['CONFIG_QUEUES_PASSWORD', 'backend-redis', 'REDIS_QUEUES_PASSWORD'],
  ['CONFIG_QUEUES_SENTINEL_USERNAME', 'backend-redis', 'REDIS_QUEUES_SENTINEL_USERNAME'],
  ['CONFIG_QUEUES_SENTINEL_PASSWORD', 'backend-redis', 'REDIS_QUEUES_SENTINEL_PASSWORD'],
];

export const SYSTEM_REDIS_ACL: readonly AclEntry[] = [
  ['REDIS_USERNAME', 'system-redis', 'REDIS_USERNAME'],
  ['REDIS_PASSWORD', 'system-redis', 'REDIS_PASSWORD'],
  ['REDIS_SENTINEL_USERNAME', 'system-redis', 'REDIS_SENTINEL_USERNAME'],
  ['REDIS_SENTINEL_PASSWORD', 'system-redis', 'REDIS_SENTINEL_PASSWORD'],
];

/** System's view of the backend storage Redis (BACKEND_REDIS_*). */
export const SYSTEM_BACKEND_ACL: readonly AclEntry[] = [
  ['BACKEND_REDIS_USERNAME', 'backend-redis', 'REDIS_STORAGE_USERNAME'],
  ['BACKEND_REDIS_PASSWORD', 'backend-redis', 'REDIS_STORAGE_PASSWORD'],
  ['BACKEND_REDIS_SENTINEL_USERNAME', 'backend-redis', 'REDIS_STORAGE_SENTINEL_USERNAME'],
  ['BACKEND_REDIS_SENTINEL_PASSWORD', 'backend-redis', 'REDIS_STORAGE_SENTINEL_PASSWORD'],
];

export function aclEnv(ctx: BuildContext, entries: readonly AclEntry[]): IEnvVar[] {
  return entries.filter(([, secret, key]) => present(ctx, secret, key)).map(([name, secret, key]) => fromOptionalSecret(name, secret, key));
}

/** The whole backend Redis block (backend-listener/worker/cron and their init containers). */
export function backendRedisExtraEnv(ctx: BuildContext): IEnvVar[] {
  return [
    ...aclEnv(ctx, BACKEND_ACL),
    ...tlsEnv(ctx, BACKEND_REDIS_TLS, {
      ssl: 'CONFIG_REDIS_SSL',
      ca: 'CONFIG_REDIS_CA_FILE',
      cert: 'CONFIG_REDIS_CERT',
      key: 'CONFIG_REDIS_PRIVATE_KEY',
    }),
    ...tlsEnv(ctx, QUEUES_REDIS_TLS, {
      ssl: 'CONFIG_QUEUES_SSL',
      ca: 'CONFIG_QUEUES_CA_FILE',
      cert: 'CONFIG_QUEUES_CERT',
      key: 'CONFIG_QUEUES_PRIVATE_KEY',
    }),
  ];
}

/** System's own Redis (system-app, sidekiq and its init, sphinx). */
export function systemRedisExtraEnv(ctx: BuildContext): IEnvVar[] {
  return [
    ...aclEnv(ctx, SYSTEM_REDIS_ACL),
    ...tlsEnv(ctx, SYSTEM_REDIS_TLS, { ssl: 'REDIS_SSL', ca: 'REDIS_CA_FILE', cert: 'REDIS_CLIENT_CERT', key: 'REDIS_PRIVATE_KEY' }),
  ];
}

/** System's backend storage Redis (system-app and sidekiq containers, the pre-hook). */
export function systemBackendRedisExtraEnv(ctx: BuildContext): IEnvVar[] {
  return [
    ...aclEnv(ctx, SYSTEM_BACKEND_ACL),
    ...tlsEnv(ctx, BACKEND_REDIS_TLS, {
      ssl: 'BACKEND_REDIS_SSL',
      ca: 'BACKEND_REDIS_CA_FILE',
      cert: 'BACKEND_REDIS_CLIENT_CERT',
      key: 'BACKEND_REDIS_PRIVATE_KEY',
    }),
  ];
}

/** System database TLS: DATABASE_SSL_MODE from the Secret when it has it, then the file paths. */
export function systemDatabaseExtraEnv(ctx: BuildContext): IEnvVar[] {
  const files = tlsFiles(SYSTEM_DATABASE_TLS, tlsState(ctx, SYSTEM_DATABASE_TLS));
  if (files === undefined) return [];
  return [
    ...(present(ctx, 'system-database', 'DATABASE_SSL_MODE')
      ? [fromOptionalSecret('DATABASE_SSL_MODE', 'system-database', 'DATABASE_SSL_MODE')]
      : []),
    literal('DATABASE_SSL_CA', files.ca),
    ...(files.cert !== undefined ? [literal('DATABASE_SSL_CERT', files.cert)] : []),
    ...(files.key !== undefined ? [literal('DATABASE_SSL_KEY', files.key)] : []),
  ];
}

/**
 * Bad input of a TLS-enabled link, checked against the Secrets as they are (the controller's cache): the Secret
 * must exist and have the CA, a client certificate needs both CERT and KEY, and each must parse (PEM). Each
 * error names the CR field, the Secret and the key, never a value.
 */
export function tlsSecretErrors(
  tls: TlsLinks | undefined,
  secret: (name: string) => Readonly<Partial<Record<string, string>>> | undefined,
): FieldError[] {
  if (tls === undefined) return [];
  const errors: FieldError[] = [];
  for (const link of TLS_LINKS) {
    if (!tls[link.link]) continue;
    const data = secret(link.secret);
    if (data === undefined) {
      errors.push({ path: link.field, reason: `Secret ${link.secret} not found; TLS needs its key ${link.keys.ca}` });
      continue;
    }
    const caPem = data[link.keys.ca] ?? '';
    const certPem = data[link.keys.cert] ?? '';
    const keyPem = data[link.keys.key] ?? '';
    if (caPem === '')
      errors.push({ path: link.field, reason: `Secret ${link.secret} has no ${link.keys.ca} (the CA certificate to verify the server)` });
    else if (!parses(() => new X509Certificate(caPem)))
      errors.push({ path: link.field, reason: `Secret ${link.secret} key ${link.keys.ca} is not a PEM certificate` });
    const cert = certPem !== '';
    const key = keyPem !== '';
    if (cert && !parses(() => new X509Certificate(certPem)))
      errors.push({ path: link.field, reason: `Secret ${link.secret} key ${link.keys.cert} is not a PEM certificate` });
    if (key && !parses(() => createPrivateKey(keyPem)))
      errors.push({ path: link.field, reason: `Secret ${link.secret} key ${link.keys.key} is not a PEM private key` });
    if (cert && !key)
      errors.push({
        path: link.field,
        reason: `Secret ${link.secret} has ${link.keys.cert} but no ${link.keys.key} (a client certificate needs its private key)`,
      });
    if (key && !cert)
      errors.push({
        path: link.field,
        reason: `Secret ${link.secret} has ${link.keys.key} but no ${link.keys.cert} (a private key needs its client certificate)`,
      });
  }
  return errors;
}

const parses = (read: () => unknown): boolean => {
  try {
    read();
    return true;
  } catch {
    return false;
  }
};

/** Secret keys a link adds to the redis-config-hash of its consumers while it is on (cert rotation rolls them). */
export function tlsHashKeys(ctx: BuildContext, links: readonly TlsLink[]): string[] {
  return links
    .filter((link) => tlsState(ctx, link).on)
    .flatMap((link) =>
      [link.keys.ca, link.keys.cert, link.keys.key].filter((key) => present(ctx, link.secret, key)).map((key) => `${link.secret}/${key}`),
    );
}

/** ACL keys present in the Secrets, for the redis-config-hash (absent keys leave the 2.9 hash as it was). */
export function aclHashKeys(ctx: BuildContext, entries: readonly AclEntry[]): string[] {
  return entries.filter(([, secret, key]) => present(ctx, secret, key)).map(([, secret, key]) => `${secret}/${key}`);
}
