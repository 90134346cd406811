// HorizontalPodAutoscalers for the workloads whose spec says `hpa: true` (apicast-production, backend-listener,
// backend-worker; upstream 2.14+). Upstream's defaults: 1–5 replicas, 90% average CPU and memory utilisation.
// The HPA is created once and then left to the user to tune (create-only); while it exists the workload's
// replicas are not reconciled (deployment-config.ts). Switching hpa off deletes it.
import type { ApiManagerModel, Scalable } from '../../model/types.js';
import { type Labels, componentLabels } from '../common/labels.js';
import { type DesiredObject, type ObjectRef, createOnly, desired } from '../common/desired.js';

export const HPA_DEFAULTS = { minReplicas: 1, maxReplicas: 5, averageUtilization: 90 } as const;

const utilisation = (name: 'cpu' | 'memory') => ({
  type: 'Resource',
  resource: { name, target: { type: 'Utilization', averageUtilization: HPA_DEFAULTS.averageUtilization } },
});

export function autoscalerTargets(m: ApiManagerModel): [name: string, labels: Labels, spec: Scalable][] {
  return [
    ['apicast-production', componentLabels(m, 'apicast', 'production'), m.apicast.production],
    ['backend-listener', componentLabels(m, 'backend', 'listener'), m.backend.listener],
    ['backend-worker', componentLabels(m, 'backend', 'worker'), m.backend.worker],
  ];
}

export interface ScaleTarget {
  apiVersion: string;
  kind: string;
  name: string;
}

/** An HPA with upstream's defaults for one workload; created once, then the user's to tune. */
export function horizontalPodAutoscaler(name: string, labels: Labels, scaleTargetRef: ScaleTarget): DesiredObject {
  return desired(
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, labels },
      spec: {
        scaleTargetRef,
        minReplicas: HPA_DEFAULTS.minReplicas,
        maxReplicas: HPA_DEFAULTS.maxReplicas,
        metrics: [utilisation('cpu'), utilisation('memory')],
      },
    },
    createOnly,
  );
}

export function buildHorizontalPodAutoscalers(m: ApiManagerModel): { objects: DesiredObject[]; absent: ObjectRef[] } {
  const objects: DesiredObject[] = [];
  const absent: ObjectRef[] = [];
  for (const [name, labels, spec] of autoscalerTargets(m)) {
    // The scaled object is the DeploymentConfig here; the kubernetes flavour points it at the Deployment.
    if (spec.autoscaled === true)
      objects.push(horizontalPodAutoscaler(name, labels, { apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', name }));
    else absent.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name });
  }
  return { objects, absent };
}
