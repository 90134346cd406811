// Leader election on a coordination.k8s.io/v1 Lease (name 3scale-operator-lock, operator.md §2.1), the
// client-go algorithm: take the lease when it is free or expired, renew it every retry period, and stop leading
// (the process exits) when renewal has not succeeded within the renew deadline — so two replicas never both
// write. Optimistic concurrency (resourceVersion) decides races between candidates. On shutdown the lease is
// released so a successor takes over at once.
import type { Logger } from 'pino';
import type { KubeObject } from '../desired.js';
import type { KubeClient } from '../kube/client.js';
import { isConflict, isNotFound } from '../kube/errors.js';

export interface LeaseOptions {
  namespace: string;
  name?: string;
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
type Lease = KubeObject & { spec?: LeaseSpec };

const microTime = (date: Date): string => date.toISOString().replace('Z', '000Z');

export class LeaseLock {
  private readonly name: string;
  private readonly durationS: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly options: LeaseOptions,
    private readonly log: Logger,
  ) {
    this.name = options.name ?? '3scale-operator-lock';
    this.durationS = options.leaseDurationSeconds ?? 15;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryMs = options.retryPeriodMs ?? 2_000;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Resolves once this replica leads; afterwards renews in the background and calls `onLost` if it cannot. */
  async acquire(onLost: () => void): Promise<void> {
    while (!this.stopped) {
      if (await this.tryAcquireOrRenew()) break;
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
    if (this.stopped) return;
    this.leading = true;
    this.log.info({ lease: this.name, identity: this.options.identity }, 'became leader');
    let lastRenew = Date.now();
    const renew = async (): Promise<void> => {
      if (this.stopped) return;
      const ok = await this.tryAcquireOrRenew();
      if (ok) lastRenew = Date.now();
      if (!ok && Date.now() - lastRenew > this.renewDeadlineMs) {
        this.leading = false;
        this.log.error({ lease: this.name }, 'leader lease lost');
        onLost();
        return;
      }
      this.timer = setTimeout(() => void renew(), this.retryMs);
    };
    this.timer = setTimeout(() => void renew(), this.retryMs);
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    const { namespace, identity } = this.options;
    try {
      let lease: Lease;
      try {
        lease = await this.client.get<Lease>('coordination.k8s.io/v1', 'Lease', namespace, this.name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await this.client.create<Lease>({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.name, namespace },
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds: this.durationS,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: 0,
          },
        });
        return true;
      }
      const spec = lease.spec ?? {};
      const heldByOther = spec.holderIdentity && spec.holderIdentity !== identity;
      const renewedAt = spec.renewTime ? Date.parse(spec.renewTime) : 0;
      const expired = renewedAt + (spec.leaseDurationSeconds ?? this.durationS) * 1000 < now.getTime();
      if (heldByOther && !expired) return false;
      const transitions = (spec.leaseTransitions ?? 0) + (spec.holderIdentity === identity ? 0 : 1);
      lease.spec = {
        holderIdentity: identity,
        leaseDurationSeconds: this.durationS,
        acquireTime: spec.holderIdentity === identity && spec.acquireTime ? spec.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: transitions,
      };
      lease.apiVersion = 'coordination.k8s.io/v1';
      lease.kind = 'Lease';
      await this.client.update(lease);
      return true;
    } catch (error) {
      if (!isConflict(error)) this.log.warn({ err: String(error) }, 'lease acquire/renew failed');
      return false;
    }
  }

  /** Stops renewing and hands the lease over (holder cleared) if this replica held it. */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.client.get<Lease>('coordination.k8s.io/v1', 'Lease', this.options.namespace, this.name);
      if (lease.spec?.holderIdentity !== this.options.identity) return;
      lease.spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(new Date()) };
      await this.client.update(lease);
    } catch (error) {
      this.log.warn({ err: String(error) }, 'could not release the leader lease');
    }
  }
}
