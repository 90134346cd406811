// One constructor for the 15 DeploymentConfigs, applying the conventions of operator-objects §3.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { ApiManagerModel, Scheduling } from '../../model/types.js';
import type { DeploymentConfig, DeploymentConfigStrategy, ExecNewPodHook } from './openshift-types.js';
import { type Labels, podLabels, selectorFor } from './labels.js';
import { type DesiredObject, desired } from './desired.js';

export interface DeploymentConfigInput {
  name: string;
  labels: Labels;
  replicas: number;
  /** Whether replicas follow the CR (reconciled) or are fixed at 1. */
  scalable: boolean;
  strategy: 'rolling' | 'recreate' | 'unset';
  timeoutSeconds?: number;
  hooks?: { pre?: ExecNewPodHook; post?: ExecNewPodHook };
  /** ImageStream the ImageChange trigger follows; containers use `<stream>:latest` (`" "` when blankImage). */
  stream: string;
  /** The resolved image of that stream (metering label; the kubernetes flavour uses model.images). */
  image: string;
  initContainers?: Omit<IContainer, 'image'>[];
  containers: Omit<IContainer, 'image'>[];
  /** zync-database's container image is a single space in the original. */
  blankImage?: boolean;
  volumes?: IVolume[];
  /** A Scalable's `autoscaled` means a HorizontalPodAutoscaler owns replicas (spec.replicas is the initial value). */
  scheduling?: Scheduling & { autoscaled?: boolean };
  serviceAccountName?: string;
  podAnnotations?: Record<string, string>;
  metadataAnnotations?: Record<string, string>;
  podLabelsOverride?: Labels;
  podSpec?: Partial<IPodSpec>;
  /** Reconciled paths besides replicas/resources/affinity/tolerations (e.g. the redis-config-hash annotation). */
  extraReconciledPaths?: string[];
}

const escapeKey = (key: string) => key.replaceAll('.', '\\.');

/**
 * The 2.12+ knobs are reconciled only when the CR sets them, so a 2.9 installation sees no new writes; user labels
 * and annotations are synced key by key, leaving the ones other tools add alone.
 */
function schedulingPaths(scheduling: Scheduling): string[] {
  return [
    ...(scheduling.priorityClassName !== undefined ? ['spec.template.spec.priorityClassName'] : []),
    ...(scheduling.topologySpreadConstraints !== undefined ? ['spec.template.spec.topologySpreadConstraints'] : []),
    ...Object.keys(scheduling.labels ?? {}).map((key) => `spec.template.metadata.labels.${escapeKey(key)}`),
    ...Object.keys(scheduling.annotations ?? {}).map((key) => `spec.template.metadata.annotations.${escapeKey(key)}`),
  ];
}

export const ROLLING_DEFAULTS = { intervalSeconds: 1, updatePeriodSeconds: 1, maxSurge: '25%', maxUnavailable: '25%' };

function strategyOf(input: DeploymentConfigInput): DeploymentConfigStrategy {
  switch (input.strategy) {
    case 'recreate':
      return { type: 'Recreate' };
    case 'unset':
      return {};
    case 'rolling':
      return {
        type: 'Rolling',
        rollingParams: {
          ...ROLLING_DEFAULTS,
          ...(input.timeoutSeconds !== undefined ? { timeoutSeconds: input.timeoutSeconds } : {}),
          ...(input.hooks?.pre !== undefined ? { pre: input.hooks.pre } : {}),
          ...(input.hooks?.post !== undefined ? { post: input.hooks.post } : {}),
        },
      };
  }
}

export function deploymentConfig(model: ApiManagerModel, input: DeploymentConfigInput): DesiredObject<DeploymentConfig> {
  const placeholder = input.blankImage === true ? ' ' : `${input.stream}:latest`;
  const initContainers = (input.initContainers ?? []).map((c) => ({ ...c, image: `${input.stream}:latest` }));
  const containers = input.containers.map((c) => ({ ...c, image: placeholder }));
  const podSpec: IPodSpec = {
    ...(initContainers.length > 0 ? { initContainers } : {}),
    containers,
    ...(input.volumes !== undefined && input.volumes.length > 0 ? { volumes: input.volumes } : {}),
    ...(input.serviceAccountName !== undefined ? { serviceAccountName: input.serviceAccountName } : {}),
    ...(input.scheduling?.affinity !== undefined ? { affinity: input.scheduling.affinity } : {}),
    ...(input.scheduling?.tolerations !== undefined ? { tolerations: input.scheduling.tolerations } : {}),
    ...(input.scheduling?.priorityClassName !== undefined ? { priorityClassName: input.scheduling.priorityClassName } : {}),
    ...(input.scheduling?.topologySpreadConstraints !== undefined
      ? { topologySpreadConstraints: input.scheduling.topologySpreadConstraints }
      : {}),
    ...input.podSpec,
  };
  const generatedLabels = input.podLabelsOverride ?? podLabels(model, input.name, input.labels, input.image);
  // User labels never replace a generated one: the selector and the PDBs depend on those.
  const templateLabels = { ...input.scheduling?.labels, ...generatedLabels };
  const templateAnnotations = { ...input.scheduling?.annotations, ...input.podAnnotations };
  const object: DeploymentConfig = {
    apiVersion: 'apps.openshift.io/v1',
    kind: 'DeploymentConfig',
    metadata: {
      name: input.name,
      labels: input.labels,
      ...(input.metadataAnnotations !== undefined ? { annotations: input.metadataAnnotations } : {}),
    },
    spec: {
      replicas: input.replicas,
      selector: selectorFor(input.name),
      strategy: strategyOf(input),
      triggers: [
        { type: 'ConfigChange' },
        {
          type: 'ImageChange',
          imageChangeParams: {
            automatic: true,
            containerNames: [...initContainers, ...containers].map((c) => c.name),
            from: { kind: 'ImageStreamTag', name: `${input.stream}:${model.release}` },
          },
        },
      ],
      template: {
        metadata: {
          labels: templateLabels,
          ...(Object.keys(templateAnnotations).length > 0 ? { annotations: templateAnnotations } : {}),
        },
        spec: podSpec,
      },
    },
  };
  const resources = containers.length > 1 ? 'spec.template.spec.containers[*].resources' : 'spec.template.spec.containers[0].resources';
  const paths = [
    // An HPA owns the replica count of an autoscaled workload: writing it back would fight the autoscaler.
    ...(input.scalable && input.scheduling?.autoscaled !== true ? ['spec.replicas'] : []),
    resources,
    'spec.template.spec.affinity',
    'spec.template.spec.tolerations',
    ...(input.scheduling ? schedulingPaths(input.scheduling) : []),
    ...(input.extraReconciledPaths ?? []),
  ];
  return desired(object, { mode: 'fields', paths });
}
