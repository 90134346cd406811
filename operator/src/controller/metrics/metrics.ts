// The operator's own Prometheus metrics (prom-client, a registry of its own so tests can run several managers).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({
    name: 'threescale_operator_reconcile_total',
    help: 'Reconcile passes by kind and result',
    labelNames: ['kind', 'result'],
    registers: [this.registry],
  });
  readonly reconcileDuration = new Histogram({
    name: 'threescale_operator_reconcile_duration_seconds',
    help: 'Duration of reconcile passes',
    labelNames: ['kind'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly reconcileErrors = new Counter({
    name: 'threescale_operator_reconcile_errors_total',
    help: 'Reconcile passes that failed',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'threescale_operator_workqueue_depth',
    help: 'Keys waiting in the work queue',
    registers: [this.registry],
  });
  readonly apiWrites = new Counter({
    name: 'threescale_operator_api_writes_total',
    help: 'Write calls sent to the API server by verb and kind',
    labelNames: ['verb', 'kind'],
    registers: [this.registry],
  });
  readonly isLeader = new Gauge({
    name: 'threescale_operator_leader',
    help: '1 while this replica holds the leader lease',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'threescale_operator_' });
  }
}
