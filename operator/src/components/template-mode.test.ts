// The templates generator feeds the same builders with `${PARAM}` placeholders (operator-objects §8): strings pass
// through verbatim, operator-only additions disappear, and secrets refer to parameters instead of random values.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import type { ApiManagerModel } from '../model/types.js';
import { modelOf, containerOf, envNotation, find } from '../testing/build.js';
import { resolveSecrets } from '../secrets/resolve.js';
import { templateValueSource } from '../secrets/value-source.js';
import { buildApiManagerObjects } from './index.js';

function placeholderModel(): ApiManagerModel {
  const base = modelOf();
  return {
    ...base,
    release: '${AMP_RELEASE}',
    appLabel: '${APP_LABEL}',
    tenantName: '${TENANT_NAME}',
    wildcardDomain: '${WILDCARD_DOMAIN}',
    imageStreamTagImportInsecure: '${{IMAGESTREAM_TAG_IMPORT_INSECURE}}',
    images: { ...base.images, backend: '${AMP_BACKEND_IMAGE}', apicast: '${AMP_APICAST_IMAGE}' },
    apicast: {
      ...base.apicast,
      managementAPI: '${APICAST_MANAGEMENT_API}',
      openSSLVerify: '${APICAST_OPENSSL_VERIFY}',
      responseCodes: '${APICAST_RESPONSE_CODES}',
      registryURL: '${APICAST_REGISTRY_URL}',
    },
    system: { ...base.system, fileStorage: { kind: 'pvc', storageClassName: '${{RWX_STORAGE_CLASS}}' } },
    operatorExtras: false,
  };
}

describe('template mode (placeholders through the same builders)', () => {
  const model = placeholderModel();
  const result = buildApiManagerObjects({
    model,
    secrets: resolveSecrets(model, new Map(), templateValueSource, { checkUserSecrets: false }),
  });

  it('placeholders land verbatim where the templates put them', () => {
    assert.equal((find(result, 'Route', 'backend').spec as { host: string }).host, 'backend-${TENANT_NAME}.${WILDCARD_DOMAIN}');
    const is = find(result, 'ImageStream', 'amp-backend').spec as {
      tags: { name: string; from: { name: string }; importPolicy: { insecure: unknown } }[];
    };
    assert.deepEqual(
      is.tags.map((t) => [t.name, t.from.name, t.importPolicy.insecure]),
      [['${AMP_RELEASE}', '${AMP_BACKEND_IMAGE}', '${{IMAGESTREAM_TAG_IMPORT_INSECURE}}']],
    );
    const trigger = (
      find(result, 'DeploymentConfig', 'backend-worker').spec as { triggers: { imageChangeParams?: { from: { name: string } } }[] }
    ).triggers[1];
    assert.equal(trigger.imageChangeParams?.from.name, 'amp-backend:${AMP_RELEASE}');
    assert.equal(
      (find(result, 'PersistentVolumeClaim', 'system-storage').spec as { storageClassName: string }).storageClassName,
      '${{RWX_STORAGE_CLASS}}',
    );
    assert.equal(find(result, 'Service', 'backend-listener').metadata.labels?.app, '${APP_LABEL}');
  });

  it('secrets use parameters; the MySQL env uses the URL parameters', () => {
    const stringData = (name: string) => find(result, 'Secret', name).stringData as Record<string, string>;
    assert.equal(stringData('system-seed').ADMIN_PASSWORD, '${ADMIN_PASSWORD}');
    assert.equal(stringData('system-seed').TENANT_NAME, '${TENANT_NAME}');
    assert.equal(
      stringData('apicast-configuration-url-secret').password,
      'https://${ADMIN_ACCESS_TOKEN}@${TENANT_NAME}-admin.${WILDCARD_DOMAIN}',
    );
    const env = envNotation(containerOf(find(result, 'DeploymentConfig', 'system-mysql'), 'system-mysql').env);
    assert.equal(env.MYSQL_ROOT_PASSWORD, '"${SYSTEM_DATABASE_ROOT_PASSWORD}"');
    assert.equal(env.MYSQL_DATABASE, '"${SYSTEM_DATABASE}"');
  });

  it('operator-only additions are absent (operator-objects §10)', () => {
    const text = stringify(result.objects.map((o) => o.object));
    for (const marker of ['CONFIG_LISTENER_PROMETHEUS_METRICS_PORT', 'APICAST_EXTENDED_METRICS', 'com.redhat.', 'redis-config-hash'])
      assert.ok(!text.includes(marker), marker);
    assert.deepEqual(containerOf(find(result, 'DeploymentConfig', 'zync'), 'zync').ports, [{ containerPort: 8080, protocol: 'TCP' }]);
    assert.equal(find(result, 'DeploymentConfig', 'zync').metadata.labels?.threescale_component_element, undefined);
    assert.deepEqual(
      (find(result, 'DeploymentConfig', 'zync-que').spec as { template: { metadata: { labels: unknown } } }).template.metadata.labels,
      { app: '${APP_LABEL}', deploymentConfig: 'zync-que' },
    );
    // zync-que's metrics port is in both outputs.
    assert.deepEqual(containerOf(find(result, 'DeploymentConfig', 'zync-que'), 'que').ports, [
      { name: 'metrics', containerPort: 9394, protocol: 'TCP' },
    ]);
  });
});
