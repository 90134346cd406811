/**
 * OLM's API objects (operators.coreos.com) as the test reads and writes them, through client-node's
 * CustomObjectsApi (the operator's KubeClient only knows the kinds the operator manages). Types hold just the
 * fields the test looks at.
 */
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { statusCode } from '../cluster/errors.js';

const GROUP = 'operators.coreos.com';

/** Kind → version and plural of the OLM kinds the test uses. */
const kinds = {
  CatalogSource: { version: 'v1alpha1', plural: 'catalogsources' },
  Subscription: { version: 'v1alpha1', plural: 'subscriptions' },
  InstallPlan: { version: 'v1alpha1', plural: 'installplans' },
  ClusterServiceVersion: { version: 'v1alpha1', plural: 'clusterserviceversions' },
  OperatorGroup: { version: 'v1', plural: 'operatorgroups' },
} as const;
export type OlmKind = keyof typeof kinds;

export interface OlmObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  spec?: Record<string, unknown>;
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    namespaces?: string[];
    installedCSV?: string;
    currentCSV?: string;
    state?: string;
    installPlanRef?: { name: string };
    connectionState?: { lastObservedState?: string };
  };
}

export interface OlmApi {
  create(kind: OlmKind, namespace: string, body: OlmObject): Promise<OlmObject>;
  /** The object, or undefined when it does not exist. */
  get(kind: OlmKind, namespace: string, name: string): Promise<OlmObject | undefined>;
  list(kind: OlmKind, namespace: string): Promise<OlmObject[]>;
  replace(kind: OlmKind, namespace: string, body: OlmObject): Promise<OlmObject>;
  /** Deletes the object; one that is already gone is fine. */
  delete(kind: OlmKind, namespace: string, name: string): Promise<void>;
}

export function olmApi(kc: KubeConfig): OlmApi {
  const api = kc.makeApiClient(CustomObjectsApi);
  const where = (kind: OlmKind, namespace: string) => ({ group: GROUP, ...kinds[kind], namespace });
  return {
    create: async (kind, namespace, body) =>
      (await api.createNamespacedCustomObject({
        ...where(kind, namespace),
        body: { apiVersion: `${GROUP}/${kinds[kind].version}`, kind, ...body },
      })) as OlmObject,
    get: async (kind, namespace, name) => {
      try {
        return (await api.getNamespacedCustomObject({ ...where(kind, namespace), name })) as OlmObject;
      } catch (error) {
        if (statusCode(error) === 404) return undefined;
        throw error;
      }
    },
    replace: async (kind, namespace, body) =>
      (await api.replaceNamespacedCustomObject({ ...where(kind, namespace), name: body.metadata.name, body })) as OlmObject,
    delete: async (kind, namespace, name) => {
      try {
        await api.deleteNamespacedCustomObject({ ...where(kind, namespace), name });
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
    },
    list: async (kind, namespace) => ((await api.listNamespacedCustomObject(where(kind, namespace))) as { items: OlmObject[] }).items,
  };
}
