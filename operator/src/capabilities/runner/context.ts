// What the capabilities reconcilers share: the Kubernetes side (client, caches, Events), one 3scale client per
// account, the resync interval and the metrics.
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { KubeClient } from '../../controller/kube/client.js';
import type { InformerSet } from '../../controller/informers/informer-set.js';
import type { EventRecorder } from '../../controller/events/recorder.js';
import { ThreescaleClient, type PortalAccess } from '../threescale/client.js';

export class CapabilityMetrics {
  readonly apiCalls: Counter<'method' | 'write'>;
  readonly driftCorrections: Counter<'kind'>;

  constructor(registry: Registry) {
    this.apiCalls = new Counter({ name: 'threescale_capabilities_api_calls_total', help: '3scale API calls by HTTP method and whether they wrote', labelNames: ['method', 'write'], registers: [registry] });
    this.driftCorrections = new Counter({ name: 'threescale_capabilities_drift_corrections_total', help: 'Changes made in 3scale behind a CR that the operator put back', labelNames: ['kind'], registers: [registry] });
  }
}

export interface CapabilitiesContext {
  kube: KubeClient;
  informers: InformerSet;
  recorder: EventRecorder;
  log: Logger;
  /** How often a synced CR is compared with 3scale again (drift correction). */
  resyncMs: number;
  metrics: CapabilityMetrics;
  clients: ClientCache;
}

/** One client per (admin URL, token, TLS mode): CRs of one account share its connection pool. */
export class ClientCache {
  private readonly clients = new Map<string, ThreescaleClient>();
  constructor(private readonly metrics: CapabilityMetrics) {}

  get(access: PortalAccess): ThreescaleClient {
    const key = `${access.adminUrl}\n${access.token}\n${access.insecureSkipVerify}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new ThreescaleClient(access, (method, write) => this.metrics.apiCalls.inc({ method, write: String(write) }));
      this.clients.set(key, client);
    }
    return client;
  }
}

const DURATION = /^(\d+)(ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** THREESCALE_RESYNC_INTERVAL: "30s", "5m", "1h" or seconds; default 5m; at least 10s. */
export function parseResyncInterval(value: string | undefined): { ok: true; ms: number } | { ok: false; reason: string } {
  if (value === undefined || value.trim() === '') return { ok: true, ms: 5 * 60_000 };
  const match = DURATION.exec(value.trim());
  if (!match) return { ok: false, reason: `THREESCALE_RESYNC_INTERVAL: "${value}" is not a duration (use 30s, 5m, 1h)` };
  const ms = Number(match[1]) * UNIT_MS[match[2] ?? 's']!;
  if (ms < 10_000) return { ok: false, reason: `THREESCALE_RESYNC_INTERVAL: ${value} is shorter than 10s` };
  return { ok: true, ms };
}
