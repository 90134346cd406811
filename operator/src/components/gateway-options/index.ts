// What a gateway's own settings add to its pod (shared by the APIManager's apicast-staging/-production and the
// APIcast CR): env vars, Secret volumes and mounts, the HTTPS port, and a hash of every Secret they read so that
// a change to one of those Secrets rolls the pods. Pure: the Secrets come in through `lookup` (absent in render).
import { createHash } from 'node:crypto';
import type { IContainerPort } from 'kubernetes-models/v1/ContainerPort';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { GatewayOptions } from '../../model/types.js';
import type { Finding } from '../common/desired.js';

export type SecretLookup = (name: string) => Readonly<Partial<Record<string, string>>> | undefined;

export const POLICIES_ROOT = '/opt/app-root/src/policies';
export const ENVIRONMENTS_ROOT = '/opt/app-root/src/environments';
export const TRACING_CONFIG_ROOT = '/opt/app-root/src/tracing-configs';
export const HTTPS_CERTIFICATES_PATH = '/var/run/secrets/tls';
/** Tracing config key when it is neither given nor readable (render has no cluster): upstream's old default. */
export const FALLBACK_TRACING_KEY = 'config';
export const GATEWAY_SECRETS_HASH = 'apps.3scale.net/gateway-secrets-hash';
export const GATEWAY_SECRETS_HASH_PATH = 'spec.template.metadata.annotations.apps\\.3scale\\.net/gateway-secrets-hash';

export interface GatewayPodParts {
  env: IEnvVar[];
  volumes: IVolume[];
  mounts: IVolumeMount[];
  ports: IContainerPort[];
  /** The Secrets hash; empty without lookup or without referenced Secrets. */
  annotations: Record<string, string>;
  findings: Finding[];
}

interface Mount {
  volume: string;
  secretName: string;
  path: string;
  requiredKeys: string[];
}

function mountsOf(options: GatewayOptions): Mount[] {
  const mounts: Mount[] = options.customPolicies.map((p, i) => ({
    volume: `policy-${i}`,
    secretName: p.secretName,
    path: `${POLICIES_ROOT}/${p.name}/${p.version}`,
    requiredKeys: ['apicast-policy.json', 'index.js'],
  }));
  options.customEnvironments.forEach((secretName, i) =>
    mounts.push({ volume: `custom-environment-${i}`, secretName, path: `${ENVIRONMENTS_ROOT}/${secretName}`, requiredKeys: [] }),
  );
  const tracing = options.openTelemetry;
  if (tracing?.secretName !== undefined) {
    mounts.push({
      volume: 'tracing-config',
      secretName: tracing.secretName,
      path: `${TRACING_CONFIG_ROOT}/${tracing.secretName}`,
      requiredKeys: tracing.key !== undefined ? [tracing.key] : [],
    });
  }
  const certificate = options.https?.certificateSecret;
  if (certificate !== undefined)
    mounts.push({
      volume: 'https-certificates',
      secretName: certificate,
      path: HTTPS_CERTIFICATES_PATH,
      requiredKeys: ['tls.crt', 'tls.key'],
    });
  return mounts;
}

const sortedKeys = (data: Readonly<Partial<Record<string, string>>> | undefined) => Object.keys(data ?? {}).sort();

function envOf(options: GatewayOptions, lookup: SecretLookup | undefined): IEnvVar[] {
  const env: IEnvVar[] = [];
  const add = (name: string, value: string | number) => env.push({ name, value: String(value) });
  if (options.https !== undefined) {
    add('APICAST_HTTPS_PORT', options.https.port);
    if (options.https.verifyDepth !== undefined) add('APICAST_HTTPS_VERIFY_DEPTH', options.https.verifyDepth);
    if (options.https.certificateSecret !== undefined) {
      add('APICAST_HTTPS_CERTIFICATE', `${HTTPS_CERTIFICATES_PATH}/tls.crt`);
      add('APICAST_HTTPS_CERTIFICATE_KEY', `${HTTPS_CERTIFICATES_PATH}/tls.key`);
    }
  }
  const tracing = options.openTelemetry;
  if (tracing !== undefined) {
    add('OPENTELEMETRY', '1');
    if (tracing.secretName !== undefined) {
      const key = tracing.key ?? sortedKeys(lookup?.(tracing.secretName)).at(0) ?? FALLBACK_TRACING_KEY;
      add('OPENTELEMETRY_CONFIG', `${TRACING_CONFIG_ROOT}/${tracing.secretName}/${key}`);
    }
  }
  // The files of each environment Secret are known only from the Secret itself (the operator reads it).
  const files =
    lookup === undefined
      ? []
      : options.customEnvironments.flatMap((name) => sortedKeys(lookup(name)).map((key) => `${ENVIRONMENTS_ROOT}/${name}/${key}`));
  if (files.length > 0) add('APICAST_ENVIRONMENT', files.join(':'));
  for (const { name, value } of options.env) add(name, value);
  return env;
}

function findingsOf(mounts: Mount[], lookup: SecretLookup): Finding[] {
  const findings: Finding[] = [];
  for (const mount of mounts) {
    const data = lookup(mount.secretName);
    if (data === undefined) {
      findings.push({ secret: mount.secretName, reason: 'secret not found' });
      continue;
    }
    for (const key of mount.requiredKeys) if (!(key in data)) findings.push({ secret: mount.secretName, key, reason: 'key missing' });
    if (mount.requiredKeys.length === 0 && Object.keys(data).length === 0)
      findings.push({ secret: mount.secretName, reason: 'secret has no keys' });
  }
  return findings;
}

/** sha256 over `<secret>/<key>=<value>\n` of every referenced Secret, sorted; a changed value changes the pods. */
export function secretsHash(names: string[], lookup: SecretLookup): string {
  const hash = createHash('sha256');
  for (const name of [...new Set(names)].sort()) {
    const data = lookup(name) ?? {};
    for (const key of sortedKeys(data)) hash.update(`${name}/${key}=${data[key]}\n`);
  }
  return hash.digest('hex');
}

export function gatewayPodParts(options: GatewayOptions, lookup: SecretLookup | undefined): GatewayPodParts {
  const mounts = mountsOf(options);
  const secretNames = mounts.map((m) => m.secretName);
  return {
    env: envOf(options, lookup),
    volumes: mounts.map((m) => ({ name: m.volume, secret: { secretName: m.secretName } })),
    mounts: mounts.map((m) => ({ name: m.volume, mountPath: m.path, readOnly: true })),
    ports: options.https !== undefined ? [{ name: 'httpsproxy', containerPort: options.https.port, protocol: 'TCP' }] : [],
    annotations: lookup !== undefined && secretNames.length > 0 ? { [GATEWAY_SECRETS_HASH]: secretsHash(secretNames, lookup) } : {},
    findings: lookup !== undefined ? findingsOf(mounts, lookup) : [],
  };
}
