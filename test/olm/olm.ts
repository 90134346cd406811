/**
 * OLM's two operators as local child processes against the test cluster, with the admin kubeconfig (OLM runs
 * cluster-admin in a real install too):
 * - `olm`: the OLM operator (OperatorGroups, CSVs → Deployments, RBAC checks);
 * - `catalog`: the catalog operator (CatalogSources, Subscriptions → InstallPlans → CRDs, ServiceAccounts, RBAC).
 * Both watch every namespace but only act where OLM objects exist (the test's namespaces). The OLM operator has a
 * `--watchedNamespaces` flag, but v0.31.0 dereferences its all-namespaces informers at start (olm/operator.go:564,
 * the labeller for Deployments) and panics when given a namespace list, so it is not used.
 * Both serve health and metrics on a fixed `:8080` (no flag moves it, pkg/lib/server), so the second fails to
 * bind (logged, not fatal) and readiness is judged functionally by the test (OperatorGroup status written,
 * CatalogSource READY), not by polling a port.
 */
import { startProcess, type ManagedProcess } from '../support/process.js';
import type { OlmBinaries } from './binaries.js';

export interface OlmProcesses {
  olm: ManagedProcess;
  catalog: ManagedProcess;
  /** The last `lines` lines of each process's output. */
  logs(lines?: number): string;
  /** True once either process has exited (a crash: both run until stop()). */
  anyExited(): boolean;
  /** Throws with the logs if either has exited. */
  assertRunning(): void;
  stop(): Promise<void>;
}

export interface OlmOptions {
  /** Admin kubeconfig file. */
  kubeconfigPath: string;
  /** OLM's own namespace: the catalog operator's "global catalog" namespace, the OLM operator's cleanup namespace. */
  olmNamespace: string;
}

export async function startOlm(binaries: OlmBinaries, options: OlmOptions): Promise<OlmProcesses> {
  // Only KUBECONFIG: cmd/olm reads its config through controller-runtime (env, no parsed --kubeconfig flag).
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: options.kubeconfigPath };
  const olm = await startProcess({
    name: 'olm',
    command: binaries.olm,
    args: [
      `--namespace=${options.olmNamespace}`,
      // No OpenShift ClusterOperator to report into.
      '--writeStatusName=',
      '--writePackageServerStatusName=',
    ],
    env,
    ready: () => Promise.resolve(true),
  });
  let catalog: ManagedProcess;
  try {
    catalog = await startProcess({
      name: 'catalog',
      command: binaries.catalog,
      // The image flags (opm, util, configmap-server) are left at their defaults: they are only used for pods the
      // catalog operator would run (registry pods, unpack Jobs), and an address-only CatalogSource with inline
      // bundles needs none.
      args: [`--kubeconfig=${options.kubeconfigPath}`, `--namespace=${options.olmNamespace}`, '--writeStatusName='],
      env,
      ready: () => Promise.resolve(true),
    });
  } catch (error) {
    await olm.stop();
    throw error;
  }
  const both = { olm, catalog };
  return {
    olm,
    catalog,
    logs: (lines = 40) =>
      Object.entries(both)
        .map(([name, p]) => `[${name}] (${p.describeExit()})\n${p.logs().trimEnd().split('\n').slice(-lines).join('\n')}`)
        .join('\n'),
    anyExited: () => olm.hasExited || catalog.hasExited,
    assertRunning: () => {
      const dead = Object.entries(both).filter(([, p]) => p.hasExited);
      if (dead.length > 0)
        throw new Error(`OLM: ${dead.map(([n, p]) => `${n} ${p.describeExit()}`).join(', ')}\n${dead.map(([, p]) => p.logs()).join('\n')}`);
    },
    stop: async () => {
      await Promise.all([olm.stop(10_000), catalog.stop(10_000)]);
    },
  };
}
