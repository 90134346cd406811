// List+watch caches for every kind the operator reads, one per (kind, namespace) — or one cluster-wide per kind
// when WATCH_NAMESPACE is empty. client-node's ListWatch keeps the cache and resumes from the last
// resourceVersion; when a watch fails (API server restart, network) it is restarted here after a pause, and
// a 410 Gone makes ListWatch relist.
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { KubeObject } from '../desired.js';
import type { KubeClient } from '../kube/client.js';
import { resourcePath, resourceType } from '../kube/resources.js';

export type InformerEvent = 'add' | 'update' | 'delete';
export type InformerHandler = (event: InformerEvent, object: KubeObject) => void;

export interface WatchedKind {
  apiVersion: string;
  kind: string;
}

export class InformerSet {
  private readonly informers = new Map<string, ListWatch<KubernetesObject>[]>();
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly client: KubeClient,
    /** undefined = all namespaces. */
    private readonly namespaces: string[] | undefined,
    private readonly handler: InformerHandler,
    private readonly log: Logger,
  ) {}

  private static key(apiVersion: string, kind: string): string {
    return `${apiVersion}/${kind}`;
  }

  /** Starts the informers of `kinds` and resolves once each has listed successfully (its cache is synced). */
  async start(kinds: WatchedKind[]): Promise<void> {
    const watch = new Watch(this.kc);
    const scopes: (string | undefined)[] = this.namespaces ?? [undefined];
    const starts: Promise<void>[] = [];
    for (const { apiVersion, kind } of kinds) {
      const list: ListWatch<KubernetesObject>[] = [];
      for (const namespace of scopes) {
        const path = resourcePath(resourceType(apiVersion, kind), namespace);
        let markListed: () => void = () => {};
        starts.push(
          new Promise<void>((resolve) => {
            markListed = resolve;
          }),
        );
        const listFn = async () => {
          const result = await this.client.list<KubeObject>(apiVersion, kind, namespace);
          markListed();
          return {
            apiVersion: 'v1',
            kind: `${kind}List`,
            metadata: { resourceVersion: result.resourceVersion },
            items: result.items as KubernetesObject[],
          };
        };
        const informer = new ListWatch<KubernetesObject>(path, watch, listFn, false);
        const emit = (event: InformerEvent) => (object: KubernetesObject) => {
          // List items come without apiVersion and kind: fill them in from the informer's own.
          object.apiVersion ??= apiVersion;
          object.kind ??= kind;
          this.handler(event, object as KubeObject);
        };
        informer.on('add', emit('add'));
        informer.on('update', emit('update'));
        informer.on('delete', emit('delete'));
        informer.on('error', (error: unknown) => {
          if (this.stopped) return;
          this.log.warn({ kind, namespace, err: String(error) }, 'watch failed; restarting in 2 s');
          const timer = setTimeout(() => {
            this.restartTimers.delete(timer);
            if (!this.stopped)
              informer.start().catch(() => {
                /* the error callback fires again and reschedules */
              });
          }, 2000);
          this.restartTimers.add(timer);
        });
        list.push(informer);
        // A failed first list goes through the error callback (restart); readiness waits for a successful one.
        informer.start().catch(() => {});
      }
      this.informers.set(InformerSet.key(apiVersion, kind), list);
    }
    await Promise.all(starts);
    // ListWatch fills its cache in the microtasks after the list resolves; let them run before reporting synced.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** The cached object; its shape beyond KubeObject is the caller's to state (what the API server stores for that kind). */
  get(apiVersion: string, kind: string, namespace: string, name: string): KubeObject | undefined {
    for (const informer of this.informers.get(InformerSet.key(apiVersion, kind)) ?? []) {
      const found = informer.get(name, namespace);
      if (found) return found as KubeObject;
    }
    return undefined;
  }

  list<T extends KubeObject>(apiVersion: string, kind: string, namespace: string): T[] {
    return (this.informers.get(InformerSet.key(apiVersion, kind)) ?? []).flatMap((informer) => informer.list(namespace) as T[]);
  }

  has(apiVersion: string, kind: string): boolean {
    return this.informers.has(InformerSet.key(apiVersion, kind));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    await Promise.all([...this.informers.values()].flat().map((informer) => informer.stop()));
  }
}
