// Moving a running installation from DeploymentConfigs to Deployments (3scale 2.15 did this on upgrade). Pure.
// Per component, never two copies at once against one database: the DeploymentConfig is scaled to 0, its pods
// must be gone (status.replicas 0), then it is deleted, and only then is the Deployment of the same name created.
// Secrets, PVCs, Services and Routes are separate objects and stay untouched; the pods keep their labels, so the
// Services select the new pods without a change. Components move in parallel, each on its own.

export interface LiveDeploymentConfig {
  name: string;
  /** Owned by this APIManager; DeploymentConfigs of someone else are never touched. */
  owned: boolean;
  specReplicas: number;
  /** Pods the DeploymentConfig still runs (its status). */
  statusReplicas: number;
}

export type MigrationAction =
  { kind: 'scale-down'; name: string } | { kind: 'wait'; name: string; pods: number } | { kind: 'delete'; name: string };

export interface MigrationPlan {
  actions: MigrationAction[];
  /** Components whose Deployment must not be created yet. */
  blocked: Set<string>;
}

export function planWorkloadMigration(desiredDeployments: readonly string[], live: readonly LiveDeploymentConfig[]): MigrationPlan {
  const actions: MigrationAction[] = [];
  const blocked = new Set<string>();
  const wanted = new Set(desiredDeployments);
  for (const dc of live) {
    if (!dc.owned || !wanted.has(dc.name)) continue;
    blocked.add(dc.name);
    if (dc.specReplicas > 0) actions.push({ kind: 'scale-down', name: dc.name });
    else if (dc.statusReplicas > 0) actions.push({ kind: 'wait', name: dc.name, pods: dc.statusReplicas });
    else actions.push({ kind: 'delete', name: dc.name });
  }
  return { actions, blocked };
}

export function migrationMessage(plan: MigrationPlan): string {
  const by = (kind: MigrationAction['kind']) => plan.actions.filter((a) => a.kind === kind).map((a) => a.name);
  return [
    by('scale-down').length > 0 ? `scaling down DeploymentConfigs ${by('scale-down').join(', ')}` : '',
    by('wait').length > 0 ? `waiting for the pods of ${by('wait').join(', ')} to stop` : '',
    by('delete').length > 0 ? `replacing ${by('delete').join(', ')} with Deployments` : '',
  ]
    .filter((m) => m !== '')
    .join('; ');
}
