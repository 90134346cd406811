/** KubeConfig objects and files for a token-authenticated user of the test cluster. */
import { writeFile } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';

export interface ClusterEndpoint {
  /** `https://127.0.0.1:<port>` */
  server: string;
  /** The cluster CA certificate, base64-encoded PEM (the kubeconfig's certificate-authority-data). */
  caData: string;
}

/** A KubeConfig with one context that talks to `endpoint` with a bearer token. */
export function tokenKubeConfig(endpoint: ClusterEndpoint, user: string, token: string, namespace?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'tc', server: endpoint.server, caData: endpoint.caData, skipTLSVerify: false }],
    users: [{ name: user, token }],
    contexts: [{ name: user, cluster: 'tc', user, ...(namespace ? { namespace } : {}) }],
    currentContext: user,
  });
  return kc;
}

/** Writes `kc` as a kubeconfig file readable only by the owner (it holds a token). */
export async function writeKubeConfig(kc: KubeConfig, path: string): Promise<string> {
  await writeFile(path, kc.exportConfig(), { mode: 0o600 });
  return path;
}
