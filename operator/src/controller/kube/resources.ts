// REST paths of the kinds the operator reads or writes. A static table: the operator only ever touches these
// kinds, and resolving them without discovery keeps every request predictable (and countable).

import { CAPABILITY_KINDS } from '../../capabilities/api/kinds.js';
import { CAPABILITIES_GROUP } from '../../capabilities/api/common.js';

export interface ResourceType {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const table: ResourceType[] = [
  ['v1', 'Secret', 'secrets'],
  ['v1', 'ConfigMap', 'configmaps'],
  ['v1', 'Service', 'services'],
  ['v1', 'ServiceAccount', 'serviceaccounts'],
  ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims'],
  ['v1', 'Event', 'events'],
  ['v1', 'Pod', 'pods'],
  ['v1', 'ReplicationController', 'replicationcontrollers'],
  ['apps/v1', 'Deployment', 'deployments'],
  ['apps/v1', 'ReplicaSet', 'replicasets'],
  ['batch/v1', 'Job', 'jobs'],
  ['networking.k8s.io/v1', 'Ingress', 'ingresses'],
  ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'],
  ['rbac.authorization.k8s.io/v1', 'Role', 'roles'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings'],
  ['apps.openshift.io/v1', 'DeploymentConfig', 'deploymentconfigs'],
  ['route.openshift.io/v1', 'Route', 'routes'],
  ['image.openshift.io/v1', 'ImageStream', 'imagestreams'],
  ['monitoring.coreos.com/v1', 'PodMonitor', 'podmonitors'],
  ['monitoring.coreos.com/v1', 'PrometheusRule', 'prometheusrules'],
  ['integreatly.org/v1alpha1', 'GrafanaDashboard', 'grafanadashboards'],
  ['apps.3scale.net/v1alpha1', 'APIManager', 'apimanagers'],
  ['apps.3scale.net/v1alpha1', 'APIcast', 'apicasts'],
  ['coordination.k8s.io/v1', 'Lease', 'leases'],
]
  .map(([apiVersion, kind, plural]) => ({ apiVersion: apiVersion, kind: kind, plural: plural, namespaced: true }))
  .concat(
    Object.values(CAPABILITY_KINDS).map((k) => ({
      apiVersion: `${CAPABILITIES_GROUP}/${k.version}`,
      kind: k.kind,
      plural: k.plural,
      namespaced: true,
    })),
  );

export function resourceType(apiVersion: string, kind: string): ResourceType {
  const found = table.find((t) => t.kind === kind && t.apiVersion === apiVersion);
  if (!found) throw new Error(`unknown kind ${apiVersion} ${kind}: add it to controller/kube/resources.ts`);
  return found;
}

/** `/api/v1/namespaces/ns/secrets[/name]` or `/apis/apps/v1/deployments` when namespace is undefined (all). */
export function resourcePath(type: ResourceType, namespace: string | undefined, name?: string, subresource?: string): string {
  const base = type.apiVersion.includes('/') ? `/apis/${type.apiVersion}` : `/api/${type.apiVersion}`;
  const ns = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  const item = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${ns}/${type.plural}${item}${subresource ? `/${subresource}` : ''}`;
}
