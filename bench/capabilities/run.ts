/**
 * Capabilities figures on the local test cluster, the operator as its own process under its RBAC, against the
 * fake 3scale API (test/fake-3scale) on loopback:
 *  - time from applying 200 Products (10 mapping rules each, one Backend) to all of them Synced,
 *  - 3scale API calls of that first sync (reads and writes) and of one no-op resync (goal: reads only),
 *  - operator RSS with the 200 Products.
 * The fake answers in microseconds, so the times are the operator's (and the API server's), not 3scale's.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster } from '../../test/cluster/harness.js';
import { createNamespace } from '../../test/cluster/namespaces.js';
import { stopAll } from '../../test/support/process.js';
import { KubeClient } from '../../operator/src/controller/kube/client.js';
import type { KubeObject } from '../../operator/src/controller/desired.js';
import { installOperatorCrds, operatorCredentials, startOperator, eventually } from '../../test/operator/fixture.js';
import { startFake3scale, type Fake3scale } from '../../test/fake-3scale/server.js';
import { apiVersionOf } from '../../operator/src/capabilities/api/kinds.js';
import { pidOf } from '../required.js';

const PRODUCTS = Number(process.env.BENCH_CAPABILITIES_PRODUCTS ?? 200);
const RULES = 10;
const RESYNC_SECONDS = 60;

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const split = (fake: Fake3scale, from: number) => {
  const calls = fake.calls.slice(from);
  return { reads: calls.filter((c) => c.method === 'GET').length, writes: calls.filter((c) => c.method !== 'GET').length };
};

/** Waits until no 3scale call arrived for `quietMs`. */
async function quiet(fake: Fake3scale, quietMs: number, timeoutMs: number): Promise<void> {
  let last = -1;
  let since = Date.now();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fake.calls.length !== last) {
      last = fake.calls.length;
      since = Date.now();
    }
    if (Date.now() - since >= quietMs) return;
    await sleep(200);
  }
  throw new Error('3scale calls did not stop');
}

export async function run(): Promise<void> {
  const cluster = await startCluster();
  const fake = await startFake3scale();
  try {
    await installOperatorCrds(cluster);
    const admin = await KubeClient.fromKubeConfig(cluster.kubeConfig());
    const ns = await createNamespace(cluster.kubeConfig(), 'bench-capabilities');
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'threescale-provider-account', namespace: ns },
      stringData: { adminURL: fake.url, token: fake.accessToken },
    });
    const operator = await startOperator({
      kubeconfigPath: await operatorCredentials(cluster, ns),
      watchNamespace: ns,
      leaseNamespace: ns,
      env: { THREESCALE_RESYNC_INTERVAL: `${RESYNC_SECONDS}s`, LOG_LEVEL: 'warn' },
    });
    await admin.create({
      apiVersion: apiVersionOf('Backend'),
      kind: 'Backend',
      metadata: { name: 'shared', namespace: ns },
      spec: { name: 'Shared', systemName: 'shared', privateBaseURL: 'https://backend.example.test' },
    });

    const from = fake.calls.length;
    const started = performance.now();
    for (let i = 0; i < PRODUCTS; i++) {
      const mappingRules = Array.from({ length: RULES }, (_, r) => ({
        httpMethod: 'GET',
        pattern: `/p${i}/r${r}`,
        metricMethodRef: 'hits',
        increment: 1,
        last: false,
      }));
      await admin.create({
        apiVersion: apiVersionOf('Product'),
        kind: 'Product',
        metadata: { name: `product-${i}`, namespace: ns },
        spec: { name: `Product ${i}`, backendUsages: { shared: { path: '/' } }, mappingRules },
      });
    }
    const synced = async () =>
      (
        await admin.list<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(
          apiVersionOf('Product'),
          'Product',
          ns,
        )
      ).items.filter((p) => p.status?.conditions?.some((c) => c.type === 'Synced' && c.status === 'True')).length;
    await eventually(`${PRODUCTS} Products Synced`, async () => (await synced()) === PRODUCTS, 900_000, 1000);
    const syncMs = performance.now() - started;
    await quiet(fake, 3000, 120_000);
    const first = split(fake, from);
    console.log(
      `${PRODUCTS} Products × ${RULES} mapping rules: apply → all Synced in ${(syncMs / 1000).toFixed(1)} s (${(syncMs / PRODUCTS).toFixed(0)} ms per product)`,
    );
    console.log(
      `3scale API calls, first sync: ${first.reads} reads, ${first.writes} writes (${((first.reads + first.writes) / PRODUCTS).toFixed(1)} per product)`,
    );

    // One resync of every CR: wait until the interval has passed and the calls stopped again.
    const resyncFrom = fake.calls.length;
    await sleep(RESYNC_SECONDS * 1000);
    await quiet(fake, 5000, 300_000);
    const resync = split(fake, resyncFrom);
    console.log(`3scale API calls, no-op resync: ${resync.reads} reads, ${resync.writes} writes (goal: 0 writes)`);
    console.log(`operator RSS with ${PRODUCTS} Products: ${(await rssMiB(pidOf(operator.process, 'the operator'))).toFixed(0)} MiB`);
    await operator.stop();
    await admin.close();
  } finally {
    await fake.close();
    await cluster.stop();
    await stopAll();
  }
}
