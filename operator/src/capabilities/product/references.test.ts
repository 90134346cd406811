import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { BackendSpec, ProductSpec } from '../api/kinds.js';
import type { CapabilityObject } from '../sync/env.js';
import type { BackendStatus } from '../backend/sync.js';
import { resolveReferences } from './references.js';

const backend = (
  name: string,
  systemName: string,
  status?: BackendStatus & { conditions?: unknown[] },
): CapabilityObject<BackendSpec, BackendStatus> => ({
  apiVersion: 'capabilities.3scale.net/v1beta1',
  kind: 'Backend',
  metadata: { name },
  spec: { name, systemName, privateBaseURL: 'https://b.example.com', metrics: { pets: { friendlyName: 'Pets', unit: 'pet' } } },
  ...(status ? { status } : {}),
});
const synced = { backendId: 7, conditions: [{ type: 'Synced', status: 'True' }] };

describe('capabilities: what a Product refers to', () => {
  const product: ProductSpec = {
    name: 'Pets API',
    backendUsages: { pets: { path: '/' } },
    applicationPlans: {
      basic: { name: 'Basic', limits: [{ period: 'day', value: 10, metricMethodRef: { systemName: 'pets', backend: 'pets' } }] },
    },
  };

  it('resolves synced Backends by system name', () => {
    const refs = resolveReferences(product, [backend('pets-backend', 'pets', synced)]);
    assert.equal(refs.ok, true);
    assert.equal(refs.backends.get('pets')?.id, 7);
  });

  it('a missing Backend is Invalid, naming the field', () => {
    const refs = resolveReferences(product, []);
    assert.equal(refs.ok, false);
    assert.deepEqual(
      refs.invalid.map((p) => p.path),
      ['spec.backendUsages.pets'],
    );
  });

  it('a Backend not synced yet is waited for (Orphan), not Invalid', () => {
    const refs = resolveReferences(product, [backend('pets-backend', 'pets')]);
    assert.deepEqual(refs, { ok: false, invalid: [], waitingFor: ['Backend pets-backend'] });
  });

  it('a plan limit on an unknown metric is Invalid with the limit named', () => {
    const spec: ProductSpec = {
      ...product,
      applicationPlans: {
        basic: {
          name: 'Basic',
          limits: [
            { period: 'day', value: 1, metricMethodRef: { systemName: 'nope' } },
            { period: 'day', value: 1, metricMethodRef: { systemName: 'cats', backend: 'pets' } },
          ],
        },
      },
    };
    const refs = resolveReferences(spec, [backend('pets-backend', 'pets', synced)]);
    assert.equal(refs.ok, false);
    assert.deepEqual(
      refs.invalid.map((p) => p.path),
      ['spec.applicationPlans.basic.limits[0].metricMethodRef', 'spec.applicationPlans.basic.limits[1].metricMethodRef'],
    );
    assert.match(refs.invalid[1].reason, /Backend pets-backend has no metric or method "cats"/);
  });

  it('a mapping rule on an undeclared metric is Invalid', () => {
    const refs = resolveReferences(
      { name: 'P', mappingRules: [{ httpMethod: 'GET', pattern: '/', metricMethodRef: 'ghost', increment: 1 }] },
      [],
    );
    assert.equal(refs.ok, false);
    assert.equal(refs.invalid[0]?.path, 'spec.mappingRules[0].metricMethodRef');
  });
});
