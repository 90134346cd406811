// Which Redis consumer to roll next (operator.md §4.4), decided without I/O. One consumer at a time, in the
// fixed order; the next one starts only when every earlier consumer is up to date and its rollout is complete.
// Progress lives only in the pod-template annotations, so this is recomputed from scratch on every pass.

export const ROLL_ORDER = ['backend-listener', 'backend-cron', 'backend-worker', 'system-app', 'system-sidekiq', 'system-sphinx'] as const;

export interface ConsumerState {
  name: string;
  /** The hash of the current secret values (from the desired object). */
  desiredHash: string;
  /** The annotation on the live pod template; undefined when absent (adopted from another operator). */
  liveHash: string | undefined;
  /** The live workload's latest version has all desired replicas updated and available (or 0 replicas). */
  rolledOut: boolean;
}

export type MigrationStep =
  | { kind: 'idle' } // nothing stale
  | { kind: 'roll'; consumer: string } // write the new hash into this consumer now
  | { kind: 'wait'; consumer: string; stale: string[] }; // a rollout is in progress: wait for `consumer`

export function nextMigrationStep(consumers: ConsumerState[]): MigrationStep {
  const ordered = ROLL_ORDER.map((name) => consumers.find((c) => c.name === name)).filter((c): c is ConsumerState => c !== undefined);
  const stale = ordered.filter((c) => c.liveHash !== c.desiredHash).map((c) => c.name);
  for (const consumer of ordered) {
    if (consumer.liveHash !== consumer.desiredHash) {
      return { kind: 'roll', consumer: consumer.name };
    }
    if (!consumer.rolledOut) {
      if (stale.length === 0) continue; // no migration running: a rollout for another reason is not ours to wait for
      return { kind: 'wait', consumer: consumer.name, stale };
    }
  }
  return { kind: 'idle' };
}
