import assert from 'node:assert/strict';
import { ownershipConflictConditions, ownershipConflictMessage } from './ownership-conflict.js';

describe('controller status: ownership conflicts', () => {
  it('names each owner with its objects, workloads and secrets first, and bounds the list', () => {
    const conflicts = [
      { object: 'ConfigMap/system', owner: 'APIManager/first' },
      { object: 'Secret/system-seed', owner: 'APIManager/first' },
      { object: 'DeploymentConfig/system-app', owner: 'APIManager/first' },
      { object: 'Deployment/apicast-gw', owner: 'APIcast/gw' },
    ];
    assert.equal(
      ownershipConflictMessage(conflicts),
      'nothing written: 3 objects are controlled by APIManager/first (DeploymentConfig/system-app, Secret/system-seed, ConfigMap/system); ' +
        '1 object is controlled by APIcast/gw (Deployment/apicast-gw)',
    );
    const many = Array.from({ length: 30 }, (_, i) => ({ object: `ConfigMap/c${i}`, owner: 'APIManager/first' }));
    assert.match(ownershipConflictMessage(many), /ConfigMap\/c19 and 10 more\)$/);
  });

  it('marks the CR Degraded and not Available, with the same message', () => {
    const conditions = ownershipConflictConditions([{ object: 'Secret/system-seed', owner: 'APIManager/first' }]);
    const byType = Object.fromEntries(conditions.map((c) => [c.type, c]));
    assert.equal(byType.Degraded.status, 'True');
    assert.equal(byType.Available.status, 'False');
    assert.equal(byType.Degraded.reason, 'OwnershipConflict');
    assert.match(byType.Degraded.message, /Secret\/system-seed/);
  });
});
