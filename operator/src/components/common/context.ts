// What every builder receives.
import type { ApiManagerModel } from '../../model/types.js';
import type { SecretResolution } from '../../secrets/resolve.js';
import type { Labels } from './labels.js';
import { type DesiredObject, desired } from './desired.js';

export interface BuildContext {
  model: ApiManagerModel;
  secrets: SecretResolution;
  /** Any Secret of the namespace by name (the controller's cache); absent in render, which reads no cluster. */
  lookupSecret?: (name: string) => Readonly<Partial<Record<string, string>>> | undefined;
}

export type Builder = (ctx: BuildContext) => DesiredObject[];

/** The operator-created Secret `name` with its effective values, or nothing when it is user-provided. */
export function operatorSecret(ctx: BuildContext, name: string, labels: Labels | undefined): DesiredObject[] {
  const spec = ctx.secrets.operatorSecrets.find((s) => s.name === name);
  if (spec === undefined) return [];
  const values = ctx.secrets.effective[name] ?? {};
  const stringData: Record<string, string> = {};
  for (const { key } of spec.keys) stringData[key] = values[key] ?? '';
  return [
    desired(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, ...(labels !== undefined ? { labels } : {}) },
        ...(spec.type !== undefined ? { type: spec.type } : name === 'system-smtp' ? {} : { type: 'Opaque' }),
        stringData,
      },
      { mode: 'secret-add-missing-keys' },
    ),
  ];
}

/** Effective value of a secret key ('' when unknown, e.g. a user-provided secret absent in render). */
export function secretValue(ctx: BuildContext, secret: string, key: string): string {
  return ctx.secrets.effective[secret]?.[key] ?? '';
}
