// What the capabilities reconcilers share: the Kubernetes side (client, caches, Events), one 3scale client per
// account, the resync interval and the metrics.
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { KubeClient } from '../../controller/kube/client.js';
import type { InformerSet } from '../../controller/informers/informer-set.js';
import type { EventRecorder } from '../../controller/events/recorder.js';
import { DEFAULT_TIMEOUT_MS, ThreescaleClient, type PortalAccess } from '../threescale/client.js';

export class CapabilityMetrics {
  readonly apiCalls: Counter<'method' | 'write'>;
  readonly driftCorrections: Counter<'kind'>;

  constructor(registry: Registry) {
    this.apiCalls = new Counter({
      name: 'threescale_capabilities_api_calls_total',
      help: '3scale API calls by HTTP method and whether they wrote',
      labelNames: ['method', 'write'],
      registers: [registry],
    });
    this.driftCorrections = new Counter({
      name: 'threescale_capabilities_drift_corrections_total',
      help: 'Changes made in 3scale behind a CR that the operator put back',
      labelNames: ['kind'],
      registers: [registry],
    });
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
  constructor(
    private readonly metrics: CapabilityMetrics,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  get(access: PortalAccess): ThreescaleClient {
    const key = `${access.adminUrl}\n${access.token}\n${access.insecureSkipVerify}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new ThreescaleClient(
        access,
        (method, write) => {
          this.metrics.apiCalls.inc({ method, write: String(write) });
        },
        this.timeoutMs,
      );
      this.clients.set(key, client);
    }
    return client;
  }
}

const DURATION = /^(\d+)(ms|s|m|h)?$/;
const UNIT_MS: Record<'ms' | 's' | 'm' | 'h', number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function parseDuration(
  variable: string,
  value: string | undefined,
  fallbackMs: number,
  minimumMs: number,
  minimumText: string,
): { ok: true; ms: number } | { ok: false; reason: string } {
  if (value === undefined || value.trim() === '') return { ok: true, ms: fallbackMs };
  const match = DURATION.exec(value.trim());
  if (!match) return { ok: false, reason: `${variable}: "${value}" is not a duration (use 30s, 5m, 1h)` };
  // DURATION's unit group is optional and only ever one of UNIT_MS's keys.
  const ms = Number(match[1]) * UNIT_MS[(match.at(2) ?? 's') as keyof typeof UNIT_MS];
  if (ms < minimumMs) return { ok: false, reason: `${variable}: ${value} is shorter than ${minimumText}` };
  return { ok: true, ms };
}

/** THREESCALE_RESYNC_INTERVAL: "30s", "5m", "1h" or seconds; default 5m; at least 10s. */
export const parseResyncInterval = (value: string | undefined) =>
  parseDuration('THREESCALE_RESYNC_INTERVAL', value, 5 * 60_000, 10_000, '10s');

/** THREESCALE_API_TIMEOUT: how long one 3scale call may take; default 15s; at least 1s. */
export const parseApiTimeout = (value: string | undefined) =>
  parseDuration('THREESCALE_API_TIMEOUT', value, DEFAULT_TIMEOUT_MS, 1000, '1s');
