/**
 * Stand-in CRDs for the monitoring kinds the operator creates when `spec.monitoring.enabled` is true
 * (GrafanaDashboard of integreatly.org/v1alpha1; PrometheusRule, ServiceMonitor, PodMonitor of
 * monitoring.coreos.com/v1). Minimal structural schemas — `spec` keeps unknown fields — because the tests check
 * what the operator creates and deletes, not the monitoring stacks' validation. Installed only by the tests
 * that need them (then removed), so every other test sees a cluster without these groups.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeConfig } from '@kubernetes/client-node';
import { deleteCrds, installCrds } from './crds.js';

const STAND_INS: [group: string, version: string, kind: string, plural: string][] = [
  ['integreatly.org', 'v1alpha1', 'GrafanaDashboard', 'grafanadashboards'],
  ['monitoring.coreos.com', 'v1', 'PrometheusRule', 'prometheusrules'],
  ['monitoring.coreos.com', 'v1', 'ServiceMonitor', 'servicemonitors'],
  ['monitoring.coreos.com', 'v1', 'PodMonitor', 'podmonitors'],
];

export const MONITORING_GROUP_VERSIONS = ['integreatly.org/v1alpha1', 'monitoring.coreos.com/v1'];

function crd(group: string, version: string, kind: string, plural: string): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
          },
        },
      ],
    },
  };
}

/** Writes the four CRDs to a temp dir and returns their paths (for installCrds / deleteCrds). */
export async function monitoringCrdPaths(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'monitoring-crds-'));
  const paths: string[] = [];
  for (const [group, version, kind, plural] of STAND_INS) {
    const path = join(dir, `${plural}.${group}.yaml`);
    await writeFile(path, stringify(crd(group, version, kind, plural)));
    paths.push(path);
  }
  return paths;
}

export async function installMonitoringCrds(kc: KubeConfig): Promise<void> {
  await installCrds(kc, await monitoringCrdPaths());
}
export async function deleteMonitoringCrds(kc: KubeConfig): Promise<void> {
  await deleteCrds(kc, await monitoringCrdPaths());
}
