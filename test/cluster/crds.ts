/**
 * Installs CustomResourceDefinitions from YAML files and waits until the API
 * server serves them (condition Established), or removes them and waits until
 * they are gone from discovery.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiextensionsV1Api, ApisApi, type KubeConfig, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { readManifests } from './apply.js';
import { statusCode } from './errors.js';
import { standInCrdPaths } from './openshift-types/sources.js';

/** A CRD file's metadata.name: every CRD has one; a file without it is a broken fixture. */
function crdName(crd: V1CustomResourceDefinition): string {
  const name = crd.metadata?.name;
  if (name === undefined) throw new Error('a CustomResourceDefinition without metadata.name');
  return name;
}

/**
 * Reads CRDs through client-node's loadAllYaml: its typed API serialises
 * models by their TypeScript field names (`x_kubernetes_int_or_string`), so a
 * plain parsed YAML object would silently lose every `x-kubernetes-*` marker.
 */
export async function readCrdFiles(paths: string[]): Promise<V1CustomResourceDefinition[]> {
  const objects = await readManifests(paths);
  for (const obj of objects) {
    if (obj.kind !== 'CustomResourceDefinition')
      throw new Error(`${obj.metadata?.name}: kind must be CustomResourceDefinition, got ${String(obj.kind)}`);
  }
  return objects as V1CustomResourceDefinition[];
}

/** Creates (or replaces) each CRD and resolves once all are Established. */
export async function installCrds(kc: KubeConfig, paths: string[], timeoutMs = 30_000): Promise<V1CustomResourceDefinition[]> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const crds = await readCrdFiles(paths);
  for (const crd of crds) {
    const name = crdName(crd);
    try {
      await api.createCustomResourceDefinition({ body: crd });
    } catch (error) {
      if (statusCode(error) !== 409) throw new Error(`installing CRD ${name}: ${(error as Error).message}`, { cause: error });
      const existing = await api.readCustomResourceDefinition({ name });
      await api.replaceCustomResourceDefinition({
        name,
        body: { ...crd, metadata: { ...crd.metadata, resourceVersion: existing.metadata?.resourceVersion } },
      });
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const name = crdName(crd);
    for (;;) {
      const current = await api.readCustomResourceDefinition({ name });
      const established = current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      if (established) break;
      if (Date.now() > deadline)
        throw new Error(`CRD ${name} not Established after ${timeoutMs} ms: ${JSON.stringify(current.status?.conditions)}`);
      await sleep(100);
    }
  }
  return crds;
}

/** API groups the server lists in discovery (`/apis`). */
export async function servedGroups(kc: KubeConfig): Promise<string[]> {
  const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
  return groups.groups.map((g) => g.name);
}

/** Deletes the CRDs in `paths` and waits until their groups have left discovery. */
export async function deleteCrds(kc: KubeConfig, paths: string[], timeoutMs = 60_000): Promise<void> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const crds = await readCrdFiles(paths);
  for (const crd of crds) {
    try {
      await api.deleteCustomResourceDefinition({ name: crdName(crd) });
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
    }
  }
  const groups = new Set(crds.map((c) => c.spec.group));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = (await servedGroups(kc)).filter((g) => groups.has(g));
    if (remaining.length === 0) return;
    if (Date.now() > deadline) throw new Error(`groups still in discovery after ${timeoutMs} ms: ${remaining.join(', ')}`);
    await sleep(200);
  }
}

/** The groups the OpenShift stand-ins add to discovery (what makes the operator pick the `openshift` flavour). */
export const openShiftGroups = ['apps.openshift.io', 'image.openshift.io', 'route.openshift.io'] as const;

/**
 * Makes the cluster look like plain Kubernetes (test-cluster.md §6): deletes
 * the stand-in CRDs — and with them every DeploymentConfig, Route and
 * ImageStream — and waits until discovery no longer lists their groups.
 */
export async function removeOpenShiftStandIns(kc: KubeConfig): Promise<void> {
  await deleteCrds(kc, await standInCrdPaths());
}

/** Re-creates the stand-in CRDs and waits until they are Established. */
export async function restoreOpenShiftStandIns(kc: KubeConfig): Promise<void> {
  await installCrds(kc, await standInCrdPaths());
}
