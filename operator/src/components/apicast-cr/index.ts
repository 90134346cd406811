// Objects of an APIcast CR (operator.md §7.2): Deployment, Service and, with exposedHost, an Ingress — the
// same in both flavours.
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { ApicastModel } from '../../model/types.js';
import { type BuildResult, type DesiredObject, createOnly, desired } from '../common/desired.js';
import { restricted } from '../common/security.js';
import { httpProbe } from '../common/probes.js';

export const ADMIN_PORTAL_RV_ANNOTATION = 'apicast.apps.3scale.net/admin-portal-secret-resource-version';
export const GATEWAY_CONFIG_RV_ANNOTATION = 'apicast.apps.3scale.net/gateway-configuration-secret-resource-version';
export const POLICIES_ROOT = '/opt/app-root/src/policies';

/** What the controller learnt from the referenced Secrets (absent in render). */
export interface ApicastSecretRefs {
  adminPortal?: { resourceVersion: string; key: 'AdminPortalURL' | 'password' };
  embeddedConfiguration?: { resourceVersion: string };
}

const policyVolumeName = (i: number) => `policy-${i}`;

export function buildApicastCr(model: ApicastModel, refs: ApicastSecretRefs = {}): BuildResult {
  const name = `apicast-${model.name}`;
  const labels = { app: 'apicast', threescale_component: 'apicast' };
  const selector = { deployment: name };

  const env: IEnvVar[] = [];
  if (model.adminPortalSecret !== undefined) {
    env.push({ name: 'THREESCALE_PORTAL_ENDPOINT', valueFrom: { secretKeyRef: { name: model.adminPortalSecret, key: refs.adminPortal?.key ?? 'AdminPortalURL' } } });
  }
  env.push(...model.env);

  const volumes: IVolume[] = [];
  const mounts: IVolumeMount[] = [];
  if (model.embeddedConfigurationSecret !== undefined) {
    volumes.push({ name: 'gateway-configuration-volume', secret: { secretName: model.embeddedConfigurationSecret, items: [{ key: 'config.json', path: 'config.json' }] } });
    mounts.push({ name: 'gateway-configuration-volume', mountPath: '/tmp/gateway-configuration-volume', readOnly: true });
  }
  model.customPolicies.forEach((p, i) => {
    volumes.push({ name: policyVolumeName(i), secret: { secretName: p.secretName, items: [{ key: 'apicast-policy.json', path: 'apicast-policy.json' }, { key: 'index.js', path: 'index.js' }] } });
    mounts.push({ name: policyVolumeName(i), mountPath: `${POLICIES_ROOT}/${p.name}/${p.version}`, readOnly: true });
  });

  const podAnnotations: Record<string, string> = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9421' };
  if (refs.adminPortal !== undefined) podAnnotations[ADMIN_PORTAL_RV_ANNOTATION] = refs.adminPortal.resourceVersion;
  if (refs.embeddedConfiguration !== undefined) podAnnotations[GATEWAY_CONFIG_RV_ANNOTATION] = refs.embeddedConfiguration.resourceVersion;

  const deployment: DesiredObject = desired(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels, ...(model.namespace !== undefined ? { namespace: model.namespace } : {}) },
      spec: {
        replicas: model.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels: selector, annotations: podAnnotations },
          spec: {
            serviceAccountName: model.serviceAccount,
            containers: [
              {
                name,
                image: model.image,
                imagePullPolicy: 'Always',
                ports: [
                  { name: 'proxy', containerPort: 8080, protocol: 'TCP' },
                  { name: 'management', containerPort: 8090, protocol: 'TCP' },
                  { name: 'metrics', containerPort: 9421, protocol: 'TCP' },
                ],
                env,
                resources: model.resources,
                livenessProbe: httpProbe('/status/live', 8090, { initialDelaySeconds: 10, timeoutSeconds: 5, periodSeconds: 10 }),
                readinessProbe: httpProbe('/status/ready', 8090, { initialDelaySeconds: 15, timeoutSeconds: 5, periodSeconds: 30 }),
                ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
                securityContext: restricted(),
              },
            ],
            ...(volumes.length > 0 ? { volumes } : {}),
          },
        },
      },
    },
    {
      mode: 'fields',
      paths: [
        'spec.replicas',
        'spec.template.spec.containers[0].image',
        'spec.template.spec.serviceAccountName',
        'spec.template.spec.containers[0].env',
        'spec.template.metadata.annotations',
        'spec.template.spec.volumes',
        'spec.template.spec.containers[0].volumeMounts',
        'spec.template.spec.containers[0].resources',
      ],
    },
  );

  const svc: DesiredObject = desired(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels },
      spec: {
        ports: [
          { name: 'proxy', port: 8080, protocol: 'TCP', targetPort: 8080 },
          { name: 'management', port: 8090, protocol: 'TCP', targetPort: 8090 },
        ],
        selector,
      },
    },
    createOnly,
  );

  const ingressRef = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name };
  if (model.exposedHost === undefined) return { objects: [deployment, svc], absent: [ingressRef], findings: [] };
  const ingress: DesiredObject = desired(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, labels },
      spec: {
        rules: [{ host: model.exposedHost.host, http: { paths: [{ pathType: 'ImplementationSpecific', backend: { service: { name, port: { name: 'proxy' } } } }] } }],
        ...(model.exposedHost.tls !== undefined ? { tls: model.exposedHost.tls } : {}),
      },
    },
    { mode: 'fields', paths: ['spec.rules', 'spec.tls'] },
  );
  return { objects: [deployment, svc, ingress], absent: [], findings: [] };
}
