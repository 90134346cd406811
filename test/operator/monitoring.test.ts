/**
 * `spec.monitoring.enabled` on the test cluster (operator.md §6.2): with the monitoring CRDs served, the operator
 * creates the PodMonitors, GrafanaDashboards and PrometheusRules; switching it off deletes the ones it owns
 * (the builders' `absent` list) and leaves a user's own PodMonitor alone. The stand-in CRDs are installed for
 * this suite only (before the operator starts: it reads API discovery at start) and removed afterwards.
 */
import assert from 'node:assert/strict';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { deleteMonitoringCrds, installMonitoringCrds } from '../cluster/monitoring-crds.js';
import { eventually, editObject } from './fixture.js';
import { operatorSuite } from './suite.js';

const APIM = 'apps.3scale.net/v1alpha1';
const KINDS = [
  ['monitoring.coreos.com/v1', 'PodMonitor'],
  ['integreatly.org/v1alpha1', 'GrafanaDashboard'],
  ['monitoring.coreos.com/v1', 'PrometheusRule'],
] as const;

describe('operator: monitoring objects (spec.monitoring.enabled)', function () {
  this.timeout(120_000);
  const suite = operatorSuite({
    prefix: 'monitoring',
    prepare: async (s) => installMonitoringCrds(s.cluster.kubeConfig()),
    cleanup: async () => deleteMonitoringCrds(suite.cluster.kubeConfig()),
  });

  const names = async (apiVersion: string, kind: string) =>
    (await suite.admin.list<KubeObject>(apiVersion, kind, suite.namespace)).items.map((o) => o.metadata.name).sort();

  it('creates 7 PodMonitors, 7 GrafanaDashboards and 7 PrometheusRules when enabled, owned by the APIManager', async () => {
    const { admin, namespace } = suite;
    await admin.create({
      apiVersion: APIM,
      kind: 'APIManager',
      metadata: { name: 'example', namespace },
      spec: { wildcardDomain: 'example.test', monitoring: { enabled: true } },
    });
    await eventually(
      'monitoring objects created',
      async () => {
        for (const [apiVersion, kind] of KINDS) if ((await names(apiVersion, kind)).length !== 7) return false;
        return true;
      },
      60_000,
      500,
    );
    assert.ok((await names('monitoring.coreos.com/v1', 'PodMonitor')).includes('backend-listener'));
    const cr = await admin.get<KubeObject>(APIM, 'APIManager', namespace, 'example');
    for (const [apiVersion, kind] of KINDS) {
      for (const object of (await admin.list<KubeObject>(apiVersion, kind, namespace)).items) {
        assert.ok(
          object.metadata.ownerReferences?.some((r) => r.uid === cr.metadata.uid),
          `${kind}/${object.metadata.name} owned`,
        );
      }
    }
  });

  it('deletes them when switched off, keeping a PodMonitor the user created', async () => {
    const { admin, namespace } = suite;
    await admin.create({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'users-own', namespace },
      spec: { selector: {} },
    });
    await editObject(admin, APIM, 'APIManager', namespace, 'example', (cr) => {
      (cr.spec as { monitoring: { enabled: boolean } }).monitoring.enabled = false;
    });
    await eventually(
      'monitoring objects deleted',
      async () => {
        for (const [apiVersion, kind] of KINDS)
          if ((await names(apiVersion, kind)).length !== (kind === 'PodMonitor' ? 1 : 0)) return false;
        return true;
      },
      30_000,
      300,
    );
    assert.deepEqual(await names('monitoring.coreos.com/v1', 'PodMonitor'), ['users-own']);
  });
});
