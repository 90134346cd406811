// `spec.zync.enabled: false`: an installation without zync. Every zync object leaves the build and is listed for
// deletion (an operator-created one goes; one the user made is never ours to delete). The `zync` Secret stays:
// system still reads ZYNC_AUTHENTICATION_TOKEN from it, and it may be the user's. Without zync nobody creates the
// portal and gateway Routes, so they are the user's to create (the operator keeps its own backend Route).
import type { BuildResult, ObjectRef } from '../common/desired.js';

const ZYNC_OBJECTS: ObjectRef[] = [
  ...['zync', 'zync-que', 'zync-database'].flatMap((name) => [
    { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', name },
    { apiVersion: 'apps/v1', kind: 'Deployment', name },
  ]),
  { apiVersion: 'v1', kind: 'Service', name: 'zync' },
  { apiVersion: 'v1', kind: 'Service', name: 'zync-database' },
  { apiVersion: 'v1', kind: 'ServiceAccount', name: 'zync-que-sa' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', name: 'zync-que-role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', name: 'zync-que-rolebinding' },
  { apiVersion: 'image.openshift.io/v1', kind: 'ImageStream', name: 'amp-zync' },
  { apiVersion: 'image.openshift.io/v1', kind: 'ImageStream', name: 'zync-database-postgresql' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', name: 'zync' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', name: 'zync-que' },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', name: 'zync' },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', name: 'zync-que' },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', name: 'zync' },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', name: 'zync-que' },
];

const key = (r: { kind: string; name: string }) => `${r.kind}/${r.name}`;
const ZYNC_KEYS = new Set(ZYNC_OBJECTS.map(key));

export function withoutZync(result: BuildResult): BuildResult {
  const objects = result.objects.filter((d) => !ZYNC_KEYS.has(key({ kind: d.object.kind, name: d.object.metadata.name })));
  const absent = [...result.absent.filter((r) => !ZYNC_KEYS.has(key(r))), ...ZYNC_OBJECTS];
  return { objects, absent, findings: result.findings };
}

/** The Routes zync would create; without zync, Available waits only for the operator's own backend Route. */
export const ZYNC_ROUTE_HOSTS = (tenant: string, domain: string) => [
  `api-${tenant}-apicast-production.${domain}`,
  `api-${tenant}-apicast-staging.${domain}`,
  `master.${domain}`,
  `${tenant}.${domain}`,
  `${tenant}-admin.${domain}`,
];
