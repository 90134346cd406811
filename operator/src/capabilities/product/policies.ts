// The product's policy chain as 3scale stores it (policies_config), with configurations read from Secrets where
// the CR says configurationRef. Pure given the Secret lookup. Compared as canonical JSON, so key order in
// 3scale's answer does not count as a change.
import type { FieldError } from '../../model/types.js';
import type { ProductSpec } from '../api/kinds.js';

export type PolicyChain = { ok: true; chain: unknown[] | undefined } | { ok: false; errors: FieldError[] };

export function desiredPolicies(
  spec: ProductSpec,
  secret: (name: string) => Readonly<Partial<Record<string, string>>> | undefined,
): PolicyChain {
  if (spec.policies === undefined) return { ok: true, chain: undefined };
  const errors: FieldError[] = [];
  const chain = spec.policies.map((policy, index) => {
    let configuration: unknown = policy.configuration ?? {};
    if (policy.configurationRef) {
      const data = secret(policy.configurationRef.name);
      const raw = data?.configuration;
      if (raw === undefined)
        errors.push({
          path: `spec.policies[${index}].configurationRef`,
          reason: `Secret ${policy.configurationRef.name} ${data ? 'has no key configuration' : 'does not exist'}`,
        });
      else {
        try {
          configuration = JSON.parse(raw);
        } catch {
          errors.push({
            path: `spec.policies[${index}].configurationRef`,
            reason: `Secret ${policy.configurationRef.name} key configuration is not JSON`,
          });
        }
      }
    }
    return { name: policy.name, version: policy.version, configuration, enabled: policy.enabled };
  });
  // 3scale keeps the apicast policy in every chain (it appends it when missing): so does the desired chain, or
  // each resync would see a difference that is not one.
  if (!chain.some((p) => p.name === 'apicast')) chain.push({ name: 'apicast', version: 'builtin', configuration: {}, enabled: true });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, chain };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

export function policiesEqual(wanted: unknown[], actual: unknown[]): boolean {
  const normalise = (chain: unknown[]) =>
    chain.map((p) => {
      const r = (p ?? {}) as Record<string, unknown>;
      return canonical({ name: r.name, version: r.version, configuration: r.configuration ?? {}, enabled: r.enabled ?? true });
    });
  return JSON.stringify(normalise(wanted)) === JSON.stringify(normalise(actual));
}
