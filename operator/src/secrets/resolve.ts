// Effective secret values: existing keys win (even when empty), missing keys take their default, derived keys
// are computed from effective values (operator.md §2.2, operator-objects §6).
import type { ApiManagerModel } from '../model/types.js';
import type { Finding } from '../components/common/desired.js';
import { type SecretSpec, operatorSecretSpecs } from './catalog.js';
import type { ValueSource } from './value-source.js';
import {
  BACKEND_REDIS_RULES,
  S3_RULES,
  SYSTEM_DATABASE_RULES,
  ZYNC_EXTERNAL_RULES,
  systemRedisRules,
  validateUserSecret,
} from './user-secrets.js';

export interface ExistingSecret {
  /** As the API server answered it: any key may be missing. */
  data: SecretData;
  /** True when the Secret was not created by this APIManager (no ownerReference with its UID). */
  userProvided: boolean;
}

export type ExistingSecrets = ReadonlyMap<string, ExistingSecret>;
/** A Secret's data: keys that may be missing read as undefined. */
export type SecretData = Readonly<Partial<Record<string, string>>>;
/** Secret name → its effective data; a secret (or a key of it) that is not known reads as undefined. */
export type EffectiveSecrets = Readonly<Partial<Record<string, SecretData>>>;

export interface SecretResolution {
  effective: EffectiveSecrets;
  /** Operator-created secrets to emit, with their key order; user-provided ones are never emitted. */
  operatorSecrets: SecretSpec[];
  /** Names the operator must not write (HA databases, S3, user-created redis secrets). */
  userProvided: ReadonlySet<string>;
  findings: Finding[];
}

export interface ResolveOptions {
  /** Controller: true. render: false (no cluster, every Secret counts as absent, operator.md §2.6). */
  checkUserSecrets: boolean;
}

/** The Secrets of the external components: the user's, never written (a missing one is a finding). */
function externalSecrets(model: ApiManagerModel): string[] {
  const { backendRedis, systemRedis, systemDatabase, zyncDatabase } = model.external;
  return [
    ...(backendRedis ? ['backend-redis'] : []),
    ...(systemRedis ? ['system-redis'] : []),
    ...(systemDatabase ? ['system-database'] : []),
    ...(zyncDatabase ? ['zync'] : []),
  ];
}

export function resolveSecrets(
  model: ApiManagerModel,
  existing: ExistingSecrets,
  source: ValueSource,
  options: ResolveOptions,
): SecretResolution {
  const effective: Partial<Record<string, Partial<Record<string, string>>>> = {};
  const external = externalSecrets(model);
  const userProvided = new Set<string>(external);
  for (const [name, secret] of existing) if (secret.userProvided) userProvided.add(name);

  const get = (secret: string, key: string): string => {
    const value = effective[secret]?.[key];
    if (value === undefined) throw new Error(`secret catalog order: ${secret}/${key} read before it was resolved`);
    return value;
  };

  const operatorSecrets: SecretSpec[] = [];
  for (const spec of operatorSecretSpecs(model)) {
    const current = existing.get(spec.name);
    if (userProvided.has(spec.name)) {
      effective[spec.name] = { ...(current?.data ?? {}) };
      continue;
    }
    operatorSecrets.push(spec);
    const values: Record<string, string> = {};
    effective[spec.name] = values;
    for (const { key, default: def } of spec.keys) {
      const kept = current?.data[key];
      values[key] = kept ?? (def.kind === 'derived' ? def.compute(model, get, source) : source.value(def));
    }
    // Keys the catalog does not know stay in the secret untouched; keep them visible to derived readers.
    for (const [key, value] of Object.entries(current?.data ?? {})) if (!(key in values) && value !== undefined) values[key] = value;
  }
  for (const name of external) effective[name] = { ...(existing.get(name)?.data ?? {}) };

  const findings = options.checkUserSecrets ? userSecretFindings(model, existing, userProvided) : [];
  return { effective, operatorSecrets, userProvided, findings };
}

function userSecretFindings(model: ApiManagerModel, existing: ExistingSecrets, userProvided: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const data = (name: string) => existing.get(name)?.data;
  if (userProvided.has('backend-redis')) findings.push(...validateUserSecret('backend-redis', data('backend-redis'), BACKEND_REDIS_RULES));
  if (userProvided.has('system-redis'))
    findings.push(...validateUserSecret('system-redis', data('system-redis'), systemRedisRules(model.external.systemRedis)));
  if (model.external.systemDatabase)
    findings.push(...validateUserSecret('system-database', data('system-database'), SYSTEM_DATABASE_RULES));
  if (model.external.zyncDatabase) findings.push(...validateUserSecret('zync', data('zync'), ZYNC_EXTERNAL_RULES));
  if (model.system.fileStorage.kind === 's3') {
    const name = model.system.fileStorage.secretName;
    findings.push(...validateUserSecret(name, data(name), S3_RULES));
  }
  return findings;
}
