/**
 * `kubectl apply --server-side` for tests: applies every object of some YAML
 * files (e.g. manifests/deploy) as the admin or any other KubeConfig.
 */
import { readFile } from 'node:fs/promises';
import { KubeConfig, KubernetesObjectApi, PatchStrategy, loadAllYaml, type KubernetesObject } from '@kubernetes/client-node';

/** Reads every document of the files (typed through client-node, see crds.ts), skipping empty ones. */
export async function readManifests(paths: string[]): Promise<KubernetesObject[]> {
  const objects: KubernetesObject[] = [];
  for (const path of paths) {
    let docs: unknown[];
    try {
      docs = loadAllYaml(await readFile(path, 'utf8'));
    } catch (error) {
      throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
    }
    for (const doc of docs) {
      if (!doc) continue;
      const obj = doc as KubernetesObject;
      if (!obj.apiVersion || !obj.kind || !obj.metadata?.name)
        throw new Error(`${path}: every object needs apiVersion, kind and metadata.name`);
      objects.push(obj);
    }
  }
  return objects;
}

/**
 * Server-side applies `objects` in order; `namespace` fills in objects without
 * one (cluster-scoped kinds ignore it). Returns what the server stored.
 */
export async function applyObjects(kc: KubeConfig, objects: KubernetesObject[], namespace?: string): Promise<KubernetesObject[]> {
  // KubernetesObjectApi puts namespaced objects without a namespace into its context's namespace.
  const api = KubernetesObjectApi.makeApiClient(namespace ? withNamespace(kc, namespace) : kc);
  const applied: KubernetesObject[] = [];
  for (const obj of objects) {
    const body = structuredClone(obj);
    try {
      applied.push(await api.patch(body, undefined, undefined, 'tc-test', true, PatchStrategy.ServerSideApply));
    } catch (error) {
      throw new Error(`applying ${obj.kind} ${obj.metadata?.name}: ${(error as Error).message}`, { cause: error });
    }
  }
  return applied;
}

export async function applyManifestFiles(kc: KubeConfig, paths: string[], namespace?: string): Promise<KubernetesObject[]> {
  return applyObjects(kc, await readManifests(paths), namespace);
}

function withNamespace(kc: KubeConfig, namespace: string): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromString(kc.exportConfig());
  copy.contexts = copy.contexts.map((c) => (c.name === copy.currentContext ? { ...c, namespace } : c));
  return copy;
}
