// Readiness of one workload (DeploymentConfig or Deployment) read from its status, as the README's `Available`
// and operator.md §1.3 define it. Pure.
import type { KubeObject } from '../desired.js';

interface WorkloadStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  observedGeneration?: number;
  latestVersion?: number;
  conditions?: { type: string; status: string; reason?: string }[];
}

const specReplicas = (w: KubeObject): number => (w.spec as { replicas?: number } | undefined)?.replicas ?? 1;
const statusOf = (w: KubeObject): WorkloadStatus => (w.status as WorkloadStatus | undefined) ?? {};

/** operator.md §1.3: stopped / starting / ready. */
export function deploymentPhase(w: KubeObject): 'stopped' | 'starting' | 'ready' {
  const status = statusOf(w);
  if (specReplicas(w) === 0 || (status.replicas ?? 0) === 0) return 'stopped';
  return (status.readyReplicas ?? 0) < (status.replicas ?? 0) ? 'starting' : 'ready';
}

/**
 * The latest version is fully rolled out: the controller has seen the current generation, every desired replica
 * runs the new template and is available. For a DeploymentConfig "complete" also accepts the DC controller's
 * `NewReplicationControllerAvailable` Progressing reason.
 */
export function rolledOut(w: KubeObject): boolean {
  const replicas = specReplicas(w);
  const status = statusOf(w);
  if (replicas === 0) return true;
  const generationSeen = (status.observedGeneration ?? 0) >= (w.metadata.generation ?? 0);
  const updated = (status.updatedReplicas ?? 0) >= replicas;
  const available = (status.availableReplicas ?? 0) >= replicas;
  if (w.kind === 'DeploymentConfig') {
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    const complete = progressing?.reason === 'NewReplicationControllerAvailable' || updated;
    return generationSeen && complete && available;
  }
  return generationSeen && updated && available;
}

/** README `Available` for one workload: enough available replicas and (DC) the latest version complete. */
export function workloadAvailable(w: KubeObject): boolean {
  const replicas = specReplicas(w);
  const available = (statusOf(w).availableReplicas ?? 0) >= replicas;
  return w.kind === 'DeploymentConfig' ? available && rolledOut(w) : available;
}
