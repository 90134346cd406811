import assert from 'node:assert/strict';
import { toApiManagerModel } from './apimanager.js';
import { toApicastModel } from './apicast.js';
import { apiManager, modelOf } from '../testing/build.js';
import { GATEWAY_IMAGE } from './images.js';

describe('APIManager model', () => {
  it('applies the defaults of operator.md §1.2', () => {
    const m = modelOf();
    assert.equal(m.appLabel, '3scale-api-management');
    assert.equal(m.tenantName, '3scale');
    assert.equal(m.release, '2.9');
    assert.equal(m.apicast.managementAPI, 'status');
    assert.equal(m.apicast.openSSLVerify, 'false');
    assert.equal(m.apicast.responseCodes, 'true');
    assert.equal(m.backend.listener.replicas, 1);
    assert.deepEqual(m.system.fileStorage, { kind: 'pvc' });
    assert.deepEqual(m.system.database, { kind: 'mysql' });
    assert.equal(m.images.apicast, GATEWAY_IMAGE);
    assert.equal(m.images.backend, 'registry.redhat.io/3scale-amp2/backend-rhel7:3scale2.9');
  });

  it('images: CR field, then RELATED_IMAGE_*, then the original *_IMAGE, then built-in', () => {
    assert.equal(modelOf({}, { RELATED_IMAGE_BACKEND: 'r/backend:1', BACKEND_IMAGE: 'o/backend:1' }).images.backend, 'r/backend:1');
    assert.equal(modelOf({}, { BACKEND_IMAGE: 'o/backend:1' }).images.backend, 'o/backend:1');
    assert.equal(modelOf({ backend: { image: 'cr/backend:2' } }, { RELATED_IMAGE_BACKEND: 'r/backend:1' }).images.backend, 'cr/backend:2');
    assert.equal(modelOf({}, { RELATED_IMAGE_APICAST: '' }).images.apicast, GATEWAY_IMAGE);
    assert.equal(modelOf({}, { RELATED_IMAGE_ZYNC_POSTGRESQL: 'pg:13' }).images.zyncPostgresql, 'pg:13');
  });

  it('rejects two file storages and two databases with the original messages', () => {
    const result = toApiManagerModel(
      apiManager({
        system: {
          fileStorage: { persistentVolumeClaim: {}, simpleStorageService: { configurationSecretRef: { name: 's' } } },
          database: { mysql: {}, postgresql: {} },
        },
      }),
      {},
    );
    assert.deepEqual(result, {
      ok: false,
      errors: [
        { path: 'spec.system.fileStorage', reason: 'Only one FileStorage can be chosen at the same time' },
        { path: 'spec.system.database', reason: 'Only one System Database can be chosen at the same time' },
      ],
    });
  });

  it('HA makes the database external whatever spec.system.database says', () => {
    assert.deepEqual(
      modelOf({ highAvailability: { enabled: true }, system: { database: { mysql: {}, postgresql: {} } } }).system.database,
      { kind: 'external' },
    );
  });
});

describe('APIcast model', () => {
  const cr = (spec: object) => ({
    apiVersion: 'apps.3scale.net/v1alpha1' as const,
    kind: 'APIcast' as const,
    metadata: { name: 'gw' },
    spec,
  });

  it('env only for set fields, in the order of operator.md §7.2', () => {
    const result = toApicastModel(
      cr({
        embeddedConfigurationSecretRef: { name: 'c' },
        logLevel: 'debug',
        enabledServices: ['1', '2'],
        cacheConfigurationSeconds: 30,
        openSSLPeerVerificationEnabled: false,
        workers: 2,
      }),
      {},
    );
    assert.ok(result.ok);
    assert.deepEqual(result.value.env, [
      { name: 'APICAST_SERVICES_LIST', value: '1,2' },
      { name: 'APICAST_LOG_LEVEL', value: 'debug' },
      { name: 'APICAST_CONFIGURATION_CACHE', value: '30' },
      { name: 'OPENSSL_VERIFY', value: 'false' },
      { name: 'THREESCALE_CONFIG_FILE', value: '/tmp/gateway-configuration-volume/config.json' },
      { name: 'APICAST_WORKERS', value: '2' },
    ]);
    assert.equal(result.value.replicas, 1);
    assert.equal(result.value.serviceAccount, 'default');
  });

  it('rejects duplicate custom policies and empty secret names', () => {
    const result = toApicastModel(
      cr({
        adminPortalCredentialsRef: { name: '' },
        customPolicies: [
          { name: 'p', version: '1', secretRef: { name: 'a' } },
          { name: 'p', version: '1', secretRef: { name: 'b' } },
        ],
      }),
      {},
    );
    assert.deepEqual(result, {
      ok: false,
      errors: [
        {
          path: 'spec.adminPortalCredentialsRef.name',
          reason: "Field 'Name' not specified for AdminPortalCredentialsRef Secret Reference",
        },
        { path: 'spec.customPolicies[1]', reason: 'duplicate policy p/1' },
      ],
    });
  });
});
