/**
 * One test cluster per mocha run, started on first use and stopped by the root
 * hook after all suites. If it cannot start, every suite that asked for it
 * fails with the same reason (the start error is kept, never retried silently,
 * never skipped).
 *
 *   before(async function () { this.timeout(clusterStartTimeoutMs); cluster = await useCluster(); });
 */
import { registerTeardown } from '../support/teardown.js';
import { startCluster, type Cluster } from './harness.js';

/** Generous timeout for the `before` hook that first calls useCluster() (a cold start is ~5–25 s). */
export const clusterStartTimeoutMs = 180_000;

let shared: Promise<Cluster> | undefined;

/** The run's cluster; rejects with the start error, or with the logs if a component has died since. */
export async function useCluster(): Promise<Cluster> {
  shared ??= startCluster().then((cluster) => {
    registerTeardown(() => cluster.stop());
    // For child processes started by tests (kubectl, the operator binary): test-cluster.md §7 names.
    process.env.TC_KUBECONFIG = cluster.kubeconfigPath;
    process.env.TC_DIR = cluster.dir;
    return cluster;
  });
  const cluster = await shared;
  cluster.assertRunning();
  return cluster;
}
