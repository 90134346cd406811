/**
 * One DNS cache for the whole gateway (gateway.md §10: answers "shared across
 * workers", `/dns/cache` one view). Each worker keeps a local copy so a
 * connection never waits on IPC; what one worker learns from a nameserver
 * goes to the primary, which keeps the latest answer per name, forwards it
 * to the other workers and hands the whole table to a worker that starts
 * later (restart after a crash).
 */
import cluster, { type Worker } from 'node:cluster';
import type { DnsResolver, SharedDnsEntry } from '../net/dns-resolver.js';
import { isMessage, type DnsAnswerMessage } from './ipc-messages.js';

/** Primary side: the table of answers, relayed between workers. */
export class DnsCacheRelay {
  private readonly entries = new Map<string, SharedDnsEntry>();

  /** Call for every forked worker; `others` lists the workers to forward to. */
  attach(worker: Worker, others: () => Worker[]): void {
    worker.on('message', (message: unknown) => {
      if (!isMessage<DnsAnswerMessage>(message, 'apicast:dns')) return;
      const known = this.entries.get(message.entry.name);
      if (known && known.expiresAt >= message.entry.expiresAt) return;
      this.entries.set(message.entry.name, message.entry);
      for (const other of others()) if (other !== worker && other.isConnected()) other.send(message);
    });
  }

  /** Every answer still worth having, for a worker that just started. Entries past their TTL are
   *  sent too: the resolver serves them stale while it refreshes (gateway.md §10). */
  replayTo(worker: Worker): void {
    if (!worker.isConnected()) return;
    for (const entry of this.entries.values()) {
      const message: DnsAnswerMessage = { type: 'apicast:dns', entry };
      worker.send(message);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Worker side: publish this resolver's answers and adopt the other workers'. No-op outside a cluster worker. */
export function shareDnsCache(resolver: DnsResolver): void {
  if (!cluster.isWorker || typeof process.send !== 'function') return;
  resolver.onAnswer = (entry) => {
    const message: DnsAnswerMessage = { type: 'apicast:dns', entry };
    // A worker whose primary is gone (exiting) keeps its own answers: nothing to share with.
    try {
      process.send?.(message);
    } catch {
      /* channel closed */
    }
  };
  process.on('message', (message: unknown) => {
    if (isMessage<DnsAnswerMessage>(message, 'apicast:dns')) resolver.adopt(message.entry);
  });
}
