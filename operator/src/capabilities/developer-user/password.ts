// A DeveloperUser's password, from the Secret its passwordCredentialsRef names (key password). Pure.
import type { DeveloperUserSpec } from '../api/kinds.js';

export function userPassword(
  spec: DeveloperUserSpec,
  secret: (name: string, namespace?: string) => Readonly<Partial<Record<string, string>>> | undefined,
): { ok: true; value: string } | { ok: false; reason: string } {
  const ref = spec.passwordCredentialsRef;
  const data = secret(ref.name, ref.namespace);
  if (!data) return { ok: false, reason: `Secret ${ref.name} does not exist` };
  const value = data.password ?? '';
  if (value === '') return { ok: false, reason: `Secret ${ref.name} has no key password` };
  return { ok: true, value };
}
