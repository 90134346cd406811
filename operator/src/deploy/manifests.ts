// The plain install manifests of manifests/deploy (README decisions "OLM bundle"): a namespaced variant (Role,
// WATCH_NAMESPACE = the operator's namespace) and a cluster-wide variant (ClusterRole, WATCH_NAMESPACE empty).
// Pure: returns objects; the CLI writes them. The bundle generator can reuse `operatorDeployment` and the rules.
import { restricted } from '../components/common/security.js';
import { LEADER_ELECTION_RULES, OPERATOR_RULES, type PolicyRule } from '../rbac/rules.js';

export const OPERATOR_NAME = 'threescale-operator';
export const SERVICE_ACCOUNT = '3scale-operator';
export const HEALTH_PORT = 8081;

type Obj = Record<string, unknown>;

export interface DeployOptions {
  image: string;
  /** Environment entries appended to the container's (e.g. RELATED_IMAGE_*). */
  relatedImages?: Record<string, string>;
}

const rules = (list: readonly PolicyRule[]): PolicyRule[] =>
  list.map((r) => ({ ...r, apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] }));

export function operatorDeployment(options: DeployOptions, scope: 'namespaced' | 'cluster'): Obj {
  const watchNamespace =
    scope === 'namespaced'
      ? { name: 'WATCH_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }
      : { name: 'WATCH_NAMESPACE', value: '' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: SERVICE_ACCOUNT, labels: { name: OPERATOR_NAME } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { name: OPERATOR_NAME } },
      template: {
        metadata: {
          labels: {
            name: OPERATOR_NAME,
            'com.redhat.product-name': '3scale',
            'com.redhat.component-name': '3scale-operator',
            'com.redhat.component-type': 'infrastructure',
          },
        },
        spec: {
          serviceAccountName: SERVICE_ACCOUNT,
          containers: [
            {
              name: SERVICE_ACCOUNT,
              image: options.image,
              command: ['threescale-operator', 'run'],
              env: [
                watchNamespace,
                { name: 'OPERATOR_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'OPERATOR_NAME', value: OPERATOR_NAME },
                ...Object.entries(options.relatedImages ?? {}).map(([name, value]) => ({ name, value })),
              ],
              ports: [{ name: 'metrics', containerPort: HEALTH_PORT }],
              livenessProbe: { httpGet: { path: '/healthz', port: HEALTH_PORT }, initialDelaySeconds: 15, periodSeconds: 20 },
              readinessProbe: { httpGet: { path: '/readyz', port: HEALTH_PORT }, initialDelaySeconds: 5, periodSeconds: 10 },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
              securityContext: restricted(),
            },
          ],
        },
      },
    },
  };
}

export interface ManifestFile {
  name: string;
  objects: Obj[];
}

/** Files of one variant: ServiceAccount, RBAC, Deployment. CRDs and samples are copied alongside by the CLI. */
export function deployManifests(options: DeployOptions, scope: 'namespaced' | 'cluster'): ManifestFile[] {
  const serviceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SERVICE_ACCOUNT } };
  const leaderRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: `${SERVICE_ACCOUNT}-leader-election` },
    rules: rules(LEADER_ELECTION_RULES),
  };
  const leaderBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${SERVICE_ACCOUNT}-leader-election` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${SERVICE_ACCOUNT}-leader-election` },
    subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT }],
  };
  const rbac =
    scope === 'namespaced'
      ? [
          { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: SERVICE_ACCOUNT }, rules: rules(OPERATOR_RULES) },
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: SERVICE_ACCOUNT },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SERVICE_ACCOUNT },
            subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT }],
          },
        ]
      : [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: { name: SERVICE_ACCOUNT },
            rules: rules(OPERATOR_RULES),
          },
          {
            // The subject's namespace is filled at install time (`kubectl apply -n <ns>` does not set it).
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: SERVICE_ACCOUNT },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: SERVICE_ACCOUNT },
            subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: 'threescale-operator' }],
          },
        ];
  return [
    { name: 'service_account.yaml', objects: [serviceAccount] },
    { name: 'role.yaml', objects: [...rbac.filter((o) => o.kind.endsWith('Role')), leaderRole] },
    { name: 'role_binding.yaml', objects: [...rbac.filter((o) => o.kind.endsWith('Binding')), leaderBinding] },
    { name: 'operator.yaml', objects: [operatorDeployment(options, scope)] },
  ];
}

/** The namespace a cluster-wide install's ClusterRoleBinding subject must name. */
export function bindToNamespace(files: ManifestFile[], namespace: string): ManifestFile[] {
  return files.map((file) => ({
    ...file,
    objects: file.objects.map((o) =>
      o.kind === 'ClusterRoleBinding' ? { ...o, subjects: (o.subjects as Obj[]).map((s) => ({ ...s, namespace })) } : o,
    ),
  }));
}
