/**
 * Credentials of a ServiceAccount, as a pod would get them: a TokenRequest
 * (bound, expiring token) and a kubeconfig that uses it, so code under test
 * runs with exactly the RBAC rights it was granted (test-cluster.md §5).
 */
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Cluster } from './harness.js';
import { tokenKubeConfig, writeKubeConfig } from './kubeconfig.js';

export interface ServiceAccountCredentials {
  token: string;
  expiresAt: Date | undefined;
  /** KubeConfig whose context uses the token, with `namespace` as default namespace. */
  kubeConfig: KubeConfig;
  /** The same, written to the cluster's temp dir (mode 0600): pass it as KUBECONFIG to a child process. */
  kubeconfigPath: string;
}

/**
 * Requests a token for `serviceAccount` in `namespace` (the account must exist).
 * `expirationSeconds` must be at least 600 (API server minimum).
 */
export async function tokenFor(
  cluster: Cluster,
  namespace: string,
  serviceAccount: string,
  expirationSeconds = 3600,
): Promise<ServiceAccountCredentials> {
  if (expirationSeconds < 600) throw new Error(`tokenFor: expirationSeconds must be >= 600 (got ${expirationSeconds})`);
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  const response = await core.createNamespacedServiceAccountToken({
    name: serviceAccount,
    namespace,
    body: { spec: { expirationSeconds, audiences: [] } },
  });
  const token = response.status?.token;
  if (!token) throw new Error(`TokenRequest for ${namespace}/${serviceAccount} returned no token`);
  const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
  const kubeConfig = tokenKubeConfig({ server: cluster.server, caData: cluster.caData }, user, token, namespace);
  const kubeconfigPath = await writeKubeConfig(kubeConfig, join(cluster.dir, `sa-${namespace}-${serviceAccount}.kubeconfig`));
  return { token, expiresAt: response.status?.expirationTimestamp, kubeConfig, kubeconfigPath };
}
