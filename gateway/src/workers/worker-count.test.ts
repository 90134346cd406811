import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultWorkerCount, readCgroupCpu, workersFromCgroup } from './worker-count.js';

describe('default worker count (gateway.md §1.9 APICAST_WORKERS, KUBERNETES_PORT)', () => {
  it('on Kubernetes: ceil(cpu.shares / 1024) (cgroup v1), or the cgroup v2 quota in CPUs, rounded up', () => {
    assert.equal(workersFromCgroup({ cpuShares: '1024\n' }), 1);
    assert.equal(workersFromCgroup({ cpuShares: '1536\n' }), 2, '1.5 CPUs requested ⇒ 2 workers');
    assert.equal(workersFromCgroup({ cpuShares: '2' }), 1, 'the minimum share still gets one worker');
    assert.equal(workersFromCgroup({ cpuMax: '250000 100000\n' }), 3);
    assert.equal(workersFromCgroup({ cpuMax: 'max 100000\n', cpuShares: '4096' }), 4, 'no v2 quota: cpu.shares decides');
    assert.equal(workersFromCgroup({ cpuMax: 'max 100000\n' }), undefined, 'no limit at all: unknown');
    assert.equal(workersFromCgroup({}), undefined);
  });

  it('KUBERNETES_PORT decides whether the cgroup is read; without a usable cgroup the CPU count is used', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cgroup-'));
    await mkdir(join(root, 'cpu'));
    await writeFile(join(root, 'cpu', 'cpu.shares'), '3072\n');
    assert.deepEqual(readCgroupCpu(root), { cpuMax: undefined, cpuShares: '3072\n' });
    assert.equal(
      defaultWorkerCount(true, () => readCgroupCpu(root), 16),
      3,
      'on Kubernetes: the pod CPUs, not the 16 of the node',
    );
    assert.equal(
      defaultWorkerCount(false, () => readCgroupCpu(root), 16),
      16,
      'elsewhere: the CPU count',
    );
    assert.equal(
      defaultWorkerCount(true, () => readCgroupCpu(join(root, 'absent')), 16),
      16,
      'no cgroup files: the CPU count',
    );
  });
});
