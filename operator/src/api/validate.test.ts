import assert from 'node:assert/strict';
import { validateCr } from './validate.js';

const apimanager = (spec: unknown) => ({ apiVersion: 'apps.3scale.net/v1alpha1', kind: 'APIManager', metadata: { name: 'x' }, spec });
const apicast = (spec: unknown) => ({ apiVersion: 'apps.3scale.net/v1alpha1', kind: 'APIcast', metadata: { name: 'gw' }, spec });

describe('CR validation against the CRD schema', () => {
  it('accepts a minimal APIManager', () => {
    assert.deepEqual(validateCr('APIManager', apimanager({ wildcardDomain: 'example.com' })), []);
  });

  it('names each bad field with a reason', () => {
    const errors = validateCr(
      'APIManager',
      apimanager({
        apicast: { managementAPI: 'verbose', stagingSpec: { replicas: 'two' } },
        tenantNme: 'x',
        backend: { listenerSpec: { replicas: -1 } },
      }),
    );
    assert.deepEqual(errors, [
      { path: 'spec.wildcardDomain', reason: 'required field is missing' },
      { path: 'spec.tenantNme', reason: 'unknown field' },
      { path: 'spec.apicast.managementAPI', reason: 'must be one of disabled, status, debug' },
      { path: 'spec.apicast.stagingSpec.replicas', reason: 'must be integer' },
      { path: 'spec.backend.listenerSpec.replicas', reason: 'must be >= 0' },
    ]);
  });

  it('affinity is opaque, tolerations are checked', () => {
    assert.deepEqual(
      validateCr('APIManager', apimanager({ wildcardDomain: 'd', system: { appSpec: { affinity: { nodeAffinity: { anything: 1 } } } } })),
      [],
    );
    assert.deepEqual(
      validateCr('APIManager', apimanager({ wildcardDomain: 'd', system: { appSpec: { tolerations: [{ effect: 'Sometimes' }] } } })),
      [{ path: 'spec.system.appSpec.tolerations[0].effect', reason: 'must be one of NoSchedule, PreferNoSchedule, NoExecute, ' }],
    );
  });

  it('S3 storage needs its secret name', () => {
    assert.deepEqual(
      validateCr(
        'APIManager',
        apimanager({ wildcardDomain: 'd', system: { fileStorage: { simpleStorageService: { configurationSecretRef: {} } } } }),
      ),
      [{ path: 'spec.system.fileStorage.simpleStorageService.configurationSecretRef.name', reason: 'required field is missing' }],
    );
  });

  it('APIcast needs adminPortalCredentialsRef or embeddedConfigurationSecretRef', () => {
    assert.deepEqual(validateCr('APIcast', apicast({ replicas: 1 })), [
      { path: 'spec.adminPortalCredentialsRef', reason: 'one of adminPortalCredentialsRef and embeddedConfigurationSecretRef is required' },
    ]);
    assert.deepEqual(validateCr('APIcast', apicast({ embeddedConfigurationSecretRef: { name: 'c' }, logLevel: 'loud', exposedHost: {} })), [
      { path: 'spec.exposedHost.host', reason: 'required field is missing' },
      { path: 'spec.logLevel', reason: 'must be one of debug, info, notice, warn, error, crit, alert, emerg' },
    ]);
  });

  it('checks apiVersion and metadata.name', () => {
    const errors = validateCr('APIManager', {
      apiVersion: 'apps.3scale.net/v1',
      kind: 'APIManager',
      metadata: { name: 'Bad_Name' },
      spec: { wildcardDomain: 'd' },
    });
    assert.deepEqual(
      errors.map((e) => e.path),
      ['apiVersion', 'metadata.name'],
    );
  });
});
