import assert from 'node:assert/strict';
import { migrationMessage, planWorkloadMigration } from './plan.js';

describe('DeploymentConfig → Deployment migration plan', () => {
  const dc = (name: string, specReplicas: number, statusReplicas: number, owned = true) => ({ name, owned, specReplicas, statusReplicas });

  it('scales down, waits for the pods to stop, deletes, and only then lets the Deployment be created', () => {
    const plan = planWorkloadMigration(
      ['system-mysql', 'backend-redis', 'apicast-staging', 'zync'],
      [dc('system-mysql', 1, 1), dc('backend-redis', 0, 1), dc('apicast-staging', 0, 0)],
    );
    assert.deepEqual(plan.actions, [
      { kind: 'scale-down', name: 'system-mysql' },
      { kind: 'wait', name: 'backend-redis', pods: 1 },
      { kind: 'delete', name: 'apicast-staging' },
    ]);
    assert.deepEqual(
      [...plan.blocked].sort(),
      ['apicast-staging', 'backend-redis', 'system-mysql'],
      'zync has no DC left: its Deployment may be created',
    );
    assert.equal(
      migrationMessage(plan),
      'scaling down DeploymentConfigs system-mysql; waiting for the pods of backend-redis to stop; replacing apicast-staging with Deployments',
    );
  });

  it('never touches a DeploymentConfig it does not own or no longer wants', () => {
    const plan = planWorkloadMigration(['system-app'], [dc('system-app', 1, 1, false), dc('my-own-app', 2, 2)]);
    assert.deepEqual(plan.actions, []);
    assert.equal(plan.blocked.size, 0);
  });
});
