// Objects of an APIcast CR (operator.md §7.2): Deployment, Service and, with exposedHost, an Ingress — the
// same in both flavours.
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { ApicastModel, Scheduling } from '../../model/types.js';
import { type BuildResult, type DesiredObject, type ObjectRef, desired } from '../common/desired.js';
import { type SecretLookup, gatewayPodParts } from '../gateway-options/index.js';
import { horizontalPodAutoscaler } from '../hpa/index.js';
import { restricted } from '../common/security.js';
import { httpProbe } from '../common/probes.js';

export const ADMIN_PORTAL_RV_ANNOTATION = 'apicast.apps.3scale.net/admin-portal-secret-resource-version';
export const GATEWAY_CONFIG_RV_ANNOTATION = 'apicast.apps.3scale.net/gateway-configuration-secret-resource-version';
export const CA_BUNDLE_KEY = 'ca-bundle.crt';
export const CA_CERTIFICATE_PATH = '/var/run/secrets/ca-certificate';

/** What the controller learnt from the referenced Secrets (absent in render). */
export interface ApicastSecretRefs {
  adminPortal?: { resourceVersion: string; key: 'AdminPortalURL' | 'password' };
  embeddedConfiguration?: { resourceVersion: string };
}

/** `lookup` reads the Secrets the gateway settings name (the controller's cache; absent in render). */
export function buildApicastCr(model: ApicastModel, refs: ApicastSecretRefs = {}, lookup?: SecretLookup): BuildResult {
  const name = `apicast-${model.name}`;
  const parts = gatewayPodParts(model.gateway, lookup);
  const labels = { app: 'apicast', threescale_component: 'apicast' };
  const selector = { deployment: name };

  const env: IEnvVar[] = [];
  if (model.adminPortalSecret !== undefined) {
    env.push({
      name: 'THREESCALE_PORTAL_ENDPOINT',
      valueFrom: { secretKeyRef: { name: model.adminPortalSecret, key: refs.adminPortal?.key ?? 'AdminPortalURL' } },
    });
  }
  env.push(...model.env);
  if (model.caCertificateSecret !== undefined) env.push({ name: 'SSL_CERT_FILE', value: `${CA_CERTIFICATE_PATH}/${CA_BUNDLE_KEY}` });
  env.push(...parts.env);

  const volumes: IVolume[] = [];
  const mounts: IVolumeMount[] = [];
  if (model.embeddedConfigurationSecret !== undefined) {
    volumes.push({
      name: 'gateway-configuration-volume',
      secret: { secretName: model.embeddedConfigurationSecret, items: [{ key: 'config.json', path: 'config.json' }] },
    });
    mounts.push({ name: 'gateway-configuration-volume', mountPath: '/tmp/gateway-configuration-volume', readOnly: true });
  }
  if (model.caCertificateSecret !== undefined) {
    volumes.push({
      name: 'ca-certificate',
      secret: { secretName: model.caCertificateSecret, items: [{ key: CA_BUNDLE_KEY, path: CA_BUNDLE_KEY }] },
    });
    mounts.push({ name: 'ca-certificate', mountPath: CA_CERTIFICATE_PATH, readOnly: true });
  }
  volumes.push(...parts.volumes);
  mounts.push(...parts.mounts);

  const podAnnotations: Record<string, string> = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9421' };
  if (refs.adminPortal !== undefined) podAnnotations[ADMIN_PORTAL_RV_ANNOTATION] = refs.adminPortal.resourceVersion;
  if (refs.embeddedConfiguration !== undefined) podAnnotations[GATEWAY_CONFIG_RV_ANNOTATION] = refs.embeddedConfiguration.resourceVersion;
  Object.assign(podAnnotations, parts.annotations);

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
                  ...parts.ports,
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
            ...podScheduling(model.scheduling),
          },
        },
      },
    },
    {
      mode: 'fields',
      paths: [
        // An HPA owns the replica count while it exists.
        ...(model.autoscaled ? [] : ['spec.replicas']),
        'spec.template.spec.containers[0].image',
        'spec.template.spec.serviceAccountName',
        'spec.template.spec.containers[0].env',
        'spec.template.metadata.annotations',
        'spec.template.spec.volumes',
        'spec.template.spec.containers[0].volumeMounts',
        'spec.template.spec.containers[0].resources',
        'spec.template.spec.containers[0].ports',
        'spec.template.spec.affinity',
        'spec.template.spec.tolerations',
        'spec.template.spec.priorityClassName',
        'spec.template.spec.topologySpreadConstraints',
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
          ...(model.gateway.https !== undefined
            ? [{ name: 'httpsproxy', port: 8443, protocol: 'TCP', targetPort: model.gateway.https.port }]
            : []),
        ],
        selector,
      },
    },
    { mode: 'fields', paths: ['spec.ports'] },
  );
  const scaling = scalingObjects(model, name, labels, selector);

  const ingressRef = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name };
  if (model.exposedHost === undefined)
    return { objects: [deployment, svc, ...scaling.objects], absent: [ingressRef, ...scaling.absent], findings: [] };
  const ingress: DesiredObject = desired(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, labels },
      spec: {
        ...(model.exposedHost.ingressClassName !== undefined ? { ingressClassName: model.exposedHost.ingressClassName } : {}),
        rules: [
          {
            host: model.exposedHost.host,
            http: { paths: [{ pathType: 'ImplementationSpecific', backend: { service: { name, port: { name: 'proxy' } } } }] },
          },
        ],
        ...(model.exposedHost.tls !== undefined ? { tls: model.exposedHost.tls } : {}),
      },
    },
    { mode: 'fields', paths: ['spec.rules', 'spec.tls', 'spec.ingressClassName'] },
  );
  return { objects: [deployment, svc, ingress, ...scaling.objects], absent: scaling.absent, findings: [] };
}

function podScheduling(s: Scheduling): Record<string, unknown> {
  return {
    ...(s.affinity !== undefined ? { affinity: s.affinity } : {}),
    ...(s.tolerations !== undefined ? { tolerations: s.tolerations } : {}),
    ...(s.priorityClassName !== undefined ? { priorityClassName: s.priorityClassName } : {}),
    ...(s.topologySpreadConstraints !== undefined ? { topologySpreadConstraints: s.topologySpreadConstraints } : {}),
  };
}

/** The HPA (hpa: true) and the PodDisruptionBudget (podDisruptionBudget.enabled) of the gateway, or their deletion. */
function scalingObjects(
  model: ApicastModel,
  name: string,
  labels: Record<string, string>,
  selector: Record<string, string>,
): { objects: DesiredObject[]; absent: ObjectRef[] } {
  const objects: DesiredObject[] = [];
  const absent: ObjectRef[] = [];
  if (model.autoscaled) objects.push(horizontalPodAutoscaler(name, labels, { apiVersion: 'apps/v1', kind: 'Deployment', name }));
  else absent.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name });
  const pdb = model.podDisruptionBudget;
  if (pdb !== undefined) {
    const budget = pdb.minAvailable !== undefined ? { minAvailable: pdb.minAvailable } : { maxUnavailable: pdb.maxUnavailable ?? 1 };
    objects.push(
      desired(
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name, labels },
          spec: { ...budget, selector: { matchLabels: selector } },
        },
        { mode: 'replace-spec' },
      ),
    );
  } else absent.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', name });
  return { objects, absent };
}
