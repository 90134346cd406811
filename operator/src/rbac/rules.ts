// The operator's permissions as data (operator.md §8.3, "least privilege"): the one source for the namespaced
// Role, the cluster-wide ClusterRole of manifests/deploy and the CSV's permissions/clusterPermissions.
// Each rule says why it exists. The operator must itself hold every permission it grants in zync-que-role
// (RBAC escalation prevention), hence pods/replicationcontrollers get/list and routes delete.

import { CAPABILITY_KINDS } from '../capabilities/api/kinds.js';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const READ_WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch'];
const CAPABILITY_RESOURCES = Object.values(CAPABILITY_KINDS).map((k) => k.plural);

export const OPERATOR_RULES: readonly PolicyRule[] = [
  // Objects it creates and reconciles; never deleted by the operator (PVCs and secrets hold user data). The
  // configmaps include the preflights' requirements ConfigMap (operator.md §11.1), one per APIManager namespace.
  { apiGroups: [''], resources: ['configmaps', 'secrets', 'persistentvolumeclaims'], verbs: READ_WRITE },
  // delete: zync.enabled false removes zync's Services and ServiceAccount (only ones the CR owns).
  { apiGroups: [''], resources: ['services', 'serviceaccounts'], verbs: [...READ_WRITE, 'delete'] },
  // Kubernetes Events for every create, update and failure.
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  // Granted to zync-que through zync-que-role, so the operator must hold them.
  { apiGroups: [''], resources: ['pods', 'replicationcontrollers'], verbs: ['get', 'list'] },
  // APIcast CR workloads and the kubernetes flavour's Deployments; delete: zync.enabled false.
  { apiGroups: ['apps'], resources: ['deployments'], verbs: [...READ_WRITE, 'delete'] },
  // kubernetes flavour: system-app hook Jobs (re-created for a new revision).
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
  // APIcast exposedHost and the kubernetes flavour's default hosts; deleted when exposedHost is removed.
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: [...READ_WRITE, 'delete'] },
  // PDBs follow podDisruptionBudget.enabled (created, spec replaced, deleted).
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: [...READ_WRITE, 'delete'] },
  // HPAs follow the workloads' hpa flag (created once, then the user's to tune; deleted when hpa is switched off).
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
  // zync-que-role and its binding; delete: zync.enabled false.
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ_WRITE, 'delete'] },
  // openshift flavour workloads, routes and image streams.
  // delete: the move to Deployments (THREESCALE_WORKLOADS=Deployment) removes each DC once its pods stopped.
  { apiGroups: ['apps.openshift.io'], resources: ['deploymentconfigs'], verbs: [...READ_WRITE, 'delete'] },
  { apiGroups: ['route.openshift.io'], resources: ['routes'], verbs: [...READ_WRITE, 'delete'] },
  { apiGroups: ['route.openshift.io'], resources: ['routes/custom-host'], verbs: ['create'] },
  { apiGroups: ['route.openshift.io'], resources: ['routes/status'], verbs: ['get'] },
  // delete: with Deployments on OpenShift the ImageStreams it created are no longer read and are removed.
  { apiGroups: ['image.openshift.io'], resources: ['imagestreams'], verbs: [...READ_WRITE, 'delete'] },
  // The 2.9 upgrade deletes the `latest` ImageStreamTags.
  { apiGroups: ['image.openshift.io'], resources: ['imagestreamtags'], verbs: ['delete'] },
  // Monitoring objects (create-only, deleted when monitoring is switched off).
  {
    apiGroups: ['monitoring.coreos.com'],
    resources: ['podmonitors', 'prometheusrules'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
  },
  { apiGroups: ['integreatly.org'], resources: ['grafanadashboards'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] },
  // Its own custom resources: version annotations on the CR, and the status subresource.
  { apiGroups: ['apps.3scale.net'], resources: ['apimanagers', 'apicasts'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
  { apiGroups: ['apps.3scale.net'], resources: ['apimanagers/status', 'apicasts/status'], verbs: ['get', 'update', 'patch'] },
  // The capabilities CRs: the finalizer (patch), the status, and delete for ProxyConfigPromote's deleteCR and the
  // Backend and Product CRs an OpenAPI CR generated.
  {
    apiGroups: ['capabilities.3scale.net'],
    resources: CAPABILITY_RESOURCES,
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  },
  { apiGroups: ['capabilities.3scale.net'], resources: CAPABILITY_RESOURCES.map((r) => `${r}/status`), verbs: ['get', 'update', 'patch'] },
];

/** Leader election lease, always in the operator's own namespace. */
export const LEADER_ELECTION_RULES: readonly PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
];
