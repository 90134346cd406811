// What every reconciler gets: the API client, the caches, the applier, the event recorder and the facts read at
// start (flavour, served API groups).
import type { Logger } from 'pino';
import type { KubeClient } from '../kube/client.js';
import type { InformerSet } from '../informers/informer-set.js';
import type { Applier } from '../apply/applier.js';
import type { EventRecorder } from '../events/recorder.js';
import type { KubeObject, OwnerReference } from '../desired.js';
import type { GatewaySpec } from '../../api/types.js';
import type { WorkloadKind } from '../../flavours/index.js';
import { gatewaySecretNames } from '../../model/gateway-options.js';

export type Flavour = 'openshift' | 'kubernetes';

export interface ReconcileContext {
  client: KubeClient;
  informers: InformerSet;
  applier: Applier;
  recorder: EventRecorder;
  log: Logger;
  flavour: Flavour;
  /** What runs the pods (DeploymentConfigs only on OpenShift). */
  workloads: WorkloadKind;
  served: ReadonlySet<string>;
  env: NodeJS.ProcessEnv;
}

/** requeueAfterMs: come back even without an event (rollouts in progress, not yet Available). */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

export function controllerReference(cr: KubeObject, blockOwnerDeletion: boolean): OwnerReference {
  return {
    apiVersion: cr.apiVersion,
    kind: cr.kind,
    name: cr.metadata.name,
    uid: cr.metadata.uid ?? '',
    controller: true,
    ...(blockOwnerDeletion ? { blockOwnerDeletion: true } : {}),
  };
}

export function decodeSecretData(secret: KubeObject): Record<string, string> {
  const data = (secret.data as Record<string, string> | undefined) ?? {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** Secret names a pod template reads (env secretKeyRef, envFrom, volumes). */
export function secretsReadBy(workload: KubeObject): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown, parentKey: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v) => {
        visit(v, parentKey);
      });
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if ((parentKey === 'secretKeyRef' || parentKey === 'secretRef') && typeof record.name === 'string') names.add(record.name);
    if (parentKey === 'secret' && typeof record.secretName === 'string') names.add(record.secretName);
    for (const [key, child] of Object.entries(record)) visit(child, key);
  };
  visit((workload.spec as Record<string, unknown> | undefined)?.template, '');
  return names;
}

/** Names of the Secrets an APIcast CR references (to route Secret events to it). */
/** The Secrets an APIManager's two gateways read through their own settings (custom policies, tracing, TLS, ...). */
export function apiManagerGatewaySecretNames(cr: KubeObject): string[] {
  const apicast = (cr.spec as { apicast?: { stagingSpec?: GatewaySpec; productionSpec?: GatewaySpec } } | undefined)?.apicast;
  return [...gatewaySecretNames(apicast?.stagingSpec), ...gatewaySecretNames(apicast?.productionSpec)];
}

export function apicastSecretNames(cr: KubeObject): string[] {
  const spec =
    (cr.spec as
      | (GatewaySpec & {
          adminPortalCredentialsRef?: { name?: string };
          embeddedConfigurationSecretRef?: { name?: string };
          caCertificateSecretRef?: { name?: string };
        })
      | undefined) ?? {};
  return [
    spec.adminPortalCredentialsRef?.name,
    spec.embeddedConfigurationSecretRef?.name,
    spec.caCertificateSecretRef?.name,
    ...gatewaySecretNames(spec),
  ].filter((n): n is string => typeof n === 'string' && n !== '');
}
