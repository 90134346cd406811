// Embedded gateways apicast-staging / apicast-production (operator-objects §4.9) and, ours,
// Secret apicast-configuration-url-secret (README decisions).
import type { ApiManagerModel } from '../../model/types.js';
import { componentLabels } from '../common/labels.js';
import { type DesiredObject, type Finding, desired } from '../common/desired.js';
import { GATEWAY_SECRETS_HASH_PATH, type GatewayPodParts, gatewayPodParts } from '../gateway-options/index.js';
import { type BuildContext, operatorSecret } from '../common/context.js';
import { deploymentConfig } from '../common/deployment-config.js';
import { service, tcp } from '../common/core-objects.js';
import { fromConfigMap, fromSecret, literal } from '../common/env.js';
import { httpProbe } from '../common/probes.js';
import { resourcesFor } from '../common/resources.js';
import { restricted } from '../common/security.js';

// The gateway image is ours (Node, no curl): wait for system-master with node's fetch.
const WAIT_FOR_MASTER_SCRIPT =
  "const u='http://system-master:3000/status',s=Number(process.env.SLEEP_SECONDS||1)*1000;" +
  "(async()=>{for(;;){try{if((await fetch(u,{method:'HEAD'})).ok)return}catch{}await new Promise(r=>setTimeout(r,s))}})()";

type Gateway = 'staging' | 'production';

const SETTINGS: Record<Gateway, { loader: string; cache: string; timeout: number }> = {
  staging: { loader: 'lazy', cache: '0', timeout: 1800 },
  production: { loader: 'boot', cache: '300', timeout: 1800 },
};

/**
 * The operator owns the gateway container's env, volumes, mounts and ports (as upstream 2.11+ does), so that
 * adding or removing a custom policy, a proxy or the HTTPS listener reaches running pods. Templates do not.
 */
const GATEWAY_PATHS = [
  'spec.template.spec.containers[0].env',
  'spec.template.spec.containers[0].ports',
  'spec.template.spec.containers[0].volumeMounts',
  'spec.template.spec.volumes',
  GATEWAY_SECRETS_HASH_PATH,
];

function gatewayDc(ctx: BuildContext, env: Gateway, parts: GatewayPodParts): DesiredObject {
  const m = ctx.model;
  const name = `apicast-${env}`;
  const settings = SETTINGS[env];
  return deploymentConfig(m, {
    name,
    labels: componentLabels(m, 'apicast', env),
    replicas: m.apicast[env].replicas,
    scalable: true,
    strategy: 'rolling',
    timeoutSeconds: settings.timeout,
    stream: 'amp-apicast',
    image: m.images.apicast,
    podAnnotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9421', ...parts.annotations },
    ...(parts.volumes.length > 0 ? { volumes: parts.volumes } : {}),
    ...(m.operatorExtras ? { extraReconciledPaths: GATEWAY_PATHS } : {}),
    ...(env === 'production'
      ? {
          initContainers: [
            {
              name: 'system-master-svc',
              command: ['node', '-e', WAIT_FOR_MASTER_SCRIPT],
              env: [literal('SLEEP_SECONDS', '1')],
              securityContext: restricted(),
            },
          ],
        }
      : {}),
    containers: [
      {
        name,
        imagePullPolicy: 'IfNotPresent',
        ports: [
          { containerPort: 8080, protocol: 'TCP' as const },
          { containerPort: 8090, protocol: 'TCP' as const },
          { name: 'metrics', containerPort: 9421, protocol: 'TCP' as const },
          ...parts.ports,
        ],
        env: [
          fromSecret('THREESCALE_PORTAL_ENDPOINT', 'system-master-apicast', 'PROXY_CONFIGS_ENDPOINT'),
          fromSecret('BACKEND_ENDPOINT_OVERRIDE', 'backend-listener', 'service_endpoint'),
          fromConfigMap('APICAST_MANAGEMENT_API', 'apicast-environment', 'APICAST_MANAGEMENT_API'),
          fromConfigMap('OPENSSL_VERIFY', 'apicast-environment', 'OPENSSL_VERIFY'),
          fromConfigMap('APICAST_RESPONSE_CODES', 'apicast-environment', 'APICAST_RESPONSE_CODES'),
          ...(m.operatorExtras ? [literal('APICAST_EXTENDED_METRICS', 'true')] : []),
          literal('APICAST_CONFIGURATION_LOADER', settings.loader),
          literal('APICAST_CONFIGURATION_CACHE', settings.cache),
          literal('THREESCALE_DEPLOYMENT_ENV', env),
          ...parts.env,
        ],
        ...(parts.mounts.length > 0 ? { volumeMounts: parts.mounts } : {}),
        resources: resourcesFor(m, name),
        livenessProbe: httpProbe('/status/live', 8090, { initialDelaySeconds: 10, timeoutSeconds: 5, periodSeconds: 10 }),
        readinessProbe: httpProbe('/status/ready', 8090, { initialDelaySeconds: 15, timeoutSeconds: 5, periodSeconds: 30 }),
        securityContext: restricted(),
      },
    ],
    scheduling: m.apicast[env],
    serviceAccountName: 'amp',
  });
}

const servicePorts = (https: number | undefined) => [
  tcp(8080, 'gateway'),
  tcp(8090, 'management'),
  ...(https !== undefined ? [{ ...tcp(8443, 'httpsproxy'), targetPort: https }] : []),
];

/** The HTTPS port comes and goes with the settings, so the operator keeps the ports in sync (templates: created once). */
function gatewayService(m: ApiManagerModel, env: Gateway): DesiredObject {
  const created = service(
    `apicast-${env}`,
    componentLabels(m, 'apicast', env),
    servicePorts(m.apicast.gateway[env].https?.port),
    `apicast-${env}`,
  );
  return m.operatorExtras ? { ...created, reconcile: { mode: 'fields', paths: ['spec.ports'] } } : created;
}

/** The embedded gateways plus what their settings found wrong with the Secrets they name. */
export function buildApicastWithFindings(ctx: BuildContext): { objects: DesiredObject[]; findings: Finding[] } {
  const m = ctx.model;
  const staging = gatewayPodParts(m.apicast.gateway.staging, ctx.lookupSecret);
  const production = gatewayPodParts(m.apicast.gateway.production, ctx.lookupSecret);
  const objects = [
    gatewayDc(ctx, 'staging', staging),
    gatewayDc(ctx, 'production', production),
    gatewayService(m, 'staging'),
    gatewayService(m, 'production'),
    desired(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'apicast-environment', labels: componentLabels(m, 'apicast') },
        data: {
          APICAST_MANAGEMENT_API: m.apicast.managementAPI,
          OPENSSL_VERIFY: m.apicast.openSSLVerify,
          APICAST_RESPONSE_CODES: m.apicast.responseCodes,
        },
      },
      { mode: 'fields', paths: ['data.APICAST_MANAGEMENT_API', 'data.OPENSSL_VERIFY', 'data.APICAST_RESPONSE_CODES'] },
    ),
    ...operatorSecret(ctx, 'apicast-configuration-url-secret', componentLabels(m, 'apicast')),
  ];
  return { objects, findings: [...staging.findings, ...production.findings] };
}
