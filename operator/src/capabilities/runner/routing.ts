// Which capabilities CRs a watch event concerns. A CR's own status write comes back as an update event; it does
// not re-run that CR (that would double every pass's reads) but does re-run the CRs waiting on it (an
// Application waits for its Product's status). A Secret event re-runs the CRs that read that Secret.
import type { KubeObject } from '../../controller/desired.js';
import type { InformerEvent } from '../../controller/informers/informer-set.js';
import type { WatchedKind } from '../../controller/informers/informer-set.js';
import { CAPABILITY_KINDS, apiVersionOf, type CapabilityKindName } from '../api/kinds.js';
import { CAPABILITIES_GROUP } from '../api/common.js';
import { CAPABILITY_RECONCILERS, dependentsOf } from '../registry.js';
import { providerSecretName } from '../credentials/provider-account.js';

/** The capabilities kinds to watch: those with a reconciler whose CRD the server serves. */
export function capabilityKinds(served: ReadonlySet<string>): WatchedKind[] {
  return (Object.keys(CAPABILITY_KINDS) as CapabilityKindName[])
    .filter((kind) => CAPABILITY_RECONCILERS.has(kind) && served.has(apiVersionOf(kind)))
    .map((kind) => ({ apiVersion: apiVersionOf(kind), kind }));
}

const isCapability = (object: KubeObject): boolean =>
  object.apiVersion.startsWith(`${CAPABILITIES_GROUP}/`) && CAPABILITY_RECONCILERS.has(object.kind);

type Lister = (apiVersion: string, kind: string) => KubeObject[];

export class CapabilityRouter {
  /** What of a CR, other than its status, was last seen: a change of any re-runs it. */
  private readonly seen = new Map<string, string>();

  keysFor(event: InformerEvent, object: KubeObject, list: Lister): string[] {
    const namespace = object.metadata.namespace ?? '';
    if (isCapability(object)) {
      const key = `${object.kind}|${namespace}|${object.metadata.name}`;
      const keys: string[] = [];
      const meta = object.metadata as KubeObject['metadata'] & { finalizers?: string[] };
      const fingerprint = JSON.stringify([meta.generation, meta.deletionTimestamp, meta.annotations, meta.finalizers]);
      if (event === 'delete') this.seen.delete(key);
      else if (this.seen.get(key) !== fingerprint) {
        this.seen.set(key, fingerprint);
        keys.push(key);
      }
      for (const dependent of dependentsOf(object.kind)) {
        for (const cr of list(apiVersionOf(dependent as CapabilityKindName), dependent))
          keys.push(`${dependent}|${namespace}|${cr.metadata.name}`);
      }
      return keys;
    }
    if (object.kind !== 'Secret' && object.kind !== 'ConfigMap') return [];
    const name = object.metadata.name;
    const keys: string[] = [];
    for (const kind of CAPABILITY_RECONCILERS.keys()) {
      for (const cr of list(apiVersionOf(kind as CapabilityKindName), kind)) {
        const spec = cr.spec as { providerAccountRef?: { name: string } } | undefined;
        const reads =
          (object.kind === 'Secret' && providerSecretName(spec) === name) || JSON.stringify(spec ?? {}).includes(`"name":"${name}"`);
        if (reads) keys.push(`${kind}|${namespace}|${cr.metadata.name}`);
      }
    }
    return keys;
  }
}
