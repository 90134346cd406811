import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { startProcess, type ManagedProcess } from '../../../test/support/process.js';
import { freePorts } from '../../../test/support/ports.js';
import { localSharedDict, LocalDictCore } from './local-shared-dict.js';

const fixture = fileURLToPath(new URL('../../test-support/cluster-fixture.js', import.meta.url));

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  // A new connection per request, so the cluster spreads them over the workers.
  const response = await request(`http://127.0.0.1:${port}${path}`, { reset: true, signal: AbortSignal.timeout(3000) });
  return { status: response.statusCode, body: await response.body.text() };
}

async function startFixture(workers: number): Promise<{ proc: ManagedProcess; port: number; metricsPort: number; configFile: string }> {
  const [port, metricsPort] = await freePorts(2);
  const dir = await mkdtemp(join(tmpdir(), 'workers-test-'));
  const configFile = join(dir, 'config.txt');
  await writeFile(configFile, 'version-1');
  const proc = await startProcess({
    name: `cluster-fixture:${port}`,
    command: process.execPath,
    args: [fixture],
    env: {
      ...process.env,
      FIXTURE_PORT: String(port),
      FIXTURE_METRICS_PORT: String(metricsPort),
      FIXTURE_WORKERS: String(workers),
      FIXTURE_CONFIG_FILE: configFile,
    },
    ready: async () => {
      // Ready once every worker answers (each has a distinct pid).
      const pids = new Set<string>();
      for (let i = 0; i < workers * 8; i++) pids.add((await get(port, '/pid')).body);
      const metrics = await get(metricsPort, '/metrics');
      return pids.size === workers && metrics.status === 200;
    },
  });
  return { proc, port, metricsPort, configFile };
}

describe('workers (node:cluster, spec README "workers")', function () {
  this.timeout(60_000);

  it('the leaky bucket and fixed-window primitives behave as policies.md §5.23 says', async () => {
    let now = 0;
    const dict = localSharedDict(new LocalDictCore(() => now));
    assert.deepEqual(await dict.leakyBucket('k', 2, 1, true), { rejected: false, excess: 0, delaySeconds: 0 });
    assert.deepEqual(await dict.leakyBucket('k', 2, 1, true), { rejected: false, excess: 1, delaySeconds: 0.5 });
    assert.equal((await dict.leakyBucket('k', 2, 1, true)).rejected, true); // excess 2 > burst 1
    now = 1000; // two requests leaked
    assert.equal((await dict.leakyBucket('k', 2, 1, true)).rejected, false);
    assert.equal(await dict.incr('w', 1, 0, 1000), 1);
    assert.equal(await dict.incr('w', 1, 0, 1000), 2);
    now = 2001;
    assert.equal(await dict.incr('w', 1, 0, 1000), 1, 'the window expired, the counter starts again');
  });

  it('a counter incremented by every worker is one gateway-wide counter, and metrics are summed', async () => {
    const { proc, port, metricsPort } = await startFixture(3);
    try {
      const before = Number((await get(port, '/incr')).body);
      const values = await Promise.all(Array.from({ length: 90 }, () => get(port, '/incr').then((r) => Number(r.body))));
      assert.equal(new Set(values).size, 90, 'every increment saw a distinct value: the operations are atomic across workers');
      assert.equal(Math.max(...values), before + 90);
      const metrics = (await get(metricsPort, '/metrics')).body;
      assert.match(metrics, /^worker_process\{\} 3$/m, 'three workers started, summed by the primary');
      const served = Number(/^apicast_status\{status="200"\} (\d+)$/m.exec(metrics)?.[1]);
      assert.ok(served >= 91 + 24, `every request of every worker is counted (got ${served})`);
      assert.equal((await get(metricsPort, '/other')).status, 404);
    } finally {
      await proc.stop();
    }
  });

  it('SIGHUP reloads the configuration in every worker; a push in one worker reaches the others', async () => {
    const { proc, port, configFile } = await startFixture(2);
    try {
      await writeFile(configFile, 'version-2');
      proc.signal('SIGHUP');
      const deadline = Date.now() + 5000;
      let seen = new Set<string>();
      while (Date.now() < deadline) {
        seen = new Set(await Promise.all(Array.from({ length: 16 }, () => get(port, '/config').then((r) => r.body))));
        if (seen.size === 1 && seen.has('version-2')) break;
      }
      assert.deepEqual([...seen], ['version-2']);
      await get(port, '/push?value=pushed-3');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const after = new Set(await Promise.all(Array.from({ length: 16 }, () => get(port, '/config').then((r) => r.body))));
      assert.deepEqual([...after], ['pushed-3']);
    } finally {
      await proc.stop();
    }
  });

  it('a worker that dies is replaced, the replacement catches up with the pushes it missed, and worker_process counts every start', async () => {
    const { proc, port, metricsPort } = await startFixture(2);
    try {
      await get(port, '/push?value=pushed-before-crash');
      const victim = Number((await get(port, '/pid')).body);
      process.kill(victim, 'SIGKILL');
      let pids = new Set<string>();
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        pids = new Set(
          await Promise.all(
            Array.from({ length: 12 }, () =>
              get(port, '/pid')
                .then((r) => r.body)
                .catch(() => 'error'),
            ),
          ),
        );
        if (pids.size === 2 && !pids.has(String(victim)) && !pids.has('error')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(pids.size, 2, `two workers serve again (${[...pids].join(', ')})`);
      assert.ok(!pids.has(String(victim)));
      const configs = new Set(await Promise.all(Array.from({ length: 12 }, () => get(port, '/config').then((r) => r.body))));
      assert.deepEqual([...configs], ['pushed-before-crash'], 'the new worker replayed the push');
      const metrics = (await get(metricsPort, '/metrics')).body;
      assert.match(metrics, /^worker_process\{\} 3$/m, 'two first starts and the replacement, although one of them died (gateway.md §7)');
    } finally {
      await proc.stop();
    }
  });

  it('SIGQUIT lets in-flight requests finish, then the gateway exits 0', async () => {
    const { proc, port } = await startFixture(2);
    const slow = get(port, '/slow?ms=1500');
    await new Promise((resolve) => setTimeout(resolve, 300));
    proc.signal('SIGQUIT');
    const answer = await slow;
    assert.deepEqual(answer, { status: 200, body: 'slow done' });
    await proc.waitForExit();
    assert.equal(proc.describeExit(), 'exited with code 0');
  });

  it('SIGTERM exits promptly even with a request in flight', async () => {
    const { proc, port } = await startFixture(2);
    const slow = get(port, '/slow?ms=10000').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    proc.signal('SIGTERM');
    await proc.waitForExit();
    assert.ok(Date.now() - started < 3000, 'exited without waiting for the 10 s request');
    assert.ok((await slow) instanceof Error, 'the in-flight request was cut');
  });
});
