// The flavour step: `openshift` keeps the builders' output, `kubernetes` adapts it.
import type { ApiManagerModel } from '../model/types.js';
import type { BuildResult } from '../components/common/desired.js';
import type { Flavour } from './types.js';
import { toKubernetes, toOpenShiftDeployments } from './kubernetes.js';

export { type Flavour, FLAVOURS, isFlavour } from './types.js';

/** What runs the pods: DeploymentConfigs (3scale up to 2.14, OpenShift only) or Deployments (2.15+, and Kubernetes). */
export type WorkloadKind = 'DeploymentConfig' | 'Deployment';
export const WORKLOAD_KINDS = ['DeploymentConfig', 'Deployment'] as const;

/** OpenShift keeps DeploymentConfigs unless told otherwise (THREESCALE_WORKLOADS), so 2.9 installations stay as they are. */
export function defaultWorkloadKind(flavour: Flavour): WorkloadKind {
  return flavour === 'openshift' ? 'DeploymentConfig' : 'Deployment';
}

export function applyFlavour(
  result: BuildResult,
  flavour: Flavour,
  model: ApiManagerModel,
  workloads: WorkloadKind = defaultWorkloadKind(flavour),
): BuildResult {
  if (flavour === 'kubernetes') return toKubernetes(result, model);
  return workloads === 'Deployment' ? toOpenShiftDeployments(result, model) : result;
}
